/**
 * Express wiring of the HTTP surface: web chat page and API, platform webhooks, health, metrics.
 * Factories take their dependencies as one object; nothing here reads the environment.
 */
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express, type Request } from 'express';
import type { Channel } from '../channels/channel';
import { webRoutes } from '../channels/web/routes';
import type { Content } from '../engine/types';
import type { Pipeline } from '../pipeline/pipeline';
import { StoreOverloadedError, type Store } from '../store/store';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface ServerDeps {
  store: Store;
  content: () => Content;
  pipeline: Pipeline;
  channels: ReadonlyMap<string, Channel>;
  logger: Logger;
  metrics: Metrics;
  /** Extra routers mounted after the core routes (staff console). */
  extra?: express.Router[];
  now?: () => number;
}

/**
 * What /readyz says about stored data: damaged files quarantined since start, by kind, and the
 * backlog. Counts only: /readyz may be reachable from outside, so file names stay in the log.
 * Damage does not make the server unready: everything else is served (docs/recovering-data.md).
 */
function storeHealth(store: Store) {
  return {
    kind: store.kind,
    ...(store.damage ? { damaged: store.damage.counts() } : {}),
    ...(store.backlog ? { backlog: store.backlog() } : {}),
  };
}

/** The raw request body, kept for signature checks (Zalo OA signs the exact bytes). */
export interface RawBodyRequest extends Request {
  rawBody?: Buffer;
}

export function createApp(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const channels = Object.fromEntries(['web', 'telegram', 'zalo-bot', 'zalo-oa'].map((c) => [c, deps.channels.has(c)]));
    try {
      await deps.store.check();
      const content = deps.content();
      res.json({ status: 'ready', content: content.version, flows: content.flows.size, procedures: content.procedures.size, units: content.places.size, regions: content.regions.map((r) => r.slug), channels, store: storeHealth(deps.store) });
    } catch (e) {
      res.status(503).json({ status: 'not ready', error: (e as Error).message, channels, store: storeHealth(deps.store) });
    }
  });
  app.get('/metrics', async (_req, res) => {
    for (const [kind, n] of Object.entries(deps.store.damage?.counts() ?? {})) deps.metrics.storeDamaged.set({ kind }, n);
    const backlog = deps.store.backlog?.();
    if (backlog) deps.metrics.storeBacklog.set(backlog.dirty);
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  app.use(
    express.json({
      limit: '256kb',
      verify: (req, _res, buf) => {
        (req as RawBodyRequest).rawBody = buf;
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));

  for (const channel of deps.channels.values()) if (channel.router) app.use(channel.router());
  app.use(webRoutes({ pipeline: deps.pipeline, store: deps.store, content: deps.content, ...(deps.now ? { now: deps.now } : {}) }));
  for (const router of deps.extra ?? []) app.use(router);

  app.use(express.static(path.join(import.meta.dirname, '../channels/web/public'), { index: 'index.html', maxAge: '5m' }));
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'no such API route' });
  });

  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    // The store refusing new chats under back-pressure is a "try again later", not a fault.
    const overloaded = err instanceof StoreOverloadedError;
    if (overloaded) res.set('Retry-After', '30');
    const status = overloaded ? 503 : typeof err?.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) deps.logger.error({ err, path: req.path }, 'request failed');
    else deps.logger.info({ status, path: req.path, type: err?.type }, 'request refused');
    if (res.headersSent) return;
    const message = overloaded ? 'busy, please send again later' : err?.type === 'entity.parse.failed' ? 'the body is not valid JSON' : err?.type === 'entity.too.large' ? 'the body is too large' : status >= 500 ? 'internal error' : String(err?.message ?? 'bad request');
    res.status(status).json({ error: message });
  };
  // Must be the last middleware: express recognises error handlers by their four parameters.
  app.use(onError);
  return app;
}
