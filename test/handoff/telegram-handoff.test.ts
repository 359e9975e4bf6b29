/**
 * The handoff lifecycle through a real platform channel: Telegram webhooks posted to the real
 * server, the staff console over HTTP, and what the loopback Telegram Bot API fake received.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramFake, tgError } from '../fakes/telegram-fake';
import { postWebhook } from '../fakes/webhook-client';
import { startTestServer, type TestServer } from '../helpers/server';
import { movingClock, WEDNESDAY_10AM } from './clock';
import { addStaff, caseIds, loggedIn } from './staff-client';

const SECRET = 'tg-handoff_secret-42_0123456789abcdef0';
const CHAT = 5098765432;
const FAST_RETRY = { retries: 3, minTimeoutMs: 20, maxTimeoutMs: 100, maxRetryAfterMs: 5_000 };

let fake: TelegramFake;
let server: TestServer;
let updateId = 900_000;

beforeEach(async () => {
  fake = await TelegramFake.start();
  server = await startTestServer({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url }, { retry: FAST_RETRY, now: movingClock(WEDNESDAY_10AM).now });
  await addStaff(server.dataDir, 'anna');
});
afterEach(async () => {
  await server.dispose();
  await fake.close();
});

async function say(text: string): Promise<void> {
  const update = { update_id: ++updateId, message: { message_id: updateId, from: { id: CHAT, is_bot: false, first_name: 'Lan' }, chat: { id: CHAT, type: 'private' }, date: 1795000000, text } };
  const res = await postWebhook(`${server.url}/webhooks/telegram`, update, { 'x-telegram-bot-api-secret-token': SECRET });
  expect(res.status).toBe(200);
  await server.pipeline.drain();
}
const texts = () => fake.sent(String(CHAT)).map((m) => m.text);

describe('handoff through Telegram', () => {
  it('opens a case, delivers the staff reply through Telegram (after a 429), and hands the chat back on close', async () => {
    await say('làm giấy khai sinh');
    await say('gặp cán bộ');
    expect(texts().slice(-2)).toEqual([
      'Tôi đã chuyển cuộc trò chuyện cho cán bộ hỗ trợ. Cán bộ sẽ trả lời bạn ngay tại đây. Gõ "quay lại bot" nếu bạn muốn tiếp tục với trợ lý tự động.',
      'Bạn đang ở vị trí số 1 trong hàng chờ. Cán bộ sẽ trả lời bạn trong ít phút.',
    ]);
    await say('Con tôi sinh ở bệnh viện huyện, đăng ký ở đâu?');
    expect(texts().at(-1)).toBe('Cán bộ hỗ trợ đã nhận được tin nhắn của bạn và sẽ trả lời ngay tại đây.');
    const sentBefore = texts().length;

    const anna = await loggedIn(server.url, 'anna');
    const [id] = caseIds((await anna.get('/staff')).body);
    const page = await anna.get(`/staff/cases/${id}`);
    expect(page.body).toContain('Telegram');
    expect(page.body).toContain('Con tôi sinh ở bệnh viện huyện, đăng ký ở đâu?');

    // Telegram refuses once with 429; the outbox retries and the reply still arrives, once.
    fake.script('sendMessage', tgError(429, 'Too Many Requests: retry after 1', 1));
    expect((await anna.post(`/staff/cases/${id}/reply`, { text: 'Bạn đăng ký tại UBND xã nơi cư trú nhé.' })).status).toBe(303);
    await server.pipeline.drain();
    expect(texts().slice(sentBefore)).toEqual(['Bạn đăng ký tại UBND xã nơi cư trú nhé.']);
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 429)).toHaveLength(1);

    expect((await anna.post(`/staff/cases/${id}/close`)).status).toBe(303);
    await server.pipeline.drain();
    expect(texts().at(-2)).toContain('Cán bộ hỗ trợ đã kết thúc cuộc trò chuyện');
    expect(texts().at(-1)).toContain('đánh giá');

    const beforeMenu = texts().length;
    await say('menu');
    const menu = fake.sent(String(CHAT)).slice(beforeMenu);
    expect(menu.some((m) => m.keyboard.flat().some((b) => b.text.includes('Giấy tờ tùy thân')))).toBe(true);
    expect(await server.handoff.cases.get(id!)).toMatchObject({ status: 'closed', channel: 'telegram', chatId: String(CHAT) });
  });
});
