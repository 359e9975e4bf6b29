/**
 * Cases in the embedded store: one JSON file per case under DATA_DIR/cases/, written whole
 * (temp file + rename, so a crash leaves the old or the new case; 0600, as they hold personal
 * data). The summaries of all cases are kept in memory for the staff list; retention keeps their
 * number bounded (closed cases are deleted after RETENTION_DAYS). A case file that cannot be read
 * is renamed `*.damaged` and recorded in the DamageLog; it never stops the bot.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { Case, summarise, type CaseStore, type CaseSummary } from '../cases';
import { DamageLog, parseFailure, quarantine } from '../damage';
import { KeyedLock } from '../keyed-lock';
import { DIR_MODE, writeJsonAtomic } from './atomic-file';
import { encodeId } from './lowdb-store';

export async function createLowdbCaseStore(dataDir: string, damage: DamageLog = new DamageLog()): Promise<CaseStore> {
  const dir = path.join(dataDir, 'cases');
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const fileOf = (id: string) => path.join(dir, `${encodeId(id)}.json`);
  const lock = new KeyedLock();
  const index = new Map<string, CaseSummary>();

  /** The case in `file`; undefined when absent or damaged (then quarantined and recorded). */
  async function read(file: string): Promise<Case | undefined> {
    let reason: string;
    try {
      const db = new Low<unknown>(new JSONFile(file), null);
      await db.read();
      if (db.data === null) return undefined;
      const parsed = Case.safeParse(db.data);
      if (parsed.success) return parsed.data;
      reason = `invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
      reason = parseFailure(e);
    }
    // Kept aside for a person to look at; it must not stop the bot, nor block a new case.
    const movedTo = quarantine(file);
    damage.record({ kind: 'case', file, ...(movedTo ? { movedTo } : {}), reason });
    return undefined;
  }
  async function load(id: string): Promise<Case | undefined> {
    const c = await read(fileOf(id));
    if (!c) index.delete(id);
    return c;
  }
  async function save(c: Case): Promise<void> {
    await writeJsonAtomic(fileOf(c.id), c);
    index.set(c.id, summarise(c));
  }

  for (const name of await readdir(dir)) {
    if (name.startsWith('.') && name.endsWith('.tmp')) await rm(path.join(dir, name), { force: true }); // a write cut off by a crash
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const c = await read(path.join(dir, name));
    if (c) index.set(c.id, summarise(c));
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
