/**
 * A channel's send rate shared by every instance on one database: each send first takes a slot
 * in the current one-second window of the store's counters, and waits for the next window when
 * the platform's rate (Channel.limits.ratePerSecond) is used up. Each process's own queue
 * (sender.ts) still smooths its sends; this keeps N instances from sending N times the rate.
 */
import type { CounterStore } from '../store/store';

const WINDOW_MS = 1_000;

export interface SendBudget {
  take(channel: string, perSecond: number): Promise<void>;
}

export function createSendBudget(counters: CounterStore, now: () => number, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): SendBudget {
  return {
    async take(channel, perSecond) {
      for (;;) {
        const { count, resetAt } = await counters.hit(`send:${channel}`, WINDOW_MS);
        if (count <= perSecond) return;
        await sleep(Math.max(1, resetAt - now()));
      }
    },
  };
}
