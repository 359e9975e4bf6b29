/**
 * The message path shared by every channel and the web chat:
 *   accept (durable inbox write + dedupe) → per-chat worker (engine step, atomic commit)
 *   → sender (ordered delivery with retries).
 * One runner per chat at a time keeps a chat's messages and replies in order; different chats
 * run concurrently. On start, `recover` finishes whatever a crash left in inboxes and outboxes.
 */
import { EventEmitter } from 'node:events';
import type { Channel, InboundMessage } from '../channels/channel';
import type { EngineEvent, Reply } from '../engine/types';
import { chatRef, type Logger } from '../server/logger';
import type { Metrics } from '../server/metrics';
import { keyString, type ChatKey, type ChatRecord, type OutboxEntry, type Store } from '../store/store';
import { acceptInbound, type AcceptResult } from './inbox';
import { createSendBudget } from './send-budget';
import { DEFAULT_RETRY, Sender, type RetryPolicy } from './sender';
import { appendTranscript, processNext, type MessageHandler } from './worker';

/** A chat whose runner failed (disk error) is tried again after 1 s, 2 s, 4 s … up to 5 min. */
const RUNNER_RETRY_MS = 1_000;
const RUNNER_RETRY_MAX_MS = 300_000;
const DONE_TOPIC = 'inbound-done';

export interface PipelineDeps {
  store: Store;
  channels: ReadonlyMap<string, Channel>;
  handler: MessageHandler;
  logger: Logger;
  metrics?: Metrics;
  now?: () => number;
  retry?: RetryPolicy;
  /** What to answer when the handler throws on a message (a bug): it is said, logged, and the chat goes on. */
  errorReplies?: (record: ChatRecord) => Reply[];
  /** Called after each processed message with the engine's events (analytics, handoff). */
  onEvents?: (key: ChatKey, events: EngineEvent[], record: ChatRecord) => void | Promise<void>;
}

export interface Delivered {
  key: ChatKey;
  entry: OutboxEntry;
}

export class Pipeline {
  readonly #deps: Required<Omit<PipelineDeps, 'metrics' | 'onEvents' | 'errorReplies'>> & Pick<PipelineDeps, 'metrics' | 'onEvents' | 'errorReplies'>;
  readonly #sender: Sender;
  readonly #running = new Map<string, Promise<void>>();
  /** Chat runs waiting for a slot when the store limits how many run at once (FIFO). */
  readonly #slots: { free: number; waiting: Array<() => void> } | undefined;
  readonly #dirty = new Set<string>();
  readonly #events = new EventEmitter();
  /** Consecutive runner failures per chat, for the retry backoff. */
  readonly #failures = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;
  readonly #unwatch: () => void;
  readonly #unrelay: () => void;
  /** Names this process on the bus, to skip its own relayed events. */
  readonly #origin = Math.random().toString(36).slice(2);

