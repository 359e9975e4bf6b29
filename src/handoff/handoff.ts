/**
 * Everything the handoff to staff adds to the bot, built from the config in one place so
 * `server/start.ts` only plugs it in: the message handler wrapper, the analytics hook for the
 * pipeline's `onEvents`, the /staff router, and the retention sweep (minutes after start, then daily).
 */
import type { Router } from 'express';
import type { Config } from '../config';
import type { Content, EngineEvent } from '../engine/types';
import type { Pipeline } from '../pipeline/pipeline';
import type { MessageHandler } from '../pipeline/worker';
import type { Logger } from '../server/logger';
import type { AnalyticsStore } from '../store/analytics';
import type { CaseStore } from '../store/cases';
import { createLowdbAuditLog } from '../store/lowdb/lowdb-audit';
import { createDocAuditLog, type AuditLog } from '../store/audit';
import { createDocCannedReplies, type CannedReplies } from '../store/canned-replies';
import { PROVINCE_QUEUE } from '../store/cases';
import { createCaseAlerts, type CaseAlerts } from './case-alerts';
import { localDay } from './local-time';
import type { ChatKey, Store } from '../store/store';
import { createAnalyticsRecorder } from './analytics-recorder';
import { createCaseActions, type CaseActions } from './case-actions';
import { CaseEvents } from './case-events';
import { createHandoffHandler } from './handoff-handler';
import { parseOfficeHours } from './office-hours';
import { createRetentionSweep, DAY_MS, type RetentionSchedule } from './retention';
import { createStaffConsole, type StaffConsoleDeps } from './staff-console';
import { createStaffSessions, sessionSecret, type StaffSessions } from './staff-sessions';

export interface HandoffDeps {
  config: Config;
  store: Store;
  content: () => Content;
  /** The pipeline is built after the handler it runs; staff replies reach it through this. */
  pipeline: () => Pipeline;
  logger: Logger;
  now: () => number;
  loginLimit?: StaffConsoleDeps['loginLimit'];
  /** When the first retention sweep runs (tests set 0); default a few minutes after start. */
  retentionSchedule?: RetentionSchedule;
  onRetentionFailures?: (n: number) => void;
}

export interface Handoff {
  cases: CaseStore;
  analytics: AnalyticsStore;
  events: CaseEvents;
  actions: CaseActions;
  sessions: StaffSessions;
  router: Router;
  /** The pipeline handler: `inner` (the engine) unless a case holds the chat. */
  wrap(inner: MessageHandler): MessageHandler;
  onEvents(key: ChatKey, events: EngineEvent[]): Promise<void>;
  retention: ReturnType<typeof createRetentionSweep>;
  audit: AuditLog;
  canned: CannedReplies;
  alerts: CaseAlerts;
  /** Resolves when the audit-log retention started last (on start, then daily) has finished. */
  auditSwept(): Promise<void>;
  /** Schedules the retention sweep: a few minutes after start (with jitter), then daily; the audit-log sweep (a directory listing) runs at once and daily. */
  start(): void;
  close(): Promise<void>;
}

export async function createHandoff(deps: HandoffDeps): Promise<Handoff> {
  const { config, store, logger, now } = deps;
  const { cases, analytics } = store;
  const secret = await sessionSecret(store.docs, config.sessionSecret);
  // The embedded store keeps the audit log as append-only day files; other adapters through their documents.
  const audit = store.kind === 'file' ? await createLowdbAuditLog(config.dataDir) : createDocAuditLog(store.docs);
  const canned = createDocCannedReplies(store.docs);
  const events = new CaseEvents(store.bus);
  const sessions = createStaffSessions({ docs: store.docs, now });
  const actions = createCaseActions({ cases, pipeline: deps.pipeline, content: deps.content, events, now, audit: (e) => audit.append(e), timezone: config.timezone });
  const slaMs = config.caseSlaMinutes * 60_000;
  const officeName = (queue: string) => {
    const t = deps.content().t;
    if (queue === PROVINCE_QUEUE) return t(config.defaultLocale, 'staff.office.province');
    return deps.content().places.byCode(queue)?.full_name ?? queue;
  };
  const alerts = createCaseAlerts({ cases, events, pipeline: deps.pipeline, content: deps.content, locale: config.defaultLocale, slaMs, now, logger, officeName, ...(config.staffTelegramChatId && config.telegram ? { telegramChatId: config.staffTelegramChatId } : {}), ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) });
  const officeHours = parseOfficeHours(config.officeHours);
  const record = createAnalyticsRecorder({ analytics, timezone: config.timezone, now });
  const retention = createRetentionSweep({ store, cases, analytics, sessions, retentionDays: config.retentionDays, timezone: config.timezone, now, logger, ...(deps.onRetentionFailures ? { onFailures: deps.onRetentionFailures } : {}) });
  const router = createStaffConsole({
    cases,
    actions,
    events,
    analytics,
    sessions,
    accounts: store.staff,
    secret,
    secure: config.publicUrl?.startsWith('https:') ?? false,
    content: deps.content,
    locale: config.defaultLocale,
    timezone: config.timezone,
    now,
    logger,
    audit,
    canned,
    slaMs,
    ...(deps.loginLimit ? { loginLimit: deps.loginLimit } : {}),
    counters: store.counters,
  });
  /** The audit log keeps AUDIT_RETENTION_DAYS; older days are removed whole (append-only otherwise). */
  const sweepAudit = async () => {
    const cutoff = localDay(now() - config.auditRetentionDays * DAY_MS, config.timezone);
    for (const day of await audit.days()) if (day < cutoff) await audit.removeDay(day);
  };
  let timer: NodeJS.Timeout | undefined;
  let auditSweep: Promise<void> = Promise.resolve();
  const sweep = () => {
    auditSweep = sweepAudit().catch((e: unknown) => logger.error({ err: e }, 'audit retention failed'));
  };

  return {
    cases,
    analytics,
    events,
    actions,
    sessions,
    router,
    retention,
    audit,
    canned,
    alerts,
    auditSwept: () => auditSweep,
    wrap: (inner) => createHandoffHandler({ inner, cases, content: deps.content, events, officeHours, timezone: config.timezone, defaultLocale: config.defaultLocale }),
    onEvents: (key, list) => record(key, list),
    start() {
      retention.schedule(deps.retentionSchedule);
      sweep();
      timer = setInterval(sweep, DAY_MS);
      timer.unref();
      alerts.start();
    },
    async close() {
      retention.stop();
      clearInterval(timer);
      alerts.close();
      events.close();
      await retention.idle();
      await auditSweep;
    },
  };
}
