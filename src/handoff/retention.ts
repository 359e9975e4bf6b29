/**
 * The personal-data retention sweep (a few minutes after start, then daily): after RETENTION_DAYS,
 * - chat records lose their transcript lines, failed replies and web mailbox items older than the
 *   cut-off; a chat silent since the cut-off with nothing in flight is deleted, file and all;
 * - closed cases are deleted; a case left open or claimed without activity since the cut-off is
 *   deleted too (the chat goes back to the bot the next time the citizen writes);
 * - analytics days before the cut-off are deleted;
 * - expired staff sessions are dropped.
 *
 * The walk over all chats must never hold the event loop (review D1: 100,000 chats froze the
 * server for 17–32 s): it asks the store only for chats that may hold something older than the
 * cut-off (the file store keeps an index of each chat's oldest time), reads them in the
 * background (async, not through the cache), and yields to the event loop every YIELD_EVERY
 * chats. One chat that cannot be processed is counted and skipped, never stopping the rest (D4).
 */
import { performance } from 'node:perf_hooks';
import { MailItem, mailboxOf } from '../channels/web/web-channel';
import { chatRef, type Logger } from '../server/logger';
import type { AnalyticsStore } from '../store/analytics';
import type { CaseStore } from '../store/cases';
import type { ChatRecord, Store } from '../store/store';
import { localDay } from './local-time';
import type { StaffSessions } from './staff-sessions';

export interface RetentionDeps {
  store: Store;
  cases: CaseStore;
  analytics: AnalyticsStore;
  sessions: StaffSessions;
  retentionDays: number;
  timezone: string;
  now: () => number;
  logger: Logger;
  /** Called with the number of items a sweep could not process (a metric). */
  onFailures?: (n: number) => void;
}

export interface RetentionReport {
  chats: number;
  /** Chats the walk looked at (the others hold nothing older than the cut-off). */
  visited: number;
  cases: number;
  analyticsDays: number;
  sessions: number;
  /** Chats, cases or days that failed; each is tried again at the next sweep. */
  failures: number;
}

export const DAY_MS = 86_400_000;
/** Chats processed between two yields to the event loop. */
export const YIELD_EVERY = 100;
/** The first sweep waits this long after start, plus up to FIRST_SWEEP_JITTER_MS. */
export const FIRST_SWEEP_DELAY_MS = 2 * 60_000;
export const FIRST_SWEEP_JITTER_MS = 3 * 60_000;

