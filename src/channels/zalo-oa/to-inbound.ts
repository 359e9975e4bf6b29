/**
 * Zalo OA webhook event → InboundMessage, as a pure function. Events are top-level JSON
 * (`{ app_id, event_name, sender: { id }, recipient: { id }, message: { text, msg_id },
 * timestamp }`). `user_send_text` becomes a text input from `sender.id`; images, stickers,
 * files, audio, video and cards from a user are marked `unsupported` and get the "I only read
 * text" reply; a location (`user_send_location`, coordinates in `attachments[0].payload`) is
 * marked `unsupported: 'location'` and gets its own answer: thutuc has no office coordinates to
 * compare with, so it asks for the commune or ward by name, and the coordinates (personal
 * data) are not kept. `follow` becomes a start input from `follower.id`, so a new
 * follower gets the welcome and the menu. Everything else is ignored: unfollow, and the OA's own events (`oa_send_*`, `user_received_message`, `user_seen_message`) whose
 * sender is the OA — answering those would loop. The exception is an `oa_send_*` that carries
 * `sender.admin_id`: a human admin replied from the OA chat tool (oa.zalo.me); it becomes a
 * message of the recipient's chat marked `meta.staffEcho`: the handoff opens (or joins) a case
 * claimed by the OA app, so the console shows it, the bot stops answering that citizen and the
 * line lands in the transcript (handoff/app-staff-case.ts; docs/refs/zalo-2026.md §4.3 #5).
 * Dedupe key: event name + `msg_id`, or a hash of
 * the raw body when an event has no message id (Zalo redelivers the same bytes).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Parsed } from '../channel';

const MAX_INPUT = 2000;
/**
 * Ids are digit strings in every sample; numbers are accepted only if exact (below 2^53). The
 * id names the chat's file, so anything else (long, non-ASCII) is refused here.
 */
const Id = z.union([z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), z.number().int().nonnegative().refine(Number.isSafeInteger).transform(String)]);
const Event = z.object({
  event_name: z.string(),
  sender: z.object({ id: Id, admin_id: z.union([z.string(), z.number()]).optional() }).optional(),
  recipient: z.object({ id: Id }).optional(),
  follower: z.object({ id: Id }).optional(),
  oa_id: Id.optional(),
  message: z.object({ text: z.string().optional(), msg_id: z.string().max(200).optional() }).optional(),
});

const MEDIA_EVENTS: Record<string, string> = {
  user_send_image: 'image',
  user_send_sticker: 'sticker',
  user_send_gif: 'gif',
  user_send_file: 'file',
  user_send_audio: 'audio',
  user_send_video: 'video',
  user_send_location: 'location',
  user_send_business_card: 'business_card',
  user_send_link: 'link',
};

export function zaloOaToInbound(body: unknown, rawBody: Buffer | string, receivedAt: number): Parsed {
  const parsed = Event.safeParse(body);
  if (!parsed.success) return { kind: 'ignore', reason: 'not an event we understand' };
  const { event_name: event, sender, message, follower, recipient, oa_id } = parsed.data;
  const rawKey = () => `raw:${createHash('sha256').update(rawBody).digest('hex').slice(0, 32)}`;
  if (event === 'follow') {
    if (!follower) return { kind: 'ignore', reason: 'follow without a follower' };
    return { kind: 'message', message: { channel: 'zalo-oa', chatId: follower.id, dedupeKey: rawKey(), receivedAt, input: { kind: 'start' }, ...(oa_id ? { meta: { oaId: oa_id } } : {}) } };
  }
  if (event.startsWith('oa_send_') && sender?.admin_id !== undefined && recipient) {
    const said = event === 'oa_send_text' ? (message?.text ?? '') : `[${event.slice('oa_send_'.length)}]`;
    return { kind: 'message', message: { channel: 'zalo-oa', chatId: recipient.id, dedupeKey: message?.msg_id ? `${event}:${message.msg_id}` : rawKey(), receivedAt, input: { kind: 'text', value: said.slice(0, MAX_INPUT) }, meta: { staffEcho: 'oa-admin', ...(sender.id ? { oaId: sender.id } : {}) } } };
  }
  const isText = event === 'user_send_text';
  const media = MEDIA_EVENTS[event];
  if (!isText && !media) return { kind: 'ignore', reason: `event ${event} not handled` };
  if (!sender) return { kind: 'ignore', reason: `${event} without a sender` };
  const dedupeKey = message?.msg_id ? `${event}:${message.msg_id}` : rawKey();
  const base = { channel: 'zalo-oa' as const, chatId: sender.id, dedupeKey, receivedAt };
  // Which OA the citizen wrote to (several OAs may share the app's webhook).
  const oa = recipient ? { oaId: recipient.id } : {};
  if (isText) {
    if (message?.text === undefined) return { kind: 'ignore', reason: 'text event without text' };
    return { kind: 'message', message: { ...base, input: { kind: 'text', value: message.text.slice(0, MAX_INPUT) }, ...(recipient ? { meta: oa } : {}) } };
  }
  return { kind: 'message', message: { ...base, input: { kind: 'text', value: '' }, meta: { unsupported: media, ...oa } } };
}
