/**
 * Reads the content tree from disk into a path → text map (paths relative to the root).
 *
 * Editors leave things beside the files they edit: Emacs' `.#name.yaml` lock (a dangling
 * symlink) and `#name.yaml#` autosave, Vim's `.name.yaml.swp`, macOS `._name.yaml`. None of them
 * is content, so names (or folders) starting with `.` or `#` are skipped, as is anything that is
 * not a regular file (symlinks included: content is what is in the tree). A file deleted between
 * the listing and its read (an editor saving by rename) is simply not there this time; the
 * watcher reloads again once the editor is done.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContentFiles } from './lint';

const CONTENT_DIRS = ['flows', 'content'];
const EXTENSIONS = /\.(ya?ml|json)$/;

/** True for names editors and systems leave beside content files. */
function isEditorLeftover(rel: string): boolean {
  return rel.split(/[\\/]/).some((part) => part.startsWith('.') || part.startsWith('#'));
}

export async function readContentFiles(root: string): Promise<ContentFiles> {
  const files = new Map<string, string>();
  for (const dir of CONTENT_DIRS) {
    const abs = path.join(root, dir);
    let entries: string[];
    try {
      entries = await readdir(abs, { recursive: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    for (const rel of entries.sort()) {
      if (!EXTENSIONS.test(rel) || isEditorLeftover(rel)) continue;
      const p = path.join(dir, rel).split(path.sep).join('/');
      const full = path.join(root, p);
      try {
        if (!(await lstat(full)).isFile()) continue;
        files.set(p, await readFile(full, 'utf8'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw new ContentReadError(p, e);
      }
    }
  }
  return files;
}

/** A content file that exists but cannot be read (permissions, I/O): named, with its cause. */
export class ContentReadError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}`, { cause });
  }
}
