import { describe, expect, it } from 'vitest';
import { plainText } from '../../../src/channels/render/plain-text';

const reply = {
  text: 'Bạn làm thẻ căn cước cho ai?',
  options: [
    { id: 'p3.1', label: 'Cho tôi (từ đủ 14 tuổi)' },
    { id: 'p3.2', label: 'Cho con dưới 14 tuổi' },
  ],
  links: [{ url: 'https://dichvucong.gov.vn/', label: 'Nộp trực tuyến trên Cổng Dịch vụ công' }],
};

describe('plainText', () => {
  it('numbers the options in order, adds the hint, then the links', () => {
    expect(plainText(reply, { numbered: true, hint: 'Trả lời bằng số thứ tự (ví dụ: 1).' })).toMatchInlineSnapshot(`
      "Bạn làm thẻ căn cước cho ai?

      1. Cho tôi (từ đủ 14 tuổi)
      2. Cho con dưới 14 tuổi
      Trả lời bằng số thứ tự (ví dụ: 1).

      🔗 Nộp trực tuyến trên Cổng Dịch vụ công: https://dichvucong.gov.vn/"
    `);
  });

  it('leaves options out when the channel shows them as buttons', () => {
    const text = plainText(reply, { numbered: false });
    expect(text).not.toContain('1.');
    expect(text).toContain('https://dichvucong.gov.vn/');
  });

  it('is just the text for a reply without options or links', () => {
    expect(plainText({ text: 'Xin chào' }, { numbered: true, hint: 'x' })).toBe('Xin chào');
  });
});
