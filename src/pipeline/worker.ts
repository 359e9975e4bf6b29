/**
 * The per-chat worker step: take the oldest inbox entry, run it through the handler (the engine,
 * or the handoff router while a case is open), and commit the new session, the replies (into the
 * outbox) and the inbox removal in one atomic write.
 */
import { newSession, step } from '../engine/step';
import type { Content, EngineEvent, Locale, Reply, Session } from '../engine/types';
import type { ChatKey, ChatRecord, ChatStore, InboxEntry, OutboxEntry, TranscriptLine } from '../store/store';

/** Lines of transcript kept per chat for staff taking over. */
export const TRANSCRIPT_MAX = 40;

export interface HandlerResult {
  session: Session | undefined;
  replies: Reply[];
  events: EngineEvent[];
}

/**
 * Handles one inbox entry. May change other fields of `record` (e.g. caseId); runs under the
 * chat's lock, so it may await other stores (it must be idempotent for the same entry id,
 * because a crash before the commit makes the entry run again).
 */
export type MessageHandler = (record: ChatRecord, entry: InboxEntry, now: number) => Promise<HandlerResult> | HandlerResult;

export function engineHandler(content: () => Content, defaultLocale: Locale): MessageHandler {
  return (record, entry, now) => {
    const session = record.session ?? newSession(defaultLocale, now);
    // A sticker, photo, voice… (channels mark it `unsupported`): say politely we read text only.
    // A shared location is acknowledged as such: thutuc has no office coordinates (sources/ holds
    // none), so it cannot pick the nearest office and asks for the commune or ward by name.
    const unsupported = entry.meta?.unsupported;
    if (typeof unsupported === 'string') return { session: record.session, replies: [{ text: content().t(session.locale, unsupported === 'location' ? 'channel.location_received' : 'channel.text_only') }], events: [] };
    return step(content(), session, entry.input, now);
  };
}

export interface Processed {
  entry: InboxEntry;
  /** The handler threw: the message was answered with the error replies and taken off the inbox. */
  error?: unknown;
  /** Replies queued for the sender. */
  outbox: OutboxEntry[];
  /** Replies the channel delivered inside this commit (see `Channel.deliverInCommit`). */
  delivered: OutboxEntry[];
  events: EngineEvent[];
  record: ChatRecord;
}

/**
 * Processes the oldest inbox entry; undefined when the inbox is empty.
 * A handler that throws is a bug for that one message; left in the inbox it would block the chat
 * forever (a poison message). It is answered with `errorReplies` and the chat moves on.
 */
export function processNext(
  chats: ChatStore,
  key: ChatKey,
  handler: MessageHandler,
  now: () => number,
  deliverInCommit?: (record: ChatRecord, entry: OutboxEntry) => void,
  errorReplies: (record: ChatRecord) => Reply[] = () => [],
): Promise<Processed | undefined> {
  return chats.update(key, async (stored) => {
    const entry = stored.inbox[0];
    if (!entry) return { result: undefined };
    const at = now();
    const said = describeInput(entry, stored);
    let result: HandlerResult;
    let error: unknown;
    // The handler may change the record (e.g. caseId); a handler that throws changes nothing.
    let record = structuredClone(stored);
    try {
      result = await handler(record, entry, at);
    } catch (e) {
      error = e;
      record = stored;
      result = { session: record.session, replies: errorReplies(record), events: [] };
    }
    record.session = result.session;
    const replies: OutboxEntry[] = result.replies.map((reply, i) => ({ id: `${entry.id}#${i}`, reply, inboundId: entry.id, receivedAt: entry.receivedAt, from: 'bot', createdAt: at, attempts: 0, ...(entry.meta ? { meta: entry.meta } : {}) }));
    // A reply may only skip the outbox when nothing older is waiting there, or order would break.
    const inline = deliverInCommit && record.outbox.length === 0;
    if (inline) for (const r of replies) deliverInCommit(record, r);
    else record.outbox.push(...replies);
    record.inbox.shift();
    // A staff reply made on the platform itself (Zalo OA admin) is the staff's line, not the citizen's.
    appendTranscript(record, [{ at: entry.receivedAt, from: entry.meta?.staffEcho !== undefined ? 'staff' : 'user', text: said }, ...replies.map((o) => ({ at, from: 'bot' as const, text: o.reply.text }))]);
    return { record, result: { entry, outbox: inline ? [] : replies, delivered: inline ? replies : [], events: result.events, record, ...(error !== undefined ? { error } : {}) } };
  });
}

export function appendTranscript(record: ChatRecord, lines: TranscriptLine[]): void {
  record.transcript.push(...lines);
  if (record.transcript.length > TRANSCRIPT_MAX) record.transcript.splice(0, record.transcript.length - TRANSCRIPT_MAX);
}

/** What the citizen did, in words staff can read: the typed text or the label of the tapped option. */
export function describeInput(entry: InboxEntry, record: ChatRecord): string {
  const input = entry.input;
  // A sticker or photo (marked `unsupported` by its channel) shows as "[sticker]" rather than blank.
  if (input.kind === 'text') return input.value === '' && typeof entry.meta?.unsupported === 'string' ? `[${entry.meta.unsupported}]` : input.value;
  if (input.kind === 'start') return '/start';
  const option = record.session?.pending?.options.find((o) => o.id === input.value);
  return option ? `[${option.label}]` : `[${input.value}]`;
}
