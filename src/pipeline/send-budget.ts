/**
 * A channel's send rate shared by every instance on one database: each send takes a slot in the
 * current one-second window of the store's counters, and waits for the next window when the
 * platform's rate (Channel.limits.ratePerSecond) is used up. Each process's own queue
 * (sender.ts) still smooths its sends; this keeps N instances from sending N times the rate.
 *
 * Slots are taken a few at a time (a tenth of the rate, at most 10) and spent locally until the
 * window ends, so a busy instance asks the database once per few sends, not once per send. The
 * total never passes the rate: a block is granted only up to what is left of the window, and slots
 * unspent when the window ends are dropped (the instances together may send up to a block each
 * fewer than the rate in a window, never more).
 */
import type { CounterStore } from '../store/store';

const WINDOW_MS = 1_000;
const MAX_BLOCK = 10;

export interface SendBudget {
  take(channel: string, perSecond: number): Promise<void>;
}

export function createSendBudget(counters: CounterStore, now: () => number, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): SendBudget {
  /** Slots this process holds in the current window, per channel. */
  const held = new Map<string, { left: number; until: number }>();
  return {
    async take(channel, perSecond) {
      const key = `send:${channel}`;
      for (;;) {
        const mine = held.get(channel);
        if (mine && mine.left > 0 && now() < mine.until) {
          mine.left--;
          return;
        }
        const want = Math.max(1, Math.min(MAX_BLOCK, Math.floor(perSecond / 10)));
        const { count, resetAt } = await counters.hit(key, WINDOW_MS, want);
        // What this block got before the window ran out; the rest stays counted (not given back:
        // a give-back landing in the next window would start it below zero).
        const granted = Math.max(0, Math.min(want, perSecond - (count - want)));
        if (granted > 0) {
          held.set(channel, { left: granted - 1, until: resetAt });
          return;
        }
        held.delete(channel);
        await sleep(Math.max(1, resetAt - now()));
      }
    },
  };
}
