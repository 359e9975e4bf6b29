/**
 * The store interface the pipeline, handoff and analytics use. One record per chat holds the
 * session, the inbox (accepted, not yet processed), the outbox (produced, not yet delivered),
 * the dedupe keys and a short transcript; a record is written atomically, so "session + outbox
 * + inbox entry done" is one write.
 */
import { z } from 'zod';
import type { Input, Reply, Session } from '../engine/types';
import type { AnalyticsStore } from './analytics';
import type { CaseStore } from './cases';
import type { DamageLog } from './damage';
import type { StaffAccountStore } from './staff-accounts';

/** The one list of channel names; the type, the record schema and /readyz derive from it. */
const NAMES = ['web', 'telegram', 'zalo-bot', 'zalo-oa'] as const;
export type ChannelName = (typeof NAMES)[number];
export const CHANNEL_NAMES: readonly ChannelName[] = NAMES;

export interface ChatKey {
  channel: ChannelName;
  chatId: string;
}
export function keyString(k: ChatKey): string {
  return `${k.channel}:${k.chatId}`;
}

const InputSchema = z.union([
  z.object({ kind: z.literal('start') }),
  z.object({ kind: z.literal('text'), value: z.string() }),
  z.object({ kind: z.literal('choice'), value: z.string() }),
]);
const ReplySchema = z.object({
  text: z.string(),
  options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  links: z.array(z.object({ url: z.string(), label: z.string() })).optional(),
});

