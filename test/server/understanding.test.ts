/**
 * Whole conversations through POST /api/chat on the real server (loopback HTTP, real files in a
 * temp DATA_DIR), typed the way citizens type: Vietnamese without diacritics, teencode, English,
 * a correction mid-flow, a question the bot does not cover, and a flow link from a QR poster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestServer, type TestServer } from '../helpers/server';

type Replies = Awaited<ReturnType<typeof chat>>['replies'];
const allText = (replies: Replies) => replies.map((r) => r.text).join('\n');
const labels = (replies: Replies) => replies.flatMap((r) => r.options ?? []).map((o) => o.label);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

describe('understanding citizens over /api/chat', () => {
  it('answers a lost ID card in one turn from a message without diacritics, saying what it assumed', async () => {
    const id = 'understand-skip-0001';
    await chat(server.url, id);
    const r = await chat(server.url, id, { text: 'mat can cuoc, toi 30 tuoi o phuong Hac Thanh' });
    const text = allText(r.replies);
    expect(text).toContain('Cấp lại thẻ căn cước');
    expect(text).toContain('Cho tôi (từ đủ 14 tuổi)');
    expect(text).toContain('quay lại');
    expect(text).toContain('Công an phường Hạc Thành');
  });

  it('takes a correction mid-flow: "y toi la cap lai chu khong phai cap doi"', async () => {
    const id = 'understand-correct-01';
    await chat(server.url, id);
    const asked = await chat(server.url, id, { text: 'doi can cuoc cho toi' });
    expect(allText(asked.replies)).toContain('Cấp đổi');
    const fixed = await chat(server.url, id, { text: 'y toi la cap lai chu khong phai cap doi' });
    expect(allText(fixed.replies)).toContain('Đã sửa: Cấp lại (bị mất, hư hỏng)');
    const card = await chat(server.url, id, { text: 'phuong ham rong' });
    expect(allText(card.replies)).toContain('Cấp lại thẻ căn cước');
  });

  it('keeps an English conversation in English, including the handoff promise, and switches back', async () => {
    const id = 'understand-english-1';
    await chat(server.url, id);
    const first = await chat(server.url, id, { text: 'I need to register our marriage' });
    expect(allText(first.replies)).toContain('I will answer in English');
    expect(allText(first.replies)).toContain('Marriage registration');
    const card = await chat(server.url, id, { text: 'Hac Thanh ward' });
    expect(allText(card.replies)).toContain('Documents');
    const human = await chat(server.url, id, { text: 'I want a human' });
    expect(allText(human.replies)).toMatch(/staff|officer|person/i);
    expect(allText(human.replies)).not.toContain('cán bộ hỗ trợ. Cán bộ');
    const back = await chat(server.url, id, { text: 'back to bot' });
    expect(allText(back.replies)).toContain('You are back with the automatic assistant');
    const vietnamese = await chat(server.url, id, { text: 'làm hộ chiếu ở đâu' });
    expect(allText(vietnamese.replies)).toContain('Tôi trả lời bằng tiếng Việt');
    expect(allText(vietnamese.replies)).toContain('Hộ chiếu phổ thông');
  });

  it('says plainly what it does not cover, with the portal and a person, and never guesses a card', async () => {
    const id = 'understand-decline-1';
    await chat(server.url, id);
    const r = await chat(server.url, id, { text: 'lai xe tu thanh hoa ra ha noi mat bao lau' });
    const text = allText(r.replies);
    expect(text).not.toContain('Giấy tờ cần chuẩn bị');
    expect(labels(r.replies)).toContain('Gặp cán bộ hỗ trợ');
  });

  it('hands off on everyday phrasings in teencode', async () => {
    const id = 'understand-handoff-1';
    await chat(server.url, id);
    const r = await chat(server.url, id, { text: 'cho mik gap nguoi that dc ko' });
    expect(allText(r.replies)).toContain('chuyển cuộc trò chuyện cho cán bộ');
  });

  it('opens the flow a poster link names (/?flow=khai-sinh), and the menu for an unknown one', async () => {
    const opened = await chat(server.url, 'understand-link-0001', { flow: 'khai-sinh' });
    expect(allText(opened.replies)).toContain('Xin chào');
    expect(allText(opened.replies)).toContain('Bạn muốn đăng ký khai sinh theo cách nào?');
    const unknown = await chat(server.url, 'understand-link-0002', { flow: 'khong-co-thu-tuc-nay' });
    expect(labels(unknown.replies)).toContain('Giấy tờ tùy thân');
  });

  it('refuses a flow link that is not a flow id, naming the field', async () => {
    const res = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chatId: 'understand-link-0003', flow: '../etc' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('flow must be a flow id');
  });
});
