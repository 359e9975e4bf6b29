/**
 * An append-only journal with group commit: every caller's line is appended in order, and the
 * lines that arrive while one write is in flight are written together by the next one, so a
 * busy server makes one file write per batch instead of one per message.
 *
 * Without fsync the batch is written with one synchronous write: it only copies into the page
 * cache (microseconds), and it keeps journal writes out of libuv's small thread pool, where they
 * would queue behind the checkpointer's file writes. With fsync each batch is written and
 * fdatasync'ed on the thread pool, since that can take milliseconds.
 *
 * The journal is cut into numbered segments (`<n>.log`). `rotate()` starts a new segment and
 * resolves once every line of the older ones is on disk; the chat store checkpoints what those
 * lines said into the per-chat files and then deletes the old segments.
 *
 * Each line is framed as `<byte length>\t<crc32 hex>\t<payload>` so replay can tell a valid line
 * from a torn or damaged one; lines of older segments (a bare JSON object) are still read. A
 * batch whose write fails (disk full) is cut off again with ftruncate, so no fragment is left
 * for the next batch to be glued onto; if even that fails, the next batch starts on a new line,
 * which leaves the fragment as one damaged line that replay recognises and skips.
 */
import { closeSync, createReadStream, fstatSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';

interface Pending {
  data: string;
  segment: number;
  resolve(): void;
  reject(e: unknown): void;
}

/** One complete line of a segment, or why it is not usable. `line` is 1-based. */
export type JournalLine = { segment: number; line: number; text: string } | { segment: number; line: number; damaged: string };

export interface JournalOptions {
  fsync: boolean;
  /** The synchronous write used without fsync (tests inject a failing one). */
  writeSync?: (fd: number, buf: Buffer, offset: number, length: number) => number;
  /** The truncate that cuts a failed batch off again (tests inject a failing one). */
  truncateSync?: (fd: number, length: number) => void;
}

export class Journal {
  #segment: number;
  #handle: FileHandle | undefined;
  #fd: number | undefined;
  #handleSegment = -1;
  /** Size of the open segment file, so a failed batch can be cut off again. */
  #size = 0;
  /** A failed batch could not be cut off: the next write starts on a fresh line. */
  #fragment = false;
  /** Bytes in each segment not yet deleted (back-pressure reads the sum). */
  readonly #sizes = new Map<number, number>();
  #queue: Pending[] = [];
  #writing: Promise<void> | undefined;
  #closed = false;
  readonly #write: NonNullable<JournalOptions['writeSync']>;
  readonly #truncate: NonNullable<JournalOptions['truncateSync']>;

  private constructor(
    private readonly dir: string,
    first: number,
    private readonly fsync: boolean,
    opts: JournalOptions,
  ) {
    this.#segment = first;
    this.#write = opts.writeSync ?? ((fd, buf, offset, length) => writeSync(fd, buf, offset, length));
    this.#truncate = opts.truncateSync ?? ((fd, length) => ftruncateSync(fd, length));
  }

  /**
   * Opens the journal in `dir` for appending after the existing segments, and lists those
   * segments (oldest first) for `replay`.
   */
  static async open(dir: string, opts: JournalOptions): Promise<{ journal: Journal; segments: number[] }> {
    const segments = await listSegments(dir);
    const journal = new Journal(dir, (segments[segments.length - 1] ?? 0) + 1, opts.fsync, opts);
    for (const s of segments) journal.#sizes.set(s, await stat(path.join(dir, segmentName(s))).then((st) => st.size, () => 0));
    return { journal, segments };
  }

  /**
   * The complete lines of the given segments, oldest first, read as a stream (a long journal is
   * never held in memory whole). A last line cut off by a crash is left out: its write was never
   * acknowledged. A segment deleted meanwhile (checkpointed by its owner) is skipped.
   */
  static async *replay(dir: string, segments: readonly number[]): AsyncGenerator<JournalLine> {
    for (const segment of segments) {
      const stream = createReadStream(path.join(dir, segmentName(segment)), { encoding: 'utf8', highWaterMark: 256 * 1024 });
      let rest = '';
      let line = 0;
      try {
        for await (const chunk of stream as AsyncIterable<string>) {
          rest += chunk;
          let from = 0;
          let cut: number;
          while ((cut = rest.indexOf('\n', from)) !== -1) {
            const text = rest.slice(from, cut);
            from = cut + 1;
            line++;
            if (text) yield unframe(segment, line, text);
          }
          rest = rest.slice(from);
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      // Whatever follows the last newline is a torn write (or nothing): dropped.
    }
  }

  /** The segment new lines go to. */
  get segment(): number {
    return this.#segment;
  }

  /** Bytes held by segments not yet deleted. */
  get bytes(): number {
    let n = 0;
    for (const v of this.#sizes.values()) n += v;
    return n;
  }

  /** Appends one line (without newline); resolves when it is written. */
  append(line: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('journal is closed'));
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ data: frame(line), segment: this.#segment, resolve, reject });
      // Lines appended during this turn of the event loop are written together.
      this.#writing ??= this.fsync ? this.#drain() : new Promise<void>((done) => setImmediate(() => done(this.#drainSync())));
    });
  }

  /** Starts a new segment; resolves with the older segment numbers once all their lines are written. */
  async rotate(): Promise<number> {
    const last = this.#segment;
    this.#segment += 1;
    await this.flushed();
    return last;
  }

  /** Resolves when every line appended so far is written. */
  async flushed(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async deleteUpTo(segment: number): Promise<void> {
    const names = await readdir(this.dir);
    for (const n of names) {
      const m = /^(\d+)\.log$/.exec(n);
      // An old segment may still be open for appending; nothing is appended to it any more, and
      // unlinking an open file is safe on POSIX.
      if (m && Number(m[1]) <= segment) {
        await unlink(path.join(this.dir, n)).catch(() => undefined);
        this.#sizes.delete(Number(m[1]));
      }
    }
  }

  /**
   * Moves a segment read at open (so never appended to again) to `damaged/` beside the journal,
   * for a person to inspect; returns its new path.
   */
  async quarantine(segment: number): Promise<string> {
    const target = path.join(this.dir, 'damaged', `${segmentName(segment)}`);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    let final = target;
    for (let n = 1; await stat(final).then(() => true, () => false); n++) final = `${target}.${n}`;
    await rename(path.join(this.dir, segmentName(segment)), final);
    this.#sizes.delete(segment);
    return final;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.flushed();
    await this.#handle?.close();
    this.#handle = undefined;
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #drainSync(): void {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#takeBatch();
        const segment = batch[0]!.segment;
        let fd: number | undefined;
        let before = -1;
        try {
          if (this.#fd === undefined || this.#handleSegment !== segment) {
            if (this.#fd !== undefined) closeSync(this.#fd);
            this.#fd = undefined;
            this.#fd = openSync(path.join(this.dir, segmentName(segment)), 'a', 0o600);
            this.#handleSegment = segment;
            this.#size = fstatSync(this.#fd).size;
          }
          fd = this.#fd;
          before = this.#size;
          const buf = this.#batchBuffer(batch);
          let written = 0;
          while (written < buf.length) written += this.#write(fd, buf, written, buf.length - written);
          this.#wrote(segment, buf.length);
          for (const p of batch) p.resolve();
        } catch (e) {
          if (fd !== undefined && before >= 0) {
            try {
              this.#truncate(fd, before);
            } catch {
              this.#fragment = true;
            }
          }
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }

  /** Everything queued for the oldest segment in the queue. */
  #takeBatch(): Pending[] {
    const segment = this.#queue[0]!.segment;
    const cut = this.#queue.findIndex((p) => p.segment !== segment);
    return this.#queue.splice(0, cut === -1 ? this.#queue.length : cut);
  }

  #batchBuffer(batch: Pending[]): Buffer {
    return Buffer.from((this.#fragment ? '\n' : '') + batch.map((p) => p.data).join(''), 'utf8');
  }

  #wrote(segment: number, bytes: number): void {
    this.#size += bytes;
    this.#fragment = false;
    this.#sizes.set(segment, (this.#sizes.get(segment) ?? 0) + bytes);
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#takeBatch();
        const segment = batch[0]!.segment;
        let handle: FileHandle | undefined;
        let before = -1;
        try {
          handle = await this.#handleFor(segment);
          before = this.#size;
          const buf = this.#batchBuffer(batch);
          let written = 0;
          while (written < buf.length) written += (await handle.write(buf, written, buf.length - written)).bytesWritten;
          if (this.fsync) await handle.datasync();
          this.#wrote(segment, buf.length);
          for (const p of batch) p.resolve();
        } catch (e) {
          if (handle && before >= 0) await handle.truncate(before).catch(() => (this.#fragment = true));
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async #handleFor(segment: number): Promise<FileHandle> {
    if (this.#handle && this.#handleSegment === segment) return this.#handle;
    const old = this.#handle;
    this.#handle = undefined;
    await old?.close();
    this.#handle = await open(path.join(this.dir, segmentName(segment)), 'a', 0o600);
    this.#handleSegment = segment;
    this.#size = (await this.#handle.stat()).size;
    return this.#handle;
  }
}

/** `<byte length>\t<crc32 as 8 hex digits>\t<payload>\n` */
export function frame(payload: string): string {
  const bytes = Buffer.from(payload, 'utf8');
  return `${bytes.length}\t${crc32(bytes).toString(16).padStart(8, '0')}\t${payload}\n`;
}

function unframe(segment: number, line: number, text: string): JournalLine {
  // Segments written before framing hold bare JSON objects; their damage shows when parsed.
  if (text.startsWith('{')) return { segment, line, text };
  const m = /^(\d+)\t([0-9a-f]{8})\t/.exec(text);
  if (!m) return { segment, line, damaged: 'not a journal line' };
  const payload = Buffer.from(text.slice(m[0].length), 'utf8');
  if (payload.length !== Number(m[1])) return { segment, line, damaged: `length ${payload.length}, expected ${m[1]}` };
  if (crc32(payload).toString(16).padStart(8, '0') !== m[2]) return { segment, line, damaged: 'checksum mismatch' };
  return { segment, line, text: payload.toString('utf8') };
}

async function listSegments(dir: string): Promise<number[]> {
  return (await readdir(dir))
    .map((n) => /^(\d+)\.log$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function segmentName(n: number): string {
  return `${String(n).padStart(10, '0')}.log`;
}
