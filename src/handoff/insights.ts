/**
 * The editors' insights, computed from analytics records (pure): top unmatched questions, where
 * citizens abandon each flow, why chats went to staff, and messages per channel per day; plus
 * the same tables as CSV.
 */
import { fold } from '../engine/normalize';
import { csvRows } from './csv';

export { csvCell } from './csv';
import type { AnalyticsRecord } from '../store/analytics';
import type { HandoffReason } from '../engine/types';
import { CHANNEL_NAMES, type ChannelName } from '../store/store';

export interface Insights {
  unmatched: Array<{ query: string; example: string; count: number; lastSeen: number }>;
  /** Per flow and node: runs whose last node reached was this one and that never completed. */
  abandon: Array<{ flow: string; node: string; count: number }>;
  flows: Array<{ flow: string; started: number; completed: number; abandoned: number }>;
  handoff: Record<HandoffReason, number>;
  messages: Array<{ day: string; counts: Record<ChannelName, number>; total: number }>;
}

export interface InsightsOptions {
  now: number;
  /** A run with no activity for this long and not completed counts as abandoned. */
  idleMs: number;
  /** Rows of the unmatched table. */
  limit?: number;
}

interface Run {
  flow: string;
  node?: string;
  lastAt: number;
}

export function computeInsights(records: readonly AnalyticsRecord[], opts: InsightsOptions): Insights {
  const unmatched = new Map<string, { example: string; count: number; lastSeen: number }>();
  const runs = new Map<string, Run>();
  const flows = new Map<string, { started: number; completed: number; abandoned: number }>();
  const abandon = new Map<string, number>();
  const handoff: Record<HandoffReason, number> = { asked: 0, flow: 0, misses: 0 };
  const messages = new Map<string, Record<ChannelName, number>>();

  const flowStats = (id: string) => {
    let s = flows.get(id);
    if (!s) flows.set(id, (s = { started: 0, completed: 0, abandoned: 0 }));
    return s;
  };
  const abandonRun = (run: Run) => {
    flowStats(run.flow).abandoned++;
    const k = `${run.flow}\n${run.node ?? ''}`;
    abandon.set(k, (abandon.get(k) ?? 0) + 1);
  };

  const sorted = [...records].sort((a, b) => a.at - b.at);
  for (const r of sorted) {
    const run = runs.get(r.chat);
    switch (r.type) {
      case 'message': {
        const day = messages.get(r.day) ?? (Object.fromEntries(CHANNEL_NAMES.map((c) => [c, 0])) as Record<ChannelName, number>);
        day[r.channel]++;
        messages.set(r.day, day);
        break;
      }
      case 'unmatched': {
        const key = fold(r.query ?? '');
        if (!key) break;
        const u = unmatched.get(key) ?? { example: r.query ?? '', count: 0, lastSeen: 0 };
        u.count++;
        if (r.at >= u.lastSeen) {
          u.lastSeen = r.at;
          u.example = r.query ?? '';
        }
        unmatched.set(key, u);
        break;
      }
      case 'flow_started':
        if (run) abandonRun(run);
        flowStats(r.flow!).started++;
        runs.set(r.chat, { flow: r.flow!, lastAt: r.at });
        break;
      case 'node_entered':
        // Entering a node of another flow without flow_started (e.g. after a restart) is a new run.
        if (run && run.flow !== r.flow) abandonRun(run);
        if (!run || run.flow !== r.flow) {
          flowStats(r.flow!).started++;
          runs.set(r.chat, { flow: r.flow!, node: r.node!, lastAt: r.at });
        } else {
          run.node = r.node!;
          run.lastAt = r.at;
        }
        break;
      case 'flow_completed':
        if (run && run.flow === r.flow) runs.delete(r.chat);
        flowStats(r.flow!).completed++;
        break;
      case 'handoff_requested':
        if (r.reason) handoff[r.reason]++;
        break;
      default:
        break;
    }
  }
  for (const run of runs.values()) if (opts.now - run.lastAt >= opts.idleMs) abandonRun(run);

  return {
    unmatched: [...unmatched]
      .map(([query, u]) => ({ query, ...u }))
      .sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen)
      .slice(0, opts.limit ?? 50),
    abandon: [...abandon]
      .map(([k, count]) => {
        const [flow, node] = k.split('\n') as [string, string];
        return { flow, node, count };
      })
      .sort((a, b) => b.count - a.count || a.flow.localeCompare(b.flow) || a.node.localeCompare(b.node)),
    flows: [...flows].map(([flow, s]) => ({ flow, ...s })).sort((a, b) => b.started - a.started || a.flow.localeCompare(b.flow)),
    handoff,
    messages: [...messages]
      .map(([day, counts]) => ({ day, counts, total: Object.values(counts).reduce((s, n) => s + n, 0) }))
      .sort((a, b) => (a.day < b.day ? 1 : -1)),
  };
}

export const CSV_REPORTS = ['unmatched', 'abandon', 'handoff', 'messages'] as const;
export type CsvReport = (typeof CSV_REPORTS)[number];

/** A cell: quoted when needed; a leading = + - @ is neutralised so spreadsheets don't run it. */
export function insightsCsv(insights: Insights, report: CsvReport, describe: (flow: string, node?: string) => { flow: string; node?: string }, isoTime: (at: number) => string): string {
  const rows: Array<Array<string | number>> = [];
  switch (report) {
    case 'unmatched':
      rows.push(['query', 'latest_wording', 'count', 'last_seen']);
      for (const u of insights.unmatched) rows.push([u.query, u.example, u.count, isoTime(u.lastSeen)]);
      break;
    case 'abandon':
      rows.push(['flow', 'flow_title', 'node', 'step', 'abandoned']);
      for (const a of insights.abandon) {
        const d = describe(a.flow, a.node);
        rows.push([a.flow, d.flow, a.node, d.node ?? '', a.count]);
      }
      break;
    case 'handoff':
      rows.push(['reason', 'count']);
      for (const [reason, count] of Object.entries(insights.handoff)) rows.push([reason, count]);
      break;
    case 'messages':
      rows.push(['day', ...CHANNEL_NAMES, 'total']);
      for (const m of insights.messages) rows.push([m.day, ...CHANNEL_NAMES.map((c) => m.counts[c]), m.total]);
      break;
  }
  return csvRows(rows);
}
