import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, maskPersonalNumbers } from '../../src/server/logger';

describe('maskPersonalNumbers', () => {
  it('masks phone numbers however they are written', () => {
    expect(maskPersonalNumbers('Gọi 0912345678 nhé')).toBe('Gọi 09••••••78 nhé');
    expect(maskPersonalNumbers('sđt 0912 345 678')).toBe('sđt 09••••••78');
    expect(maskPersonalNumbers('0912.345.678 hoặc 0987-654-321')).toBe('09••••••78 hoặc 09••••••21');
    expect(maskPersonalNumbers('+84 912 345 678')).toBe('84•••••••78');
  });

  it('masks ID-card numbers (12 digits), old ID numbers (9 digits) and passport numbers', () => {
    expect(maskPersonalNumbers('CCCD 038095001234')).toBe('CCCD 03••••••••34');
    expect(maskPersonalNumbers('CMND cũ 172345678')).toBe('CMND cũ 17•••••78');
    expect(maskPersonalNumbers('hộ chiếu C1234567')).toBe('hộ chiếu C•••••67');
  });

  it('masks long digit runs completely, so numbers typed together do not leak', () => {
    expect(maskPersonalNumbers('0380950012340912345678')).toBe('•'.repeat(22));
    expect(maskPersonalNumbers('0 9 1 2 3 4 5 6 7 8')).toBe('09••••••78');
  });

  it('masks the part of an e-mail address before @', () => {
    expect(maskPersonalNumbers('email nguyenvana.1990@gmail.com')).toBe('email •••@gmail.com');
  });

  it('leaves dates, fees, procedure codes and short numbers readable', () => {
    const text = 'Ngày 01/07/2025, lệ phí 50.000 đồng, mã 1.001612, phường số 3, năm 2025 2026';
    expect(maskPersonalNumbers(text)).toBe(text);
  });

  it('applies to log messages and error messages written by the logger', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = createLogger('info', sink);
    logger.info('citizen wrote 0912345678');
    logger.error({ err: new Error('bad input "038095001234"') }, 'failed');
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    expect(out).toContain('09••••••78');
    expect(out).toContain('03••••••••34');
    expect(out).not.toContain('0912345678');
    expect(out).not.toContain('038095001234');
  });
});
