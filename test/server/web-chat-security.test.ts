/**
 * The web chat as an attack surface (reliability review D2, D6, D8), against the real server:
 * the server issues the chat credential, refuses ids it did not issue, keeps it out of URLs and
 * caches, answers floods with 429 + Retry-After, and never promises a reply for a message it
 * did not store nor shows internal error text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, webToken, type TestServer } from '../helpers/server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

const post = async (body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${server!.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
};

describe('the web chat credential (D8)', () => {
  it('is issued by the server on the first message and works only in a header afterwards', async () => {
    server = await startTestServer();
    const first = await post({ text: 'làm căn cước' });
    expect(first.status).toBe(200);
    const token = String(first.json.chatToken);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    const next = await post({ text: '1' }, { 'x-chat-id': token });
    expect(next.status).toBe(200);
    expect(next.json.chatToken).toBeUndefined();
    const history = await fetch(`${server.url}/api/chat/history`, { headers: { 'x-chat-id': token } });
    expect(history.headers.get('cache-control')).toBe('no-store');
    const lines = ((await history.json()) as { messages: Array<{ from: string; text: string }> }).messages.filter((m) => m.from === 'user').map((m) => m.text);
    expect(lines).toEqual(['làm căn cước', '1']);
    expect((await fetch(`${server.url}/api/chat/updates?after=0`, { headers: { authorization: `Bearer ${token}` } })).headers.get('cache-control')).toBe('no-store');
  });

  it('refuses an id the server did not issue, a forged signature, and an id in the URL', async () => {
    server = await startTestServer();
    const issued = String((await post({})).json.chatToken);
    const [id] = issued.split('.');
    const forged = `${id}.${'A'.repeat(43)}`;
    expect((await post({ text: 'hi' }, { 'x-chat-id': 'my-own-chat-id' })).status).toBe(401);
    expect((await post({ text: 'hi' }, { 'x-chat-id': forged })).status).toBe(401);
    expect((await fetch(`${server.url}/api/chat/history`, { headers: { 'x-chat-id': forged } })).status).toBe(401);
    // The old way (id in the query string) no longer reads anyone's chat.
    expect((await fetch(`${server.url}/api/chat/history?chatId=${id}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/chat/updates?chatId=${issued}`)).status).toBe(401);
  });

  it('lets an integrator holding WEB_CHAT_SECRET mint the credential for a chat id of its own', async () => {
    server = await startTestServer();
    expect((await post({ text: 'menu' }, { 'x-chat-id': webToken('portal-user-4711') })).status).toBe(200);
    expect((await server.store.chats.read({ channel: 'web', chatId: 'portal-user-4711' }))?.transcript.some((l) => l.text === 'menu')).toBe(true);
  });

  it('serves the page with a CSP, no framing and no sniffing', async () => {
    server = await startTestServer();
    for (const page of ['/', '/chat.js']) {
      const res = await fetch(`${server.url}${page}`);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('floods (D2)', () => {
  it('limits messages per address per minute with 429 and Retry-After', async () => {
    server = await startTestServer({ WEB_CHAT_RATE_PER_MINUTE: '5' });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await post({ text: 'menu', messageId: `m${i}` }, { 'x-chat-id': webToken('flooding-chat') });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.json).toEqual({ error: 'too many messages from this address; please wait a moment and send again', retry: true });
    expect((await server.store.chats.read({ channel: 'web', chatId: 'flooding-chat' }))?.transcript.filter((l) => l.from === 'user')).toHaveLength(5);
  });

  it('limits new chats per address per hour; existing chats go on', async () => {
    server = await startTestServer({ WEB_CHAT_NEW_CHATS_PER_HOUR: '3' });
    const fresh = [];
    for (let i = 0; i < 4; i++) fresh.push((await post({})).status);
    expect(fresh).toEqual([200, 200, 200, 429]);
    expect(await server.store.chats.count()).toBe(3);
    expect((await post({ text: 'menu' }, { 'x-chat-id': webToken('an-existing-chat') })).status).toBe(200);
  });

  it('does not let one address’s refused flood use up the budget everyone shares', async () => {
    server = await startTestServer({ WEB_CHAT_RATE_PER_MINUTE: '2', WEB_CHAT_GLOBAL_RATE_PER_MINUTE: '5' });
    const flood = [];
    for (let i = 0; i < 10; i++) flood.push((await post({ text: 'menu' }, { 'x-chat-id': webToken('flooder-chat'), 'x-forwarded-for': '10.0.0.1' })).status);
    expect(flood).toEqual([200, 200, ...Array(8).fill(429)]);
    const others = [];
    for (let i = 0; i < 3; i++) others.push((await post({ text: 'menu' }, { 'x-chat-id': webToken(`citizen-${i}-chat`), 'x-forwarded-for': `10.0.1.${i}` })).status);
    expect(others).toEqual([200, 200, 200]);
  });

  it('limits all addresses together', async () => {
    server = await startTestServer({ WEB_CHAT_GLOBAL_RATE_PER_MINUTE: '3' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post({ text: 'menu' }, { 'x-chat-id': webToken(`someone-${i}x`) })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('handoffs per address (D2)', () => {
  it('opens at most the cap of staff cases a day from one address; past it, points to the office', async () => {
    server = await startTestServer({ WEB_CHAT_HANDOFFS_PER_DAY: '2' });
    const last: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await post({ text: 'gặp cán bộ' }, { 'x-chat-id': webToken(`asks-for-staff-${i}`) });
      expect(res.status).toBe(200);
      last.push((res.json.replies as Array<{ text: string }>).map((r) => r.text).join(' '));
    }
    expect(last[0]).toContain('Tôi đã chuyển cuộc trò chuyện cho cán bộ hỗ trợ');
    expect(last[2]).toContain('Hôm nay đã có nhiều yêu cầu gặp cán bộ từ cùng một kết nối');
    expect(last[2]).not.toContain('Tôi đã chuyển cuộc trò chuyện');
    expect(await server.handoff.cases.list()).toHaveLength(2);
    expect((await server.store.chats.read({ channel: 'web', chatId: 'asks-for-staff-2' }))?.session?.handoff).toBeUndefined();
  });
});

describe('never promise what was not stored (D6)', () => {
  it('answers 503 "not stored, please send again" without internal text when the inbox write fails', async () => {
    server = await startTestServer();
    await server.store.close();
    const res = await post({ text: 'làm căn cước' }, { 'x-chat-id': webToken('unlucky-chat') });
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ error: 'not stored, please send again', retry: true });
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await server.metrics.registry.getSingleMetricAsString('thutuc_messages_refused_total')).toMatch(/reason="store_failed"\} 1/);
  });
});
