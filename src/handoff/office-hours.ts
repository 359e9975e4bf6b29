/**
 * Office hours ("1-5 07:30-11:30, 1-5 13:30-17:00": ISO weekday ranges, 24 h local times) and
 * what to tell a citizen who asks for a person: inside hours a reply comes in a few minutes,
 * outside them it comes when the office opens next. Pure functions of (hours, zone, now).
 */
import type { Locale, Translate } from '../engine/types';
import { clockText, localTime } from './local-time';

export interface OfficeRange {
  /** ISO weekdays, inclusive; `fromDay > toDay` wraps over Sunday ("6-1" = Sat, Sun, Mon). */
  fromDay: number;
  toDay: number;
  /** Minutes since local midnight; `end` is exclusive. */
  start: number;
  end: number;
}

export type OfficeStatus = { open: true } | { open: false; opensAt?: { weekday: number; minutes: number; inDays: number } };

/** Parses the OFFICE_HOURS format (config has already checked its shape). */
export function parseOfficeHours(spec: string): OfficeRange[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([1-7])-([1-7]) (\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part);
      if (!m) throw new Error(`office hours "${part}" must look like "1-5 07:30-17:00"`);
      const [, a, b, h1, m1, h2, m2] = m.map(Number) as number[];
      const range = { fromDay: a!, toDay: b!, start: h1! * 60 + m1!, end: h2! * 60 + m2! };
      if (m1! > 59 || m2! > 59 || range.end > 24 * 60 || range.start >= range.end) throw new Error(`OFFICE_HOURS: "${part}" is not a time range within one day`);
      return range;
    });
}

function coversDay(r: OfficeRange, weekday: number): boolean {
  return r.fromDay <= r.toDay ? weekday >= r.fromDay && weekday <= r.toDay : weekday >= r.fromDay || weekday <= r.toDay;
}

export function officeStatus(ranges: readonly OfficeRange[], at: number, timeZone: string): OfficeStatus {
  const now = localTime(at, timeZone);
  if (ranges.some((r) => coversDay(r, now.weekday) && now.minutes >= r.start && now.minutes < r.end)) return { open: true };
  for (let inDays = 0; inDays <= 7; inDays++) {
    const weekday = ((now.weekday - 1 + inDays) % 7) + 1;
    const starts = ranges.filter((r) => coversDay(r, weekday) && (inDays > 0 || r.start > now.minutes)).map((r) => r.start);
    if (starts.length > 0) return { open: false, opensAt: { weekday, minutes: Math.min(...starts), inDays } };
  }
  return { open: false };
}

/** The sentence telling the citizen roughly when a person will answer. */
export function replyEtaText(t: Translate, locale: Locale, status: OfficeStatus): string {
  if (status.open) return t(locale, 'handoff.eta_open');
  if (!status.opensAt) return t(locale, 'handoff.eta_unknown');
  const { weekday, minutes, inDays } = status.opensAt;
  const day = inDays === 0 ? t(locale, 'handoff.opens_today') : t(locale, `handoff.opens_day.${weekday}`);
  return t(locale, 'handoff.eta_closed', { time: clockText(minutes), day });
}
