/**
 * The Zalo Bot Platform channel. The API has no buttons (no reply_markup, no callback events in
 * the official docs), so options are numbered lines and the citizen types the number; texts are
 * split at 2000 characters (the documented sendMessage limit). After a message is stored, a
 * `typing` chat action is sent without waiting for it, so the citizen sees the bot working
 * while the engine and the sender run.
 *
 * Errors (https://bot.zaloplatforms.com/docs/error-code/, via the offline handbook): 429 quota
 * → retry; 5xx, 408 and 403 (which Zalo documents as "internal server error") and no answer →
 * retry; 401 (token refused) and other 4xx → this message is dropped and logged. No Zalo error
 * is documented as "user blocked the bot", so this channel never marks a chat unreachable.
 */
import { Router, type Request, type Response } from 'express';
import type { Reply } from '../../engine/types';
import { plainText } from '../render/plain-text';
import { splitText } from '../render/split-text';
import { SendError, type Channel, type SendContext } from '../channel';
import type { ChannelDeps } from '../index';
import { secretTokenMatches } from './secret-token';
import { zaloBotToInbound } from './to-inbound';
import { createZaloBotClient, ZaloBotApiError, ZaloBotHttpError, type ZaloBotClient } from './zalo-bot-client';
import { sendRemainingParts } from '../render/send-parts';

export const ZALO_BOT_WEBHOOK_PATH = '/webhooks/zalo-bot';
export const ZALO_BOT_MAX_TEXT = 2000;

export interface ZaloBotConfig {
  token: string;
  webhookSecret?: string;
  apiRoot: string;
}

export function zaloBotSendError(e: unknown): SendError {
  if (e instanceof SendError) return e;
  if (e instanceof ZaloBotApiError) {
    const code = e.errorCode;
    if (code === 429 || code === 408 || code === 403 || code >= 500 || e.httpStatus >= 500) return new SendError(e.message, 'retry', undefined, { cause: e });
    return new SendError(e.message, 'invalid', undefined, { cause: e });
  }
  if (e instanceof ZaloBotHttpError) return new SendError(e.message, e.httpStatus !== undefined && e.httpStatus < 500 && e.httpStatus !== 429 ? 'invalid' : 'retry', undefined, { cause: e });
  return new SendError(`zalo-bot: ${(e as Error)?.message ?? String(e)}`, 'retry', undefined, { cause: e });
}

export function createZaloBotChannel(config: ZaloBotConfig, deps: ChannelDeps, client: ZaloBotClient = createZaloBotClient(config)): Channel {
  const log = deps.logger.child({ channel: 'zalo-bot' });
  const secret = config.webhookSecret ?? '';

  async function send(chatId: string, reply: Reply, ctx: SendContext): Promise<void> {
    const locale = ctx.record.session?.locale ?? deps.config.defaultLocale;
    const text = plainText(reply, { numbered: true, hint: deps.content().t(locale, 'channel.reply_with_number') });
    await sendRemainingParts(ctx, splitText(text, ZALO_BOT_MAX_TEXT), async (part) => {
      try {
        await client.call('sendMessage', { chat_id: chatId, text: part });
      } catch (e) {
        const err = zaloBotSendError(e);
        if (err.kind === 'invalid') log.error({ err: err.message }, 'zalo-bot refused a message');
        throw err;
      }
    });
    ctx.state.partsSent = null;
  }

  function router(): Router {
    const r = Router();
    r.post(ZALO_BOT_WEBHOOK_PATH, async (req: Request, res: Response) => {
      if (!secretTokenMatches(req.header('x-bot-api-secret-token'), secret)) {
        deps.metrics.rejected.inc({ channel: 'zalo-bot', reason: 'secret' });
        log.warn({ ip: req.ip, hasHeader: req.header('x-bot-api-secret-token') !== undefined }, 'zalo-bot webhook with a wrong or missing secret refused');
        res.status(401).json({ message: 'Unauthorized' });
        return;
      }
      if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
        deps.metrics.rejected.inc({ channel: 'zalo-bot', reason: 'body' });
        res.status(400).json({ message: 'expected a JSON object' });
        return;
      }
      let parsed;
      try {
        parsed = zaloBotToInbound(req.body, deps.now());
      } catch (e) {
        log.error({ err: e }, 'zalo-bot event could not be translated; acknowledged and dropped');
        res.json({ message: 'Success' });
        return;
      }
      if (parsed.kind === 'ignore') {
        log.debug({ reason: parsed.reason }, 'zalo-bot event ignored');
        res.json({ message: 'Success' });
        return;
      }
      // A failed inbox write throws: Express answers 5xx and Zalo may deliver again.
      const accepted = await deps.pipeline().accept(parsed.message);
      res.json({ message: 'Success' });
      if (accepted.status === 'accepted') {
        client.call('sendChatAction', { chat_id: parsed.message.chatId, action: 'typing' }).catch((e: unknown) => log.debug({ err: (e as Error).message }, 'typing indicator not shown'));
      }
    });
    return r;
  }

  return {
    name: 'zalo-bot',
    // No published send rate; 20/s keeps well under what the other platforms allow.
    limits: { maxText: ZALO_BOT_MAX_TEXT, buttons: false, ratePerSecond: 20 },
    router,
    send,
  };
}
