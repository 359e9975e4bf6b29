/**
 * The content store: loads and lints the content tree, serves the last good compiled content,
 * and (optionally) watches the files, swapping in new content atomically when it is valid and
 * reporting why when it is not.
 */
import { watch, type FSWatcher } from 'chokidar';
import { statSync } from 'node:fs';
import path from 'node:path';
import { createCatalogue, EMPTY_CATALOGUE, type Catalogue } from '../catalogue/catalogue';
import { CATALOGUE_FILE, readCatalogueFile, type CatalogueData } from '../catalogue/catalogue-file';
import type { Content } from '../engine/types';
import { compileContent, type ContentOverrides } from './compile';
import { ContentError, hasErrors, type Diagnostic } from './diagnostics';
import { ContentReadError, readContentFiles } from './files';
import { lintContent, type RegionSelection } from './lint';

export interface LoadResult {
  content?: Content;
  diagnostics: Diagnostic[];
}

export function today(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** The opened catalogue file per path, kept while its size and mtime stay the same (reloads are frequent, the file rarely changes). */
const catalogueCache = new Map<string, { stamp: string; data: CatalogueData | undefined }>();

export function readCatalogue(root: string): CatalogueData | undefined {
  const file = path.join(root, CATALOGUE_FILE);
  let stamp = 'missing';
  try {
    const st = statSync(file);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    // no catalogue in this tree (test fixtures): served empty
  }
  const hit = catalogueCache.get(file);
  if (hit && hit.stamp === stamp) return hit.data;
  const data = stamp === 'missing' ? undefined : readCatalogueFile(file);
  catalogueCache.set(file, { stamp, data });
  return data;
}

/** The catalogue for the provinces this content serves (its units files). */
export function catalogueFor(root: string, provinces: readonly string[]): Catalogue {
  const data = readCatalogue(root);
  if (!data) return EMPTY_CATALOGUE;
  // The same object for the same file and provinces, so a content reload reuses its search index.
  const key = provinces.join('|');
  const known = servedCache.get(data);
  if (known?.key === key) return known.catalogue;
  const catalogue = createCatalogue(data, provinces);
  servedCache.set(data, { key, catalogue });
  return catalogue;
}
const servedCache = new WeakMap<CatalogueData, { key: string; catalogue: Catalogue }>();

export function servedProvinces(province: string): string[] {
  return province
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
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
  const selection = overrides.regions ?? 'all';
  const catalogue = catalogueFor(root, servedProvinces(provincesIn(files, selection)));
  const { diagnostics, parsed } = lintContent(files, today(now), selection, catalogue);
  if (!parsed || hasErrors(diagnostics)) return { diagnostics };
  return { content: compileContent(parsed, files, overrides, catalogue), diagnostics };
}

/** The served provinces' names, from their units files, read before the lint (which needs the catalogue). */
export function provincesIn(files: ReadonlyMap<string, string>, selection: RegionSelection = 'all'): string {
  const names: string[] = [];
  for (const [p, text] of files) {
    const slug = /^content\/regions\/([^/]+)\/units\.json$/.exec(p)?.[1];
    if (!slug || (selection !== 'all' && !selection.includes(slug))) continue;
    const m = /"province"\s*:\s*"([^"]+)"/.exec(text);
    if (m) names.push(m[1]!);
  }
  return names.join(', ');
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
