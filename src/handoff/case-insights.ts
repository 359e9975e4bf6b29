/**
 * How staff did (pure), from the case summaries: satisfaction per office and ISO week (mean of
 * 1–5 and how many rated), time to first staff reply and time to close as median and p90, and
 * the same as CSV rows.
 */
import type { CaseSummary } from '../store/cases';
import { localTime } from './local-time';

export interface SatisfactionRow {
  office: string;
  /** ISO week, e.g. 2026-W48, in TIMEZONE. */
  week: string;
  rated: number;
  mean: number;
  closed: number;
}

export interface Durations {
  count: number;
  medianMs?: number;
  p90Ms?: number;
}

export interface CaseInsights {
  satisfaction: SatisfactionRow[];
  firstReply: Durations;
  close: Durations;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function durations(values: number[]): Durations {
  const sorted = values.filter((v) => v >= 0).sort((a, b) => a - b);
  const median = percentile(sorted, 50);
  const p90 = percentile(sorted, 90);
  return { count: sorted.length, ...(median !== undefined ? { medianMs: median } : {}), ...(p90 !== undefined ? { p90Ms: p90 } : {}) };
}

export function isoWeek(at: number, timezone: string): string {
  const { date } = localTime(at, timezone);
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Cases opened since `from` (ms). */
export function computeCaseInsights(cases: readonly CaseSummary[], opts: { from: number; timezone: string }): CaseInsights {
  const inPeriod = cases.filter((c) => c.openedAt >= opts.from);
  const groups = new Map<string, { office: string; week: string; sum: number; rated: number; closed: number }>();
  for (const c of inPeriod) {
    if (c.status !== 'closed') continue;
    const week = isoWeek(c.closedAt ?? c.openedAt, opts.timezone);
    const key = `${c.queue}\n${week}`;
    const g = groups.get(key) ?? { office: c.queue, week, sum: 0, rated: 0, closed: 0 };
    g.closed++;
    if (c.rating) {
      g.sum += c.rating.score;
      g.rated++;
    }
    groups.set(key, g);
  }
  const satisfaction = [...groups.values()]
    .map((g) => ({ office: g.office, week: g.week, rated: g.rated, closed: g.closed, mean: g.rated ? Math.round((g.sum / g.rated) * 100) / 100 : 0 }))
    .sort((a, b) => (a.week === b.week ? a.office.localeCompare(b.office) : a.week < b.week ? 1 : -1));
  return {
    satisfaction,
    firstReply: durations(inPeriod.flatMap((c) => (c.firstReplyAt !== undefined ? [c.firstReplyAt - c.openedAt] : []))),
    close: durations(inPeriod.flatMap((c) => (c.status === 'closed' && c.closedAt !== undefined && c.closedBy?.kind === 'staff' ? [c.closedAt - c.openedAt] : []))),
  };
}

export function caseInsightsCsv(data: CaseInsights, officeName: (queue: string) => string): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [['office', 'office_name', 'week', 'closed', 'rated', 'mean_rating']];
  for (const r of data.satisfaction) rows.push([r.office, officeName(r.office), r.week, r.closed, r.rated, r.rated ? r.mean : '']);
  rows.push([]);
  rows.push(['measure', 'count', 'median_minutes', 'p90_minutes']);
  const min = (ms?: number) => (ms === undefined ? '' : Math.round(ms / 6000) / 10);
  rows.push(['first_reply', data.firstReply.count, min(data.firstReply.medianMs), min(data.firstReply.p90Ms)]);
  rows.push(['close', data.close.count, min(data.close.medianMs), min(data.close.p90Ms)]);
  return rows;
}
