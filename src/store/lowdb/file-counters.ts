/**
 * The embedded store's CounterStore: the one process's memory (one process per DATA_DIR), and
 * windows of an hour or more (the handoff cap per address per day) also kept in a document, so
 * a restart does not hand a flooder a fresh day's allowance. Short windows (send budgets, login
 * limits) stay in memory only: losing them at a restart costs nothing that matters, and they are
 * hit far too often to write each time. A long-window hit returns after its document write.
 *
 * The document holds at most MAX_KEPT live windows (the newest); past that, a distributed flood
 * is counted in memory only rather than rewriting a large file on every hit.
 */
import { z } from 'zod';
import { createLocalCounters } from '../local-bus';
import type { CounterStore, DocStore } from '../store';

export const LONG_WINDOW_MS = 3_600_000;
const MAX_KEPT = 5_000;
/** The embedded store's own document for long windows (copy-store.ts leaves it out). */
export const FILE_COUNTERS_DOC = 'counters';
const Doc = z.object({ version: z.literal(1), windows: z.record(z.string(), z.object({ count: z.number(), resetAt: z.number() })) });
type Windows = z.infer<typeof Doc>['windows'];

export async function createFileCounters(docs: Pick<DocStore, 'get' | 'set'>, now: () => number): Promise<CounterStore> {
  const memory = createLocalCounters(now);
  // The long windows as last written, restored at start (expired ones dropped).
  const kept: Windows = {};
  const at = now();
  for (const [key, w] of Object.entries((await docs.get(FILE_COUNTERS_DOC, Doc))?.windows ?? {})) if (w.resetAt > at) kept[key] = w;
  let writing: Promise<void> = Promise.resolve();
  const save = () => {
    const t = now();
    for (const [k, w] of Object.entries(kept)) if (w.resetAt <= t) delete kept[k];
    const newest = Object.entries(kept).sort((a, b) => b[1].resetAt - a[1].resetAt).slice(0, MAX_KEPT);
    // Writes one after another, each with the state at its turn. A failed write (disk full)
    // costs only this durability: the count itself is right in memory, and a handoff request
    // must not fail because a flood counter could not be saved.
    writing = writing.then(() => docs.set(FILE_COUNTERS_DOC, { version: 1, windows: Object.fromEntries(newest) })).catch(() => undefined);
    return writing;
  };
  return {
    async hit(key, windowMs, amount = 1) {
      if (windowMs < LONG_WINDOW_MS) return memory.hit(key, windowMs, amount);
      const t = now();
      const current = kept[key];
      const w = current && current.resetAt > t ? { count: current.count + amount, resetAt: current.resetAt } : { count: amount, resetAt: t + windowMs };
      kept[key] = w;
      await save();
      return { ...w };
    },
    async reset(key) {
      await memory.reset(key);
      if (key in kept) {
        delete kept[key];
        await save();
      }
    },
  };
}
