/**
 * The Bus and CounterStore for one process (the embedded store): an EventEmitter and a Map.
 * Delivery is synchronous, as the in-process case events always were.
 */
import { EventEmitter } from 'node:events';
import type { Bus, CounterStore } from './store';

export function createLocalBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(topic, payload) {
      emitter.emit(topic, payload);
    },
    subscribe(topic, listener) {
      emitter.on(topic, listener);
      return () => emitter.off(topic, listener);
    },
  };
}

export function createLocalCounters(now: () => number): CounterStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async hit(key, windowMs, amount = 1) {
      const at = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= at) {
        w = { count: 0, resetAt: at + windowMs };
        windows.set(key, w);
        // Expired windows are dropped as new ones open, so memory follows the active keys.
        if (windows.size > 10_000) for (const [k, v] of windows) if (v.resetAt <= at) windows.delete(k);
      }
      w.count += amount;
      return { ...w };
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}
