/**
 * Builds and starts the whole bot from a Config: content, store, channels, pipeline, HTTP.
 * `main.ts` calls it for `npm start`; tests call it to run the real server on a free port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import type { Channel } from '../channels/channel';
import { createChannels } from '../channels/index';
import { createContentStore, formatReport, type ContentStore } from '../content/index';
import { Pipeline } from '../pipeline/pipeline';
import type { RetryPolicy } from '../pipeline/sender';
import { engineHandler } from '../pipeline/worker';
import { createHandoff, type Handoff } from '../handoff/handoff';
import type { RetentionSchedule } from '../handoff/retention';
import { DamageLog } from '../store/damage';
import { createStore } from '../store/create-store';
import type { Store } from '../store/store';
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
  loginLimit?: { windowMs: number; limit: number };
  /** When the first retention sweep runs (tests: `{ firstDelayMs: 0 }`); default minutes after start. */
  retentionSchedule?: RetentionSchedule;
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
  const store = await createStore(config, now, damage);
  await store.check();

  let pipelineRef: Pipeline | undefined;
  const channels = createChannels({ config, store, logger, metrics, now, pipeline: () => pipelineRef!, content: () => content.current() });
  const handoff = await createHandoff({ config, store, content: () => content.current(), pipeline: () => pipelineRef!, logger, now, ...(opts.loginLimit ? { loginLimit: opts.loginLimit } : {}), ...(opts.retentionSchedule ? { retentionSchedule: opts.retentionSchedule } : {}), onRetentionFailures: (n) => metrics.retentionFailures.inc(n) });
  const pipeline = new Pipeline({
    store,
    channels,
    handler: handoff.wrap(engineHandler(() => content.current(), config.defaultLocale)),
    onEvents: (key, events) => handoff.onEvents(key, events),
    errorReplies: (record) => [{ text: content.current().t(record.session?.locale ?? config.defaultLocale, 'error.internal') }],
    logger,
    metrics,
    now,
    ...(opts.retry ? { retry: opts.retry } : {}),
  });

  pipelineRef = pipeline;

  const app = createApp({ store, content: () => content.current(), pipeline, channels, logger, metrics, now, extra: [handoff.router] });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  await pipeline.recover();
  handoff.start();

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
