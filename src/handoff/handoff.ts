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
import type { ChatKey, Store } from '../store/store';
import { createAnalyticsRecorder } from './analytics-recorder';
import { createCaseActions, type CaseActions } from './case-actions';
import { CaseEvents } from './case-events';
import { createHandoffHandler } from './handoff-handler';
import { parseOfficeHours } from './office-hours';
import { createRetentionSweep, type RetentionSchedule } from './retention';
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
  /** Schedules the retention sweep: a few minutes after start (with jitter), then daily. */
  start(): void;
  close(): Promise<void>;
}

export async function createHandoff(deps: HandoffDeps): Promise<Handoff> {
  const { config, store, logger, now } = deps;
  const { cases, analytics } = store;
  const secret = await sessionSecret(store.docs, config.sessionSecret);
  const events = new CaseEvents(store.bus);
  const sessions = createStaffSessions({ docs: store.docs, now });
  const actions = createCaseActions({ cases, pipeline: deps.pipeline, content: deps.content, events, now });
  const officeHours = parseOfficeHours(config.officeHours);
  const record = createAnalyticsRecorder({ analytics, timezone: config.timezone, now });
  const retention = createRetentionSweep({ store, cases, analytics, sessions, retentionDays: config.retentionDays, timezone: config.timezone, now, logger, ...(deps.onRetentionFailures ? { onFailures: deps.onRetentionFailures } : {}) });
  const router = createStaffConsole({
    cases,
    actions,
    events,
    analytics,
    sessions,
    usersFile: config.staffUsersFile,
    secret,
    secure: config.publicUrl?.startsWith('https:') ?? false,
    content: deps.content,
    locale: config.defaultLocale,
    timezone: config.timezone,
    now,
    logger,
    ...(deps.loginLimit ? { loginLimit: deps.loginLimit } : {}),
    counters: store.counters,
  });

  return {
    cases,
    analytics,
    events,
    actions,
    sessions,
    router,
    retention,
    wrap: (inner) => createHandoffHandler({ inner, cases, content: deps.content, events, officeHours, timezone: config.timezone, defaultLocale: config.defaultLocale }),
    onEvents: (key, list) => record(key, list),
    start() {
      retention.schedule(deps.retentionSchedule);
    },
    async close() {
      retention.stop();
      events.close();
      await retention.idle();
    },
  };
}
