/**
 * Telegram end to end: the real server (webhook route, grammY, pipeline, lowdb files in a temp
 * dir) against a loopback fake of the Bot API. Webhook updates are posted the way Telegram
 * posts them; assertions are on what the fake received.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NORMAL } from '../fakes/fake-server';
import { TelegramFake, tgError } from '../fakes/telegram-fake';
import { fixture } from '../fakes/fixtures';
import { postWebhook, prng, randomBody } from '../fakes/webhook-client';
import { readDurable } from '../../src/store/lowdb/lowdb-store';
import { startTestServer, type TestServer } from '../helpers/server';

const SECRET = 'tg-webhook_secret-123-0123456789abcdef';
const CHAT = 5012345678;
const FAST_RETRY = { retries: 3, minTimeoutMs: 20, maxTimeoutMs: 100, maxRetryAfterMs: 5_000 };

let fake: TelegramFake;
let server: TestServer;
let updateId = 500_000;

beforeEach(async () => {
  fake = await TelegramFake.start();
  server = await startTestServer({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url }, { retry: FAST_RETRY });
});
afterEach(async () => {
  await server.dispose();
  await fake.close();
});

const textUpdate = (text: string, chat = CHAT) => ({ update_id: ++updateId, message: { message_id: updateId, from: { id: chat, is_bot: false, first_name: 'Lan' }, chat: { id: chat, type: 'private' }, date: 1764063000, text } });
const tapUpdate = (data: string, messageId: number, chat = CHAT) => ({
  update_id: ++updateId,
  callback_query: { id: `cb-${updateId}`, from: { id: chat, is_bot: false, first_name: 'Lan' }, chat_instance: '-1', data, message: { message_id: messageId, chat: { id: chat, type: 'private' }, date: 1764063000, text: '…' } },
});
const post = (body: unknown, secret: string | null = SECRET) => postWebhook(`${server.url}/webhooks/telegram`, body, secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret });

/** Posts an update, expects the 200, and waits until the bot has answered it. */
async function deliver(body: unknown): Promise<void> {
  const res = await post(body);
  expect(res.status).toBe(200);
  await server.pipeline.drain();
}

/** The message in the chat that carries a live keyboard; there must be exactly one. */
function liveKeyboard(chat = CHAT) {
  const live = fake.sent(String(chat)).filter((m) => m.keyboard.length > 0);
  expect(live).toHaveLength(1);
  return live[0]!;
}
const button = (label: string, chat = CHAT) => {
  const message = liveKeyboard(chat);
  const b = message.keyboard.flat().find((x) => x.text.startsWith(label));
  if (!b?.callback_data) throw new Error(`no button "${label}" in ${JSON.stringify(message.keyboard)}`);
  return { data: b.callback_data, messageId: message.message_id };
};

