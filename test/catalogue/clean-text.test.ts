import { describe, expect, it } from 'vitest';
import { cleanText, headingOf, stripBullet } from '../../src/catalogue/clean-text';

describe('cleanText', () => {
  it('drops invisible marks and control characters and collapses whitespace, keeping every word', () => {
    const stats = { cleaned: 0 };
    expect(cleanText('\u200eGiấy  tờ\tphải\u00a0nộp\r\n\r\n\r\n- Tờ khai\u200b  ', stats)).toBe('Giấy tờ phải nộp\n\n- Tờ khai');
    expect(stats.cleaned).toBe(1);
  });

  it('leaves clean text alone and does not count it', () => {
    const stats = { cleaned: 0 };
    expect(cleanText('Tờ khai đăng ký khai sinh', stats)).toBe('Tờ khai đăng ký khai sinh');
    expect(stats.cleaned).toBe(0);
  });
});

describe('headingOf', () => {
  it('recognises the portal headings without their bullet and colon', () => {
    expect(headingOf('* Giấy tờ phải nộp:')).toBe('Giấy tờ phải nộp');
    expect(headingOf(' * Giấy tờ phải xuất trình:')).toBe('Giấy tờ phải xuất trình');
    expect(headingOf('* Lưu ý :')).toBe('Lưu ý');
    expect(headingOf('Thành phần hồ sơ:')).toBe('Thành phần hồ sơ');
  });

  it('is not fooled by an item that starts like a heading', () => {
    expect(headingOf('- Giấy tờ phải nộp gồm tờ khai và bản sao')).toBeUndefined();
    expect(stripBullet('- Tờ khai')).toBe('Tờ khai');
    expect(stripBullet('-5 độ')).toBe('-5 độ');
  });
});
