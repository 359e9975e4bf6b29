/**
 * The Zalo Bot Platform channel. The API has no buttons (no reply_markup, no callback events in
 * the official docs), so options are numbered lines and the citizen types the number; texts are
 * split at 2000 characters (the documented sendMessage limit). After a message is stored, a
 * `typing` chat action is sent without waiting for it, so the citizen sees the bot working
 * while the engine and the sender run.
 *
 * Webhook: the secret given to setWebhook comes back in `X-Bot-Api-Secret-Token` (checked in
 * constant time; wrong or missing → 401 before the body is even parsed). Docs:
 * https://docs.zaloplatforms.com/docs/BOT (see docs/refs/zalo-2026.md §4.1).
 *
 * Errors (https://docs.zaloplatforms.com/docs/BOT/error_code): 429 quota
 * → retry; 5xx, 408 and 403 (which Zalo documents as "internal server error") and no answer →
 * retry; 401 (token refused) and other 4xx → this message is dropped and logged. No Zalo error
 * is documented as "user blocked the bot", so this channel never marks a chat unreachable.
 */
import type { Reply } from '../../engine/types';
import { sendNumbered } from '../render/numbered-send';
import { SendError, type Channel, type SendContext } from '../channel';
import type { ChannelDeps } from '../registry';
import { secretTokenMatches } from '../secret-token';
import { zaloBotToInbound } from './to-inbound';
import { createZaloBotClient, ZaloBotApiError, ZaloBotHttpError, type ZaloBotClient } from './zalo-bot-client';

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
    await sendNumbered(deps, reply, ctx, ZALO_BOT_MAX_TEXT, async (part) => {
      try {
        await client.call('sendMessage', { chat_id: chatId, text: part });
      } catch (e) {
        const err = zaloBotSendError(e);
        if (err.kind === 'invalid') log.error({ err: err.message }, 'zalo-bot refused a message');
        throw err;
      }
    });
  }

  return {
    name: 'zalo-bot',
    // No published send rate; 20/s keeps well under what the other platforms allow.
    limits: { maxText: ZALO_BOT_MAX_TEXT, buttons: false, ratePerSecond: 20 },
    verify: (req) => (secretTokenMatches(req.header('x-bot-api-secret-token'), secret) ? { ok: true } : { ok: false, reason: 'secret' }),
    parse(body, _raw, now) {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return { kind: 'invalid', reason: 'expected a JSON object' };
      return zaloBotToInbound(body, now);
    },
    // Zalo Bot delivers again after a non-2xx, like Telegram; its timeout is not published.
    inbound: { ack: { json: { message: 'Success' } }, refused: { json: { message: 'Unauthorized' } }, redelivers: true, acceptTimeoutMs: 5_000 },
    afterAccept(message) {
      // The citizen sees the bot working while the engine and the sender run.
      client.call('sendChatAction', { chat_id: message.chatId, action: 'typing' }).catch((e: unknown) => log.debug({ err: (e as Error).message }, 'typing indicator not shown'));
    },
    send,
  };
}
