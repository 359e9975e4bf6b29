/**
 * Zalo Bot Platform end to end: the real server against a loopback fake of the Bot API.
 * Events are posted with the X-Bot-Api-Secret-Token header, as Zalo does; assertions are on
 * what the fake received.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NORMAL } from '../fakes/fake-server';
import { fixture } from '../fakes/fixtures';
import { postWebhook, prng, randomBody } from '../fakes/webhook-client';
import { ZaloBotFake, zbError } from '../fakes/zalo-bot-fake';
import { startTestServer, type TestServer } from '../helpers/server';

const SECRET = 'zalo-bot-webhook-secret-42-0123456789';
const CHAT = '6ede9afa66b88fe6d6a9';
const FAST_RETRY = { retries: 3, minTimeoutMs: 20, maxTimeoutMs: 100, maxRetryAfterMs: 5_000 };

let fake: ZaloBotFake;
let server: TestServer;
let n = 0;

beforeEach(async () => {
  fake = await ZaloBotFake.start();
  server = await startTestServer({ ZALO_BOT_TOKEN: fake.token, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_ROOT: fake.url }, { retry: FAST_RETRY });
});
afterEach(async () => {
  await server.dispose();
  await fake.close();
});

/** A text event in the documented wrapped form, or bare (as OpenClaw sees in production). */
const textEvent = (text: string, opts: { chat?: string; wrapped?: boolean } = {}) => {
  const event = {
    event_name: 'message.text.received',
    message: { from: { id: opts.chat ?? CHAT, display_name: 'Ted', is_bot: false }, chat: { id: opts.chat ?? CHAT, chat_type: 'PRIVATE' }, text, message_id: (++n).toString(16).padStart(20, 'a'), date: 1750316131602 + n },
  };
  return opts.wrapped === false ? event : { ok: true, result: event };
};
const post = (body: unknown, secret: string | null = SECRET) => postWebhook(`${server.url}/webhooks/zalo-bot`, body, secret === null ? {} : { 'x-bot-api-secret-token': secret });
async function deliver(body: unknown): Promise<void> {
  const res = await post(body);
  expect(res.status).toBe(200);
  await server.pipeline.drain();
}
const last = (chat = CHAT) => fake.sent(chat).at(-1)?.text ?? '';

