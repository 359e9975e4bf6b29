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
import { appendFile, mkdir, readdir, readFile, rm, stat, open } from 'node:fs/promises';
import path from 'node:path';
import { AnalyticsRecord, type AnalyticsStore } from '../analytics';
import { KeyedLock } from '../keyed-lock';

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export async function createLowdbAnalyticsStore(dataDir: string): Promise<AnalyticsStore> {
  const dir = path.join(dataDir, 'analytics');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = new KeyedLock();
  const checked = new Set<string>();
  const fileOf = (day: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
    return path.join(dir, `${day}.jsonl`);
  };

  async function endsWithNewline(file: string): Promise<boolean> {
    const size = await stat(file).then((s) => s.size, () => 0);
    if (size === 0) return true;
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(1);
      await fh.read(buf, 0, 1, size - 1);
      return buf[0] === 0x0a;
    } finally {
      await fh.close();
    }
  }

  async function write(day: string, lines: string[]): Promise<void> {
    const file = fileOf(day);
    let prefix = '';
    if (!checked.has(day)) {
      if (!(await endsWithNewline(file))) prefix = '\n';
      checked.add(day);
    }
    await appendFile(file, prefix + lines.join('\n') + '\n', { mode: 0o600 }); // personal-ish data: owner only
  }

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
        const error = await lock.run(day, () => write(day, current.lines)).then(
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
    async read(days) {
      const out: AnalyticsRecord[] = [];
      for (const day of days) {
        const text = await lock.run(day, () => readFile(fileOf(day), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e))));
        for (const line of text.split('\n')) {
          if (!line) continue;
          try {
            const parsed = AnalyticsRecord.safeParse(JSON.parse(line));
            if (parsed.success) out.push(parsed.data);
          } catch {
            // a torn line from a crash: skipped, as documented above
          }
        }
      }
      return out;
    },
    async days() {
      return (await readdir(dir)).flatMap((n) => DAY_FILE.exec(n)?.[1] ?? []).sort();
    },
    removeDay: (day) =>
      lock.run(day, async () => {
        await rm(fileOf(day), { force: true });
        checked.delete(day);
      }),
  };
}
