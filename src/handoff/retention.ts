/**
 * The personal-data retention sweep (on start and daily): after RETENTION_DAYS,
 * - chat records lose their transcript lines, failed replies and web mailbox items older than the
 *   cut-off; a chat silent since the cut-off also loses its session (answers, place) and dedupe keys;
 * - closed cases are deleted; a case left open or claimed without activity since the cut-off is
 *   deleted too (the chat goes back to the bot the next time the citizen writes);
 * - analytics days before the cut-off are deleted;
 * - expired staff sessions are dropped.
 * Chat files themselves stay (an emptied shell keyed by the platform chat id) because the chat
 * store has no delete yet.
 */
import { MailItem, mailboxOf } from '../channels/web/web-channel';
import type { Logger } from '../server/logger';
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
}

export interface RetentionReport {
  chats: number;
  cases: number;
  analyticsDays: number;
  sessions: number;
}

export const DAY_MS = 86_400_000;

export function createRetentionSweep(deps: RetentionDeps) {
  let running: Promise<RetentionReport> | undefined;

  async function sweep(): Promise<RetentionReport> {
    const cutoff = deps.now() - deps.retentionDays * DAY_MS;
    const report: RetentionReport = { chats: 0, cases: 0, analyticsDays: 0, sessions: 0 };

    for (const c of await deps.cases.list()) {
      const stale = c.status === 'closed' ? (c.closedAt ?? c.updatedAt) < cutoff : c.updatedAt < cutoff;
      if (stale) {
        await deps.cases.remove(c.id);
        report.cases++;
      }
    }

    for await (const key of deps.store.chats.keys()) {
      const changed = await deps.store.chats.update(key, (record) => {
        // Silent longer than the retention period with nothing in flight: the chat is deleted
        // (decided under the chat's lock, so a message arriving meanwhile is never lost).
        if (record.updatedAt < cutoff && record.inbox.length === 0 && record.outbox.length === 0) return { remove: true, result: true };
        return anonymise(record, cutoff) ? { record, result: true } : { result: false };
      });
      if (changed) report.chats++;
    }

    const firstKept = localDay(cutoff, deps.timezone);
    for (const day of await deps.analytics.days()) {
      if (day < firstKept) {
        await deps.analytics.removeDay(day);
        report.analyticsDays++;
      }
    }

    report.sessions = await deps.sessions.purge();
    deps.logger.info({ ...report, retentionDays: deps.retentionDays }, 'retention sweep done');
    return report;
  }

  return {
    /** One sweep; concurrent calls share the running one. */
    run(): Promise<RetentionReport> {
      running ??= sweep().finally(() => {
        running = undefined;
      });
      return running;
    },
    /** Resolves when no sweep is running (shutdown). */
    async idle(): Promise<void> {
      await running?.catch(() => undefined);
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
  const silent = record.updatedAt < cutoff && record.inbox.length === 0 && record.outbox.length === 0;
  if (silent && (record.session || record.caseId || Object.keys(record.seen).length > 0)) {
    record.session = undefined;
    record.caseId = undefined;
    record.seen = {};
    changed = true;
  }
  return changed;
}
