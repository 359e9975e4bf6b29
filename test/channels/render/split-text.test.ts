import { describe, expect, it } from 'vitest';
import { splitText } from '../../../src/channels/render/split-text';

const words = (s: string) => s.split(/\s+/).filter(Boolean);

describe('splitText', () => {
  it('keeps a text that fits as one part', () => {
    expect(splitText('Giấy tờ cần chuẩn bị:\n• Tờ khai', 4096)).toEqual(['Giấy tờ cần chuẩn bị:\n• Tờ khai']);
  });

  it('breaks at line boundaries so no line is cut in half', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `• Dòng số ${i + 1}: giấy tờ cần mang theo khi nộp hồ sơ`);
    const parts = splitText(lines.join('\n'), 200);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(200);
      for (const line of p.split('\n')) expect(lines).toContain(line);
    }
    expect(parts.join('\n')).toBe(lines.join('\n'));
  });

  it('breaks a single long line at a space and loses no words', () => {
    const line = Array.from({ length: 400 }, (_, i) => `từ${i}`).join(' ');
    const parts = splitText(line, 100);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(100);
    expect(words(parts.join(' '))).toEqual(words(line));
  });

  it('cuts a line without spaces at the limit but never inside a surrogate pair', () => {
    const emoji = '😀'.repeat(30); // 60 UTF-16 units
    const parts = splitText(emoji, 7);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(7);
      expect(p).not.toMatch(/[\ud800-\udbff]$/);
    }
    expect(parts.join('')).toBe(emoji);
  });

  it('gives no parts for blank text and never a blank part', () => {
    expect(splitText('   ', 10)).toEqual([]);
    const parts = splitText(`a\n\n\n\n${'b'.repeat(12)}\n\n\nc`, 5);
    for (const p of parts) expect(p.trim()).not.toBe('');
  });

  it('refuses a limit too small to make progress', () => {
    expect(() => splitText('abc', 1)).toThrow(RangeError);
  });
});
