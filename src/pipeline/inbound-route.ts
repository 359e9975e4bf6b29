/**
 * The one webhook route, `POST /webhooks/:name`, for every platform channel:
 *   verify (secret / signature / replay window, on the exact bytes) → parse → accept (the
 *   durable inbox write) → answer.
 * Written once, so every channel gets the same guarantees (reliability review D5, D14, D16):
 * - a forged request gets 401 before its body is even parsed (a bad-JSON forgery is 401, not
 *   400), whatever its content type; refusals are counted, logged once per address per minute
 *   (refusal-log.ts), and past 30 refusals a minute an address gets 429 for the rest of that
 *   minute (verified requests from it still pass);
 * - a platform is acknowledged only after its message is stored: a full inbox → 429 and an
 *   inbox write that fails or takes longer than the channel's limit → 503, which Telegram and
 *   Zalo Bot deliver again (the dedupe key makes a late-finishing write count once);
 * - for a platform that never delivers again (Zalo OA), a verified message the inbox could not
 *   take goes to the local spool and is acknowledged (inbound-spool.ts); only when even the
 *   spool can't be written does it answer 503.
 */
import express, { Router, type Request, type Response } from 'express';
import type { Channel, InboundMessage, InboundPolicy } from '../channels/channel';
import { chatRef, type Logger } from '../server/logger';
import type { Metrics } from '../server/metrics';
import type { AcceptResult } from './inbox';
import type { InboundSpool } from './inbound-spool';
import { RefusalLog } from './refusal-log';

export const webhookPath = (name: string) => `/webhooks/${name}`;

/** Headers whose presence (not value) is logged with a refusal. */
const SIGNAL_HEADERS = ['x-telegram-bot-api-secret-token', 'x-bot-api-secret-token', 'x-zevent-signature', 'num_retry'];

export interface InboundRouteDeps {
  channels: ReadonlyMap<string, Channel>;
  accept(msg: InboundMessage): Promise<AcceptResult>;
  spool: InboundSpool;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
  /** Refused (401) webhooks allowed per address per minute before 429. */
  refusedPerMinute?: number;
}

export interface InboundRoute {
  router: Router;
  close(): void;
}

class TimedOut extends Error {}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`inbox write took longer than ${ms} ms`)), ms);
  });
  // The write goes on after a timeout; its outcome must not become an unhandled rejection.
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function answer(res: Response, status: number, body: { json?: unknown; text?: string }): void {
  if (res.headersSent) return;
  res.status(status);
  if (body.json !== undefined) res.json(body.json);
  else res.type('text/plain').send(body.text ?? '');
}

export function inboundRoute(deps: InboundRouteDeps): InboundRoute {
  const log = deps.logger.child({ route: 'webhook' });
  const refusals = new RefusalLog(log, deps.now);
  const router = Router();
  const refusedPerMinute = deps.refusedPerMinute ?? 30;

  router.post(
    '/webhooks/:name',
    (req, res, next) => {
      const channel = deps.channels.get(String(req.params.name));
      if (!channel?.verify || !channel.parse || !channel.inbound) {
        res.status(404).json({ error: 'no such webhook' });
        return;
      }
      next();
    },
    // Raw bytes of any content type: signatures cover the exact bytes, and a correctly signed
    // event must not be refused for its Content-Type.
    express.raw({ type: () => true, limit: '256kb' }),
    async (req: Request, res: Response) => {
      const name = String(req.params.name);
      const channel = deps.channels.get(name)!;
      const policy = channel.inbound!;
      const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const now = deps.now();
      // Zalo OA marks its retries; a retry means an earlier answer was late or never arrived.
      if (req.header('num_retry') !== undefined) deps.metrics.redeliveries.inc({ channel: name });

      const verdict = channel.verify!({ header: (h) => req.header(h), rawBody }, now);
      if (!verdict.ok) {
        deps.metrics.rejected.inc({ channel: name, reason: verdict.reason });
        const shape = { bytes: rawBody.length, contentType: req.header('content-type') ?? null, headers: SIGNAL_HEADERS.filter((h) => req.header(h) !== undefined) };
        const { inWindow, resetInMs } = refusals.note(req.ip, name, verdict.reason, shape);
        // Throttle guessing, but only the requests that fail verification: a genuine platform
        // behind the same address (or proxy) is never slowed by someone else's guesses.
        if (inWindow > refusedPerMinute) {
          res.setHeader('Retry-After', String(Math.ceil(resetInMs / 1000)));
          return answer(res, 429, { json: { error: 'too many refused requests from this address; try again later' } });
        }
        return answer(res, 401, policy.refused);
      }

      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        deps.metrics.rejected.inc({ channel: name, reason: 'body' });
        return answer(res, 400, { json: { error: 'the body is not valid JSON' } });
      }

      let parsed;
      try {
        parsed = channel.parse!(body, rawBody, now);
      } catch (e) {
        // A poison body must not come back forever: logged and acknowledged.
        log.error({ err: e, channel: name }, 'webhook body could not be translated; acknowledged and dropped');
        return answer(res, 200, policy.ack);
      }
      if (parsed.kind === 'invalid') {
        deps.metrics.rejected.inc({ channel: name, reason: 'body' });
        return answer(res, 400, { json: { error: parsed.reason } });
      }
      if (parsed.kind === 'ignore') {
        log.debug({ channel: name, reason: parsed.reason }, 'webhook ignored');
        return answer(res, 200, policy.ack);
      }

      const msg = parsed.message;
      const outcome = await store(msg, policy);
      if (outcome === 'stored') {
        answer(res, 200, policy.ack);
        if (channel.afterAccept) channel.afterAccept(msg);
        return;
      }
      if (outcome === 'duplicate' || outcome === 'spooled') return answer(res, 200, policy.ack);
      if (outcome === 'inbox_full') {
        res.setHeader('Retry-After', '30');
        return answer(res, 429, { json: { error: 'too many messages waiting in this chat; deliver again later' } });
      }
      res.setHeader('Retry-After', '5');
      return answer(res, 503, { json: { error: 'not stored; deliver again' } });
    },
  );

  type Outcome = 'stored' | 'duplicate' | 'spooled' | 'inbox_full' | 'not_stored';

  async function store(msg: InboundMessage, policy: InboundPolicy): Promise<Outcome> {
    const chat = chatRef(msg.channel, msg.chatId);
    let reason: 'inbox_full' | 'store_failed' | 'timeout';
    try {
      const r = await within(deps.accept(msg), policy.acceptTimeoutMs);
      if (r.status === 'accepted') return 'stored';
      if (r.status === 'duplicate') return 'duplicate';
      reason = 'inbox_full';
    } catch (e) {
      reason = e instanceof TimedOut ? 'timeout' : 'store_failed';
      log.error({ err: e instanceof TimedOut ? e.message : e, channel: msg.channel, chat }, 'inbox write failed');
    }
    if (!policy.redelivers) {
      try {
        await deps.spool.append(msg);
        deps.metrics.spooled.inc({ channel: msg.channel, reason });
        log.warn({ channel: msg.channel, chat, reason }, 'message spooled locally; it is accepted when the store can take it');
        return 'spooled';
      } catch (e) {
        log.error({ err: e, channel: msg.channel, chat }, 'message could not be spooled either');
      }
    }
    deps.metrics.refused.inc({ channel: msg.channel, reason });
    log.warn({ channel: msg.channel, chat, reason }, 'message refused; the platform is asked to deliver it again');
    return reason === 'inbox_full' ? 'inbox_full' : 'not_stored';
  }

  return { router, close: () => refusals.close() };
}
