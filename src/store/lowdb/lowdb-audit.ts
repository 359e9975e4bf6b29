/**
 * The audit log in the embedded store: JSON Lines, one append-only file per local day under
 * DATA_DIR/audit/, written 0600. Appends are serialised per day; a torn last line from a crash is
 * skipped by the reader, and the first append after start begins on a fresh line.
 */
import { appendFile, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AuditEntry, type AuditLog } from '../audit';
import { KeyedLock } from '../keyed-lock';

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

export async function createLowdbAuditLog(dataDir: string): Promise<AuditLog> {
  const dir = path.join(dataDir, 'audit');
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

  return {
    append: (entry) =>
      lock.run(entry.day, async () => {
        const line = JSON.stringify(AuditEntry.parse(entry));
        const file = fileOf(entry.day);
        let prefix = '';
        if (!checked.has(entry.day)) {
          if (!(await endsWithNewline(file))) prefix = '\n';
          checked.add(entry.day);
        }
        await appendFile(file, `${prefix}${line}\n`, { mode: 0o600 });
      }),
    async read(days) {
      const out: AuditEntry[] = [];
      for (const day of days) {
        const text = await lock.run(day, () => readFile(fileOf(day), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e))));
        for (const line of text.split('\n')) {
          if (!line) continue;
          try {
            const parsed = AuditEntry.safeParse(JSON.parse(line));
            if (parsed.success) out.push(parsed.data);
          } catch {
            // a torn line from a crash
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
