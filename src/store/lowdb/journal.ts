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
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { open, readdir, readFile, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

interface Pending {
  data: string;
  segment: number;
  resolve(): void;
  reject(e: unknown): void;
}

export interface JournalLine {
  segment: number;
  text: string;
}

export class Journal {
  #segment: number;
  #handle: FileHandle | undefined;
  #fd: number | undefined;
  #handleSegment = -1;
  #queue: Pending[] = [];
  #writing: Promise<void> | undefined;
  #closed = false;

  private constructor(
    private readonly dir: string,
    first: number,
    private readonly fsync: boolean,
  ) {
    this.#segment = first;
  }

  /**
   * Opens the journal in `dir` for appending after the existing segments and returns their
   * lines (oldest first) for replay. A last line cut off by a crash is left out: its write was
   * never acknowledged.
   */
  static async open(dir: string, opts: { fsync: boolean }): Promise<{ journal: Journal; lines: JournalLine[] }> {
    const segments = (await readdir(dir))
      .map((n) => /^(\d+)\.log$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    const lines: JournalLine[] = [];
    for (const segment of segments) {
      let text: string;
      try {
        text = await readFile(path.join(dir, segmentName(segment)), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // checkpointed and deleted meanwhile
        throw e;
      }
      // Every complete line ends with a newline; whatever follows the last one is a torn write
      // (or the empty string), so the last piece of the split is always dropped.
      for (const line of text.split('\n').slice(0, -1)) if (line) lines.push({ segment, text: line });
    }
    const next = (segments[segments.length - 1] ?? 0) + 1;
    return { journal: new Journal(dir, next, opts.fsync), lines };
  }

  /** The segment new lines go to. */
  get segment(): number {
    return this.#segment;
  }

  /** Appends one line (without newline); resolves when it is written. */
  append(line: string): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('journal is closed'));
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ data: `${line}\n`, segment: this.#segment, resolve, reject });
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
      if (m && Number(m[1]) <= segment) await unlink(path.join(this.dir, n)).catch(() => undefined);
    }
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
        try {
          if (this.#fd === undefined || this.#handleSegment !== segment) {
            if (this.#fd !== undefined) closeSync(this.#fd);
            this.#fd = openSync(path.join(this.dir, segmentName(segment)), 'a');
            this.#handleSegment = segment;
          }
          const buf = Buffer.from(batch.map((p) => p.data).join(''), 'utf8');
          let written = 0;
          while (written < buf.length) written += writeSync(this.#fd, buf, written, buf.length - written);
          for (const p of batch) p.resolve();
        } catch (e) {
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

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#takeBatch();
        const segment = batch[0]!.segment;
        try {
          const handle = await this.#handleFor(segment);
          const buf = Buffer.from(batch.map((p) => p.data).join(''), 'utf8');
          let written = 0;
          while (written < buf.length) written += (await handle.write(buf, written, buf.length - written)).bytesWritten;
          if (this.fsync) await handle.datasync();
          for (const p of batch) p.resolve();
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async #handleFor(segment: number): Promise<FileHandle> {
    if (this.#handle && this.#handleSegment === segment) return this.#handle;
    await this.#handle?.close();
    this.#handle = await open(path.join(this.dir, segmentName(segment)), 'a');
    this.#handleSegment = segment;
    return this.#handle;
  }
}

function segmentName(n: number): string {
  return `${String(n).padStart(10, '0')}.log`;
}
