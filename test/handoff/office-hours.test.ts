import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createContentStore } from '../../src/content/index';
import type { Translate } from '../../src/engine/types';
import { officeStatus, parseOfficeHours, replyEtaText } from '../../src/handoff/office-hours';

const HOURS = parseOfficeHours('1-5 07:30-11:30, 1-5 13:30-17:00');
const TZ = 'Asia/Ho_Chi_Minh';
/** An instant given as Thanh Hóa wall-clock time (UTC+7). */
const vn = (local: string) => Date.parse(`${local}+07:00`);

let t: Translate;
beforeAll(async () => {
  const store = await createContentStore({ root: path.resolve(import.meta.dirname, '../..'), watch: false });
  t = store.current().t;
  await store.close();
});

describe('office hours', () => {
  it('parses ISO weekday ranges with local times', () => {
    expect(HOURS).toEqual([
      { fromDay: 1, toDay: 5, start: 450, end: 690 },
      { fromDay: 1, toDay: 5, start: 810, end: 1020 },
    ]);
  });

  it('is open on a weekday morning and afternoon, closed at lunch, in the evening and at the weekend', () => {
    expect(officeStatus(HOURS, vn('2026-11-25T10:00'), TZ)).toEqual({ open: true });
    expect(officeStatus(HOURS, vn('2026-11-25T16:59'), TZ)).toEqual({ open: true });
    expect(officeStatus(HOURS, vn('2026-11-25T12:00'), TZ)).toEqual({ open: false, opensAt: { weekday: 3, minutes: 810, inDays: 0 } });
    expect(officeStatus(HOURS, vn('2026-11-25T17:00'), TZ)).toEqual({ open: false, opensAt: { weekday: 4, minutes: 450, inDays: 1 } });
    expect(officeStatus(HOURS, vn('2026-11-27T18:00'), TZ)).toEqual({ open: false, opensAt: { weekday: 1, minutes: 450, inDays: 3 } });
    expect(officeStatus(HOURS, vn('2026-11-29T23:59'), TZ)).toEqual({ open: false, opensAt: { weekday: 1, minutes: 450, inDays: 1 } });
    expect(officeStatus(HOURS, vn('2026-11-30T06:00'), TZ)).toEqual({ open: false, opensAt: { weekday: 1, minutes: 450, inDays: 0 } });
  });

  it('reads the clock in TIMEZONE, not in UTC', () => {
    // 02:00 UTC on Monday is 09:00 in Thanh Hóa (open) but 02:00 in London (closed).
    const at = Date.parse('2026-11-30T02:00:00Z');
    expect(officeStatus(HOURS, at, TZ).open).toBe(true);
    expect(officeStatus(HOURS, at, 'Europe/London').open).toBe(false);
  });

  it('supports ranges that wrap over Sunday', () => {
    const weekend = parseOfficeHours('6-7 08:00-12:00');
    expect(officeStatus(weekend, vn('2026-11-29T09:00'), TZ)).toEqual({ open: true });
    expect(officeStatus(weekend, vn('2026-11-30T09:00'), TZ)).toEqual({ open: false, opensAt: { weekday: 6, minutes: 480, inDays: 5 } });
    expect(officeStatus(parseOfficeHours('7-1 08:00-09:00'), vn('2026-11-30T08:30'), TZ)).toEqual({ open: true });
  });

  it('tells the citizen "in a few minutes" inside hours and when the office opens outside them', () => {
    expect(replyEtaText(t, 'vi', officeStatus(HOURS, vn('2026-11-25T10:00'), TZ))).toBe('Cán bộ sẽ trả lời bạn trong ít phút.');
    expect(replyEtaText(t, 'vi', officeStatus(HOURS, vn('2026-11-27T18:00'), TZ))).toBe('Hiện đang ngoài giờ làm việc. Cán bộ sẽ trả lời bạn khi văn phòng mở cửa lúc 7:30 thứ Hai.');
    expect(replyEtaText(t, 'vi', officeStatus(HOURS, vn('2026-11-25T12:00'), TZ))).toBe('Hiện đang ngoài giờ làm việc. Cán bộ sẽ trả lời bạn khi văn phòng mở cửa lúc 13:30 hôm nay.');
    expect(replyEtaText(t, 'en', officeStatus(HOURS, vn('2026-11-25T20:00'), TZ))).toBe('Our office is closed right now. A support officer will answer you when the office opens at 7:30 on Thursday.');
  });
});

describe('office hours that make no sense', () => {
  it('are refused with the part that is wrong', () => {
    expect(() => parseOfficeHours('1-5 17:00-07:30')).toThrow('OFFICE_HOURS: "1-5 17:00-07:30" is not a time range within one day');
    expect(() => parseOfficeHours('1-5 07:75-11:00')).toThrow(/not a time range/);
    expect(() => parseOfficeHours('weekdays 9-5')).toThrow(/must look like/);
  });
});
