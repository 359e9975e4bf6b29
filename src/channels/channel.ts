/**
 * The one interface every channel implements. Inbound, a channel only says whether a webhook
 * is genuine (`verify`) and what it means (`parse`); the one route in
 * `pipeline/inbound-route.ts` does verify → parse → accept → answer for every channel, so the
 * guarantees (401 before 400, never acknowledge what was not stored, refusals counted and
 * logged once per address) are written once. Outbound, the pipeline's sender calls `send` for
 * one reply at a time, in order, and retries according to the error.
 */
import type { Input, Reply } from '../engine/types';
import type { ChannelName, ChatRecord, OutboxEntry } from '../store/store';

export interface InboundMessage {
  channel: ChannelName;
  chatId: string;
  /** The platform's id for this delivery (update id, message id); duplicates are dropped. */
  dedupeKey: string;
  input: Input;
  receivedAt: number;
  meta?: Record<string, unknown>;
}

/**
 * What a channel's translator makes of one webhook body: a message for the pipeline, why it is
 * acknowledged and ignored, or (`invalid`) why it is not a webhook of this platform at all (400).
 */
export type Parsed = { kind: 'message'; message: InboundMessage } | { kind: 'ignore'; reason: string } | { kind: 'invalid'; reason: string };

/** The parts of a webhook request `verify` may look at: headers and the exact bytes received. */
export interface WebhookRequest {
  header(name: string): string | undefined;
  rawBody: Buffer;
}

/** `reason` becomes the `reason` label of thutuc_webhooks_rejected_total (secret, signature, stale, …). */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** How the one inbound route answers for this channel. */
export interface InboundPolicy {
  /** The success answer the platform expects (Telegram: empty body; Zalo: a small JSON). */
  ack: { json?: unknown };
  /** The 401 body. */
  refused: { json?: unknown; text?: string };
  /**
   * Whether the platform delivers again after a non-2xx (Telegram, Zalo Bot). When false (Zalo
   * OA: retries only when the connection fails, and disables the webhook after that), a message
   * that could not be stored is spooled locally and acknowledged; see inbound-spool.ts.
   */
  redelivers: boolean;
  /** Longest wait for the inbox write before answering (the platform's own timeout, minus a margin). */
  acceptTimeoutMs: number;
}

export interface ChannelLimits {
  /** Longest text one platform message may carry. */
  maxText: number;
  /** Whether options can be buttons; otherwise they become numbered lines. */
  buttons: boolean;
  /** Sends per second across all chats, to stay under the platform's limits. */
  ratePerSecond: number;
  /** A budget published per another interval (Zalo OA: 4,000 a minute); replaces ratePerSecond. */
  perInterval?: { cap: number; intervalMs: number };
}

/** What `send` may read and change about the chat (e.g. the message that holds the keyboard). */
export interface SendContext {
  record: Readonly<ChatRecord>;
  /** The outbox entry being sent (progress kept in `state` belongs to it). */
  entryId: string;
  /**
   * Persists `state` now (merged into record.channelState), so a crash after a platform call
   * that succeeded does not repeat it; the sender also commits it at the end.
   */
  saveProgress(): Promise<void>;
  /** Channel state to persist after a successful send (merged into record.channelState). */
  state: Record<string, unknown>;
  /** Inbox meta of the message this reply answers (e.g. Telegram callback query id). */
  inboundMeta?: Record<string, unknown>;
  /** Whether more replies to the same message follow this one. */
  more: boolean;
}

export interface Channel {
  readonly name: ChannelName;
  readonly limits: ChannelLimits;
  /** Webhook channels: is this request from the platform (secret, signature, replay window)? Must not throw. */
  verify?(req: WebhookRequest, now: number): Verdict;
  /** Webhook channels: the JSON body (already verified) as a message, an ignore or an invalid. */
  parse?(body: unknown, rawBody: Buffer, now: number): Parsed;
  /** Webhook channels: how the inbound route answers. */
  inbound?: InboundPolicy;
  /** Called after a message was stored (e.g. a typing indicator); must not throw. */
  afterAccept?(message: InboundMessage): void;
  /** Why the channel cannot work as configured (the platform said so); /readyz fails with it. */
  problem?(): string | undefined;
  send(chatId: string, reply: Reply, ctx: SendContext): Promise<void>;
  /**
   * For a channel whose delivery is itself a change to the chat record (the web chat's
   * mailbox): the worker delivers the engine's replies inside the same atomic write as the
   * session, so they need no outbox round. Must not throw and must not do I/O.
   */
  deliverInCommit?(record: ChatRecord, entry: OutboxEntry): void;
  /** Stop timers, close clients. */
  close?(): Promise<void>;
}

/**
 * Why a send failed, which decides what the sender does: `retry` (429, 5xx, network: back off,
 * honouring `retryAfterMs`), `permanent` (blocked, chat not found: mark the chat inactive and
 * stop), `invalid` (this one message was refused: drop it and go on).
 */
export class SendError extends Error {
  constructor(
    message: string,
    readonly kind: 'retry' | 'permanent' | 'invalid',
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SendError';
  }
}
