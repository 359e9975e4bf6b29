/**
 * Cases in the embedded store: one lowdb JSON file per case under DATA_DIR/cases/, written the
 * same way as chat records (temp file + rename, so a crash leaves the old or the new case). The
 * summaries of all cases are kept in memory for the staff list; retention keeps their number
 * bounded (closed cases are deleted after RETENTION_DAYS).
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { Case, summarise, type CaseStore, type CaseSummary } from '../cases';
import { KeyedLock } from '../keyed-lock';
import { encodeId } from './lowdb-store';

export async function createLowdbCaseStore(dataDir: string): Promise<CaseStore> {
  const dir = path.join(dataDir, 'cases');
  await mkdir(dir, { recursive: true });
  const fileOf = (id: string) => path.join(dir, `${encodeId(id)}.json`);
  const lock = new KeyedLock();
  const index = new Map<string, CaseSummary>();

  async function load(id: string): Promise<Case | undefined> {
    const db = new Low<unknown>(new JSONFile(fileOf(id)), null);
    await db.read();
    if (db.data === null) return undefined;
    const parsed = Case.safeParse(db.data);
    if (!parsed.success) throw new Error(`case file ${fileOf(id)} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return parsed.data;
  }
  async function save(c: Case): Promise<void> {
    const db = new Low<Case>(new JSONFile(fileOf(c.id)), c);
    await db.write();
    index.set(c.id, summarise(c));
  }

  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const db = new Low<unknown>(new JSONFile(path.join(dir, name)), null);
    await db.read();
    const parsed = Case.safeParse(db.data);
    // A file that does not parse stays on disk for a person to look at; it must not stop the bot.
    if (parsed.success) index.set(parsed.data.id, summarise(parsed.data));
  }

  return {
    create: (c) =>
      lock.run(c.id, async () => {
        const existing = await load(c.id);
        if (existing) return { case: existing, created: false };
        await save(c);
        return { case: c, created: true };
      }),
    get: (id) => lock.run(id, () => load(id)),
    update: (id, fn) =>
      lock.run(id, async () => {
        const current = await load(id);
        const change = fn(current ? structuredClone(current) : undefined);
        if (change.case) await save(change.case);
        return change.result;
      }),
    async list(filter) {
      const wanted = filter?.status;
      return [...index.values()].filter((c) => !wanted || wanted.includes(c.status)).sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? -1 : 1));
    },
    remove: (id) =>
      lock.run(id, async () => {
        await rm(fileOf(id), { force: true });
        index.delete(id);
      }),
  };
}
