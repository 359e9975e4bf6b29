/**
 * express-rate-limit's Store on the store's shared counters, so the staff login limit counts
 * wrong passwords across every instance (a guesser spreading tries over instances behind a load
 * balancer gets no more of them). One window per key, as the library's own memory store.
 */
import type { Store as RateLimitStore } from 'express-rate-limit';
import type { CounterStore } from '../store/store';

export function counterRateLimitStore(counters: CounterStore, windowMs: number, now: () => number, prefix = 'login:'): RateLimitStore {
  return {
    prefix,
    async increment(key) {
      const { count, resetAt } = await counters.hit(prefix + key, windowMs);
      // The library compares resetTime with the wall clock; the counters keep the injected one.
      return { totalHits: count, resetTime: new Date(Date.now() + Math.max(0, resetAt - now())) };
    },
    async decrement(key) {
      await counters.hit(prefix + key, windowMs, -1);
    },
    async resetKey(key) {
      await counters.reset(prefix + key);
    },
  };
}
