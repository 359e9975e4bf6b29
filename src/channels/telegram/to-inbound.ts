/**
 * Telegram update → InboundMessage, as a pure function. Private chats only (the bot serves one
 * citizen at a time; group updates are acknowledged and ignored). Text becomes a text input,
 * "/start" the start input, a button tap a choice (with the callback query id, so the sender can
 * answer it, and the message id, so it can retire that keyboard). Stickers, photos, voice and
 * the like are marked `unsupported` and get the "I only read text" reply. Anything else
 * (edits, membership changes, service messages) is ignored. Dedupe key: the update id, which
 * Telegram keeps for redeliveries (https://core.telegram.org/bots/api#update).
 */
import { z } from 'zod';
import type { Parsed } from '../channel';

/** Longest text we pass on; Telegram itself caps messages at 4096 characters. */
const MAX_INPUT = 4096;

const Chat = z.object({ id: z.number().int(), type: z.string() });
const Message = z.object({ message_id: z.number().int(), chat: Chat, text: z.string().optional() });
const CallbackQuery = z.object({ id: z.string().min(1), data: z.string().optional(), message: z.object({ message_id: z.number().int(), chat: Chat }).optional() });
const Update = z.object({ update_id: z.number().int().nonnegative(), message: Message.optional(), callback_query: CallbackQuery.optional() });

/** Message kinds we can't read but answer politely; other text-less messages are service noise. */
const MEDIA_KINDS = ['sticker', 'photo', 'animation', 'video', 'video_note', 'voice', 'audio', 'document', 'location', 'venue', 'contact', 'poll', 'dice', 'story'] as const;

/** Matches the fallback callback_data used when an option id is longer than Telegram's 64 bytes. */
const NUMBERED = /^#(\d{1,2})$/;

export function telegramToInbound(body: unknown, receivedAt: number): Parsed {
  const parsed = Update.safeParse(body);
  if (!parsed.success) return { kind: 'ignore', reason: 'not an update we understand' };
  const update = parsed.data;
  const dedupeKey = `u${update.update_id}`;

  if (update.callback_query) {
    const q = update.callback_query;
    if (!q.message) return { kind: 'ignore', reason: 'callback without a message (inline mode)' };
    if (q.message.chat.type !== 'private') return { kind: 'ignore', reason: 'not a private chat' };
    if (q.data === undefined || q.data === '') return { kind: 'ignore', reason: 'callback without data' };
    const numbered = NUMBERED.exec(q.data);
    return {
      kind: 'message',
      message: {
        channel: 'telegram',
        chatId: String(q.message.chat.id),
        dedupeKey,
        input: numbered ? { kind: 'text', value: numbered[1]! } : { kind: 'choice', value: q.data },
        receivedAt,
        meta: { callbackQueryId: q.id, messageId: q.message.message_id },
      },
    };
  }

  if (update.message) {
    const m = update.message;
    if (m.chat.type !== 'private') return { kind: 'ignore', reason: 'not a private chat' };
    const base = { channel: 'telegram' as const, chatId: String(m.chat.id), dedupeKey, receivedAt };
    if (m.text !== undefined) {
      // A deep link t.me/<bot>?start=<flow-id> arrives as "/start <flow-id>": the engine opens that flow.
      if (/^\/start(@\w+)?\s+[A-Za-z0-9_-]{1,64}\s*$/.test(m.text)) return { kind: 'message', message: { ...base, input: { kind: 'text', value: m.text.trim() } } };
      if (/^\/start(@\w+)?(\s|$)/.test(m.text)) return { kind: 'message', message: { ...base, input: { kind: 'start' } } };
      return { kind: 'message', message: { ...base, input: { kind: 'text', value: m.text.slice(0, MAX_INPUT) } } };
    }
    const raw = (body as { message: Record<string, unknown> }).message;
    const media = MEDIA_KINDS.find((k) => raw[k] !== undefined);
    if (media) return { kind: 'message', message: { ...base, input: { kind: 'text', value: '' }, meta: { unsupported: media } } };
    return { kind: 'ignore', reason: 'service message' };
  }

  return { kind: 'ignore', reason: 'update kind not handled' };
}
