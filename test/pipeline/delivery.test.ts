/**
 * Delivery guarantees of the shared pipeline, observed at a platform fake: per-chat order under
 * retries, chats not blocking each other, retry limits (attempts and retry_after), permanent
 * errors stopping a chat without touching others, and the per-channel send rate limit.
 * Short retry timings come from `startTestServer(env, { retry })`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TelegramFake, tgError } from '../fakes/telegram-fake';
import { postWebhook } from '../fakes/webhook-client';
import { ZaloBotFake, zbError } from '../fakes/zalo-bot-fake';
import { startTestServer, type TestServer } from '../helpers/server';

const RETRY = { retries: 2, minTimeoutMs: 20, maxTimeoutMs: 80, maxRetryAfterMs: 2_000 };
const ZB_SECRET = 'pipeline-test-secret-0123456789abcdef0123456789';
const TG_SECRET = 'pipeline_test_secret_0123456789abcdef01';

let server: TestServer | undefined;
let zb: ZaloBotFake | undefined;
let tg: TelegramFake | undefined;
afterEach(async () => {
  await server?.dispose();
  await zb?.close();
  await tg?.close();
  server = zb = tg = undefined;
});

let n = 0;
const zbText = (chat: string, text: string) => ({ ok: true, result: { event_name: 'message.text.received', message: { from: { id: chat }, chat: { id: chat, chat_type: 'PRIVATE' }, text, message_id: `m${++n}`, date: Date.now() } } });
async function zaloBot(): Promise<{ fake: ZaloBotFake; server: TestServer; say: (chat: string, text: string) => Promise<void> }> {
  zb = await ZaloBotFake.start();
  server = await startTestServer({ ZALO_BOT_TOKEN: zb.token, ZALO_BOT_WEBHOOK_SECRET: ZB_SECRET, ZALO_BOT_API_ROOT: zb.url }, { retry: RETRY });
  const s = server;
  return {
    fake: zb,
    server: s,
    say: async (chat, text) => {
      const res = await postWebhook(`${s.url}/webhooks/zalo-bot`, zbText(chat, text), { 'x-bot-api-secret-token': ZB_SECRET });
      expect(res.status).toBe(200);
    },
  };
}
const firstLine = (t: string) => t.split('\n')[0];

describe('pipeline delivery', () => {
  it('answers the messages of one chat in order while the first reply is being retried', async () => {
    const { fake, server, say } = await zaloBot();
    fake.script('sendMessage', zbError(500, 'Internal Server Error'), zbError(503, 'Service Unavailable'));
    await say('c1', 'căn cước');
    await say('c1', '1');
    await say('c1', '1');
    await server.pipeline.drain();
    expect(fake.sent('c1').map((m) => firstLine(m.text))).toEqual(['Thủ tục: Thẻ căn cước (CCCD).', 'Bạn cần làm gì?', expect.stringContaining('xã hoặc phường')]);
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([500, 503, 200, 200, 200]);
  });

  it('does not let one chat waiting on the platform hold up another chat', async () => {
    const { fake, server, say } = await zaloBot();
    const held = fake.hold('sendMessage');
    await say('slow', 'căn cước');
    await held.arrived;
    await say('fast', 'căn cước');
    await fake.waitFor(() => fake.sent('fast').length === 1);
    expect(fake.sent('slow')).toEqual([]);
    held.release();
    await server.pipeline.drain();
    expect(fake.sent('slow')).toHaveLength(1);
  });

  it('gives up on a reply after the retry limit, keeps it for staff, and still answers the next message', async () => {
    const { fake, server, say } = await zaloBot();
    fake.script('sendMessage', zbError(500, 'a'), zbError(500, 'b'), zbError(500, 'c'));
    await say('c2', 'căn cước');
    await server.pipeline.drain();
    expect(fake.calls.filter((c) => c.method === 'sendMessage')).toHaveLength(RETRY.retries + 1);
    const record = await server.store.chats.read({ channel: 'zalo-bot', chatId: 'c2' });
    expect(record?.failed.map((f) => f.reply.text)).toEqual(['Thủ tục: Thẻ căn cước (CCCD).\nBạn làm thẻ căn cước cho ai?']);
    expect(record?.outbox).toEqual([]);
    await say('c2', 'menu');
    await server.pipeline.drain();
    expect(fake.sent('c2')).toHaveLength(1);
  });

  it('does not wait for a retry_after beyond the limit: the reply is given up instead', async () => {
    tg = await TelegramFake.start();
    server = await startTestServer({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_WEBHOOK_SECRET: TG_SECRET, TELEGRAM_API_ROOT: tg.url }, { retry: RETRY });
    tg.script('sendMessage', tgError(429, 'Too Many Requests: retry after 3600', 3600));
    await postWebhook(`${server.url}/webhooks/telegram`, { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 42, type: 'private' }, text: 'căn cước' } }, { 'x-telegram-bot-api-secret-token': TG_SECRET });
    await server.pipeline.drain();
    expect(tg.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([429]);
    expect((await server.store.chats.read({ channel: 'telegram', chatId: '42' }))?.failed).toHaveLength(1);
  });

  it('stops a chat the platform says is unreachable (all its pending replies kept as failed) and leaves other chats alone', async () => {
    tg = await TelegramFake.start();
    server = await startTestServer({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_WEBHOOK_SECRET: TG_SECRET, TELEGRAM_API_ROOT: tg.url }, { retry: RETRY });
    tg.blocked.add('7');
    // "căn cước" to a blocked chat, and a procedure answer with several replies to another.
    const post = (chat: number, text: string, id: number) =>
      postWebhook(`${server!.url}/webhooks/telegram`, { update_id: id, message: { message_id: id, date: 0, chat: { id: chat, type: 'private' }, text } }, { 'x-telegram-bot-api-secret-token': TG_SECRET });
    await post(7, '/start', 10);
    await post(7, 'căn cước', 11);
    await post(8, 'căn cước', 12);
    await server.pipeline.drain();
    expect(tg.calls.filter((c) => c.method === 'sendMessage' && c.body.chat_id === '7').map((c) => c.status)).toEqual([403]);
    const blocked = await server.store.chats.read({ channel: 'telegram', chatId: '7' });
    expect(blocked?.inactive?.reason).toMatch(/blocked/);
    expect(blocked?.outbox).toEqual([]);
    expect(blocked?.failed.length).toBe(2);
    expect(tg.sent('8')).toHaveLength(1);
  });

  it('keeps a channel under its send rate (limits.ratePerSecond sends per one-second window)', async () => {
    // A low rate (TELEGRAM_SEND_RATE=2) makes the pacing large next to loopback jitter.
    tg = await TelegramFake.start();
    server = await startTestServer({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_WEBHOOK_SECRET: TG_SECRET, TELEGRAM_API_ROOT: tg.url, TELEGRAM_SEND_RATE: '2' }, { retry: RETRY });
    const rate = server.channels.get('telegram')!.limits.ratePerSecond;
    expect(rate).toBe(2);
    const chats = Array.from({ length: rate * 3 + 1 }, (_, i) => String(9000 + i));
    // Replies queued while nothing runs, then released together, so only the limiter paces them.
    for (const chatId of chats) {
      await server.store.chats.update({ channel: 'telegram', chatId }, (r) => {
        r.outbox.push({ id: `o-${chatId}`, reply: { text: `tin ${chatId}` }, from: 'system', createdAt: Date.now(), attempts: 0 });
        return { record: r, result: undefined };
      });
    }
    await server.pipeline.recover();
    await server.pipeline.drain();
    const starts = tg.calls.filter((c) => c.method === 'sendMessage').map((c) => c.at).sort((a, b) => a - b);
    expect(starts).toHaveLength(chats.length);
    // 7 sends at 2 per window need 4 windows: about 3 s from first to last (unpaced: a few ms).
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(2_500);
    for (let i = rate; i < starts.length; i += rate) expect(starts[i]! - starts[i - rate]!).toBeGreaterThanOrEqual(500);
  });
});
