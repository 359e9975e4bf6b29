/**
 * Handoff cases: what staff see when the bot passes a conversation to a person. A case goes
 * open → claimed → closed; it carries the channel and chat (to reply through the citizen's own
 * channel), the answers and place the bot had collected, the conversation before the handoff and
 * the messages exchanged since. Persisted with a `version` and parsed on every load.
 */
import { z } from 'zod';
import { fold } from '../engine/normalize';
import { CHANNEL_NAMES, type ChannelName } from './store';

export const CaseStatus = z.enum(['open', 'claimed', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatus>;

/**
 * Why the case opened: the citizen asked, the flow sent them, the bot missed several times, or
 * (`oa_app`) a staff member answered the citizen from the Zalo OA chat tool itself (oa.zalo.me),
 * outside the console, so the console shows who is talking to them (docs/refs/zalo-2026.md §4.3 #5).
 */
export const CaseReason = z.enum(['asked', 'flow', 'misses', 'oa_app']);
export type CaseReason = z.infer<typeof CaseReason>;

export const CaseMessage = z.object({
  /** Inbox entry id for citizen messages (dedupes a replayed entry), generated for staff lines. */
  id: z.string(),
  at: z.number(),
  from: z.enum(['user', 'bot', 'staff', 'system']),
  text: z.string(),
  /** Staff username for staff and system lines. */
  by: z.string().optional(),
});
export type CaseMessage = z.infer<typeof CaseMessage>;

export const CaseAnswer = z.object({ node: z.string(), question: z.string(), answer: z.string() });
export type CaseAnswer = z.infer<typeof CaseAnswer>;

/** A private note on a case: staff only, never sent to the citizen. */
export const CaseNote = z.object({ id: z.string(), at: z.number(), by: z.string(), text: z.string() });
export type CaseNote = z.infer<typeof CaseNote>;

/** The kinds of office a case can be routed to (the content's OfficeKind). */
export const CaseOfficeKind = z.enum(['commune_center', 'commune_police', 'province_center', 'provincial_police', 'other']);

/**
 * `claimedBy` and `by` of a case answered from the Zalo OA chat tool: Zalo tells only that an
 * admin answered (`sender.admin_id`), not which console account. The `@` keeps it apart from
 * every username (staff-users.ts USERNAME), and the views show it as words.
 */
export const OA_APP_STAFF = '@zalo-oa-app';

/** The queue of the province: cases with no place, or for a provincial office. */
export const PROVINCE_QUEUE = 'province';

export const Case = z.object({
  version: z.literal(1),
  id: z.string(),
  channel: z.enum(CHANNEL_NAMES as [ChannelName, ...ChannelName[]]),
  chatId: z.string(),
  status: CaseStatus,
  reason: CaseReason,
  locale: z.enum(['vi', 'en']),
  /** The flow the citizen was in, with its title at the time (content may change later). */
  flow: z.object({ id: z.string(), title: z.string(), node: z.string() }).optional(),
  answers: z.array(CaseAnswer).default([]),
  place: z.object({ code: z.string(), name: z.string() }).optional(),
  /** The chat's last lines before the handoff (a copy: the chat keeps only a bounded tail). */
  transcript: z.array(CaseMessage).default([]),
  /** Messages exchanged since the case opened, both ways. Bounded by CASE_MESSAGES_MAX. */
  messages: z.array(CaseMessage).default([]),
  openedAt: z.number(),
  updatedAt: z.number(),
  /** Since when the citizen has been waiting for a staff answer; unset once staff replied. */
  waitingSince: z.number().optional(),
  claimedBy: z.string().optional(),
  claimedAt: z.number().optional(),
  closedAt: z.number().optional(),
  closedBy: z.object({ kind: z.enum(['staff', 'citizen', 'retention']), user: z.string().optional() }).optional(),
  /** Set by the retention sweep once the texts of an old case were removed. */
  anonymisedAt: z.number().optional(),
  /** The office kind of the procedure the citizen was asking about, when the flow names one. */
  office: CaseOfficeKind.optional(),
  /** Who should answer: a commune code, or PROVINCE_QUEUE. Unset on cases from before routing (see `queueOf`). */
  queue: z.string().optional(),
  /** Private staff notes; absent on cases from before notes (and from adapters that build cases directly). */
  notes: z.array(CaseNote).optional(),
  /** When a staff member first answered (for time-to-first-reply). */
  firstReplyAt: z.number().optional(),
  /** When the citizen was asked to rate the help, and their answer. */
  ratingAskedAt: z.number().optional(),
  rating: z.object({ score: z.number().int().min(1).max(5), comment: z.string().optional(), at: z.number() }).optional(),
  /** Last waiting-time alert sent for this case (CASE_SLA_MINUTES). */
  slaAlertedAt: z.number().optional(),
});
export type Case = z.infer<typeof Case>;

/** What the case list needs: everything but the texts, plus a bounded folded text to search. */
export type CaseSummary = Omit<Case, 'transcript' | 'messages' | 'answers' | 'notes'> & { messageCount: number; lastMessageAt: number; queue: string; search: string; noteCount: number };

export const CASE_MESSAGES_MAX = 500;
/** Appends unless a message with the same id is there (a replayed inbox entry); bounded. */
export function addOnce(messages: CaseMessage[], line: CaseMessage): CaseMessage[] {
  if (messages.some((m) => m.id === line.id)) return messages;
  return [...messages, line].slice(-CASE_MESSAGES_MAX);
}

/** Characters of folded text kept per case for search (bounds the in-memory index). */
export const CASE_SEARCH_CHARS = 800;

/** The queue of a case: stored, or for older cases derived from the place. */
export function queueOf(c: Pick<Case, 'queue' | 'place' | 'office'>): string {
  return c.queue ?? routeQueue(c.place?.code, c.office);
}

/** Routing: a commune-level office of a known place goes to that commune; anything else to the province. */
export function routeQueue(placeCode: string | undefined, office: Case['office'] | undefined): string {
  if (!placeCode) return PROVINCE_QUEUE;
  return office === 'province_center' || office === 'provincial_police' ? PROVINCE_QUEUE : placeCode;
}

export function summarise(c: Case): CaseSummary {
  const { transcript, messages, answers, notes = [], ...rest } = c;
  const texts = [c.place?.name, c.flow?.title, ...answers.map((a) => a.answer), ...transcript.filter((m) => m.from === 'user').map((m) => m.text), ...messages.map((m) => m.text), ...notes.map((n) => n.text)];
  return {
    ...rest,
    queue: queueOf(c),
    messageCount: messages.length,
    noteCount: notes.length,
    lastMessageAt: messages[messages.length - 1]?.at ?? c.openedAt,
    search: fold(texts.filter(Boolean).join(' \n ')).slice(0, CASE_SEARCH_CHARS),
  };
}

export interface CaseChange<T> {
  /** The new case to store; absent leaves the stored case untouched. */
  case?: Case;
  result: T;
}

/**
 * Case persistence. `update` runs `fn` with exclusive access to one case (calls for the same id
 * are serial) and writes atomically; `fn` sees `undefined` when there is no such case.
 */
export interface CaseStore {
  /** Stores a new case; when one with the same id exists it is returned unchanged (idempotent opening). */
  create(c: Case): Promise<{ case: Case; created: boolean }>;
  get(id: string): Promise<Case | undefined>;
  update<T>(id: string, fn: (c: Case | undefined) => CaseChange<T>): Promise<T>;
  /** Summaries, newest opened first. */
  list(filter?: { status?: readonly CaseStatus[] }): Promise<CaseSummary[]>;
  remove(id: string): Promise<void>;
}
