/**
 * Builds and starts the whole bot from a Config: content, store, channels, pipeline, HTTP.
 * `main.ts` calls it for `npm start`; tests call it to run the real server on a free port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import type { Channel } from '../channels/channel';
import { createChannels } from '../channels/registry';
import { ChatTokens } from '../channels/web/chat-token';
import { webRoutes, type WebLimits } from '../channels/web/routes';
import { createContentStore, formatReport, type ContentStore } from '../content/index';
import { inboundRoute } from '../pipeline/inbound-route';
import { capHandoffs } from '../pipeline/handoff-cap';
import { InboundSpool } from '../pipeline/inbound-spool';
import { Pipeline } from '../pipeline/pipeline';
import type { RetryPolicy } from '../pipeline/sender';
import { engineHandler } from '../pipeline/worker';
import { createHandoff, type Handoff } from '../handoff/handoff';
import type { LoginLimit } from '../handoff/staff-auth';
import type { RetentionSchedule } from '../handoff/retention';
import { DamageLog } from '../store/damage';
import { createStore } from '../store/create-store';
import type { Store } from '../store/store';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { createApp } from './app';
import { createLogger, type Logger } from './logger';
import { createMetrics, type Metrics } from './metrics';

export interface Running {
  url: string;
  port: number;
  server: Server;
  store: Store;
  content: ContentStore;
  pipeline: Pipeline;
  channels: ReadonlyMap<string, Channel>;
  metrics: Metrics;
  logger: Logger;
  handoff: Handoff;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  retry?: RetryPolicy;
  now?: () => number;
  /** Staff login attempts allowed per window (tests lower it). */
  loginLimit?: LoginLimit;
  /** How long POST /api/chat waits for replies before 202 (tests lower it). */
  webReplyTimeoutMs?: number;
  /** When the first retention sweep runs (tests: `{ firstDelayMs: 0 }`); default minutes after start. */
  retentionSchedule?: RetentionSchedule;
}

/** Replays the inbound spool (messages a non-redelivering platform sent while the store could not take them). */
const SPOOL_REPLAY_MS = 30_000;

/** The web chat signing secret: WEB_CHAT_SECRET, or a random one created once and kept in the store. */
async function webChatSecret(config: Config, store: Store): Promise<string> {
  if (config.webChat.secret) return config.webChat.secret;
  const doc = await store.docs.update('web-chat-secret', z.object({ secret: z.string().min(32) }), (current) => current ?? { secret: randomBytes(32).toString('base64url') });
  return doc.secret;
}

export async function start(config: Config, opts: StartOptions = {}): Promise<Running> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const now = opts.now ?? Date.now;
  const metrics = createMetrics();
  const content = await createContentStore({
    root: config.contentDir,
    watch: config.contentWatch,
    overrides: { regions: config.regions, ...(config.sessionIdleMinutes ? { idleMinutes: config.sessionIdleMinutes } : {}) },
    onReload: (r) => {
      metrics.contentReloads.inc({ result: r.content ? 'ok' : 'refused' });
      if (r.content) logger.info({ version: r.content.version, warnings: r.diagnostics.length }, 'content reloaded');
      else logger.error({ report: formatReport(r.diagnostics) }, 'content change refused; still serving the last good content');
    },
  });
  const damage = new DamageLog((d) => logger.error({ kind: d.kind, file: d.file, movedTo: d.movedTo, line: d.line, reason: d.reason }, 'damaged data quarantined; serving everything else'));
  // PostgreSQL's own errors (a dropped connection, a document read as absent); never the URL.
  const store = await createStore(config, now, damage, (e) => logger.warn({ err: (e as Error).message }, 'PostgreSQL store'), (message, fields) => logger.info(fields, message));
  await store.check();

  let pipelineRef: Pipeline | undefined;
  const channels = createChannels({ config, store, logger, metrics, now, content: () => content.current() });
  // The handoff still reaches the pipeline late-bound (staff replies); that seam is src/handoff's.
  const handoff = await createHandoff({ config, store, content: () => content.current(), pipeline: () => pipelineRef!, logger, now, ...(opts.loginLimit ? { loginLimit: opts.loginLimit } : {}), ...(opts.retentionSchedule ? { retentionSchedule: opts.retentionSchedule } : {}), onRetentionFailures: (n) => metrics.retentionFailures.inc(n) });
  const pipeline = new Pipeline({
    store,
    channels,
    handler: handoff.wrap(capHandoffs(engineHandler(() => content.current(), config.defaultLocale), () => content.current(), store.counters, config.webChat.handoffsPerAddressPerDay)),
    onEvents: (key, events) => handoff.onEvents(key, events),
    errorReplies: (record) => [{ text: content.current().t(record.session?.locale ?? config.defaultLocale, 'error.internal') }],
    logger,
    metrics,
    now,
    ...(opts.retry ? { retry: opts.retry } : {}),
  });

  pipelineRef = pipeline;

  const spool = new InboundSpool(path.join(config.dataDir, 'spool'));
  const webhooks = inboundRoute({ channels, accept: (m) => pipeline.accept(m), spool, logger, metrics, now });
  const tokens = new ChatTokens(await webChatSecret(config, store));
  const limits: WebLimits = { perAddressPerMinute: config.webChat.perAddressPerMinute, globalPerMinute: config.webChat.globalPerMinute, newChatsPerAddressPerHour: config.webChat.newChatsPerAddressPerHour };
  const web = webRoutes({ pipeline, store, content: () => content.current(), tokens, logger, metrics, limits, now, ...(opts.webReplyTimeoutMs ? { replyTimeoutMs: opts.webReplyTimeoutMs } : {}) });
  const app = createApp({ store, content: () => content.current(), channels, webhooks: webhooks.router, web, logger, metrics, now, extra: [handoff.router], trustProxy: config.trustProxy });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  // Slow or piled-up clients must not hold the process: a cap on sockets and on how long a
  // request may take to arrive (webhooks and the chat API are small bodies). A reverse proxy
  // should set its own limits too (README).
  server.maxConnections = 2_000;
  server.headersTimeout = 15_000;
  server.requestTimeout = 30_000;
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  await pipeline.recover();
  handoff.start();
  const replaySpool = () =>
    spool.replay((m) => pipeline.accept(m)).then(
      (left) => {
        if (left > 0) logger.warn({ left }, 'spooled messages still waiting for the store');
      },
      (e: unknown) => logger.error({ err: e }, 'spool replay failed'),
    );
  await replaySpool();
  const spoolTimer = setInterval(() => void replaySpool(), SPOOL_REPLAY_MS);
  spoolTimer.unref();

  return {
    url: `http://${host}:${port}`,
    port,
    server,
    store,
    content,
    pipeline,
    channels,
    metrics,
    logger,
    handoff,
    async close() {
      clearInterval(spoolTimer);
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pipeline.close();
      await handoff.close();
      await Promise.all([...channels.values()].map((c) => c.close?.()));
      await content.close();
      await store.close();
    },
  };
}
