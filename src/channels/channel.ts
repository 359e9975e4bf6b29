/**
 * The one interface every channel implements. Inbound, a channel verifies and parses platform
 * webhooks into `InboundMessage`s and hands them to the pipeline; outbound, the pipeline's
 * sender calls `send` for one reply at a time, in order, and retries according to the error.
 */
import type { Router } from 'express';
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

/** What a channel's translator makes of one webhook body: a message for the pipeline, or why it is acknowledged and ignored. */
export type Parsed = { kind: 'message'; message: InboundMessage } | { kind: 'ignore'; reason: string };

export interface ChannelLimits {
  /** Longest text one platform message may carry. */
  maxText: number;
  /** Whether options can be buttons; otherwise they become numbered lines. */
  buttons: boolean;
  /** Sends per second across all chats, to stay under the platform's limits. */
  ratePerSecond: number;
}

/** What `send` may read and change about the chat (e.g. the message that holds the keyboard). */
export interface SendContext {
  record: Readonly<ChatRecord>;
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
  /** Express router with the webhook route(s); mounted after the JSON body parser (req.body parsed, req.rawBody kept). */
  router?(): Router;
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