  constructor(deps: PipelineDeps) {
    this.#deps = { now: Date.now, retry: DEFAULT_RETRY, ...deps };
    this.#slots = deps.store.chatRunLimit ? { free: deps.store.chatRunLimit, waiting: [] } : undefined;
    const budget = deps.store.kind === 'file' ? undefined : createSendBudget(deps.store.counters, this.#deps.now);
    this.#sender = new Sender(deps.store.chats, deps.channels, deps.logger, this.#deps.retry, undefined, budget, this.#deps.now);
    this.#events.setMaxListeners(0);
    // Another instance wrote to a chat this one holds, or a dead instance's lease lapsed.
    this.#unwatch = deps.store.chats.watch((key) => this.schedule(key));
    // A web chat's POST may wait on one instance while another ran its chat: the runner says
    // "done" over the bus, and the waiter reads the replies from the chat's mailbox.
    this.#unrelay =
      deps.store.kind === 'file'
        ? () => undefined
        : deps.store.bus.subscribe(DONE_TOPIC, (payload) => {
            try {
              const msg = JSON.parse(payload) as { origin: string; k: string; inboundId: string };
              if (msg.origin !== this.#origin) this.#events.emit('done', msg.k, msg.inboundId);
            } catch {
              // not ours
            }
          });
  }

  /** Durably stores an inbound message (once per dedupe key) and schedules its processing. */
  async accept(msg: InboundMessage): Promise<AcceptResult> {
    const result = await acceptInbound(this.#deps.store.chats, msg, this.#deps.now());
    const key = { channel: msg.channel, chatId: msg.chatId };
    if (result.status === 'accepted') {
      this.#deps.metrics?.messagesIn.inc({ channel: msg.channel });
      this.schedule(key);
    } else if (result.status === 'duplicate') {
      this.#deps.metrics?.duplicates.inc({ channel: msg.channel });
      this.#deps.logger.info({ chat: chatRef(msg.channel, msg.chatId) }, 'duplicate delivery dropped');
    } else {
      this.#deps.logger.warn({ chat: chatRef(msg.channel, msg.chatId) }, 'inbox full, message refused');
    }
    return result;
  }

  /**
   * Queues replies that did not come from the engine (staff answers, notices) for delivery.
   * `change` runs in the same atomic write (e.g. closing a case gives the chat back to the bot).
   */
  async enqueue(key: ChatKey, replies: Reply[], from: 'staff' | 'system', change?: (record: ChatRecord) => void): Promise<OutboxEntry[]> {
    const at = this.#deps.now();
    const entries = await this.#deps.store.chats.update(key, (record) => {
      change?.(record);
      const list: OutboxEntry[] = replies.map((reply, i) => ({ id: `${from}-${at.toString(36)}-${Math.random().toString(36).slice(2, 8)}-${i}`, reply, from, createdAt: at, attempts: 0 }));
      record.outbox.push(...list);
      appendTranscript(record, list.map((o) => ({ at, from, text: o.reply.text })));
      return { record, result: list };
    });
    this.schedule(key);
    return entries;
  }

  /** Run (or re-run) the chat's worker and sender. */
  schedule(key: ChatKey): void {
    if (this.#closed) return;
    const k = keyString(key);
    if (this.#running.has(k)) {
      this.#dirty.add(k);
      return;
    }
    const run = this.#run(key).finally(() => {
      this.#running.delete(k);
      if (this.#dirty.delete(k)) this.schedule(key);
      else this.#events.emit('idle', k);
    });
    this.#running.set(k, run);
  }

  /**
   * Runs the chat when a slot is free. The chat counts as running while it waits, so messages
   * arriving meanwhile join this run; acknowledging them (accept) never waits for a slot.
   */
  async #run(key: ChatKey): Promise<void> {
    const slots = this.#slots;
    if (!slots) return this.#runNow(key);
    if (slots.free > 0) slots.free--;
    else await new Promise<void>((resolve) => slots.waiting.push(resolve));
    try {
      await this.#runNow(key);
    } finally {
      const next = slots.waiting.shift();
      if (next) next();
      else slots.free++;
    }
  }

