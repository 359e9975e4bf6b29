/**
 * The sender: delivers a chat's outbox in order, one reply at a time. An entry leaves the outbox
 * only after the platform said ok. Transient failures (429, 5xx, network) are retried with
 * exponential backoff and jitter, honouring the platform's retry_after; a permanent failure
 * (bot blocked, chat gone) marks the chat inactive and stops; a refused message is dropped.
 * Every send also passes the channel's global rate limiter.
 */
import pRetry, { AbortError } from 'p-retry';
import PQueue from 'p-queue';
import { SendError, type Channel } from '../channels/channel';
import type { Logger } from '../server/logger';
import type { ChatKey, ChatRecord, ChatStore, OutboxEntry } from '../store/store';
import type { SendBudget } from './send-budget';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /** Longest retry_after honoured; a platform asking for longer is treated as exhausted. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 6, minTimeoutMs: 500, maxTimeoutMs: 30_000, maxRetryAfterMs: 120_000 };
/** Failed replies kept per chat for staff to see. */
export const FAILED_MAX = 20;

/** `last`: no other reply to the same inbound message is left in the outbox. */
/**
 * `more: false` on a send: the outbox was empty when it committed, so there is nothing to read
 * again (a reply queued afterwards schedules the chat again itself).
 */
export type SendOutcome = { status: 'sent'; entry: OutboxEntry; last: boolean; more: boolean } | { status: 'dropped'; entry: OutboxEntry; error: string; last: boolean } | { status: 'inactive'; error: string } | { status: 'idle' } | { status: 'no-channel' };

export class Sender {
  readonly #queues = new Map<string, PQueue>();

  constructor(
    private readonly chats: ChatStore,
    private readonly channels: ReadonlyMap<string, Channel>,
    private readonly logger: Logger,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    /** The send rate shared across instances (PostgreSQL); absent with one process. */
    private readonly budget?: SendBudget,
    /** The injected clock: `inactive.since` is compared with the server's time (tests shift it). */
    private readonly now: () => number = Date.now,
  ) {}

  #queue(channel: Channel): PQueue {
    let q = this.#queues.get(channel.name);
    if (!q) this.#queues.set(channel.name, (q = new PQueue({ intervalCap: channel.limits.perInterval?.cap ?? channel.limits.ratePerSecond, interval: channel.limits.perInterval?.intervalMs ?? 1000, carryoverConcurrencyCount: true })));
    return q;
  }

  /** Sends the oldest outbox entry of a chat and commits the outcome. */
  async sendNext(key: ChatKey): Promise<SendOutcome> {
    const record = await this.chats.read(key);
    const entry = record?.outbox[0];
    if (!record || !entry) return { status: 'idle' };
    const channel = this.channels.get(key.channel);
    if (!channel) return { status: 'no-channel' };
    if (record.inactive) {
      await this.#commit(key, (r) => moveAllToFailed(r, `chat inactive: ${record.inactive!.reason}`));
      return { status: 'inactive', error: record.inactive.reason };
    }

    const state: Record<string, unknown> = {};
    const inboundMeta = entry.meta ?? undefined;
    // Commits what the channel did so far for this entry (D15: the duplicate window after a crash
    // is one platform call, not the whole reply). Only if the entry is still first in the outbox.
    const saveProgress = () =>
      this.chats.update(key, (r) => {
        if (r.outbox[0]?.id !== entry.id) return { result: undefined };
        r.channelState = { ...r.channelState, ...state };
        return { record: r, result: undefined };
      });
    const more = record.outbox.length > 1 && record.outbox[1]!.inboundId === entry.inboundId && entry.inboundId !== undefined;
    try {
      await pRetry(
        async () => {
          try {
            await this.#queue(channel).add(async () => {
              // The web chat "sends" into its own record: no platform, no budget.
              if (this.budget && channel.name !== 'web') await this.budget.take(channel.name, Math.max(1, Math.floor(channel.limits.ratePerSecond)));
              await channel.send(key.chatId, entry.reply, { record, entryId: entry.id, state, more, saveProgress, ...(inboundMeta ? { inboundMeta } : {}) });
            });
          } catch (e) {
            if (e instanceof SendError && e.kind !== 'retry') throw new AbortError(e);
            throw e;
          }
        },
        {
          retries: this.policy.retries,
          minTimeout: this.policy.minTimeoutMs,
          maxTimeout: this.policy.maxTimeoutMs,
          randomize: true,
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            const retryAfter = error instanceof SendError ? error.retryAfterMs : undefined;
            this.logger.warn({ channel: key.channel, attempt: attemptNumber, retriesLeft, retryAfterMs: retryAfter, err: error.message }, 'send failed, will retry');
            if (retryAfter !== undefined && retriesLeft > 0) {
              if (retryAfter > this.policy.maxRetryAfterMs) throw new AbortError(error);
              // p-retry waits its own backoff after this; the platform's wait comes first.
              await this.sleep(retryAfter);
            }
          },
        },
      );
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const cause = err instanceof SendError ? err : (err as { cause?: unknown }).cause instanceof SendError ? ((err as { cause?: unknown }).cause as SendError) : undefined;
      if (cause?.kind === 'permanent') {
        await this.#commit(key, (r) => {
          r.inactive = { since: this.now(), reason: cause.message };
          moveAllToFailed(r, cause.message);
        });
        return { status: 'inactive', error: cause.message };
      }
      const message = cause?.message ?? err.message;
      let last = true;
      await this.#commit(key, (r) => {
        moveToFailed(r, entry.id, message);
        last = !r.outbox.some((o) => o.inboundId !== undefined && o.inboundId === entry.inboundId);
      });
      return { status: 'dropped', entry, error: message, last };
    }
    let last = true;
    let left = 0;
    await this.#commit(key, (r) => {
      r.outbox = r.outbox.filter((o) => o.id !== entry.id);
      r.channelState = { ...r.channelState, ...state };
      last = !r.outbox.some((o) => o.inboundId !== undefined && o.inboundId === entry.inboundId);
      left = r.outbox.length;
    });
    return { status: 'sent', entry, last, more: left > 0 };
  }

  #commit(key: ChatKey, change: (r: ChatRecord) => void): Promise<void> {
    return this.chats.update(key, (r) => {
      change(r);
      return { record: r, result: undefined };
    });
  }
}

function moveToFailed(r: ChatRecord, id: string, error: string): void {
  const entry = r.outbox.find((o) => o.id === id);
  r.outbox = r.outbox.filter((o) => o.id !== id);
  if (entry) r.failed.push({ ...entry, error });
  if (r.failed.length > FAILED_MAX) r.failed.splice(0, r.failed.length - FAILED_MAX);
}

function moveAllToFailed(r: ChatRecord, error: string): void {
  for (const o of [...r.outbox]) moveToFailed(r, o.id, error);
}