export const InboxEntry = z.object({
  id: z.string(),
  input: InputSchema,
  receivedAt: z.number(),
  /** Channel-specific facts the sender needs later (e.g. Telegram callback query id). */
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type InboxEntry = z.infer<typeof InboxEntry> & { input: Input };

export const OutboxEntry = z.object({
  id: z.string(),
  reply: ReplySchema,
  /** The inbox entry that produced it (absent for staff replies and system notices). */
  inboundId: z.string().optional(),
  /** When the inbound message was accepted, for the reply-latency metric. */
  receivedAt: z.number().optional(),
  from: z.enum(['bot', 'staff', 'system']).default('bot'),
  createdAt: z.number(),
  attempts: z.number().default(0),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type OutboxEntry = z.infer<typeof OutboxEntry> & { reply: Reply };

export const TranscriptLine = z.object({
  at: z.number(),
  from: z.enum(['user', 'bot', 'staff', 'system']),
  text: z.string(),
});
export type TranscriptLine = z.infer<typeof TranscriptLine>;

export const ChatRecord = z.object({
  version: z.literal(1),
  channel: z.enum(CHANNEL_NAMES as [ChannelName, ...ChannelName[]]),
  chatId: z.string(),
  // The session is the engine's; it is validated by its version, not field by field here.
  session: z.custom<Session>((v) => v === undefined || (typeof v === 'object' && v !== null && (v as { version?: unknown }).version === 1)).optional(),
  inbox: z.array(InboxEntry).default([]),
  outbox: z.array(OutboxEntry).default([]),
  /** Dedupe keys of accepted platform messages → accepted at (ms). Pruned by age. */
  seen: z.record(z.string(), z.number()).default({}),
  /** The last few messages both ways, for staff taking over. Bounded. */
  transcript: z.array(TranscriptLine).default([]),
  /** Replies the channel gave up on, for staff to see. Bounded. */
  failed: z.array(OutboxEntry.extend({ error: z.string() })).default([]),
  /** Set when the platform said the chat can't be reached (blocked, not found). */
  inactive: z.object({ since: z.number(), reason: z.string() }).optional(),
  /** Per-channel state (e.g. the Telegram message carrying the live keyboard). */
  channelState: z.record(z.string(), z.unknown()).default({}),
  /** Open handoff case, if any. */
  caseId: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ChatRecord = z.infer<typeof ChatRecord> & { inbox: InboxEntry[]; outbox: OutboxEntry[] };

export function emptyRecord(key: ChatKey, now: number): ChatRecord {
  return { version: 1, channel: key.channel, chatId: key.chatId, inbox: [], outbox: [], seen: {}, transcript: [], failed: [], channelState: {}, createdAt: now, updatedAt: now };
}

export interface Updated<T> {
  record?: ChatRecord;
  /** Delete the chat's record instead (retention), atomically with the check that led to it. */
  remove?: boolean;
  result: T;
}

/**
 * `update` runs `fn` with exclusive access to one chat (calls for the same chat are serial,
 * different chats run concurrently) and writes the record atomically when `fn` returns one.
 * Returning `undefined` leaves the stored record untouched.
 */
export interface ChatStore {
  update<T>(key: ChatKey, fn: (record: ChatRecord) => Updated<T> | Promise<Updated<T>>, opts?: UpdateOptions): Promise<T>;
  read(key: ChatKey): Promise<ChatRecord | undefined>;
  /** Deletes the chat's record (retention). */
  remove(key: ChatKey): Promise<void>;
  /**
   * Chats with work left (inbox or outbox not empty) that this process should finish: after a
   * restart, all of them; with several instances on one database, those no live instance holds.
   */
  pending(): Promise<ChatKey[]>;
  /**
   * Takes (or keeps) the right to run this chat's worker and sender. One process per DATA_DIR
   * always gets it; on a shared database only one live instance holds a chat at a time, and a
   * dead one's hold lapses after its lease.
   */
  claim(key: ChatKey): Promise<boolean>;
  /**
   * Calls `listener` when this process should run a chat it did not accept itself (another
   * instance wrote to a chat this one holds, or a dead instance's lease lapsed). Returns the
   * function that stops listening.
   */
  watch(listener: (key: ChatKey) => void): () => void;
  /**
   * Every chat key stored (for retention sweeps). With `mayHoldBefore`, an adapter may leave out
   * chats it knows hold nothing (no line, item or last update) older than that time.
   */
  keys(opts?: { mayHoldBefore?: number }): AsyncIterable<ChatKey>;
  count(): Promise<number>;
}

export interface UpdateOptions {
  /** A walk over many chats (retention): read without blocking and don't displace the cache. */
  background?: boolean;
}

/**
 * Thrown by `chats.update` for a chat the store does not hold yet while its backlog of unwritten
 * changes is past its hard limit: the caller answers 503 (retry later) and nothing is stored.
 * Chats already known keep being served.
 */
export class StoreOverloadedError extends Error {
  override readonly name = 'StoreOverloadedError';
}

/** Small named documents written atomically (OA tokens, staff sessions, …). */
export interface DocStore {
  get<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined>;
  set<T>(name: string, value: T): Promise<void>;
  /** Read-modify-write under a lock for this name. */
  update<T>(name: string, schema: z.ZodType<T>, fn: (current: T | undefined) => T): Promise<T>;
  /**
   * Runs `fn` while holding the named lock across every process sharing the store (e.g. the
   * Zalo OA token refresh, whose refresh token works once): never two at once.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Every document's name, sorted (copying a store, backups). */
  names(): Promise<string[]>;
}

/** Fixed-window counters shared by every process on the store (login limits, send budgets). */
export interface CounterStore {
  /** Counts `amount` (default 1; -1 takes one back) on `key` in the current window of `windowMs`; returns the window's total. */
  hit(key: string, windowMs: number, amount?: number): Promise<{ count: number; resetAt: number }>;
  /** Forgets the key's current window (e.g. after a successful login). */
  reset(key: string): Promise<void>;
}

/**
 * Notifications between the processes sharing a store (the staff console's live updates).
 * A message published while a chat step is running is delivered once that step committed.
 */
export interface Bus {
  publish(topic: string, payload: string): Promise<void>;
  subscribe(topic: string, listener: (payload: string) => void): () => void;
}

/**
 * The whole port: everything stored goes through it, with no file-system notions. Adapters:
 * `lowdb/index.ts` (files under DATA_DIR, the default) and `postgres/index.ts` (DATABASE_URL).
 * Case writes made while a chat step runs (the handoff handler) join that step's atomic write
 * where the adapter can (PostgreSQL: one transaction); otherwise they rely on idempotent ids.
 * Adding something stored: a member here, its implementation in both adapters (a new versioned
 * migration in postgres/migrations.ts), and its cases in test/store/contract.ts.
 */
export interface Store {
  /** Which adapter, for /readyz and logs: 'file' or 'postgres'. */
  readonly kind: 'file' | 'postgres';
  /**
   * How many chats the pipeline should run at once, when the adapter has a limit (PostgreSQL:
   * its connection pool, less room kept for acknowledging new messages); none: no limit.
   */
  readonly chatRunLimit?: number;
  chats: ChatStore;
  docs: DocStore;
  cases: CaseStore;
  analytics: AnalyticsStore;
  counters: CounterStore;
  bus: Bus;
  /** Staff accounts (password hash, role, scope); staff sessions are documents (handoff/staff-sessions.ts). */
  staff: StaffAccountStore;
  /** Throws if the store cannot take writes. */
  check(): Promise<void>;
  /** Damaged data found and quarantined since start (adapters that can find any). */
  readonly damage?: DamageLog;
  /** Changes not yet in their final place, and whether new chats are being refused (adapters that buffer). */
  backlog?(): { dirty: number; journalBytes: number; overloaded: boolean };
  /** Finishes writes, releases what this process holds (leases, connections). */
  close(): Promise<void>;
}
