/**
 * Zalo Official Account end to end: the real server against a loopback fake of the OA Open API
 * v3 and the OAuth v4 token endpoint. Events are signed the way Zalo signs them (computed here
 * independently: sha256 of app id + raw body + timestamp + OA secret key, header
 * "X-ZEvent-Signature: mac=<hex>"); assertions are on what the fake received and what is on disk.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture } from '../fakes/fixtures';
import { prng, randomBody } from '../fakes/webhook-client';
import { oaError, ZaloOaFake } from '../fakes/zalo-oa-fake';
import { startTestServer, type TestServer } from '../helpers/server';
import { addStaff, loggedIn } from '../handoff/staff-client';
import { OA_APP_STAFF } from '../../src/store/cases';

const APP_ID = '1234567890123456789';
const APP_SECRET = 'app-secret-xyz';
const OA_SECRET_KEY = 'oa-secret-key-abc';
const USER = '8273645190283746501';
const FAST_RETRY = { retries: 3, minTimeoutMs: 20, maxTimeoutMs: 100, maxRetryAfterMs: 5_000 };

let fake: ZaloOaFake;
let server: TestServer;
let clock: number;
let n = 0;

const env = () => ({
  ZALO_OA_APP_ID: APP_ID,
  ZALO_OA_APP_SECRET: APP_SECRET,
  ZALO_OA_SECRET_KEY: OA_SECRET_KEY,
  ZALO_OA_ACCESS_TOKEN: 'AT-initial',
  ZALO_OA_REFRESH_TOKEN: 'RT-initial',
  ZALO_OA_API_ROOT: fake.url,
  ZALO_OAUTH_ROOT: fake.url,
});

beforeEach(async () => {
  // Near the fixtures' timestamps: events outside the replay window are refused.
  clock = 1764063060000;
  fake = await ZaloOaFake.start({ appId: APP_ID, appSecret: APP_SECRET });
  server = await startTestServer(env(), { retry: FAST_RETRY, now: () => clock });
});
afterEach(async () => {
  await server.dispose();
  await fake.close();
});

const textEvent = (text: string, user = USER) => ({
  app_id: APP_ID,
  user_id_by_app: '5829104726354829100',
  event_name: 'user_send_text',
  timestamp: String(clock - 1000 + ++n),
  sender: { id: user },
  recipient: { id: '579745863508352884' },
  message: { text, msg_id: createHash('md5').update(`m${n}`).digest('hex') },
});
const sign = (raw: string, timestamp: string, key = OA_SECRET_KEY) => `mac=${createHash('sha256').update(`${APP_ID}${raw}${timestamp}${key}`).digest('hex')}`;

async function post(body: unknown, signature?: string | null): Promise<number> {
  const raw = JSON.stringify(body);
  const ts = String((body as { timestamp?: unknown }).timestamp ?? '');
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-zevent-signature'] = signature ?? sign(raw, ts);
  const res = await fetch(`${server.url}/webhooks/zalo-oa`, { method: 'POST', headers, body: raw });
  await res.arrayBuffer();
  return res.status;
}
async function deliver(body: unknown): Promise<void> {
  expect(await post(body)).toBe(200);
  await server.pipeline.drain();
}
const csCalls = () => fake.calls.filter((c) => c.method === 'message/cs');
const oauthCalls = () => fake.calls.filter((c) => c.method === 'oauth/access_token');
const adminEcho = (text: string) => ({ ...fixture('zalo-oa', 'oa-send-text'), timestamp: String(clock - 500 + ++n), sender: { id: '579745863508352884', admin_id: '99887766' }, message: { text, msg_id: `admin-msg-${n}` } });
const storedTokens = async () => JSON.parse(await readFile(path.join(server.dataDir, 'docs', 'zalo-oa-tokens.json'), 'utf8')) as { accessToken: string; refreshToken: string; expiresAt?: number };

describe('Zalo OA channel', () => {
  it('holds a whole conversation with numbered options: question → numbers → the documents to bring', async () => {
    await deliver(fixture('zalo-oa', 'user-send-text')); // "làm căn cước ở đâu"
    const first = fake.sent(USER).at(-1)!.text;
    expect(first).toContain('Bạn làm thẻ căn cước cho ai?');
    expect(first).toMatch(/^1\. Cho tôi \(từ đủ 14 tuổi\)$/m);
    await deliver(textEvent('1'));
    await deliver(textEvent('1'));
    expect(fake.sent(USER).at(-1)!.text).toContain('xã hoặc phường');
    await deliver(textEvent('Hạc Thành'));
    const texts = fake.sent(USER).map((m) => m.text);
    expect(texts.find((t) => t.includes('Giấy tờ cần chuẩn bị'))).toContain('Cấp thẻ căn cước lần đầu');
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    // Every send carried the access token header, none needed a refresh.
    expect(csCalls().every((c) => c.headers['access_token'] === 'AT-initial')).toBe(true);
    expect(oauthCalls()).toEqual([]);
  });

  it.each([
    ['no signature', () => null],
    ['a signature for another body', () => sign('{"other":true}', '1')],
    ['a signature made with the app secret', (raw: string, ts: string) => sign(raw, ts, APP_SECRET)],
    ['garbage', () => 'mac=not-hex'],
  ])('refuses an event with %s: 401, nothing stored, nothing sent', async (_what, signature) => {
    const body = textEvent('xin chào');
    const status = await post(body, signature(JSON.stringify(body), body.timestamp));
    expect(status).toBe(401);
    await server.pipeline.drain();
    expect(await server.store.chats.count()).toBe(0);
    expect(fake.calls).toEqual([]);
  });

  it('refuses a correctly signed event outside the replay window: 401, counted, nothing stored (D7)', async () => {
    const old = { ...textEvent('gặp cán bộ'), timestamp: String(clock - 3 * 3600_000 - 1) };
    const future = { ...textEvent('gặp cán bộ'), timestamp: String(clock + 6 * 60_000) };
    const late = { ...textEvent('căn cước'), timestamp: String(clock - 2 * 3600_000) }; // Zalo's last retry comes after ~2 h
    expect(await post(old)).toBe(401);
    expect(await post(future)).toBe(401);
    expect(await post(late)).toBe(200);
    await server.pipeline.drain();
    expect(await server.metrics.registry.getSingleMetricAsString('thutuc_webhooks_rejected_total')).toMatch(/channel="zalo-oa",reason="stale"\} 2/);
    expect(fake.sent(USER)).toHaveLength(1);
  });

  it('accepts a correctly signed event whatever its Content-Type', async () => {
    const body = textEvent('căn cước');
    const raw = JSON.stringify(body);
    const res = await fetch(`${server.url}/webhooks/zalo-oa`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-zevent-signature': sign(raw, body.timestamp) }, body: raw });
    expect(res.status).toBe(200);
    await server.pipeline.drain();
    expect(fake.sent(USER)).toHaveLength(1);
  });

  it('counts Zalo retries (num_retry) as a health metric', async () => {
    const body = textEvent('căn cước');
    const raw = JSON.stringify(body);
    await fetch(`${server.url}/webhooks/zalo-oa`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zevent-signature': sign(raw, body.timestamp), num_retry: '1' }, body: raw });
    expect(await server.metrics.registry.getSingleMetricAsString('thutuc_webhook_redeliveries_total')).toMatch(/channel="zalo-oa"\} 1/);
  });

  it('always answers a validly signed event 200 and spools it when the store cannot take it (Zalo does not redeliver a 5xx)', async () => {
    await server.store.close();
    const body = textEvent('căn cước');
    expect(await post(body)).toBe(200);
    const spooled = await readFile(path.join(server.dataDir, 'spool', 'inbound-spool.jsonl'), 'utf8');
    expect(spooled).toContain('"chatId":"8273645190283746501"');
    expect(await server.metrics.registry.getSingleMetricAsString('thutuc_messages_spooled_total')).toMatch(/reason="store_failed"\} 1/);
    // After a restart the spool is replayed into the inbox and answered.
    server = await server.restart();
    await server.pipeline.drain();
    expect(fake.sent(USER).at(-1)?.text).toContain('Bạn làm thẻ căn cước cho ai?');
  });

  it('sorts "cannot reach now" (-244, -218) from "misconfigured" (-221), which fails /readyz with the reason', async () => {
    fake.unreachable.set(USER, -244);
    await deliver(textEvent('căn cước'));
    expect((await server.store.chats.read({ channel: 'zalo-oa', chatId: USER }))?.inactive?.reason).toContain('-244');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    fake.unreachable.delete(USER);
    fake.script('message/cs', oaError(-221, 'OA is not verified'));
    await deliver(textEvent('menu'));
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: string }).error).toContain('the OA is not verified');
  });

  it('waits when X-RateLimit-Remain says the per-app budget is used up', async () => {
    fake.script('message/cs', { status: 200, body: { error: 0, message: 'Success', data: { message_id: 'm', user_id: USER } }, headers: { 'x-ratelimit-limit': '4000', 'x-ratelimit-remain': '0' } });
    await deliver(textEvent('căn cước'));
    expect(csCalls()).toHaveLength(1);
    // The next send is held back (retry after the minute; longer than this test's retry policy
    // allows, so it ends as failed) instead of spending a request on a -32 refusal.
    await deliver(textEvent('1'));
    expect(csCalls()).toHaveLength(1);
    expect((await server.store.chats.read({ channel: 'zalo-oa', chatId: USER }))?.failed.at(-1)?.error).toContain('rate budget used up');
  });

  it('opens a case "cán bộ trả lời qua ứng dụng OA" when an admin answers from the OA chat tool: the console shows it, the bot pauses, the transcript keeps the line', async () => {
    await addStaff(server.dataDir, 'anna');
    await deliver(textEvent('căn cước'));
    const before = fake.sent(USER).length;
    await deliver(adminEcho('Chào bạn, tôi là cán bộ xã, bạn cần hỗ trợ gì?'));
    await deliver(textEvent('Tôi cần làm lại căn cước bị mất'));
    expect(fake.sent(USER)).toHaveLength(before);
    const record = await server.store.chats.read({ channel: 'zalo-oa', chatId: USER });
    expect(record?.transcript.slice(-2).map((l) => [l.from, l.text])).toEqual([
      ['staff', 'Chào bạn, tôi là cán bộ xã, bạn cần hỗ trợ gì?'],
      ['user', 'Tôi cần làm lại căn cước bị mất'],
    ]);
    const [c] = await server.handoff.cases.list();
    expect(c).toMatchObject({ channel: 'zalo-oa', chatId: USER, reason: 'oa_app', status: 'claimed', claimedBy: OA_APP_STAFF });
    expect(record?.caseId).toBe(c!.id);
    const anna = await loggedIn(server.url, 'anna');
    expect((await anna.get('/staff/fragments/cases')).body).toContain(`data-case="${c!.id}"`);
    const page = await anna.get(`/staff/cases/${c!.id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Cán bộ trả lời qua ứng dụng OA');
    expect(page.body).toContain('Cán bộ (trả lời qua ứng dụng Zalo OA)');
    expect(page.body).toContain('Tôi cần làm lại căn cước bị mất');
    // The marker stays in data attributes (console.js compares it with the user); text shows words.
    expect(page.body).not.toMatch(/>[^<]*@zalo-oa-app/);
    // "menu" from the citizen gives them back to the bot and closes the case.
    await deliver(textEvent('menu'));
    expect(fake.sent(USER).length).toBeGreaterThan(before);
    expect((await server.handoff.cases.get(c!.id))?.status).toBe('closed');
  });

  it('joins the citizen’s open case when an OA admin answers it, and lets go of an app-only case after two quiet hours', async () => {
    await deliver(textEvent('gặp cán bộ'));
    const [asked] = await server.handoff.cases.list();
    expect(asked).toMatchObject({ reason: 'asked', status: 'open' });
    await deliver(adminEcho('Tôi là cán bộ phường, tôi giúp bạn nhé.'));
    const joined = await server.handoff.cases.get(asked!.id);
    expect(joined).toMatchObject({ status: 'claimed', claimedBy: OA_APP_STAFF });
    expect(joined?.waitingSince).toBeUndefined();
    expect(joined?.messages.map((m) => [m.from, m.text])).toEqual([['staff', 'Tôi là cán bộ phường, tôi giúp bạn nhé.']]);
    expect(await server.handoff.cases.list()).toHaveLength(1);
    const before = fake.sent(USER).length;
    await deliver(textEvent('Cảm ơn, tôi chờ.'));
    expect(fake.sent(USER)).toHaveLength(before);
    // Two hours with no line from the OA app: the citizen's next message goes to the bot again.
    clock += 2 * 3600_000;
    await deliver(textEvent('làm căn cước'));
    expect(fake.sent(USER).length).toBeGreaterThan(before);
    expect(await server.handoff.cases.get(asked!.id)).toMatchObject({ status: 'closed', closedBy: { kind: 'staff', user: OA_APP_STAFF } });
  });

  it('serves several OAs on one app: routes by recipient.id and answers each with its own token', async () => {
    await server.dispose();
    const SECOND_OA = '111222333444555666';
    fake.otherOaTokens.add('AT-second-oa');
    server = await startTestServer({ ...env(), ZALO_OA_ID: '579745863508352884', ZALO_OA_ACCOUNTS: JSON.stringify([{ oaId: SECOND_OA, accessToken: 'AT-second-oa' }]) }, { retry: FAST_RETRY, now: () => clock });
    await deliver(textEvent('căn cước', '1000000000000000001'));
    await deliver({ ...textEvent('căn cước', '1000000000000000002'), recipient: { id: SECOND_OA } });
    await deliver({ ...textEvent('căn cước', '1000000000000000003'), recipient: { id: '999999999999999999' } });
    const tokenFor = (user: string) => [...new Set(csCalls().filter((c) => (c.body.recipient as { user_id: string }).user_id === user).map((c) => c.headers['access_token']))];
    expect(tokenFor('1000000000000000001')).toEqual(['AT-initial']);
    expect(tokenFor('1000000000000000002')).toEqual(['AT-second-oa']);
    // An OA this server does not serve: acknowledged, not answered.
    expect(tokenFor('1000000000000000003')).toEqual([]);
    // A staff reply later still goes out with the citizen's OA token.
    await server.pipeline.enqueue({ channel: 'zalo-oa', chatId: '1000000000000000002' }, [{ text: 'Cán bộ trả lời' }], 'staff');
    await server.pipeline.drain();
    expect(csCalls().at(-1)?.headers['access_token']).toBe('AT-second-oa');
  });

  it('processes an event Zalo delivers twice once', async () => {
    const event = textEvent('căn cước');
    expect(await Promise.all([post(event), post(event)])).toEqual([200, 200]);
    expect(await post(event)).toBe(200);
    await server.pipeline.drain();
    expect(fake.ok('message/cs')).toHaveLength(1);
  });

  it('refreshes an expired token once, stores the new pair before using it, and retries the send once', async () => {
    fake.expireAccessToken();
    const refused = fake.hold('message/cs');
    const retried = fake.hold('message/cs');
    await post(textEvent('căn cước'));
    (await refused.arrived, refused.release());
    const second = await retried.arrived;
    // By the time the new token is used, the rotated pair is already on disk.
    expect(second.headers['access_token']).toBe('AT-1');
    expect(await storedTokens()).toMatchObject({ accessToken: 'AT-1', refreshToken: 'RT-1' });
    retried.release();
    await server.pipeline.drain();

    expect(fake.calls.map((c) => [c.method, (c.response as { error?: number }).error ?? 'token'])).toEqual([
      ['message/cs', -216],
      ['oauth/access_token', 'token'],
      ['message/cs', 0],
    ]);
    const refresh = oauthCalls()[0]!;
    expect(refresh.headers['secret_key']).toBe(APP_SECRET);
    expect(refresh.body).toEqual({ app_id: APP_ID, grant_type: 'refresh_token', refresh_token: 'RT-initial' });
    expect(fake.sent(USER)).toHaveLength(1);
  });

  it('collapses concurrent refreshes into one (a refresh token works once)', async () => {
    fake.expireAccessToken();
    await Promise.all(['u1', 'u2', 'u3', 'u4', 'u5'].map((u) => post(textEvent('căn cước', u))));
    await server.pipeline.drain();
    expect(oauthCalls()).toHaveLength(1);
    expect(fake.usedRefreshTokens).toEqual(new Set(['RT-initial']));
    expect(new Set(fake.sent().map((m) => m.user_id))).toEqual(new Set(['u1', 'u2', 'u3', 'u4', 'u5']));
  });

  it('keeps using the rotated pair after a restart, although the environment still holds the spent one', async () => {
    fake.expireAccessToken();
    await deliver(textEvent('căn cước'));
    expect(oauthCalls()).toHaveLength(1);
    server = await server.restart();
    await deliver(textEvent('1'));
    expect(oauthCalls()).toHaveLength(1);
    expect(csCalls().at(-1)?.headers['access_token']).toBe('AT-1');
    expect(fake.sent(USER)).toHaveLength(2);
  });

  it('refreshes ahead of expiry, without waiting for a refusal', async () => {
    fake.expireAccessToken();
    await deliver(textEvent('căn cước'));
    const { expiresAt } = await storedTokens();
    clock = expiresAt! - 5 * 60_000; // inside the 10-minute margin
    await deliver(textEvent('1'));
    expect(oauthCalls()).toHaveLength(2);
    expect(csCalls().at(-1)?.headers['access_token']).toBe('AT-2');
    expect(csCalls().filter((c) => (c.response as { error: number }).error === -216)).toHaveLength(1);
    expect(await storedTokens()).toMatchObject({ accessToken: 'AT-2', refreshToken: 'RT-2' });
  });

  it('treats -32 as a rate limit: retries and delivers once', async () => {
    fake.script('message/cs', oaError(-32, 'Your OA reached limit call api'));
    await deliver(textEvent('căn cước'));
    expect(csCalls().map((c) => (c.response as { error: number }).error)).toEqual([-32, 0]);
    expect(fake.sent(USER)).toHaveLength(1);
  });

  it('records a citizen outside the 7-day window (-230) on the chat, without a retry loop, until they write again', async () => {
    fake.unreachable.set(USER, -230);
    await deliver(textEvent('căn cước'));
    expect(csCalls()).toHaveLength(1);
    const record = await server.store.chats.read({ channel: 'zalo-oa', chatId: USER });
    expect(record?.inactive?.reason).toContain('-230');
    expect(record?.outbox).toEqual([]);

    fake.unreachable.delete(USER);
    await deliver(textEvent('menu'));
    expect(fake.sent(USER)).toHaveLength(1);
  });

  it('tells a citizen who sends a sticker or an image that it reads text only, and ignores its own echoes', async () => {
    for (const name of ['user-send-sticker', 'user-send-image', 'oa-send-text', 'user-seen-message']) await deliver(fixture('zalo-oa', name));
    expect(fake.sent().map((m) => [m.user_id, m.text])).toEqual([
      [USER, expect.stringContaining('chỉ đọc được tin nhắn chữ')],
      [USER, expect.stringContaining('chỉ đọc được tin nhắn chữ')],
    ]);
  });

  it('answers a shared location honestly (no office coordinates) and asks for the commune or ward, keeping no coordinates', async () => {
    await deliver(fixture('zalo-oa', 'user-send-location'));
    const [answer] = fake.sent(USER).map((m) => m.text);
    expect(answer).toContain('Tôi đã nhận được vị trí bạn gửi');
    expect(answer).toContain('xã hoặc phường');
    expect(answer).not.toContain('chỉ đọc được tin nhắn chữ');
    const record = await server.store.chats.read({ channel: 'zalo-oa', chatId: USER });
    expect(record?.transcript[0]?.text).toBe('[location]');
    expect(JSON.stringify(record)).not.toContain('105.7852');
    await deliver(textEvent('phường Hạc Thành'));
    // The ward typed after it is understood as the citizen's place.
    expect(fake.sent(USER).map((m) => m.text)).toContain('Đơn vị hành chính của bạn: phường Hạc Thành.');
  });

  it('welcomes a new follower with the greeting and the menu', async () => {
    await deliver(fixture('zalo-oa', 'follow'));
    const sent = fake.sent(USER).map((m) => m.text).join('\n');
    expect(sent).toContain('Xin chào');
    expect(sent).toMatch(/^1\. Giấy tờ tùy thân/m);
  });

  it('survives 1,000 random and malformed bodies, most of them correctly signed, without a crash or a 5xx', async () => {
    const rand = prng(166);
    const samples = ['user-send-text', 'user-send-image', 'user-send-sticker', 'follow', 'oa-send-text'].map((f) => fixture('zalo-oa', f));
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const { raw, contentType } = randomBody(rand, samples);
          let ts = '';
          try {
            ts = String((JSON.parse(raw) as { timestamp?: unknown })?.timestamp ?? '');
          } catch {
            /* not JSON: any signature will do */
          }
          const signature = rand() < 0.85 ? sign(raw, ts) : `mac=${createHash('sha256').update(String(rand())).digest('hex')}`;
          const res = await fetch(`${server.url}/webhooks/zalo-oa`, { method: 'POST', headers: { 'content-type': contentType, 'x-zevent-signature': signature }, body: raw });
          await res.arrayBuffer();
          return res.status;
        }),
      );
      for (const s of results) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    await server.pipeline.drain();
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    fake.reset();
    await deliver(textEvent('căn cước', 'fresh-user'));
    expect(fake.sent('fresh-user')).toHaveLength(1);
  });
});
