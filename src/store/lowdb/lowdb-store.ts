/**
 * The embedded store: lowdb, one JSON file per chat under DATA_DIR/chats/<channel>/, so a write
 * costs the same with 100 or 100,000 chats, plus a write-ahead journal under DATA_DIR/journal/.
 *
 * Why a journal: writing a chat's whole file (temp file + rename) three times per message made
 * the disk, not the bot, the limit (about a dozen file calls per message). Now an update is
 * durable as soon as its line is appended to the journal — lines from many chats share one
 * write (group commit) — and a checkpointer writes each changed chat's file at most once per
 * interval through lowdb (steno: temp file + rename, so a file is always whole), then deletes
 * the journal segments it has covered. On start, whatever the journal holds beyond the files
 * (a crash between append and checkpoint) is replayed first. `close()` checkpoints everything.
 *
 * A chat with pending work also has an empty marker file under DATA_DIR/pending/ once
 * checkpointed, so a restart finds every chat with unfinished work without reading every file;
 * between checkpoints the journal replay covers the same ground.
 *
 * Writes reach the OS, not necessarily the platter: they survive a killed process; set
 * `fsync` (STORE_FSYNC=true) to also survive a power cut, at the cost of one fdatasync per batch.
 * One process per DATA_DIR.
 */
import { mkdir, readdir, unlink, writeFile, access, constants, rm } from 'node:fs/promises';
import path from 'node:path';
import { Low, LowSync } from 'lowdb';
import { JSONFile, JSONFileSync } from 'lowdb/node';
import type { z } from 'zod';
import { KeyedLock } from '../keyed-lock';
import { CHANNEL_NAMES, ChatRecord, emptyRecord, keyString, type ChannelName, type ChatKey, type ChatStore, type DocStore } from '../store';
import { Journal } from './journal';

/** Clean chat records kept in memory; older ones are re-read from their file when needed. */
const CACHE_SIZE = 2_000;
/** Files written at once by a checkpoint: few, so libuv's four threads stay free for requests. */
const CHECKPOINT_CONCURRENCY = 2;

export interface LowdbStoreOptions {
  /** fdatasync the journal after each batch (survives power loss). Default false. */
  fsync?: boolean;
  /** How often changed chats are written to their files. Default 500 ms. */
  checkpointMs?: number;
}

/** The chat and document files; `index.ts` (createFileStore) completes them into the Store port. */
export interface ChatFiles {
  chats: Omit<ChatStore, 'claim' | 'watch'>;
  docs: Omit<DocStore, 'exclusive'>;
  /** Writes every change to its final place now (backups, tests); otherwise it happens within a second. */
  checkpoint(): Promise<void>;
  /** Throws if the data directory is not writable. */
  check(): Promise<void>;
  /** Writes everything out and releases files. `checkpoint: false` stops as a crash would (tests). */
  close(options?: { checkpoint?: boolean }): Promise<void>;
  readonly dir: string;
}

/** A change not yet in the chat's file: the record (null = removed) and its journal segment. */
interface Dirty {
  record: ChatRecord | null;
  segment: number;
}

