/**
 * JSON Lines files, one per local day, in one folder of the embedded store (analytics, the staff
 * audit log). Appends and reads of a day are serialised; files are written 0600. A crash can leave
 * a torn last line: the first append to a file after start begins on a fresh line, and the reader
 * skips lines that do not parse or do not fit the schema.
 */
import { appendFile, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { KeyedLock } from '../keyed-lock';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export interface DayFiles<T> {
  /** Appends the (already serialised) lines to the day's file in one write. */
  append(day: string, lines: readonly string[]): Promise<void>;
  read(days: readonly string[]): Promise<T[]>;
  days(): Promise<string[]>;
  removeDay(day: string): Promise<void>;
}

export async function createDayFiles<T>(dir: string, schema: z.ZodType<T>): Promise<DayFiles<T>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const lock = new KeyedLock();
  // Days whose file is known to end with a newline (checked once after start).
  const checked = new Set<string>();
  const fileOf = (day: string) => {
    if (!DAY.test(day)) throw new Error(`not a day: ${day}`);
    return path.join(dir, `${day}.jsonl`);
  };

  return {
    append: (day, lines) =>
      lock.run(day, async () => {
        const file = fileOf(day);
        let prefix = '';
        if (!checked.has(day)) {
          if (!(await endsWithNewline(file))) prefix = '\n';
          checked.add(day);
        }
        await appendFile(file, `${prefix}${lines.join('\n')}\n`, { mode: 0o600 });
      }),
    async read(days) {
      const out: T[] = [];
      for (const day of days) {
        const text = await lock.run(day, () => readFile(fileOf(day), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e))));
        for (const line of text.split('\n')) {
          if (!line) continue;
          try {
            const parsed = schema.safeParse(JSON.parse(line));
            if (parsed.success) out.push(parsed.data);
          } catch {
            // a torn line from a crash: skipped
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
