/**
 * Analytics in the embedded store: JSON Lines, one file per local day under DATA_DIR/analytics/.
 * Appending (not lowdb's whole-file rewrite) keeps a write O(1) however busy the day was. A crash
 * can leave a torn last line; the first append to a file after start makes sure the next record
 * begins on a fresh line, and the reader skips lines that don't parse.
 *
 * Appends are group-committed per day: while one write is on disk, the records that arrive are
 * collected and go out in the next single write, so many chats appending at once cost a few
 * writes, not one queued write each.
 */
import path from 'node:path';
import { AnalyticsRecord, type AnalyticsStore } from '../analytics';
import { createDayFiles } from './day-files';

export async function createLowdbAnalyticsStore(dataDir: string): Promise<AnalyticsStore> {
  // The day files (0600, serialised per day, torn lines skipped): day-files.ts.
  const files = await createDayFiles(path.join(dataDir, 'analytics'), AnalyticsRecord);

  const pending = new Map<string, { lines: string[]; settle: Array<(e?: unknown) => void> }>();
  const flushing = new Set<string>();
  function enqueue(day: string, lines: string[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let batch = pending.get(day);
      if (!batch) pending.set(day, (batch = { lines: [], settle: [] }));
      batch.lines.push(...lines);
      batch.settle.push((e) => (e === undefined ? resolve() : reject(e)));
      if (!flushing.has(day)) void flush(day);
    });
  }
  async function flush(day: string): Promise<void> {
    flushing.add(day);
    try {
      for (let batch = pending.get(day); batch; batch = pending.get(day)) {
        pending.delete(day);
        const current = batch;
        const error = await files.append(day, current.lines).then(
          () => undefined,
          (e: unknown) => e ?? new Error('analytics write failed'),
        );
        for (const settle of current.settle) settle(error);
      }
    } finally {
      flushing.delete(day);
    }
  }

  return {
    async append(records) {
      const byDay = new Map<string, string[]>();
      for (const r of records) byDay.set(r.day, [...(byDay.get(r.day) ?? []), JSON.stringify(r)]);
      await Promise.all([...byDay].map(([day, lines]) => enqueue(day, lines)));
    },
    read: (days) => files.read(days),
    days: () => files.days(),
    removeDay: (day) => files.removeDay(day),
  };
}
