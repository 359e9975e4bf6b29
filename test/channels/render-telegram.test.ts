import { describe, expect, it } from 'vitest';
import { renderTelegram } from '../../src/channels/telegram/render-telegram';

describe('renderTelegram', () => {
  it('puts the options as one-button rows on the message, links in the text', () => {
    const out = renderTelegram({ text: 'Bạn cần làm gì?', options: [{ id: 'p4.1', label: 'Làm lần đầu' }, { id: 'cmd:menu', label: 'Về danh sách chính' }], links: [{ url: 'https://dichvucong.gov.vn/', label: 'Cổng Dịch vụ công' }] });
    expect(out).toEqual([
      {
        text: 'Bạn cần làm gì?\n\n🔗 Cổng Dịch vụ công: https://dichvucong.gov.vn/',
        reply_markup: { inline_keyboard: [[{ text: 'Làm lần đầu', callback_data: 'p4.1' }], [{ text: 'Về danh sách chính', callback_data: 'cmd:menu' }]] },
      },
    ]);
  });

  it('splits a text over 4096 characters and keeps the keyboard on the last part', () => {
    const long = Array.from({ length: 200 }, (_, i) => `• Giấy tờ số ${i + 1}: bản sao có chứng thực hoặc bản chính để đối chiếu`).join('\n');
    const out = renderTelegram({ text: long, options: [{ id: 'p1.1', label: 'Tiếp' }] });
    expect(out.length).toBeGreaterThan(1);
    for (const part of out) expect(part.text.length).toBeLessThanOrEqual(4096);
    expect(out.slice(0, -1).every((p) => p.reply_markup === undefined)).toBe(true);
    expect(out.at(-1)?.reply_markup?.inline_keyboard).toHaveLength(1);
    expect(out.map((p) => p.text).join('\n')).toBe(long);
  });

  it('falls back to "#n" for an option id longer than 64 bytes of callback data', () => {
    const id = `p1.${'đ'.repeat(40)}`; // 83 bytes in UTF-8
    const out = renderTelegram({ text: 'Chọn', options: [{ id: 'p1.1', label: 'A' }, { id, label: 'B' }] });
    expect(out[0]?.reply_markup?.inline_keyboard.map((r) => r[0]?.callback_data)).toEqual(['p1.1', '#2']);
    for (const row of out[0]!.reply_markup!.inline_keyboard) expect(Buffer.byteLength(row[0]!.callback_data)).toBeLessThanOrEqual(64);
  });

  it('sends nothing for an empty reply', () => {
    expect(renderTelegram({ text: '  ' })).toEqual([]);
  });
});
