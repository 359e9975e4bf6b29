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
 *
 * Damaged data never stops the store (review D3/D4): a journal segment with a damaged line is
 * replayed except that line and moved to journal/damaged/; a chat or document file that does not
 * parse is renamed `*.damaged` and the chat (or document) starts over empty. Each is recorded in
 * the store's DamageLog (logged, /readyz, metric). Files are written 0600 in 0700 directories.
 *
 * Back-pressure (review D2): past half of `maxDirty` changed chats or `maxJournalBytes` the
 * checkpointer writes more files at once; past the limit itself a chat the store does not hold
 * yet is refused with StoreOverloadedError (503), while known chats keep being served.
 */
import { mkdir, readdir, unlink, writeFile, access, constants, rm, chmod } from 'node:fs/promises';
import path from 'node:path';
import { Low, LowSync } from 'lowdb';
import { JSONFile, JSONFileSync } from 'lowdb/node';
import { z } from 'zod';
import { DamageLog, parseFailure, quarantine } from '../damage';
import { KeyedLock } from '../keyed-lock';
import { CHANNEL_NAMES, ChatRecord, emptyRecord, keyString, StoreOverloadedError, type ChannelName, type ChatKey, type ChatStore, type DocStore } from '../store';
import { DIR_MODE, FILE_MODE, writeJsonAtomic } from './atomic-file';
import { Journal, type JournalOptions } from './journal';

/** Clean chat records kept in memory; older ones are re-read from their file when needed. */
const CACHE_SIZE = 2_000;
/** Files written at once by a checkpoint: few, so libuv's four threads stay free for requests. */
const CHECKPOINT_CONCURRENCY = 2;
/** …unless the backlog is past half its limit: then catching up matters more. */
const CHECKPOINT_CONCURRENCY_BEHIND = 8;
/** Changed chats not yet in their files (each held in memory) before new chats are refused. */
const MAX_DIRTY = 20_000;
/** Journal bytes not yet checkpointed before new chats are refused. */
const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;

export interface LowdbStoreOptions {
  /** fdatasync the journal after each batch (survives power loss). Default false. */
  fsync?: boolean;
  /** How often changed chats are written to their files. Default 500 ms. */
  checkpointMs?: number;
  /** Where damaged files are recorded (the caller logs them). Default: a log nobody listens to. */
  damage?: DamageLog;
  /** Back-pressure limits (tests lower them). Defaults MAX_DIRTY and MAX_JOURNAL_BYTES. */
  maxDirty?: number;
  maxJournalBytes?: number;
  /** The journal's synchronous write (tests inject a failing one). */
  journalWrite?: JournalOptions['writeSync'];
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
  /** Damaged files found and quarantined since start. */
  readonly damage: DamageLog;
  /** Changes not yet in their final place, and whether new chats are being refused. */
  backlog(): { dirty: number; journalBytes: number; overloaded: boolean };
}

/** A change not yet in the chat's file: the record (null = removed) and its journal segment. */
interface Dirty {
  record: ChatRecord | null;
  segment: number;
}

