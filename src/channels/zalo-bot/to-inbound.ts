/**
 * Zalo Bot webhook body → InboundMessage, as a pure function. The official docs show the event
 * wrapped as `{ ok: true, result: { event_name, message } }`; OpenClaw's production plugin
 * reports the bare `{ event_name, message }` — both are accepted. Private chats only (group
 * chats are an internal beta). Text becomes a text input; images and stickers are marked
 * `unsupported` and get the "I only read text" reply; `message.unsupported.received` (a sender
 * from a protected group, sent without content) and unknown events are ignored. There is no
 * update id: the dedupe key is event name + message_id (https://docs.zaloplatforms.com/docs/BOT/webhook).
 */
import { z } from 'zod';
import type { Parsed } from '../channel';

/** Zalo caps a message at 2000 characters. */
const MAX_INPUT = 2000;

const Message = z.object({
  message_id: z.string().min(1).max(200),
  // Hex strings in every sample; the id names the chat's file, so anything else is refused.
  chat: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), chat_type: z.string().optional() }),
  text: z.string().optional(),
});
const Event = z.object({ event_name: z.string(), message: Message.optional() });

const MEDIA_EVENTS: Record<string, string> = {
  'message.image.received': 'image',
  'message.sticker.received': 'sticker',
  'message.voice.received': 'voice',
};

export function zaloBotToInbound(body: unknown, receivedAt: number): Parsed {
  const wrapped = body as { ok?: unknown; result?: unknown } | null;
  const candidate = wrapped && typeof wrapped === 'object' && wrapped.ok === true && wrapped.result ? wrapped.result : body;
  const parsed = Event.safeParse(candidate);
  if (!parsed.success) return { kind: 'ignore', reason: 'not an event we understand' };
  const { event_name: event, message } = parsed.data;
  if (!message) return { kind: 'ignore', reason: `${event} without a message` };
  if (message.chat.chat_type !== undefined && message.chat.chat_type !== 'PRIVATE') return { kind: 'ignore', reason: 'not a private chat' };
  const base = { channel: 'zalo-bot' as const, chatId: message.chat.id, dedupeKey: `${event}:${message.message_id}`, receivedAt };
  if (event === 'message.text.received') {
    if (message.text === undefined) return { kind: 'ignore', reason: 'text event without text' };
    return { kind: 'message', message: { ...base, input: { kind: 'text', value: message.text.slice(0, MAX_INPUT) } } };
  }
  const media = MEDIA_EVENTS[event];
  if (media) return { kind: 'message', message: { ...base, input: { kind: 'text', value: '' }, meta: { unsupported: media } } };
  return { kind: 'ignore', reason: `event ${event} not handled` };
}
