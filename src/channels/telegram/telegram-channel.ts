/**
 * The Telegram channel (grammY). The bot is built with `botInfo`, so no getMe round-trip happens
 * at start or on the first update, and with `client.apiRoot` from TELEGRAM_API_ROOT so tests
 * talk to a loopback fake. Retries are the pipeline's (persisted, ordered, honouring
 * retry_after); grammY's auto-retry is deliberately not installed, so the two don't stack.
 *
 * One reply = one `send`: answer the tapped button's callback query (once per tap), send the
 * text in parts ≤ 4096 with the new keyboard on the last part, then retire the keyboard that
 * was live in the chat (and the tapped one). Only the newest question keeps buttons, so an old
 * question can't fork the conversation; if a stale button is tapped anyway, the engine answers
 * it politely.
 *
 * Crash duplicates (reliability review D15): progress is committed to the chat record right
 * after each sendMessage the platform accepted (`ctx.saveProgress`), so a crash repeats at most
 * the one message in flight; retiring old keyboards is a separate step after all parts, which
 * is idempotent (editing a keyboard that is already gone is a harmless refusal) and remembers
 * which keyboards are still to retire, so a crash in the middle neither re-sends the answer nor
 * leaves the first copy's keyboard live.
 *
 * Webhook: the secret in `X-Telegram-Bot-Api-Secret-Token` (constant time) and the update
 * shape; the inbound route does the rest. Telegram redelivers any non-2xx answer, for up to 24 h.
 */
import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Reply } from '../../engine/types';
import type { Channel, SendContext } from '../channel';
import type { ChannelDeps } from '../registry';
import { secretTokenMatches } from '../secret-token';
import { renderTelegram } from './render-telegram';
import { telegramSendError } from './send-error';
import { telegramToInbound } from './to-inbound';
import { sendRemainingParts } from '../render/send-parts';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramConfig {
  token: string;
  webhookSecret?: string;
  apiRoot: string;
  username?: string;
  /** Sends per second across chats (TELEGRAM_SEND_RATE); Telegram's free bulk limit is about 30. */
  sendRate?: number;
}

/** Telegram's documented bulk limit is about 30 messages per second across chats. */
export const TELEGRAM_RATE_PER_SECOND = 30;

/** What getMe would say, built from the token ("<bot id>:<secret>") and the configured username. */
export function botInfoFromConfig(config: TelegramConfig): UserFromGetMe {
  const id = Number(config.token.split(':')[0]);
  return {
    id: Number.isSafeInteger(id) ? id : 0,
    is_bot: true,
    first_name: config.username ?? 'thutuc',
    username: config.username ?? 'thutuc_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

export function createTelegramChannel(config: TelegramConfig, deps: ChannelDeps): Channel {
  const bot = new Bot(config.token, { botInfo: botInfoFromConfig(config), client: { apiRoot: config.apiRoot, timeoutSeconds: 30 } });
  const api = bot.api;
  const log = deps.logger.child({ channel: 'telegram' });

  /** Runs a side call (callback answer, keyboard edit); a refusal of it alone is not worth failing the reply. */
  async function sideCall(method: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (e) {
      const err = telegramSendError(method, e);
      if (err.kind !== 'invalid') throw err;
      log.debug({ method, err: err.message }, 'telegram side call refused; going on');
    }
  }

  async function send(chatId: string, reply: Reply, ctx: SendContext): Promise<void> {
    const saved = ctx.record.channelState;
    const callbackQueryId = typeof ctx.inboundMeta?.callbackQueryId === 'string' ? ctx.inboundMeta.callbackQueryId : undefined;
    if (callbackQueryId && saved.answeredCallback !== callbackQueryId && ctx.state.answeredCallback !== callbackQueryId) {
      await sideCall('answerCallbackQuery', () => api.answerCallbackQuery(callbackQueryId));
      ctx.state.answeredCallback = callbackQueryId;
    }

    // Which keyboards this reply retires: the live one and the tapped one. Fixed at the first
    // attempt and saved with the entry id, so a retry (or a restart) never retires the new one.
    const pending = (ctx.state.retire ?? saved.retire) as { entry: string; ids: number[] } | null | undefined;
    const retire =
      pending?.entry === ctx.entryId
        ? pending.ids
        : [...new Set([saved.keyboardMessageId, saved.answeredKeyboard === ctx.inboundMeta?.messageId ? undefined : ctx.inboundMeta?.messageId])].filter((id): id is number => typeof id === 'number');
    ctx.state.retire = { entry: ctx.entryId, ids: retire };

    const parts = renderTelegram(reply);
    await sendRemainingParts(ctx, parts, async (part) => {
      let sent;
      try {
        sent = await api.sendMessage(chatId, part.text, { link_preview_options: { is_disabled: true }, ...(part.reply_markup ? { reply_markup: part.reply_markup } : {}) });
      } catch (e) {
        throw telegramSendError('sendMessage', e);
      }
      if (part.reply_markup) ctx.state.keyboardMessageId = sent.message_id;
    });

    // After the new message, so the citizen sees the answer one round trip sooner. Each retired
    // keyboard is committed, so a retry only edits the ones left.
    for (const messageId of retire) {
      await sideCall('editMessageReplyMarkup', () => api.editMessageReplyMarkup(chatId, messageId, { reply_markup: { inline_keyboard: [] } }));
      const left = (ctx.state.retire as { ids: number[] }).ids.filter((id) => id !== messageId);
      ctx.state.retire = { entry: ctx.entryId, ids: left };
      await ctx.saveProgress();
    }
    if (!parts.some((p) => p.reply_markup) && retire.includes(saved.keyboardMessageId as number)) ctx.state.keyboardMessageId = null;
    if (typeof ctx.inboundMeta?.messageId === 'number') ctx.state.answeredKeyboard = ctx.inboundMeta.messageId;
    ctx.state.retire = null;
    ctx.state.partsSent = null;
  }

  const secret = config.webhookSecret ?? '';
  return {
    name: 'telegram',
    limits: { maxText: 4096, buttons: true, ratePerSecond: config.sendRate ?? TELEGRAM_RATE_PER_SECOND },
    verify: (req) => (secretTokenMatches(req.header(SECRET_HEADER), secret) ? { ok: true } : { ok: false, reason: 'secret' }),
    parse(body, _raw, now) {
      if (typeof body !== 'object' || body === null || Array.isArray(body) || !Number.isInteger((body as { update_id?: unknown }).update_id)) return { kind: 'invalid', reason: 'not a Telegram update' };
      return telegramToInbound(body, now);
    },
    // Telegram waits about 60 s for an answer; 9 s leaves room and never acknowledges unstored.
    inbound: { ack: {}, refused: { text: 'secret token is wrong' }, redelivers: true, acceptTimeoutMs: 9_000 },
    send,
  };
}
