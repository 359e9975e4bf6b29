/**
 * Analytics in the embedded store: JSON Lines, one file per local day under DATA_DIR/analytics/.
 * Appending (not lowdb's whole-file rewrite) keeps a write O(1) however busy the day was. A crash
 * can leave a torn last line; the first append to a file after start makes sure the next record
 * begins on a fresh line, and the reader skips lines that don't parse.
 */
import { appendFile, mkdir, readdir, readFile, rm, stat, open } from 'node:fs/promises';
import path from 'node:path';
import { AnalyticsRecord, type AnalyticsStore } from '../analytics';
import { KeyedLock } from '../keyed-lock';

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export async function createLowdbAnalyticsStore(dataDir: string): Promise<AnalyticsStore> {
  const dir = path.join(dataDir, 'analytics');
  await mkdir(dir, { recursive: true });
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

  return {
    async append(records) {
      const byDay = new Map<string, AnalyticsRecord[]>();
      for (const r of records) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r]);
      await Promise.all(
        [...byDay].map(([day, list]) =>
          lock.run(day, async () => {
            const file = fileOf(day);
            let prefix = '';
            if (!checked.has(day)) {
              if (!(await endsWithNewline(file))) prefix = '\n';
              checked.add(day);
            }
            await appendFile(file, prefix + list.map((r) => JSON.stringify(r)).join('\n') + '\n');
          }),
        ),
      );
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
