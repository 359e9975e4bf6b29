/**
 * Express wiring of the HTTP surface: web chat page and API, platform webhooks, health, metrics.
 * Factories take their dependencies as one object; nothing here reads the environment.
 */
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { Channel } from '../channels/channel';
import type { Content } from '../engine/types';
import { CHANNEL_NAMES, StoreOverloadedError, type Store } from '../store/store';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

export interface ServerDeps {
  store: Store;
  content: () => Content;
  channels: ReadonlyMap<string, Channel>;
  /** POST /webhooks/:name (pipeline/inbound-route.ts): mounted before any body parser, it reads raw bytes. */
  webhooks: express.Router;
  /** The web chat API. */
  web: express.Router;
  logger: Logger;
  metrics: Metrics;
  /** Extra routers mounted after the core routes (staff console). */
  extra?: express.Router[];
  now?: () => number;
  /** express "trust proxy" (TRUST_PROXY); loopback when unset. */
  trustProxy?: boolean | number | string;
}

/** The web page's policy: only its own script and style, no framing (D8, clickjacking). */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Replaces absolute file paths in a message by their last segment ("…/chats" → "chats"). */
export function withoutPaths(message: string): string {
  return message.replace(/(?:[A-Za-z]:)?(?:[\\/][^\s'",:\\/]+)+/g, (p) => `…/${p.split(/[\\/]/).at(-1)}`);
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

export function createApp(deps: ServerDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const channels = Object.fromEntries(CHANNEL_NAMES.map((c) => [c, deps.channels.has(c)]));
    // A channel the platform says is misconfigured (e.g. OA not verified) fails readiness, with why.
    const problems = [...deps.channels.values()].map((c) => c.problem?.()).filter((p): p is string => p !== undefined);
    try {
      await deps.store.check();
      if (problems.length > 0) throw new Error(problems.join('; '));
      const content = deps.content();
      res.json({ status: 'ready', content: content.version, flows: content.flows.size, procedures: content.procedures.size, units: content.places.size, regions: content.regions.map((r) => r.slug), channels, store: storeHealth(deps.store) });
    } catch (e) {
      // The reason, without file paths: /readyz is reachable by anyone who can reach the server.
      deps.logger.warn({ err: e }, 'not ready');
      res.status(503).json({ status: 'not ready', error: withoutPaths((e as Error).message), channels, store: storeHealth(deps.store) });
    }
  });
  app.get('/metrics', async (_req, res) => {
    for (const [kind, n] of Object.entries(deps.store.damage?.counts() ?? {})) deps.metrics.storeDamaged.set({ kind }, n);
    const backlog = deps.store.backlog?.();
    if (backlog) deps.metrics.storeBacklog.set(backlog.dirty);
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  // Webhooks first: verified on their raw bytes before anything parses them (401 before 400).
  app.use(deps.webhooks);

  app.use(express.json({ limit: '256kb' }));
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));

  app.use(deps.web);
  for (const router of deps.extra ?? []) app.use(router);

  app.use(
    express.static(path.join(import.meta.dirname, '../channels/web/public'), {
      index: 'index.html',
      maxAge: '5m',
      setHeaders: (res) => {
        res.setHeader('Content-Security-Policy', PAGE_CSP);
        res.setHeader('X-Frame-Options', 'DENY');
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'no-referrer');
      },
    }),
  );
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