  async #runNow(key: ChatKey): Promise<void> {
    const log = this.#deps.logger.child({ chat: chatRef(key.channel, key.chatId) });
    // Event hooks (analytics) run alongside delivery: a citizen's reply must not wait for them.
    // They start in message order and the run (hence drain/close) still waits for them.
    const hooks: Array<Promise<void>> = [];
    try {
      // With several instances one holds the chat at a time; the holder is told of new work.
      if (!(await this.#deps.store.chats.claim(key))) return;
      for (;;) {
        const processed = await processNext(this.#deps.store.chats, key, this.#deps.handler, this.#deps.now, this.#deps.channels.get(key.channel)?.deliverInCommit, this.#deps.errorReplies);
        if (!processed) break;
        if (processed.error !== undefined) log.error({ err: processed.error }, 'handler failed on a message; answered with the error reply');
        if (processed.events.some((e) => e.type === 'unmatched')) this.#deps.metrics?.unmatched.inc({ channel: key.channel });
        for (const entry of processed.delivered) {
          this.#deps.metrics?.messagesOut.inc({ channel: key.channel, from: entry.from });
          this.#events.emit('delivered', { key, entry } satisfies Delivered);
        }
        if (processed.outbox.length === 0) this.#inboundDone(key, { inboundId: processed.entry.id, receivedAt: processed.entry.receivedAt });
        if (this.#deps.onEvents) {
          const hook = this.#deps.onEvents;
          hooks.push(
            (async () => {
              try {
                await hook(key, processed.events, processed.record);
              } catch (e) {
                log.error({ err: e }, 'event hook failed');
              }
            })(),
          );
        }
      }
      for (;;) {
        const outcome = await this.#sender.sendNext(key);
        if (outcome.status === 'idle' || outcome.status === 'no-channel') break;
        if (outcome.status === 'inactive') {
          this.#deps.metrics?.sendFailures.inc({ channel: key.channel, kind: 'permanent' });
          log.warn({ reason: outcome.error }, 'chat marked inactive; replies kept as failed');
          break;
        }
        const { entry } = outcome;
        if (outcome.status === 'sent') {
          this.#deps.metrics?.messagesOut.inc({ channel: key.channel, from: entry.from });
          this.#events.emit('delivered', { key, entry } satisfies Delivered);
        } else {
          this.#deps.metrics?.sendFailures.inc({ channel: key.channel, kind: 'exhausted' });
          log.error({ err: outcome.error }, 'reply dropped after retries');
        }
        if (entry.inboundId && outcome.last) this.#inboundDone(key, entry);
        // Nothing left when it committed: no read to find that out (saves a database round trip per reply).
        if (outcome.status === 'sent' && !outcome.more) break;
      }
      this.#failures.delete(keyString(key));
    } catch (e) {
      // Infrastructure failure (disk full, unreadable record): the entries stay stored, nothing
      // acknowledged is lost; the chat is tried again later, backing off, and on restart.
      log.error({ err: e }, 'chat runner failed');
      this.#retryLater(key);
    }
    await Promise.all(hooks);
  }

  #retryLater(key: ChatKey): void {
    const k = keyString(key);
    const failures = (this.#failures.get(k) ?? 0) + 1;
    this.#failures.set(k, failures);
    const delay = Math.min(RUNNER_RETRY_MAX_MS, RUNNER_RETRY_MS * 2 ** (failures - 1));
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.schedule(key);
    }, delay);
    timer.unref();
    this.#timers.add(timer);
  }

  /** Every reply to one inbound message is delivered (or given up on). */
  #inboundDone(key: ChatKey, entry: { inboundId?: string | undefined; receivedAt?: number | undefined }): void {
    if (!entry.inboundId) return;
    if (entry.receivedAt) this.#deps.metrics?.replyLatency.observe({ channel: key.channel }, (this.#deps.now() - entry.receivedAt) / 1000);
    this.#events.emit('done', keyString(key), entry.inboundId);
    if (key.channel === 'web' && this.#deps.store.kind !== 'file') {
      const payload = JSON.stringify({ origin: this.#origin, k: keyString(key), inboundId: entry.inboundId });
      this.#deps.store.bus.publish(DONE_TOPIC, payload).catch((e: unknown) => this.#deps.logger.warn({ err: e }, 'could not relay a reply notice'));
    }
  }

  /** Every reply delivered to a platform (or a mailbox); returns the unsubscribe. */
  onDelivered(listener: (d: Delivered) => void): () => void {
    this.#events.on('delivered', listener);
    return () => this.#events.off('delivered', listener);
  }

  /**
   * Every reply to one inbound message is delivered (or given up on), here or (PostgreSQL) on
   * another instance; the chat is named by its `keyString`. Returns the unsubscribe.
   */
  onInboundDone(listener: (chat: string, inboundId: string) => void): () => void {
    this.#events.on('done', listener);
    return () => this.#events.off('done', listener);
  }

  /** Finishes work a crash or stop left behind. */
  async recover(): Promise<number> {
    const pending = await this.#deps.store.chats.pending();
    this.#deps.metrics?.pendingChats.set(pending.length);
    for (const key of pending) this.schedule(key);
    if (pending.length > 0) this.#deps.logger.info({ chats: pending.length }, 'recovering unfinished chats');
    return pending.length;
  }

  /** Resolves when no chat has work running (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running.values()]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#unwatch();
    this.#unrelay();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await this.drain();
  }
}
