/**
 * Handoff cases: what staff see when the bot passes a conversation to a person. A case goes
 * open → claimed → closed; it carries the channel and chat (to reply through the citizen's own
 * channel), the answers and place the bot had collected, the conversation before the handoff and
 * the messages exchanged since. Persisted with a `version` and parsed on every load.
 */
import { z } from 'zod';
import { CHANNEL_NAMES, type ChannelName } from './store';

export const CaseStatus = z.enum(['open', 'claimed', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const CaseReason = z.enum(['asked', 'flow', 'misses']);
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
});
export type Case = z.infer<typeof Case>;

/** What the case list needs: everything but the texts. */
export type CaseSummary = Omit<Case, 'transcript' | 'messages' | 'answers'> & { messageCount: number; lastMessageAt: number };

export const CASE_MESSAGES_MAX = 500;

export function summarise(c: Case): CaseSummary {
  const { transcript: _t, messages, answers: _a, ...rest } = c;
  return { ...rest, messageCount: messages.length, lastMessageAt: messages[messages.length - 1]?.at ?? c.openedAt };
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
