/**
 * The local spool for platforms that never deliver again (Zalo OA: docs/refs/zalo-2026.md
 * §4.3 #1 — a 5xx is lost and repeated failures disable the webhook). A validly signed message
 * the inbox could not take (store down or slow, inbox full) is appended here as one JSON line
 * and acknowledged; `replay` feeds the lines to `accept` again once the store is back and keeps
 * the ones it still cannot take. Dedupe keys make a message that was stored after all (a slow
 * write that finished) count once. The file is append-only and 0600 (it holds message text).
 */
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { InboundMessage } from '../channels/channel';
import type { AcceptResult } from './inbox';

export class InboundSpool {
  readonly #file: string;
  #replaying: Promise<number> | undefined;

  constructor(dir: string) {
    this.#file = path.join(dir, 'inbound-spool.jsonl');
  }

  get file(): string {
    return this.#file;
  }

  async append(msg: InboundMessage): Promise<void> {
    await mkdir(path.dirname(this.#file), { recursive: true, mode: 0o700 });
    await appendFile(this.#file, `${JSON.stringify(msg)}\n`, { mode: 0o600 });
  }

  /** Accepts what the spool holds; returns how many messages are still waiting. One replay at a time. */
  replay(accept: (msg: InboundMessage) => Promise<AcceptResult>): Promise<number> {
    this.#replaying ??= this.#replay(accept).finally(() => (this.#replaying = undefined));
    return this.#replaying;
  }

  async #replay(accept: (msg: InboundMessage) => Promise<AcceptResult>): Promise<number> {
    const taking = `${this.#file}.replaying`;
    let text: string;
    try {
      // A previous replay that crashed left its file: take it first, then the current one.
      text = await readFile(taking, 'utf8').catch(() => '');
      await rename(this.#file, `${taking}.new`).then(
        async () => {
          text += await readFile(`${taking}.new`, 'utf8');
          await rm(`${taking}.new`);
        },
        () => undefined,
      );
    } catch {
      return 0;
    }
    if (text === '') return 0;
    await writeFile(taking, text, { mode: 0o600 });
    const left: string[] = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let msg: InboundMessage;
      try {
        msg = JSON.parse(line) as InboundMessage;
      } catch {
        continue; // a torn last line from a crash mid-append: the platform got no 200 for it
      }
      try {
        const r = await accept(msg);
        if (r.status === 'overloaded') left.push(line);
      } catch {
        left.push(line);
      }
    }
    for (const line of left) await appendFile(this.#file, `${line}\n`, { mode: 0o600 });
    await rm(taking, { force: true });
    return left.length;
  }
}
