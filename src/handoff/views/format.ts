/** Times and durations as staff read them, in the office's time zone. */
import type { ViewContext } from './layout';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "25/11 14:05" (vi) or "11/25, 14:05" (en), in TIMEZONE. */
export function formatTime(ctx: Pick<ViewContext, 'locale' | 'timezone'>, at: number): string {
  const key = `${ctx.locale}|${ctx.timezone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(ctx.locale === 'en' ? 'en-GB' : 'vi-VN', { timeZone: ctx.timezone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(key, f);
  }
  return f.format(new Date(at));
}

/** "5 phút", "2 giờ 5 phút", "3 ngày". */
export function formatDuration(ctx: Pick<ViewContext, 't'>, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return ctx.t('staff.duration.minutes', { n: minutes });
  if (minutes < 24 * 60) return ctx.t('staff.duration.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return ctx.t('staff.duration.days', { n: Math.floor(minutes / (24 * 60)) });
}
