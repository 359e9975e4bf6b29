/**
 * Refused webhooks (wrong secret, bad signature, replay) logged once per address per minute with
 * a count (reliability review D14): the first refusal from an address is logged at once, later
 * ones in the same minute are counted and reported in one line when the minute is over. A
 * guessing client thus costs one log line a minute, not one per guess, and stays visible.
 */
import type { Logger } from '../server/logger';

export const REFUSAL_LOG_WINDOW_MS = 60_000;

interface Window {
  since: number;
  count: number;
  channels: Set<string>;
  reasons: Set<string>;
}

export class RefusalLog {
  readonly #windows = new Map<string, Window>();
  readonly #timer: NodeJS.Timeout;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
    flushEveryMs = REFUSAL_LOG_WINDOW_MS,
  ) {
    this.#timer = setInterval(() => this.flush(), flushEveryMs);
    this.#timer.unref();
  }

  /**
   * Notes one refusal; returns how many this address had in the current minute (this one
   * included) and how long until that minute is over, for throttling.
   */
  note(address: string | undefined, channel: string, reason: string, shape?: Record<string, unknown>): { inWindow: number; resetInMs: number } {
    const ip = address ?? 'unknown';
    const at = this.now();
    const w = this.#windows.get(ip);
    if (w && at - w.since < REFUSAL_LOG_WINDOW_MS) {
      w.count += 1;
      w.channels.add(channel);
      w.reasons.add(reason);
      return { inWindow: w.count + 1, resetInMs: w.since + REFUSAL_LOG_WINDOW_MS - at };
    }
    if (w) this.#report(ip, w);
    this.#windows.set(ip, { since: at, count: 0, channels: new Set([channel]), reasons: new Set([reason]) });
    // The shape (body size, which headers were there), never the body: it tells a platform's
    // unsigned test ping or empty probe (docs/refs/zalo-2026.md §4.3 #11) from a guess.
    this.logger.warn({ ip, channel, reason, ...shape }, 'webhook refused');
    return { inWindow: 1, resetInMs: REFUSAL_LOG_WINDOW_MS };
  }

  /** Reports the windows that are over (and, with `all`, every one). */
  flush(all = false): void {
    const at = this.now();
    for (const [ip, w] of this.#windows) {
      if (!all && at - w.since < REFUSAL_LOG_WINDOW_MS) continue;
      this.#report(ip, w);
      this.#windows.delete(ip);
    }
  }

  #report(ip: string, w: Window): void {
    if (w.count === 0) return;
    this.logger.warn({ ip, count: w.count, windowMs: REFUSAL_LOG_WINDOW_MS, channels: [...w.channels], reasons: [...w.reasons] }, 'more webhooks refused from this address');
  }

  close(): void {
    clearInterval(this.#timer);
    this.flush(true);
  }
}