export async function createLowdbStore(dataDir: string, now: () => number = Date.now, opts: LowdbStoreOptions = {}): Promise<ChatFiles> {
  const dirs = { chats: path.join(dataDir, 'chats'), pending: path.join(dataDir, 'pending'), docs: path.join(dataDir, 'docs'), journal: path.join(dataDir, 'journal'), index: path.join(dataDir, 'index') };
  // DATA_DIR holds personal data and secrets: only this user may list or read it (D11).
  await mkdir(dataDir, { recursive: true, mode: DIR_MODE });
  await chmod(dataDir, DIR_MODE).catch(() => undefined); // not ours to change (a mount point): leave it
  const made = { recursive: true, mode: DIR_MODE } as const;
  await Promise.all([...CHANNEL_NAMES.map((c) => mkdir(path.join(dirs.chats, c), made)), mkdir(dirs.pending, made), mkdir(dirs.docs, made), mkdir(dirs.journal, made), mkdir(dirs.index, made)]);
  const damage = opts.damage ?? new DamageLog();
  const maxDirty = opts.maxDirty ?? MAX_DIRTY;
  const maxJournalBytes = opts.maxJournalBytes ?? MAX_JOURNAL_BYTES;

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
    const leftovers: string[] = [];
    let n = 0;
    for (const name of await readdir(path.join(dirs.chats, channel))) {
      // 100,000 names take a while: let the event loop breathe (other stores, timers, a probe).
      if (++n % 5_000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      if (name.endsWith('.json') && !name.startsWith('.')) files.add(`${channel}/${name}`);
      else if (name.startsWith('.') && name.endsWith('.tmp')) leftovers.push(name); // a write cut off by a crash
    }
    await Promise.all(leftovers.map((n) => rm(path.join(dirs.chats, channel, n), { force: true })));
  }
  const fileKey = (key: ChatKey) => `${key.channel}/${encodeId(key.chatId)}.json`;

  // The earliest time each chat's record carries (see oldestIn), so a retention walk can skip
  // chats that hold nothing older than its cut-off without reading them. Kept across restarts in
  // index/oldest.json; a stale entry is still a lower bound, since records only gain newer items.
  const oldest = await readOldestIndex(path.join(dirs.index, 'oldest.json'));
  let oldestChanged = false;
  const noteOldest = (k: string, record: ChatRecord | null) => {
    if (record === null) oldest.delete(k);
    else oldest.set(k, oldestIn(record));
    oldestChanged = true;
  };

  // Replay what the last process appended but did not checkpoint, one line at a time. A damaged
  // line is skipped (the chat keeps its file's or an earlier line's state) and its segment goes to
  // journal/damaged/ once read; every other line still counts.
  const { journal, segments } = await Journal.open(dirs.journal, { fsync: opts.fsync ?? false, ...(opts.journalWrite ? { writeSync: opts.journalWrite } : {}) });
  const damagedSegments = new Map<number, { line: number; reason: string }>();
  for await (const line of Journal.replay(dirs.journal, segments)) {
    let entry: { k: ChatKey; r: unknown } | undefined;
    let reason = 'damaged' in line ? line.damaged : undefined;
    if (!('damaged' in line)) {
      try {
        entry = JSON.parse(line.text) as { k: ChatKey; r: unknown };
        if (!entry || typeof entry !== 'object' || !(CHANNEL_NAMES as readonly string[]).includes(entry.k?.channel) || typeof entry.k.chatId !== 'string') throw new Error('no chat key');
        if (entry.r !== null) entry.r = parseRecord(entry.r, `journal segment ${line.segment}`);
      } catch (e) {
        reason = parseFailure(e);
        entry = undefined;
      }
    }
    if (!entry) {
      if (!damagedSegments.has(line.segment)) damagedSegments.set(line.segment, { line: line.line, reason: reason ?? 'damaged' });
      continue;
    }
    const key: ChatKey = { channel: entry.k.channel, chatId: entry.k.chatId };
    const k = keyString(key);
    const record = entry.r as ChatRecord | null;
    keys.set(k, key);
    dirty.set(k, { record, segment: line.segment });
    cache.set(k, record);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    noteOldest(k, record);
    if (isBusy(record)) busy.add(k);
    else busy.delete(k);
  }
  for (const [segment, first] of damagedSegments) {
    const file = path.join(dirs.journal, `${String(segment).padStart(10, '0')}.log`);
    const movedTo = await journal.quarantine(segment).catch(() => undefined);
    damage.record({ kind: 'journal', file, ...(movedTo ? { movedTo } : {}), line: first.line, reason: first.reason });
  }

  /** The chat's current record; `background` reads asynchronously and leaves the cache alone. */
  async function load(key: ChatKey, background = false): Promise<ChatRecord | null> {
    const k = keyString(key);
    const d = dirty.get(k);
    if (d) return d.record;
    if (cache.has(k)) {
      const hit = cache.get(k)!;
      if (!background) {
        cache.delete(k); // re-insert: Map order is the LRU order
        cache.set(k, hit);
      }
      return hit;
    }
    if (!files.has(fileKey(key))) return null;
    let record: ChatRecord | null;
    try {
      let data: unknown;
      if (background) {
        const db = new Low<unknown>(new JSONFile(fileOf(key)), null);
        await db.read();
        data = db.data;
      } else {
        // A synchronous read: a chat file is a few KB, usually in the page cache, and read on the
        // webhook's acknowledgement path; through libuv's four threads it would queue behind the
        // checkpointer's writes (p99 of the Telegram acknowledgement, npm run bench -- telegram).
        const db = new LowSync<unknown>(new JSONFileSync(fileOf(key)), null);
        db.read();
        data = db.data;
      }
      record = data === null ? null : parseRecord(data, fileOf(key));
    } catch (e) {
      // An I/O failure (permissions, EISDIR, EIO) is not the file's content: report it.
      if (!(e instanceof SyntaxError || e instanceof InvalidRecordError)) throw e;
      // Writes are atomic, so this is a damaged or hand-edited file. Keep it aside for staff and
      // let the citizen carry on with a fresh record rather than refusing them for ever (D4).
      if (dirty.has(k)) return dirty.get(k)!.record; // changed while we read
      const file = fileOf(key);
      const movedTo = quarantine(file);
      files.delete(fileKey(key));
      oldest.delete(k);
      damage.record({ kind: 'chat', file, ...(movedTo ? { movedTo } : {}), reason: parseFailure(e) });
      return null;
    }
    if (record) {
      // What a walk learns is kept too, so the next start can skip this chat without reading it.
      const t = oldestIn(record);
      if (oldest.get(k) !== t) {
        oldest.set(k, t);
        oldestChanged = true;
      }
    }
    if (!background) {
      cache.set(k, record);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return record;
  }

  const overloaded = () => dirty.size >= maxDirty || journal.bytes >= maxJournalBytes;
  const behind = () => dirty.size >= maxDirty / 2 || journal.bytes >= maxJournalBytes / 2;

  /** Journals the new state of one chat (under its lock); the file follows at the next checkpoint. */
  async function commit(key: ChatKey, record: ChatRecord | null): Promise<void> {
    const k = keyString(key);
    const before = { dirty: dirty.get(k), cached: cache.get(k), busy: busy.has(k), oldest: oldest.get(k) };
    const written = journal.append(JSON.stringify({ k: key, r: record }));
    // Recorded before the append resolves: a checkpoint that rotates the journal meanwhile must
    // see this change, or it could delete the segment holding its only durable copy.
    dirty.set(k, { record, segment: journal.segment });
    cache.delete(k);
    cache.set(k, record);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!); // `dirty` still holds it
    keys.set(k, key);
    noteOldest(k, record);
    if (isBusy(record)) busy.add(k);
    else busy.delete(k);
    try {
      await written;
    } catch (e) {
      if (before.oldest === undefined) oldest.delete(k);
      else oldest.set(k, before.oldest);
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
    const concurrency = behind() ? CHECKPOINT_CONCURRENCY_BEHIND : CHECKPOINT_CONCURRENCY;
    for (let i = 0; i < batch.length; i += concurrency) {
      await Promise.all(
        batch.slice(i, i + concurrency).map(async ([k, d]) => {
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
    if (oldestChanged && now() - oldestSavedAt >= OLDEST_SAVE_MS) await saveOldest();
  }

  let oldestSavedAt = now();
  async function saveOldest(): Promise<void> {
    oldestChanged = false;
    oldestSavedAt = now();
    await writeJsonAtomic(path.join(dirs.index, 'oldest.json'), { version: 1, oldest: Object.fromEntries(oldest) }).catch(() => {
      oldestChanged = true; // an optimisation only: try again later
    });
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
      await writeFile(markerPath, '', { mode: FILE_MODE });
      marked.add(marker);
    }
    await writeJsonAtomic(fileOf(key), record);
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
    update(key, fn, options = {}) {
      return lock.run(keyString(key), async () => {
        const stored = await load(key, options.background);
        const current = stored ? structuredClone(stored) : emptyRecord(key, now());
        const { record, remove, result } = await fn(current);
        if (remove) {
          if (stored) await commit(key, null);
        } else if (record) {
          if (!stored && overloaded()) throw new StoreOverloadedError(`the store is behind (${dirty.size} chats, ${journal.bytes} journal bytes not yet written); new chats are refused until it catches up`);
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
    async *keys(options = {}) {
      const before = options.mayHoldBefore;
      const skip = (k: string) => before !== undefined && (oldest.get(k) ?? -Infinity) >= before;
      const seen = new Set<string>();
      let n = 0;
      for (const f of [...files]) {
        // Whoever walks every chat, the walk itself (100,000 names, most of them skipped) must
        // not hold the event loop either.
        if (++n % 1_000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const cut = f.indexOf('/');
        const key = { channel: f.slice(0, cut) as ChannelName, chatId: decodeId(f.slice(cut + 1, -5)) };
        const k = keyString(key);
        seen.add(k);
        if (dirty.get(k)?.record !== null && !skip(k)) yield key;
      }
      for (const [k, d] of dirty) if (d.record !== null && !seen.has(k) && !skip(k)) yield keys.get(k)!;
    },
    async count() {
      let n = 0;
      for await (const _ of chats.keys()) n++;
      return n;
    },
  };

  const docLock = new KeyedLock();
  const docFile = (name: string) => path.join(dirs.docs, `${encodeId(name)}.json`);
  /** The document, or undefined when absent — or damaged: then it is quarantined and logged (D4). */
  async function readDoc<T>(name: string, schema: z.ZodType<T>): Promise<T | undefined> {
    const file = docFile(name);
    const db = new Low<unknown>(new JSONFile(file), null);
    let reason: string;
    try {
      await db.read();
      if (db.data === null) return undefined;
      const parsed = schema.safeParse(db.data);
      if (parsed.success) return parsed.data;
      reason = `invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e; // not readable at all (permissions, I/O): not damage
      reason = parseFailure(e);
    }
    const movedTo = quarantine(file);
    damage.record({ kind: 'doc', file, ...(movedTo ? { movedTo } : {}), reason });
    return undefined;
  }
  async function writeDoc<T>(name: string, value: T): Promise<void> {
    await writeJsonAtomic(docFile(name), value);
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
    // Temp files of an atomic write start with "." and the probe is ".probe": neither is a document.
    names: async () => (await readdir(dirs.docs)).filter((f) => !f.startsWith('.') && f.endsWith('.json')).map((f) => decodeId(f.slice(0, -'.json'.length))).sort(),
  };

  return {
    chats,
    docs,
    dir: dataDir,
    checkpoint,
    damage,
    backlog: () => ({ dirty: dirty.size, journalBytes: journal.bytes, overloaded: overloaded() }),
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
        if (oldestChanged) await saveOldest();
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
  const dir = path.join(dataDir, 'journal');
  const { segments } = await Journal.open(dir, { fsync: false });
  const k = keyString(key);
  let journaled: { r: unknown } | undefined;
  for await (const line of Journal.replay(dir, segments)) {
    if ('damaged' in line) continue; // as the owner's replay does
    let entry: { k: ChatKey; r: unknown };
    try {
      entry = JSON.parse(line.text) as { k: ChatKey; r: unknown };
    } catch {
      continue;
    }
    if (entry?.k && keyString(entry.k) === k) journaled = entry;
  }
  const db = new Low<unknown>(new JSONFile(path.join(dataDir, 'chats', key.channel, `${encodeId(key.chatId)}.json`)), null);
  await db.read();
  // The owner may checkpoint between the two reads; the newer of the two states wins.
  const at = (r: unknown) => (r as { updatedAt?: number } | null)?.updatedAt ?? -1;
  const record = journaled && at(journaled.r) >= at(db.data) ? journaled.r : db.data;
  return record === null ? undefined : parseRecord(record, k);
}

/** How often the oldest-time index is written out besides at close (it is only a shortcut). */
const OLDEST_SAVE_MS = 10 * 60_000;

const OldestIndex = z.object({ version: z.literal(1), oldest: z.record(z.string(), z.number()) });

async function readOldestIndex(file: string): Promise<Map<string, number>> {
  try {
    const db = new Low<unknown>(new JSONFile(file), null);
    await db.read();
    const parsed = OldestIndex.safeParse(db.data);
    return new Map(parsed.success ? Object.entries(parsed.data.oldest) : []);
  } catch {
    return new Map(); // damaged: the next sweep reads every chat once and rebuilds it
  }
}

/**
 * The earliest time the record carries: its last update, transcript lines, failed replies and
 * web mailbox items — everything the retention sweep trims by age. Items are only ever added
 * with the current time, so this never goes down while the record lives.
 */
export function oldestIn(record: ChatRecord): number {
  let t = record.updatedAt;
  for (const l of record.transcript) if (l.at < t) t = l.at;
  for (const f of record.failed) if (f.createdAt < t) t = f.createdAt;
  const box = record.channelState.mailbox;
  if (Array.isArray(box)) for (const m of box) if (typeof (m as { at?: unknown })?.at === 'number' && (m as { at: number }).at < t) t = (m as { at: number }).at;
  return t;
}

async function unlinkIfThere(file: string): Promise<void> {
  await unlink(file).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
}

function markerKey(marker: string): ChatKey | undefined {
  const cut = marker.indexOf('~');
  const channel = marker.slice(0, cut);
  return cut > 0 && (CHANNEL_NAMES as readonly string[]).includes(channel) ? { channel: channel as ChannelName, chatId: decodeId(marker.slice(cut + 1)) } : undefined;
}

class InvalidRecordError extends Error {}

function parseRecord(data: unknown, file: string): ChatRecord {
  const parsed = ChatRecord.safeParse(data);
  if (!parsed.success) throw new InvalidRecordError(`chat record ${file} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
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