describe('Zalo Bot channel', () => {
  it('holds a whole conversation with numbered options: greeting → numbers → the documents to bring', async () => {
    await deliver(fixture('zalo-bot', 'text-wrapped')); // "Xin chào"
    expect(last()).toContain('Xin chào!');
    expect(last()).toMatch(/^1\. Giấy tờ tùy thân$/m);
    expect(last()).toContain('Trả lời bằng số thứ tự');

    await deliver(textEvent('1'));
    expect(last()).toMatch(/^1\. Thẻ căn cước/m);
    await deliver(textEvent('1', { wrapped: false }));
    expect(last()).toContain('Bạn làm thẻ căn cước cho ai?');
    await deliver(textEvent('1'));
    expect(last()).toContain('Bạn cần làm gì?');
    await deliver(textEvent('1'));
    expect(last()).toContain('xã hoặc phường');
    await deliver(textEvent('Hạc Thành'));

    const texts = fake.sent(CHAT).map((m) => m.text);
    const card = texts.find((t) => t.includes('Giấy tờ cần chuẩn bị'));
    expect(card).toContain('Cấp thẻ căn cước lần đầu');
    expect(texts.join('\n')).toContain('🔗');
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    // The bot showed "typing" while it worked on each message.
    // (fire-and-forget after the 200, so wait for it rather than assume it is done)
    await fake.waitFor(() => fake.ok('sendChatAction').length === 6);
    expect(fake.ok('sendChatAction').every((c) => c.body.chat_id === CHAT && c.body.action === 'typing')).toBe(true);
  });

  it.each([
    ['a forged secret', 'not-the-secret'],
    ['no secret', null],
  ])('refuses an event with %s: 401, nothing stored, nothing sent', async (_what, secret) => {
    const res = await post(textEvent('xin chào'), secret);
    expect(res.status).toBe(401);
    await server.pipeline.drain();
    expect(await server.store.chats.count()).toBe(0);
    expect(fake.calls).toEqual([]);
  });

  it('processes an event delivered twice once (dedupe by message_id, wrapped or bare)', async () => {
    const event = textEvent('căn cước');
    await Promise.all([post(event), post(event), post((event as { result: unknown }).result)]);
    await server.pipeline.drain();
    expect(fake.ok('sendMessage')).toHaveLength(1);
  });

  it('retries a 429 (in the status or only in the body) and delivers once, in order', async () => {
    fake.script('sendMessage', zbError(429, 'quota exceeded'), zbError(429, 'quota exceeded', 200));
    await post(textEvent('căn cước'));
    await post(textEvent('1'));
    await server.pipeline.drain();
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => [c.status, (c.response as { ok: boolean }).ok])).toEqual([
      [429, false],
      [200, false],
      [200, true],
      [200, true],
    ]);
    expect(fake.sent(CHAT).map((m) => m.text.split('\n')[0])).toEqual(['Thủ tục: Thẻ căn cước (CCCD).', 'Bạn cần làm gì?']);
  });

  it('drops a message Zalo refuses as invalid without retrying it, and goes on with the next', async () => {
    fake.script('sendMessage', zbError(400, 'Bad Request'));
    await deliver(textEvent('căn cước'));
    await deliver(textEvent('1'));
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([400, 200]);
    const record = await server.store.chats.read({ channel: 'zalo-bot', chatId: CHAT });
    expect(record?.failed.map((f) => f.error)).toEqual([expect.stringContaining('400')]);
    expect(record?.inactive).toBeUndefined();
  });

  it('splits a reply over 2000 characters, numbered options on the last part, and resumes after a failed part without repeating', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => `• Dòng ${i + 1}: bản sao giấy tờ có chứng thực hoặc bản chính`);
    fake.script('sendMessage', NORMAL, zbError(500, 'Internal Server Error'));
    await server.pipeline.enqueue({ channel: 'zalo-bot', chatId: CHAT }, [{ text: lines.join('\n'), options: [{ id: 'cmd:menu', label: 'Về danh sách chính' }] }], 'staff');
    await server.pipeline.drain();
    const parts = fake.sent(CHAT).map((m) => m.text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join('\n').startsWith(lines.join('\n'))).toBe(true);
    expect(parts.at(-1)).toMatch(/^1\. Về danh sách chính$/m);
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([200, 500, ...parts.slice(1).map(() => 200)]);
  });

  it('tells a citizen who sends a sticker or an image that it reads text only, and ignores protected-group events', async () => {
    await deliver(fixture('zalo-bot', 'sticker'));
    await deliver(fixture('zalo-bot', 'image'));
    await deliver(fixture('zalo-bot', 'unsupported'));
    expect(fake.sent(CHAT).map((m) => m.text)).toEqual([expect.stringContaining('chỉ đọc được tin nhắn chữ'), expect.stringContaining('chỉ đọc được tin nhắn chữ')]);
  });

  it('survives 1,000 random and malformed bodies without a crash or a 5xx', async () => {
    const rand = prng(7_2025);
    const samples = ['text-wrapped', 'text-bare', 'image', 'sticker', 'unsupported', 'group-text'].map((f) => fixture('zalo-bot', f));
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const { raw, contentType } = randomBody(rand, samples);
          const res = await fetch(`${server.url}/webhooks/zalo-bot`, { method: 'POST', headers: { 'content-type': contentType, 'x-bot-api-secret-token': rand() < 0.9 ? SECRET : 'guess' }, body: raw });
          await res.arrayBuffer();
          return res.status;
        }),
      );
      for (const s of results) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    await server.pipeline.drain();
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    fake.reset();
    await deliver(textEvent('căn cước', { chat: 'fresh-chat-after-fuzz' }));
    expect(fake.sent('fresh-chat-after-fuzz')).toHaveLength(1);
  });
});
