/** Reads the content tree from disk into a path → text map (paths relative to the root). */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContentFiles } from './lint';

const CONTENT_DIRS = ['flows', 'content'];
const EXTENSIONS = /\.(ya?ml|json)$/;

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
      if (!EXTENSIONS.test(rel)) continue;
      const p = path.join(dir, rel).split(path.sep).join('/');
      files.set(p, await readFile(path.join(root, p), 'utf8'));
    }
  }
  return files;
}
