/**
 * The content store: loads and lints the content tree, serves the last good compiled content,
 * and (optionally) watches the files, swapping in new content atomically when it is valid and
 * reporting why when it is not.
 */
import { watch, type FSWatcher } from 'chokidar';
import path from 'node:path';
import type { Content } from '../engine/types';
import { compileContent, type ContentOverrides } from './compile';
import { ContentError, hasErrors, type Diagnostic } from './diagnostics';
import { ContentReadError, readContentFiles } from './files';
import { lintContent } from './lint';

export interface LoadResult {
  content?: Content;
  diagnostics: Diagnostic[];
}

export function today(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

export async function loadContent(root: string, overrides: ContentOverrides = {}, now = Date.now()): Promise<LoadResult> {
  let files: Awaited<ReturnType<typeof readContentFiles>>;
  try {
    files = await readContentFiles(root);
  } catch (e) {
    // An unreadable file or folder is a diagnostic like any other: at start it becomes a
    // ContentError with a readable report (main.ts), on reload the last good content stays.
    const file = e instanceof ContentReadError ? e.file : '(content)';
    return { diagnostics: [{ file, line: 1, col: 1, severity: 'error', rule: 'read', message: e instanceof ContentReadError ? e.message : `cannot read the content tree: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  const { diagnostics, parsed } = lintContent(files, today(now), overrides.regions ?? 'all');
  if (!parsed || hasErrors(diagnostics)) return { diagnostics };
  return { content: compileContent(parsed, files, overrides), diagnostics };
}

export interface ContentStore {
  current(): Content;
  /** Reload from disk; on errors the current content stays and the diagnostics are returned. */
  reload(): Promise<LoadResult>;
  close(): Promise<void>;
}

export interface ContentStoreOptions {
  root: string;
  overrides?: ContentOverrides;
  watch?: boolean;
  /** Called after every reload attempt triggered by the watcher. */
  onReload?: (result: LoadResult) => void;
}

/** Throws ContentError (with the full report) when the content on disk is invalid. */
export async function createContentStore(opts: ContentStoreOptions): Promise<ContentStore> {
  const first = await loadContent(opts.root, opts.overrides);
  if (!first.content) throw new ContentError(first.diagnostics);
  let current: Content = first.content;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let reloading: Promise<LoadResult> | undefined;

  const reload = async (): Promise<LoadResult> => {
    // Serialise reloads so an older read can never replace a newer one.
    const run = (reloading ?? Promise.resolve()).then(async () => {
      const result = await loadContent(opts.root, opts.overrides);
      if (result.content) current = result.content;
      return result;
    });
    reloading = run.catch(() => ({ diagnostics: [] }));
    return run;
  };

  if (opts.watch) {
    watcher = watch(
      ['flows', 'content'].map((d) => path.join(opts.root, d)),
      { ignoreInitial: true, awaitWriteFinish: { stabilityThreshold: 150, pollInterval: 50 } },
    );
    watcher.on('all', () => {
      // Editors save several files at once; reload once they are done.
      clearTimeout(timer);
      timer = setTimeout(() => {
        reload().then(
          (r) => opts.onReload?.(r),
          (e: unknown) => opts.onReload?.({ diagnostics: [{ file: '(content)', line: 1, col: 1, severity: 'error', rule: 'read', message: String(e) }] }),
        );
      }, 200);
    });
    await new Promise<void>((resolve) => watcher!.once('ready', () => resolve()));
  }

  return {
    current: () => current,
    reload,
    close: async () => {
      clearTimeout(timer);
      await watcher?.close();
    },
  };
}

export { ContentError, formatReport, formatDiagnostic, type Diagnostic } from './diagnostics';
