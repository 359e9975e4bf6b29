/**
 * The embedded store: lowdb, one JSON file per chat under DATA_DIR/chats/<channel>/, so a write
 * costs the same with 100 or 100,000 chats. Writes go through lowdb's JSONFile (steno: write a
 * temp file, then rename), so a crash leaves either the old or the new record, never half of one.
 *
 * A chat with pending work also has an empty marker file under DATA_DIR/pending/; the marker is
 * created before the record is written and removed after, so a restart finds every chat with
 * unfinished work without reading every record.
 */
import { mkdir, readdir, rm, unlink, writeFile, access, constants } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import type { z } from 'zod';
import { KeyedLock } from '../keyed-lock';
import { CHANNEL_NAMES, ChatRecord, emptyRecord, keyString, type ChannelName, type ChatKey, type ChatStore, type DocStore, type Store } from '../store';

/** Chat databases kept open in memory; older ones are re-read from disk when needed. */
const CACHE_SIZE = 2_000;

export async function createLowdbStore(dataDir: string, now: () => number = Date.now): Promise<Store> {
  const dirs = { chats: path.join(dataDir, 'chats'), pending: path.join(dataDir, 'pending'), docs: path.join(dataDir, 'docs') };
  await Promise.all([...CHANNEL_NAMES.map((c) => mkdir(path.join(dirs.chats, c), { recursive: true })), mkdir(dirs.pending, { recursive: true }), mkdir(dirs.docs, { recursive: true })]);

  const lock = new KeyedLock();
  const cache = new Map<string, Low<ChatRecord | null>>();

  const fileOf = (key: ChatKey) => path.join(dirs.chats, key.channel, `${encodeId(key.chatId)}.json`);
  const markerOf = (key: ChatKey) => `${key.channel}~${encodeId(key.chatId)}`;
  // Markers on disk, known in memory so an update creates or removes one only when the chat's
  // state changes (busy ↔ idle): file creation is the costly part of a write on most disks.
  // Bounded by the number of chats with work left. Assumes one process per DATA_DIR.
  const marked = new Set(await readdir(dirs.pending));

  async function open(key: ChatKey): Promise<Low<ChatRecord | null>> {
    const k = keyString(key);
    let db = cache.get(k);
    if (db) {
      cache.delete(k); // re-insert: Map order is the LRU order
      cache.set(k, db);
      return db;
    }
    db = new Low<ChatRecord | null>(new JSONFile(fileOf(key)), null);
    try {
      await db.read();
    } catch (e) {
      // Writes are atomic, so this is a damaged or hand-edited file: name it, don't start over.
      throw new Error(`chat record ${fileOf(key)} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    if (db.data !== null) db.data = parseRecord(db.data, fileOf(key));
    cache.set(k, db);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return db;
  }

  const chats: ChatStore = {
    update(key, fn) {
      return lock.run(keyString(key), async () => {
        const db = await open(key);
        const current = db.data ? structuredClone(db.data) : emptyRecord(key, now());
        const { record, result } = await fn(current);
        if (record) {
          record.updatedAt = now();
          const busy = record.inbox.length > 0 || record.outbox.length > 0;
          const marker = markerOf(key);
          if (busy && !marked.has(marker)) {
            await writeFile(path.join(dirs.pending, marker), '');
            marked.add(marker);
          }
          db.data = record;
          try {
            await db.write();
          } catch (e) {
            // Keep memory equal to disk: the next update starts from what is really stored.
            cache.delete(keyString(key));
            throw e;
          }
          if (!busy && marked.has(marker)) {
            // unlink, not rm: rm stats the path twice first, and every file call is a thread hop.
            await unlink(path.join(dirs.pending, marker)).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
            marked.delete(marker);
          }
        }
        return result;
      });
    },
    read(key) {
      return lock.run(keyString(key), async () => {
        const db = await open(key);
        return db.data ? structuredClone(db.data) : undefined;
      });
    },
    async pending() {
      const names = await readdir(dirs.pending);
      return names.flatMap((n) => {
        const cut = n.indexOf('~');
        const channel = n.slice(0, cut);
        return cut > 0 && (CHANNEL_NAMES as readonly string[]).includes(channel) ? [{ channel: channel as ChannelName, chatId: decodeId(n.slice(cut + 1)) }] : [];
      });
    },
    async *keys() {
      for (const channel of CHANNEL_NAMES) {
        for (const name of await readdir(path.join(dirs.chats, channel))) {
          if (name.endsWith('.json') && !name.startsWith('.')) yield { channel, chatId: decodeId(name.slice(0, -5)) };
        }
      }
    },
    async count() {
      let n = 0;
      for (const channel of CHANNEL_NAMES) n += (await readdir(path.join(dirs.chats, channel))).filter((f) => f.endsWith('.json') && !f.startsWith('.')).length;
      return n;
    },
  };

  const docLock = new KeyedLock();
  const docFile = (name: string) => path.join(dirs.docs, `${encodeId(name)}.json`);
  async function readDoc<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const db = new Low<unknown>(new JSONFile(docFile(name)), null);
    await db.read();
    if (db.data === null) return undefined;
    const parsed = schema.safeParse(db.data);
    if (!parsed.success) throw new Error(`stored document ${docFile(name)} is invalid: ${parsed.error.issues[0]?.message}`);
    return parsed.data;
  }
  async function writeDoc<T>(name: string, value: T): Promise<void> {
    const db = new Low<T>(new JSONFile(docFile(name)), value);
    await db.write();
  }
  const docs: DocStore = {
    get: (name, schema) => docLock.run(name, () => readDoc(name, schema)),
    set: (name, value) => docLock.run(name, () => writeDoc(name, value)),
    update: (name, schema, fn) =>
      docLock.run(name, async () => {
        const next = fn(await readDoc(name, schema));
        await writeDoc(name, next);
        return next;
      }),
  };

  return {
    chats,
    docs,
    dir: dataDir,
    async check() {
      await access(dataDir, constants.W_OK);
      const probe = path.join(dirs.docs, '.probe');
      await writeFile(probe, String(now()));
      await rm(probe, { force: true });
    },
    async close() {
      // Writes are awaited inside update(); nothing is buffered here.
      cache.clear();
    },
  };
}

function parseRecord(data: unknown, file: string): ChatRecord {
  const parsed = ChatRecord.safeParse(data);
  if (!parsed.success) throw new Error(`chat record ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data as ChatRecord;
}

/** File-name-safe and reversible: keeps [A-Za-z0-9_-], writes other UTF-8 bytes as ~xx. */
export function encodeId(id: string): string {
  return [...Buffer.from(id, 'utf8')].map((b) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `~${b.toString(16).padStart(2, '0')}`)).join('');
}
export function decodeId(encoded: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '~') {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}