export interface RetentionSchedule {
  /** Delay before the first sweep (default FIRST_SWEEP_DELAY_MS + jitter). */
  firstDelayMs?: number;
  /** Source of the jitter, in [0, 1). Default Math.random. */
  random?: () => number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createRetentionSweep(deps: RetentionDeps) {
  let running: Promise<RetentionReport> | undefined;

  async function sweep(): Promise<RetentionReport> {
    const started = performance.now();
    const cutoff = deps.now() - deps.retentionDays * DAY_MS;
    const report: RetentionReport = { chats: 0, visited: 0, cases: 0, analyticsDays: 0, sessions: 0, failures: 0 };
    const failed = (what: string, e: unknown, ref?: string) => {
      report.failures++;
      // A few lines, not one per chat: a systematic failure must not flood the log.
      if (report.failures <= 5) deps.logger.error({ err: e, what, ...(ref ? { chat: ref } : {}) }, 'retention sweep skipped an item; it is tried again at the next sweep');
    };

    let n = 0;
    for (const c of await deps.cases.list()) {
      if (++n % YIELD_EVERY === 0) await yieldToEventLoop();
      const stale = c.status === 'closed' ? (c.closedAt ?? c.updatedAt) < cutoff : c.updatedAt < cutoff;
      if (!stale) continue;
      try {
        await deps.cases.remove(c.id);
        report.cases++;
      } catch (e) {
        failed('case', e);
      }
    }

    for await (const key of deps.store.chats.keys({ mayHoldBefore: cutoff })) {
      if (++report.visited % YIELD_EVERY === 0) await yieldToEventLoop();
      try {
        const changed = await deps.store.chats.update(
          key,
          (record) => {
            // Silent longer than the retention period with nothing in flight: the chat is deleted
            // (decided under the chat's lock, so a message arriving meanwhile is never lost).
            if (record.updatedAt < cutoff && record.inbox.length === 0 && record.outbox.length === 0) return { remove: true, result: true };
            return anonymise(record, cutoff) ? { record, result: true } : { result: false };
          },
          { background: true },
        );
        if (changed) report.chats++;
      } catch (e) {
        failed('chat', e, chatRef(key.channel, key.chatId));
      }
    }

    const firstKept = localDay(cutoff, deps.timezone);
    for (const day of await deps.analytics.days()) {
      if (day >= firstKept) continue;
      try {
        await deps.analytics.removeDay(day);
        report.analyticsDays++;
      } catch (e) {
        failed('analytics day', e);
      }
    }

    try {
      report.sessions = await deps.sessions.purge();
    } catch (e) {
      failed('staff sessions', e);
    }
    if (report.failures > 0) deps.onFailures?.(report.failures);
    sweeps++;
    last = report;
    const log = report.failures > 0 ? deps.logger.warn.bind(deps.logger) : deps.logger.info.bind(deps.logger);
    log({ ...report, retentionDays: deps.retentionDays, durationMs: Math.round(performance.now() - started) }, 'retention sweep done');
    return report;
  }

  let timer: NodeJS.Timeout | undefined;
  let sweeps = 0;
  let last: RetentionReport | undefined;
  const background = () => {
    run().catch((e: unknown) => deps.logger.error({ err: e }, 'retention sweep failed'));
  };
  function run(): Promise<RetentionReport> {
    running ??= sweep().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    /** One sweep; concurrent calls share the running one. */
    run,
    /**
     * Sweeps after a delay (so a restart, busy with its own recovery and with platforms
     * redelivering, is not also walking every chat; the jitter keeps several instances or a
     * crash loop from sweeping in step), then every day.
     */
    schedule(opts: RetentionSchedule = {}): void {
      const delay = opts.firstDelayMs ?? FIRST_SWEEP_DELAY_MS + Math.floor((opts.random ?? Math.random)() * FIRST_SWEEP_JITTER_MS);
      clearTimeout(timer);
      timer = setTimeout(() => {
        background();
        timer = setInterval(background, DAY_MS);
        timer.unref();
      }, delay);
      timer.unref();
    },
    /** Resolves when no sweep is running (shutdown, after stop()). */
    async idle(): Promise<void> {
      await running?.catch(() => undefined);
    },
    /** Cancels the schedule (a running sweep finishes: see idle()). */
    stop(): void {
      clearTimeout(timer);
      clearInterval(timer);
    },
    /** Sweeps completed since start and the last one's report. */
    stats(): { sweeps: number; last?: RetentionReport } {
      return { sweeps, ...(last ? { last } : {}) };
    },
  };
}

/** Removes what is older than the cut-off; true when the record changed. */
export function anonymise(record: ChatRecord, cutoff: number): boolean {
  let changed = false;
  const transcript = record.transcript.filter((l) => l.at >= cutoff);
  if (transcript.length !== record.transcript.length) {
    record.transcript = transcript;
    changed = true;
  }
  const failed = record.failed.filter((f) => f.createdAt >= cutoff);
  if (failed.length !== record.failed.length) {
    record.failed = failed;
    changed = true;
  }
  if (Array.isArray(record.channelState.mailbox)) {
    const box = mailboxOf(record.channelState);
    const kept: MailItem[] = box.filter((m) => m.at >= cutoff);
    if (kept.length !== box.length) {
      record.channelState = { ...record.channelState, mailbox: kept };
      changed = true;
    }
  }
  // A chat silent since the cut-off with nothing in flight never gets here: the sweep deletes it.
  return changed;
}
