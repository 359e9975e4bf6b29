/**
 * What operators and citizens reach besides the chat API: health and readiness probes, the
 * Prometheus metrics, and the web chat page itself.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { chat, startTestServer, type TestServer } from '../helpers/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

describe('health and readiness', () => {
  it('answers /healthz while the process is up', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports the loaded content and which channels are on in /readyz', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ready', channels: { web: true, telegram: false, 'zalo-bot': false, 'zalo-oa': false } });
    expect(body.flows).toBeGreaterThanOrEqual(3);
    expect(body.units).toBe(166);
  });

  it('answers /readyz with 503 when the data directory cannot be written', async () => {
    server = await startTestServer();
    // Replace DATA_DIR by a plain file: unwritable as a directory even for root, which
    // ignores permission bits. (Moved aside in one step: the server may be writing in it.)
    const aside = `${server.dataDir}-aside`;
    await rename(server.dataDir, aside);
    await writeFile(server.dataDir, 'not a directory');
    onTestFinished(() => rm(aside, { recursive: true, force: true }));
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'not ready', channels: { web: true } });
    expect(String(body.error)).toMatch(/ENOTDIR|ENOENT|EACCES/);
    // The reason, but no path of the server's disk.
    expect(String(body.error)).not.toContain(server.dataDir);
    // Liveness is a different question: the process is still up.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('counts messages in and out, reply latency and unmatched questions in thutuc_* series', async () => {
    server = await startTestServer();
    await chat(server.url, 'metrics-chat-1', { text: 'làm căn cước' });
    await chat(server.url, 'metrics-chat-1', { text: 'qwzx vbnm' });
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^thutuc_messages_in_total\{channel="web"\} 2$/m);
    expect(text).toMatch(/^thutuc_messages_out_total\{channel="web",from="bot"\} [1-9]\d*$/m);
    expect(text).toMatch(/^thutuc_reply_latency_seconds_count\{channel="web"\} 2$/m);
    expect(text).toMatch(/^thutuc_unmatched_total\{channel="web"\} 1$/m);
    for (const name of ['thutuc_duplicate_deliveries_total', 'thutuc_send_failures_total', 'thutuc_webhooks_rejected_total', 'thutuc_content_reloads_total', 'thutuc_pending_chats']) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });
});

describe('the web chat page', () => {
  it('is served at / in Vietnamese with its script and styles', async () => {
    server = await startTestServer();
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/<html lang="vi">/);
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain('Trợ lý thủ tục hành chính');
    for (const asset of ['/chat.js', '/chat.css']) {
      expect(html).toContain(`"${asset}"`);
      expect((await fetch(`${server.url}${asset}`)).status).toBe(200);
    }
  });

  it('gives the page its interface strings in both languages from /api/ui', async () => {
    server = await startTestServer();
    const vi = (await (await fetch(`${server.url}/api/ui?lang=vi`)).json()) as Record<string, string>;
    const en = (await (await fetch(`${server.url}/api/ui?lang=en`)).json()) as Record<string, string>;
    expect(vi.send).toBe('Gửi');
    expect(en.send).toBe('Send');
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    // A missing key would come back as the key itself ("web.title").
    for (const value of [...Object.values(vi), ...Object.values(en)]) expect(value).not.toMatch(/^web\./);
  });
});
