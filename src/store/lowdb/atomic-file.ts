/**
 * Whole-file writes for chat, case and document files (reads stay with lowdb): a temp file
 * beside the target, then rename, so a reader (or a crash) sees the old file or the new one, never half of one — what
 * lowdb's steno writer does, plus an explicit mode: these files hold personal data and secrets,
 * so they are 0600 whatever the process umask (review D11). The temp name starts with a dot,
 * which every directory listing of the store skips.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

let counter = 0;

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++counter}.tmp`);
  try {
    await writeFile(temp, JSON.stringify(value, null, 2), { mode: FILE_MODE });
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
}
