/**
 * Damaged data found by the store: a journal line, chat, case or document file that cannot be
 * read. The store never stops for one: it moves the file aside (quarantine), records it here and
 * serves everything else. `/readyz` and the `thutuc_store_damaged` metric read these counts; the
 * `onRecord` callback (the logger, in `server/start.ts`) names the file at error level.
 */
import { existsSync, renameSync } from 'node:fs';

export type DamageKind = 'journal' | 'chat' | 'case' | 'doc';
export const DAMAGE_KINDS: readonly DamageKind[] = ['journal', 'chat', 'case', 'doc'];

export interface DamagedFile {
  kind: DamageKind;
  /** The file as it was found. */
  file: string;
  /** Where it was moved for a person to inspect (absent when it could not be moved). */
  movedTo?: string;
  /** 1-based line of the first damaged line (journal segments). */
  line?: number;
  reason: string;
}

/** The most recent damaged files kept for /readyz; counts cover the whole process life. */
const KEEP = 20;

export class DamageLog {
  readonly #counts = new Map<DamageKind, number>();
  readonly #recent: DamagedFile[] = [];

  constructor(private readonly onRecord: (d: DamagedFile) => void = () => undefined) {}

  record(d: DamagedFile): void {
    this.#counts.set(d.kind, (this.#counts.get(d.kind) ?? 0) + 1);
    this.#recent.push(d);
    if (this.#recent.length > KEEP) this.#recent.shift();
    this.onRecord(d);
  }

  counts(): Record<DamageKind, number> {
    return Object.fromEntries(DAMAGE_KINDS.map((k) => [k, this.#counts.get(k) ?? 0])) as Record<DamageKind, number>;
  }

  get total(): number {
    let n = 0;
    for (const v of this.#counts.values()) n += v;
    return n;
  }

  recent(): readonly DamagedFile[] {
    return this.#recent;
  }
}

/**
 * Moves `file` to `<file>.damaged` (or `<file>.<n>.damaged` when that exists) and returns the
 * new path, or undefined when the file could not be moved (it then stays where it is).
 * Synchronous: it runs inside a chat's read, under its lock, and is rare.
 */
export function quarantine(file: string): string | undefined {
  let target = `${file}.damaged`;
  for (let n = 1; existsSync(target); n++) target = `${file}.${n}.damaged`;
  try {
    renameSync(file, target);
    return target;
  } catch {
    return undefined;
  }
}

/**
 * Why a file did not parse, without its content: V8's JSON messages quote the text around the
 * error, which may be a citizen's words or a secret, and these reasons are logged.
 */
export function parseFailure(e: unknown): string {
  if (!(e instanceof SyntaxError)) return (e as Error)?.message ?? String(e);
  const at = /position (\d+)/.exec(e.message);
  return /end of( JSON)? input/i.test(e.message) ? 'not valid JSON: ends too early (truncated)' : `not valid JSON${at ? ` at byte ${at[1]}` : ''}`;
}
