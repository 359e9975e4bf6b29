/**
 * POST /webhooks/telegram through grammY's `webhookCallback`, with an express adapter of our own
 * so that refusals are counted and logged (without the secret) and a body that is not a Telegram
 * update at all gets a 400 instead of reaching grammY. Order: secret (constant-time, by grammY;
 * wrong or missing → 401, nothing stored) → shape → translator → `pipeline.accept` (the durable
 * inbox write) → empty 200. The engine runs after the answer, so a slow send never makes
 * Telegram redeliver. A translator failure is logged and acknowledged (a poison update must not
 * come back forever); a failed inbox write rejects, and Express answers 5xx so Telegram retries.
 */
import { Router, type Request, type Response } from 'express';
import { webhookCallback, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Pipeline } from '../../pipeline/pipeline';
import type { Logger } from '../../server/logger';
import type { Metrics } from '../../server/metrics';
import type { Parsed } from '../channel';
import { telegramToInbound } from './to-inbound';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';
/** Stands in for a body that was already refused with 400, so grammY has nothing to do. */
const REFUSED = { update_id: -1 } as Update;

export interface TelegramWebhookDeps {
  bot: Bot;
  secret: string;
  pipeline: () => Pipeline;
  logger: Logger;
  metrics: Metrics;
  now: () => number;
}

export function telegramWebhook(deps: TelegramWebhookDeps): Router {
  const log = deps.logger.child({ channel: 'telegram' });

  deps.bot.use(async (ctx) => {
    if (ctx.update === REFUSED) return;
    let parsed: Parsed;
    try {
      parsed = telegramToInbound(ctx.update, deps.now());
    } catch (e) {
      log.error({ err: e, update: ctx.update.update_id }, 'telegram update could not be translated; acknowledged and dropped');
      return;
    }
    if (parsed.kind === 'ignore') {
      log.debug({ update: ctx.update.update_id, reason: parsed.reason }, 'telegram update ignored');
      return;
    }
    await deps.pipeline().accept(parsed.message);
  });

  const adapter = (req: Request, res: Response) => ({
    get update(): Update {
      const body: unknown = req.body;
      if (typeof body === 'object' && body !== null && !Array.isArray(body) && Number.isInteger((body as { update_id?: unknown }).update_id)) return body as Update;
      deps.metrics.rejected.inc({ channel: 'telegram', reason: 'body' });
      res.status(400).json({ error: 'not a Telegram update' });
      return REFUSED;
    },
    header: req.header(SECRET_HEADER),
    end: () => {
      if (!res.headersSent) res.end();
    },
    respond: (json: string) => {
      if (!res.headersSent) res.type('application/json').send(json);
    },
    unauthorized: () => {
      deps.metrics.rejected.inc({ channel: 'telegram', reason: 'secret' });
      log.warn({ ip: req.ip, hasHeader: req.header(SECRET_HEADER) !== undefined }, 'telegram webhook with a wrong or missing secret refused');
      res.status(401).send('secret token is wrong');
    },
  });

  const router = Router();
  // onTimeout 'return': if the inbox write ever takes longer, answer anyway rather than 5xx.
  router.post(TELEGRAM_WEBHOOK_PATH, webhookCallback(deps.bot, adapter, { secretToken: deps.secret, onTimeout: 'return', timeoutMilliseconds: 9_000 }));
  return router;
}