export async function createLowdbStore(dataDir: string, now: () => number = Date.now, opts: LowdbStoreOptions = {}): Promise<ChatFiles> {
  const dirs = { chats: path.join(dataDir, 'chats'), pending: path.join(dataDir, 'pending'), docs: path.join(dataDir, 'docs'), journal: path.join(dataDir, 'journal') };
  await Promise.all([...CHANNEL_NAMES.map((c) => mkdir(path.join(dirs.chats, c), { recursive: true })), mkdir(dirs.pending, { recursive: true }), mkdir(dirs.docs, { recursive: true }), mkdir(dirs.journal, { recursive: true })]);

  const lock = new KeyedLock();
  const cache = new Map<string, ChatRecord | null>();
  const dirty = new Map<string, Dirty>();
  const keys = new Map<string, ChatKey>();
  const fileOf = (key: ChatKey) => path.join(dirs.chats, key.channel, `${encodeId(key.chatId)}.json`);
  const markerOf = (key: ChatKey) => `${key.channel}~${encodeId(key.chatId)}`;
  // Markers on disk, known in memory so a checkpoint creates or removes one only when the chat
  // changed between busy and idle. `busy` is the live set (what pending() answers).
  const marked = new Set(await readdir(dirs.pending));
  const busy = new Set<string>([...marked].flatMap((m) => {
    const k = markerKey(m);
    if (!k) return [];
    keys.set(keyString(k), k);
    return [keyString(k)];
  }));
  const isBusy = (r: ChatRecord | null) => !!r && (r.inbox.length > 0 || r.outbox.length > 0);
  // Chat files that exist, so a new chat costs no failed file read. (About 100 bytes per chat.)
  const files = new Set<string>();
  for (const channel of CHANNEL_NAMES) {
    for (const name of await readdir(path.join(dirs.chats, channel))) if (name.endsWith('.json') && !name.startsWith('.')) files.add(`${channel}/${name}`);
  }
  const fileKey = (key: ChatKey) => `${key.channel}/${encodeId(key.chatId)}.json`;

  // Replay what the last process appended but did not checkpoint.
  const { journal, lines } = await Journal.open(dirs.journal, { fsync: opts.fsync ?? false });
  for (const line of lines) {
    let entry: { k: ChatKey; r: unknown };
    try {
      entry = JSON.parse(line.text) as { k: ChatKey; r: unknown };
    } catch (e) {
      throw new Error(`journal segment ${line.segment} in ${dirs.journal} has a damaged line: ${(e as Error).message}`, { cause: e });
    }
    const k = keyString(entry.k);
    const record = entry.r === null ? null : parseRecord(entry.r, `journal segment ${line.segment}`);
    keys.set(k, entry.k);
    dirty.set(k, { record, segment: line.segment });
    cache.set(k, record);
    if (isBusy(record)) busy.add(k);
    else busy.delete(k);
  }

  async function load(key: ChatKey): Promise<ChatRecord | null> {
    const k = keyString(key);
    const d = dirty.get(k);
    if (d) return d.record;
    if (cache.has(k)) {
      const hit = cache.get(k)!;
      cache.delete(k); // re-insert: Map order is the LRU order
      cache.set(k, hit);
      return hit;
    }
    if (!files.has(fileKey(key))) return null;
    // A synchronous read: a chat file is a few KB, usually in the page cache, and read on the
    // webhook's acknowledgement path; through libuv's four threads it would queue behind the
    // checkpointer's writes (p99 of the Telegram acknowledgement, npm run bench -- telegram).
    const db = new LowSync<unknown>(new JSONFileSync(fileOf(key)), null);
    try {
      db.read();
    } catch (e) {
      // Writes are atomic, so this is a damaged or hand-edited file: name it, don't start over.
      throw new Error(`chat record ${fileOf(key)} cannot be read: ${(e as Error).message}`, { cause: e });
    }
    const record = db.data === null ? null : parseRecord(db.data, fileOf(key));
    cache.set(k, record);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return record;
  }

  /** Journals the new state of one chat (under its lock); the file follows at the next checkpoint. */
  async function commit(key: ChatKey, record: ChatRecord | null): Promise<void> {
    const k = keyString(key);
    const before = { dirty: dirty.get(k), cached: cache.get(k), busy: busy.has(k) };
    const written = journal.append(JSON.stringify({ k: key, r: record }));
    // Recorded before the append resolves: a checkpoint that rotates the journal meanwhile must
    // see this change, or it could delete the segment holding its only durable copy.
    dirty.set(k, { record, segment: journal.segment });
    cache.delete(k);
    cache.set(k, record);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!); // `dirty` still holds it
    keys.set(k, key);
    if (isBusy(record)) busy.add(k);
    else busy.delete(k);
    try {
      await written;
    } catch (e) {
      if (before.dirty) dirty.set(k, before.dirty);
      else dirty.delete(k);
      if (before.cached === undefined) cache.delete(k);
      else cache.set(k, before.cached);
      if (before.busy) busy.add(k);
      else busy.delete(k);
      throw e;
    }
  }

  // ---------- checkpoints ----------

  let running: Promise<void> | undefined;
  async function writeCheckpoint(): Promise<void> {
    if (dirty.size === 0) return;
    const covered = await journal.rotate();
    const batch = [...dirty.entries()];
    let failed = false;
    for (let i = 0; i < batch.length; i += CHECKPOINT_CONCURRENCY) {
      await Promise.all(
        batch.slice(i, i + CHECKPOINT_CONCURRENCY).map(async ([k, d]) => {
          const key = keys.get(k)!;
          try {
            await writeChat(key, d.record);
            if (dirty.get(k) === d) dirty.delete(k);
          } catch {
            failed = true; // stays dirty; its journal segment is kept until a later checkpoint succeeds
          }
        }),
      );
    }
    if (!failed) await journal.deleteUpTo(covered);
  }

  async function writeChat(key: ChatKey, record: ChatRecord | null): Promise<void> {
    const marker = markerOf(key);
    const markerPath = path.join(dirs.pending, marker);
    if (record === null) {
      await unlinkIfThere(fileOf(key));
      files.delete(fileKey(key));
      if (marked.delete(marker)) await unlinkIfThere(markerPath);
      return;
    }
    const hasWork = isBusy(record);
    if (hasWork && !marked.has(marker)) {
      await writeFile(markerPath, '');
      marked.add(marker);
    }
    await new Low<ChatRecord>(new JSONFile(fileOf(key)), record).write();
    files.add(fileKey(key));
    if (!hasWork && marked.has(marker)) {
      await unlinkIfThere(markerPath);
      marked.delete(marker);
    }
  }

  function checkpoint(): Promise<void> {
    running ??= writeCheckpoint().finally(() => {
      running = undefined;
    });
    return running;
  }

  // The replayed changes go to their files before anything new happens.
  await checkpoint();
  const timer = setInterval(() => {
    void checkpoint().catch(() => undefined);
  }, opts.checkpointMs ?? 500);
  timer.unref();

  let closed = false;
  const chats: ChatFiles['chats'] = {
    update(key, fn) {
      return lock.run(keyString(key), async () => {
        const stored = await load(key);
        const current = stored ? structuredClone(stored) : emptyRecord(key, now());
        const { record, remove, result } = await fn(current);
        if (remove) {
          if (stored) await commit(key, null);
        } else if (record) {
          record.updatedAt = now();
          await commit(key, record);
        }
        return result;
      });
    },
    read(key) {
      return lock.run(keyString(key), async () => {
        const record = await load(key);
        return record ? structuredClone(record) : undefined;
      });
    },
    remove(key) {
      return lock.run(keyString(key), async () => {
        if ((await load(key)) !== null) await commit(key, null);
      });
    },
    async pending() {
      return [...busy].map((k) => keys.get(k)!);
    },
    async *keys() {
      const seen = new Set<string>();
      for (const f of [...files]) {
        const cut = f.indexOf('/');
        const key = { channel: f.slice(0, cut) as ChannelName, chatId: decodeId(f.slice(cut + 1, -5)) };
        const k = keyString(key);
        seen.add(k);
        if (dirty.get(k)?.record !== null) yield key;
      }
      for (const [k, d] of dirty) if (d.record !== null && !seen.has(k)) yield keys.get(k)!;
    },
    async count() {
      let n = 0;
      for await (const _ of chats.keys()) n++;
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
  const docs: ChatFiles['docs'] = {
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
    checkpoint,
    async check() {
      await access(dataDir, constants.W_OK);
      const probe = path.join(dirs.docs, '.probe');
      await writeFile(probe, String(now()));
      await rm(probe, { force: true });
    },
    async close(options = {}) {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await journal.flushed();
      // `checkpoint: false` leaves the journal as a killed process would (crash tests).
      if (options.checkpoint !== false) {
        await running;
        await checkpoint();
        await running;
      }
      await journal.close();
      cache.clear();
    },
  };
}

/**
 * The record of one chat as a restart would recover it (its file overlaid with the journal),
 * read without changing anything on disk — for inspecting a data directory another process owns.
 */
export async function readDurable(dataDir: string, key: ChatKey): Promise<ChatRecord | undefined> {
  const { lines } = await Journal.open(path.join(dataDir, 'journal'), { fsync: false });
  const k = keyString(key);
  let journaled: { r: unknown } | undefined;
  for (const line of lines) {
    const entry = JSON.parse(line.text) as { k: ChatKey; r: unknown };
    if (keyString(entry.k) === k) journaled = entry;
  }
  const db = new Low<unknown>(new JSONFile(path.join(dataDir, 'chats', key.channel, `${encodeId(key.chatId)}.json`)), null);
  await db.read();
  // The owner may checkpoint between the two reads; the newer of the two states wins.
  const at = (r: unknown) => (r as { updatedAt?: number } | null)?.updatedAt ?? -1;
  const record = journaled && at(journaled.r) >= at(db.data) ? journaled.r : db.data;
  return record === null ? undefined : parseRecord(record, k);
}

async function unlinkIfThere(file: string): Promise<void> {
  await unlink(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
}

function markerKey(marker: string): ChatKey | undefined {
  const cut = marker.indexOf('~');
  const channel = marker.slice(0, cut);
  return cut > 0 && (CHANNEL_NAMES as readonly string[]).includes(channel) ? { channel: channel as ChannelName, chatId: decodeId(marker.slice(cut + 1)) } : undefined;
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
