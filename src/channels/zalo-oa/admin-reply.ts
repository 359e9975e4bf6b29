/**
 * A human admin answering from the Zalo OA chat tool (oa.zalo.me/chatv2) while the bot also
 * serves the OA (docs/refs/zalo-2026.md §4.3 #5). Zalo echoes the admin's message as `oa_send_*`
 * with `sender.admin_id` (to-inbound.ts marks it `meta.staffEcho`). This handler wrapper, the
 * outermost one, then pauses the bot for that citizen: the admin's line is kept in the
 * transcript as staff, and the citizen's next messages are stored and shown to staff but not
 * answered by the bot for `pauseMs` after the admin's last reply (a person is talking to them).
 * "menu" or "quay lại bot" from the citizen ends the pause at once.
 */
import type { Content } from '../../engine/types';
import type { MessageHandler } from '../../pipeline/worker';

export const ADMIN_PAUSE_MS = 2 * 3600_000;

export function pauseForOaAdmin(inner: MessageHandler, content: () => Content, pauseMs = ADMIN_PAUSE_MS): MessageHandler {
  return async (record, entry, now) => {
    if (record.channel !== 'zalo-oa') return inner(record, entry, now);
    if (entry.meta?.staffEcho !== undefined) {
      record.channelState = { ...record.channelState, humanSince: now };
      return { session: record.session, replies: [], events: [] };
    }
    const since = record.channelState.humanSince;
    if (typeof since === 'number' && now - since < pauseMs) {
      const input = entry.input;
      const intent = input.kind === 'text' ? content().intents.match(input.value) : undefined;
      if (input.kind === 'start' || intent === 'menu' || intent === 'end_handoff') {
        record.channelState = { ...record.channelState, humanSince: null };
        return inner(record, entry, now);
      }
      return { session: record.session, replies: [], events: [] };
    }
    return inner(record, entry, now);
  };
}
