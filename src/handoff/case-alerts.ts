/**
 * Telling staff: a new case, and a case that has waited past CASE_SLA_MINUTES (again every such
 * period while it keeps waiting). Every open console hears it as a case event (title count,
 * in-page alert, sound); when STAFF_TELEGRAM_CHAT_ID is set, a staff Telegram group also gets a
 * short line through the bot's own Telegram channel (the chat's outbox and the sender, so
 * retries and rate limits are the usual ones). The line names the office and topic, never the
 * citizen's words.
 */
import type { Content, Locale } from '../engine/types';
import type { Pipeline } from '../pipeline/pipeline';
import type { Logger } from '../server/logger';
import { queueOf, type CaseStore } from '../store/cases';
import type { CaseEvents } from './case-events';

export interface CaseAlertsDeps {
  cases: CaseStore;
  events: CaseEvents;
  pipeline: () => Pipeline;
  content: () => Content;
  locale: Locale;
  slaMs: number;
  now: () => number;
  logger: Logger;
  telegramChatId?: string;
  /** Public address of the server, for a link to the case in the group message. */
  publicUrl?: string;
  officeName: (queue: string) => string;
}

export interface CaseAlerts {
  /** Finds cases waiting past the SLA, marks and announces them; returns their ids. */
  check(): Promise<string[]>;
  start(): void;
  close(): void;
}

/** How often waiting times are checked (the SLA is in minutes). */
export const CHECK_EVERY_MS = 60_000;

export function createCaseAlerts(deps: CaseAlertsDeps): CaseAlerts {
  const t = (key: string, params?: Record<string, unknown>) => deps.content().t(deps.locale, key, params);
  const tell = async (key: string, caseId: string) => {
    if (!deps.telegramChatId) return;
    const c = await deps.cases.get(caseId);
    if (!c) return;
    const link = deps.publicUrl ? `\n${deps.publicUrl}/staff/cases/${c.id}` : '';
    const text = t(key, { office: deps.officeName(queueOf(c)), topic: c.flow?.title ?? t('staff.cases.none'), id: c.id }) + link;
    try {
      await deps.pipeline().enqueue({ channel: 'telegram', chatId: deps.telegramChatId }, [{ text }], 'system');
    } catch (e) {
      deps.logger.warn({ err: e }, 'staff group alert not queued');
    }
  };
  const unsubscribe = deps.events.subscribe((e) => {
    if (e.type === 'opened' || e.type === 'transferred') void tell('staff.alert.telegram_new', e.caseId);
  });
  let timer: NodeJS.Timeout | undefined;

  async function check(): Promise<string[]> {
    const now = deps.now();
    const due = (await deps.cases.list({ status: ['open', 'claimed'] })).filter((c) => c.waitingSince !== undefined && now - c.waitingSince >= deps.slaMs && (c.slaAlertedAt === undefined || now - c.slaAlertedAt >= deps.slaMs));
    const alerted: string[] = [];
    for (const s of due) {
      const marked = await deps.cases.update(s.id, (c) => {
        if (!c || c.status === 'closed' || c.waitingSince === undefined || now - c.waitingSince < deps.slaMs) return { result: false };
        return { case: { ...c, slaAlertedAt: now }, result: true };
      });
      if (!marked) continue;
      alerted.push(s.id);
      deps.events.emit({ type: 'sla', caseId: s.id, at: now, queue: s.queue });
      await tell('staff.alert.telegram_overdue', s.id);
    }
    return alerted;
  }

  return {
    check,
    start() {
      timer = setInterval(() => {
        check().catch((e: unknown) => deps.logger.error({ err: e }, 'case waiting-time check failed'));
      }, CHECK_EVERY_MS);
      timer.unref();
    },
    close() {
      clearInterval(timer);
      unsubscribe();
    },
  };
}