describe('Telegram channel', () => {
  it('opens the flow a deep link names: t.me/<bot>?start=khai-sinh arrives as "/start khai-sinh"', async () => {
    await deliver(textUpdate('/start khai-sinh'));
    const texts = fake.sent(String(CHAT)).map((m) => m.text).join('\n');
    expect(texts).toContain('Xin chào');
    expect(texts).toContain('Bạn muốn đăng ký khai sinh theo cách nào?');
    expect(liveKeyboard().keyboard.flat().map((b) => b.text).join('|')).toContain('Trực tuyến 4 trong 1');
  });

  it('holds a whole conversation: start → options → the documents to bring', async () => {
    await deliver(fixture('telegram', 'start-command'));
    expect(fake.sent(String(CHAT))[0]?.text).toContain('Xin chào');
    expect(liveKeyboard().keyboard.flat().map((b) => b.text)).toContain('Giấy tờ tùy thân');

    for (const label of ['Giấy tờ tùy thân', 'Thẻ căn cước', 'Cho tôi', 'Làm lần đầu']) {
      const { data, messageId } = button(label);
      const tap = tapUpdate(data, messageId);
      await deliver(tap);
      // The tap was answered (spinner stopped) and the tapped keyboard is gone.
      expect(fake.ok('answerCallbackQuery').map((c) => c.body.callback_query_id)).toContain(tap.callback_query.id);
      expect(fake.sent(String(CHAT)).find((m) => m.message_id === messageId)?.keyboard).toEqual([]);
    }
    expect(fake.sent(String(CHAT)).at(-1)?.text).toContain('xã hoặc phường');

    await deliver(textUpdate('phường Hạc Thành'));
    const texts = fake.sent(String(CHAT)).map((m) => m.text);
    const card = texts.find((t) => t.includes('Giấy tờ cần chuẩn bị'));
    expect(card).toContain('Cấp thẻ căn cước lần đầu');
    expect(card).toContain('Công an phường Hạc Thành');
    expect(texts.join('\n')).toContain('https://dichvucong.gov.vn/');
    // Only the newest question ("anything else?") still has buttons.
    expect(liveKeyboard().text).toContain('Bạn cần gì thêm không?');
    // botInfo is configured: grammY never asked getMe.
    expect(fake.calls.filter((c) => c.method === 'getMe')).toEqual([]);
  });

  it('answers a tap on an old question politely and repeats the current one', async () => {
    await deliver(textUpdate('căn cước'));
    const first = button('Cho tôi');
    await deliver(tapUpdate(first.data, first.messageId));
    const before = fake.sent(String(CHAT)).length;
    // The same old button again (e.g. from a second device that still shows it).
    await deliver(tapUpdate(first.data, first.messageId));
    const after = fake.sent(String(CHAT)).slice(before).map((m) => m.text);
    expect(after[0]).toContain('câu hỏi cũ');
    expect(after.at(-1)).toContain('Bạn cần làm gì?');
    expect(liveKeyboard().text).toContain('Bạn cần làm gì?');
  });

  it('removes the live keyboard when the citizen types the number instead of tapping', async () => {
    await deliver(textUpdate('căn cước'));
    const question = liveKeyboard();
    await deliver(textUpdate('1'));
    expect(fake.sent(String(CHAT)).find((m) => m.message_id === question.message_id)?.keyboard).toEqual([]);
    expect(liveKeyboard().text).toContain('Bạn cần làm gì?');
  });

  it.each([
    ['a forged secret', 'wrong-secret'],
    ['no secret', null],
  ])('refuses an update with %s: 401, nothing stored, nothing sent', async (_what, secret) => {
    const res = await post(textUpdate('xin chào'), secret);
    expect(res.status).toBe(401);
    expect(res.text).toBe('secret token is wrong');
    await server.pipeline.drain();
    expect(await server.store.chats.count()).toBe(0);
    expect(fake.calls).toEqual([]);
    expect(await server.metrics.registry.getSingleMetricAsString('thutuc_webhooks_rejected_total')).toContain('reason="secret"');
  });

  it('processes an update delivered twice (Telegram retry) once', async () => {
    const update = textUpdate('căn cước');
    const answers = await Promise.all([post(update), post(update)]);
    await post(update);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    await server.pipeline.drain();
    expect(fake.ok('sendMessage')).toHaveLength(1);
  });

  it('waits out a 429 and delivers once, in order', async () => {
    fake.script('sendMessage', tgError(429, 'Too Many Requests: retry after 1', 1));
    await post(textUpdate('căn cước'));
    await post(textUpdate('1'));
    await server.pipeline.drain();
    const attempts = fake.calls.filter((c) => c.method === 'sendMessage');
    expect(attempts.map((c) => c.status)).toEqual([429, 200, 200]);
    // retry_after is a floor: the second attempt did not come before it.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(fake.sent(String(CHAT)).map((m) => m.text)).toEqual(['Thủ tục: Thẻ căn cước (CCCD).\nBạn làm thẻ căn cước cho ai?', 'Bạn cần làm gì?']);
  });

  it('retries a 5xx with backoff and delivers once', async () => {
    fake.script('sendMessage', tgError(502, 'Bad Gateway'), tgError(500, 'Internal Server Error'));
    await deliver(textUpdate('căn cước'));
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([502, 500, 200]);
    expect(fake.sent(String(CHAT))).toHaveLength(1);
  });

  it('marks a chat that blocked the bot inactive, without a retry loop, and reopens it when the citizen writes again', async () => {
    fake.blocked.add(String(CHAT));
    await deliver(textUpdate('căn cước'));
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([403]);
    const record = await server.store.chats.read({ channel: 'telegram', chatId: String(CHAT) });
    expect(record?.inactive?.reason).toContain('blocked');
    expect(record?.outbox).toEqual([]);
    expect(record?.failed).toHaveLength(1);

    fake.blocked.delete(String(CHAT));
    await deliver(textUpdate('menu'));
    expect(fake.sent(String(CHAT))).toHaveLength(1);
    expect((await server.store.chats.read({ channel: 'telegram', chatId: String(CHAT) }))?.inactive).toBeUndefined();
  });

  it('splits a reply over 4096 characters at line boundaries, keyboard on the last part, and resumes after a failed part without repeating the sent ones', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `• Dòng ${i + 1}: bản sao giấy tờ có chứng thực hoặc bản chính để đối chiếu`);
    fake.script('sendMessage', NORMAL, tgError(502, 'Bad Gateway'));
    await server.pipeline.enqueue({ channel: 'telegram', chatId: String(CHAT) }, [{ text: lines.join('\n'), options: [{ id: 'cmd:menu', label: 'Về danh sách chính' }] }], 'staff');
    await server.pipeline.drain();
    const parts = fake.sent(String(CHAT));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => p.text).join('\n')).toBe(lines.join('\n'));
    expect(parts.map((p) => p.keyboard.length)).toEqual([...parts.slice(1).map(() => 0), 1]);
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status)).toEqual([200, 502, ...parts.slice(1).map(() => 200)]);
  });

  it('commits each part the platform accepted before sending the next, so a crash repeats at most the one in flight (D15)', async () => {
    const lines = Array.from({ length: 150 }, (_, i) => `• Dòng ${i + 1}: bản sao giấy tờ có chứng thực hoặc bản chính để đối chiếu`);
    fake.script('sendMessage', NORMAL);
    const held = fake.hold('sendMessage');
    const [entry] = await server.pipeline.enqueue({ channel: 'telegram', chatId: String(CHAT) }, [{ text: lines.join('\n') }], 'staff');
    await held.arrived;
    // Part 1 is out; part 2 is in flight. What a crash now would find on disk:
    const durable = await readDurable(server.dataDir, { channel: 'telegram', chatId: String(CHAT) });
    expect(durable?.channelState.partsSent).toEqual({ entry: entry!.id, count: 1 });
    expect(durable?.outbox.map((o) => o.id)).toEqual([entry!.id]);
    held.release();
    await server.pipeline.drain();
    const sent = fake.sent(String(CHAT)).map((p) => p.text);
    expect(sent.join('\n')).toBe(lines.join('\n'));
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('answers 429 (which Telegram delivers again) instead of 200 when the chat’s inbox is full, and takes the redelivery later (D5)', async () => {
    const held = fake.hold('sendMessage');
    expect((await post(textUpdate('menu'))).status).toBe(200);
    await held.arrived; // the first answer is stuck at Telegram, so the inbox fills up
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await post(textUpdate(`tin ${i}`))).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const overflow = textUpdate('tin nhắn thứ 202');
    const refused = await post(overflow);
    expect(refused.status).toBe(429);
    expect(await server.metrics.registry.getSingleMetricAsString('thutuc_messages_refused_total')).toMatch(/channel="telegram",reason="inbox_full"\} 1/);
    held.release();
    await server.pipeline.drain();
    // Telegram's redelivery of the refused update is accepted and answered.
    expect((await post(overflow)).status).toBe(200);
    await server.pipeline.drain();
    const record = await server.store.chats.read({ channel: 'telegram', chatId: String(CHAT) });
    expect(record?.transcript.filter((l) => l.from === 'user').at(-1)?.text).toBe('tin nhắn thứ 202');
  });

  it('is listed as on in /readyz', async () => {
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { channels: Record<string, boolean> };
    expect(ready.channels).toMatchObject({ web: true, telegram: true, 'zalo-bot': false, 'zalo-oa': false });
  });

  it('tells a citizen who sends a sticker that it reads text only', async () => {
    await deliver(fixture('telegram', 'sticker'));
    expect(fake.sent(String(CHAT)).map((m) => m.text)).toEqual([expect.stringContaining('chỉ đọc được tin nhắn chữ')]);
    // Staff reading the transcript see what was sent, not a blank line.
    const record = await server.store.chats.read({ channel: 'telegram', chatId: String(CHAT) });
    expect(record?.transcript.map((l) => [l.from, l.text.slice(0, 20)])).toEqual([
      ['user', '[sticker]'],
      ['bot', 'Xin lỗi, tôi chỉ đọc'],
    ]);
  });

  it('answers a shared location by asking for the commune or ward (no office coordinates), without keeping the coordinates', async () => {
    await deliver(fixture('telegram', 'location'));
    expect(fake.sent(String(CHAT)).map((m) => m.text)).toEqual([expect.stringContaining('Tôi đã nhận được vị trí bạn gửi')]);
    const record = await server.store.chats.read({ channel: 'telegram', chatId: String(CHAT) });
    expect(record?.transcript[0]).toMatchObject({ from: 'user', text: '[location]' });
    expect(JSON.stringify(record)).not.toContain('105.785');
  });

  it('ignores group messages and edits without answering', async () => {
    await deliver(fixture('telegram', 'group-message'));
    await deliver(fixture('telegram', 'edited-message'));
    expect(fake.calls).toEqual([]);
  });

  it('survives 1,000 random and malformed bodies without a crash or a 5xx', async () => {
    const rand = prng(20261125);
    const samples = ['text-message', 'start-command', 'callback-query', 'sticker', 'photo', 'edited-message', 'my-chat-member-blocked'].map((n) => fixture('telegram', n));
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const { raw, contentType } = randomBody(rand, samples);
          const secret = rand() < 0.9 ? SECRET : 'x'.repeat(Math.floor(rand() * 10));
          const res = await fetch(`${server.url}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': contentType, 'x-telegram-bot-api-secret-token': secret }, body: raw });
          await res.arrayBuffer();
          return res.status;
        }),
      );
      for (const s of results) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    await server.pipeline.drain();
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    // Refusals happened for the right reasons, and the server still works.
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    fake.reset();
    await deliver(textUpdate('căn cước', 777));
    expect(fake.sent('777')).toHaveLength(1);
  });
});
