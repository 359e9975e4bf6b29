/**
 * The one webhook route (pipeline/inbound-route.ts) over real HTTP on loopback, with a small
 * test channel and hand-written inbox writers that succeed, refuse (full), throw (store down)
 * or never finish (stalled disk) — the cases the reliability review measured (D5, D14, D16)
 * and Zalo OA's "no redelivery after a 5xx" (zalo-2026.md §4.3 #1). The spool is a real file
 * in a temp dir.
 */
import { readFile, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, InboundMessage } from '../../src/channels/channel';
import { secretTokenMatches } from '../../src/channels/secret-token';
import type { AcceptResult } from '../../src/pipeline/inbox';
import { inboundRoute, type InboundRoute } from '../../src/pipeline/inbound-route';
import { InboundSpool } from '../../src/pipeline/inbound-spool';
import { createLogger } from '../../src/server/logger';
import { createMetrics, type Metrics } from '../../src/server/metrics';
import { tempDir } from '../helpers/server';

const SECRET = 'route-test-secret-0123456789abcdef0123';

function testChannel(redelivers: boolean): Channel {
  return {
    name: 'telegram',
    limits: { maxText: 100, buttons: false, ratePerSecond: 1 },
    verify: (req) => (secretTokenMatches(req.header('x-secret'), SECRET) ? { ok: true } : { ok: false, reason: 'secret' }),
    parse: (body) => {
      const b = body as { id?: unknown; text?: unknown };
      if (typeof b?.id !== 'number') return { kind: 'invalid', reason: 'no id' };
      return { kind: 'message', message: { channel: 'telegram', chatId: 'c1', dedupeKey: String(b.id), input: { kind: 'text', value: String(b.text ?? '') }, receivedAt: 0 } };
    },
    inbound: { ack: { json: { ok: true } }, refused: { text: 'nope' }, redelivers, acceptTimeoutMs: 100 },
    send: async () => undefined,
  };
}

interface Rig {
  url: string;
  metrics: Metrics;
  logs: () => string;
  spool: InboundSpool;
  accepted: InboundMessage[];
  close(): Promise<void>;
}
let rig: Rig | undefined;
let route: InboundRoute | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function start(opts: { redelivers: boolean; accept: (m: InboundMessage) => Promise<AcceptResult> }): Promise<Rig> {
  const dir = await tempDir('thutuc-route-');
  let out = '';
  const logger = createLogger('debug', new Writable({ write: (c, _e, done) => ((out += String(c)), done()) }));
  const metrics = createMetrics(false);
  const spool = new InboundSpool(path.join(dir, 'spool'));
  const accepted: InboundMessage[] = [];
  route = inboundRoute({
    channels: new Map([['telegram', testChannel(opts.redelivers)]]),
    accept: async (m) => {
      const r = await opts.accept(m);
      if (r.status === 'accepted') accepted.push(m);
      return r;
    },
    spool,
    logger,
    metrics,
    now: () => 1_764_063_000_000,
  });
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(route.router);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const r = route;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    metrics,
    logs: () => out,
    spool,
    accepted,
    async close() {
      r.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function post(body: string, headers: Record<string, string> = { 'x-secret': SECRET }, contentType = 'application/json') {
  const res = await fetch(`${rig!.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}
const metric = async (name: string) => (await rig!.metrics.registry.metrics()).split('\n').filter((l) => l.startsWith(name));
const ok = async (): Promise<AcceptResult> => ({ status: 'accepted', id: 'x' });
const never = () => new Promise<AcceptResult>(() => undefined);

describe('the one webhook route', () => {
  it('answers a forged request 401 before looking at its body (bad JSON from a forger is 401, not 400)', async () => {
    rig = await start({ redelivers: true, accept: ok });
    expect((await post('{"id": 1,', { 'x-secret': 'wrong' })).status).toBe(401);
    expect((await post('{"id": 1,')).status).toBe(400);
    expect(rig.accepted).toEqual([]);
  });

  it('acknowledges only after the inbox write; a full inbox gets 429 with Retry-After, counted and logged (D5)', async () => {
    rig = await start({ redelivers: true, accept: async () => ({ status: 'overloaded' }) });
    const res = await post('{"id": 7, "text": "hi"}');
    expect(res.status).toBe(429);
    expect(res.retryAfter).toBe('30');
    expect(await metric('thutuc_messages_refused_total')).toEqual(['thutuc_messages_refused_total{channel="telegram",reason="inbox_full"} 1']);
    expect(rig.logs()).toMatch(/"level":40.*inbox_full.*message refused/);
  });

  it('answers 503 when the inbox write fails or takes longer than the platform waits — never 200 (D16)', async () => {
    let calls = 0;
    rig = await start({ redelivers: true, accept: () => (++calls === 1 ? Promise.reject(new Error('EIO: disk')) : never()) });
    const failed = await post('{"id": 1}');
    const slow = await post('{"id": 2}');
    expect([failed.status, slow.status]).toEqual([503, 503]);
    expect(failed.text).not.toContain('EIO');
    expect(await metric('thutuc_messages_refused_total')).toEqual(['thutuc_messages_refused_total{channel="telegram",reason="store_failed"} 1', 'thutuc_messages_refused_total{channel="telegram",reason="timeout"} 1']);
  });

  it('for a platform that never redelivers, spools what the inbox could not take, answers 200, and replays it later', async () => {
    let storeUp = false;
    rig = await start({ redelivers: false, accept: async () => (storeUp ? { status: 'accepted', id: 'x' } : Promise.reject(new Error('store down'))) });
    expect((await post('{"id": 11, "text": "một"}')).status).toBe(200);
    expect((await post('{"id": 12, "text": "hai"}', { 'x-secret': SECRET }, 'text/plain')).status).toBe(200);
    const lines = (await readFile(rig.spool.file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as InboundMessage).dedupeKey)).toEqual(['11', '12']);
    expect(await rig.spool.replay(async () => Promise.reject(new Error('still down')))).toBe(2);
    storeUp = true;
    const accept = async (m: InboundMessage): Promise<AcceptResult> => {
      rig!.accepted.push(m);
      return { status: 'accepted', id: m.dedupeKey };
    };
    expect(await rig.spool.replay(accept)).toBe(0);
    expect(rig.accepted.map((m) => m.input)).toEqual([
      { kind: 'text', value: 'một' },
      { kind: 'text', value: 'hai' },
    ]);
    expect(await rig.spool.replay(accept)).toBe(0);
    expect(rig.accepted).toHaveLength(2);
  });

  it('logs refusals once per address per minute with a count, and throttles an address past 30 refusals (D14)', async () => {
    rig = await start({ redelivers: true, accept: ok });
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await post('{"id": 1}', { 'x-secret': `guess-${i}` })).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);
    // A genuine delivery from the same address still passes.
    expect((await post('{"id": 99}')).status).toBe(200);
    route!.close();
    const lines = rig.logs().trim().split('\n').map((l) => JSON.parse(l) as { msg: string; count?: number });
    expect(lines.filter((l) => l.msg === 'webhook refused')).toHaveLength(1);
    // The first refusal says what the request looked like (a probe vs a guess), not what it said.
    expect(lines.find((l) => l.msg === 'webhook refused')).toMatchObject({ bytes: 9, contentType: 'application/json' });
    expect(lines.filter((l) => l.msg === 'more webhooks refused from this address').map((l) => l.count)).toEqual([34]);
    expect(rig.logs()).not.toContain('guess-');
  });

  it('answers 404 for a channel that is not configured', async () => {
    rig = await start({ redelivers: true, accept: ok });
    expect((await fetch(`${rig.url}/webhooks/zalo-oa`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
