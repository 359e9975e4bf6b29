/**
 * inbox.accept: the durable write that comes before the webhook is acknowledged. The same
 * platform delivery (same dedupe key) is accepted once; keys are kept long enough to cover the
 * platforms' retry windows (Telegram keeps undelivered updates up to 24 h).
 */
import type { InboundMessage } from '../channels/channel';
import type { ChatRecord, ChatStore } from '../store/store';

export const DEDUPE_TTL_MS = 48 * 3600_000;
/** Per chat; a citizen does not send thousands of messages in two days. */
export const DEDUPE_MAX_KEYS = 1_000;
/** Inbox entries per chat; beyond this a flood is refused rather than stored without bound. */
export const INBOX_MAX = 200;

export type AcceptResult = { status: 'accepted'; id: string } | { status: 'duplicate' } | { status: 'overloaded' };

export async function acceptInbound(chats: ChatStore, msg: InboundMessage, now: number): Promise<AcceptResult> {
  return chats.update<AcceptResult>({ channel: msg.channel, chatId: msg.chatId }, (record) => {
    if (record.seen[msg.dedupeKey] !== undefined) return { result: { status: 'duplicate' } };
    if (record.inbox.length >= INBOX_MAX) return { result: { status: 'overloaded' } };
    const id = `${msg.receivedAt.toString(36)}-${msg.dedupeKey}`.slice(0, 120);
    record.inbox.push({ id, input: msg.input, receivedAt: msg.receivedAt, ...(msg.meta ? { meta: msg.meta } : {}) });
    record.seen[msg.dedupeKey] = now;
    // The citizen wrote again, so the platform can reach them again (unblocked, window reopened).
    delete record.inactive;
    pruneSeen(record, now);
    return { record, result: { status: 'accepted', id } };
  });
}

function pruneSeen(record: ChatRecord, now: number): void {
  const entries = Object.entries(record.seen);
  if (entries.length <= DEDUPE_MAX_KEYS && entries.every(([, at]) => now - at < DEDUPE_TTL_MS)) return;
  const kept = entries.filter(([, at]) => now - at < DEDUPE_TTL_MS).sort((a, b) => b[1] - a[1]).slice(0, DEDUPE_MAX_KEYS);
  record.seen = Object.fromEntries(kept);
}
