/**
 * The content store on a real copy of the content tree in a temp dir: a valid edit is swapped
 * in while running, an invalid one is refused with its report and the last good content keeps
 * serving; and the server refuses to start on invalid content with the same report.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readContentFiles } from '../../src/content/files';
import { catalogueFor, ContentError, createContentStore, formatReport, today, type ContentStore, type LoadResult } from '../../src/content/index';
import { lintContent } from '../../src/content/lint';
import { step } from '../../src/engine/step';
import { startTestServer } from '../helpers/server';
import { ROOT } from '../engine/real-content';

const dirs: string[] = [];
let store: ContentStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** A private copy of flows/ and content/ that a test may edit. */
async function copyOfContent(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'thutuc-content-'));
  dirs.push(dir);
  await cp(path.join(ROOT, 'flows'), path.join(dir, 'flows'), { recursive: true });
  await cp(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  return dir;
}

async function edit(dir: string, file: string, from: string, to: string): Promise<void> {
  const p = path.join(dir, file);
  const text = await readFile(p, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  await writeFile(p, text.replace(from, to));
}

/** Reload results as the watcher reports them; `next(pred)` waits for the first that fits. */
function reloads() {
  const seen: LoadResult[] = [];
  const waiting: Array<{ pred: (r: LoadResult) => boolean; resolve: (r: LoadResult) => void }> = [];
  return {
    onReload(r: LoadResult) {
      seen.push(r);
      for (const w of waiting.splice(0)) if (w.pred(r)) w.resolve(r); else waiting.push(w);
    },
    next(pred: (r: LoadResult) => boolean, what: string): Promise<LoadResult> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no reload ${what} within 10 s; saw ${seen.length} reloads`)), 10_000);
        waiting.push({ pred, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
  };
}

const TITLE = 'title: { vi: Thẻ căn cước (CCCD), en: Citizen ID card (căn cước) }';

describe('content store with watch', () => {
  it('swaps in a valid edit and keeps serving the last good content when an edit is invalid', async () => {
    const dir = await copyOfContent();
    const events = reloads();
    store = await createContentStore({ root: dir, watch: true, onReload: events.onReload });
    const first = store.current();
    expect(first.flows.get('can-cuoc')?.title.vi).toBe('Thẻ căn cước (CCCD)');

    const swapped = events.next((r) => r.content !== undefined, 'with new content');
    await edit(dir, 'flows/can-cuoc.yaml', TITLE, 'title: { vi: Thẻ căn cước công dân, en: Citizen ID card }');
    await swapped;
    const second = store.current();
    expect(second.flows.get('can-cuoc')?.title.vi).toBe('Thẻ căn cước công dân');
    expect(second.version).not.toBe(first.version);
    expect(first.flows.get('can-cuoc')?.title.vi).toBe('Thẻ căn cước (CCCD)'); // compiled content is immutable

    const refused = events.next((r) => r.content === undefined, 'refusing the edit');
    await edit(dir, 'flows/can-cuoc.yaml', '    next: first\n', '    nxet: first\n');
    const report = await refused;
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ file: 'flows/can-cuoc.yaml', severity: 'error', rule: 'unknown-key', message: 'unknown key "nxet" — did you mean "next"?' }));
    expect(store.current()).toBe(second);
    // ... and it still answers citizens.
    const r = step(store.current(), undefined, { kind: 'text', value: 'lam can cuoc' }, Date.parse('2026-11-25T02:00:00Z'));
    expect(r.session.flow?.id).toBe('can-cuoc');
  });

  it('refuses to create a store on invalid content, with the lint report', async () => {
    const dir = await copyOfContent();
    await edit(dir, 'flows/khai-sinh.yaml', 'next: birth', 'next: birht');
    const error = await createContentStore({ root: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    expect((error as ContentError).diagnostics).toContainEqual(expect.objectContaining({ file: 'flows/khai-sinh.yaml', rule: 'missing-node' }));
  });
});

describe('server start', () => {
  it('refuses to start on invalid content with the same report as the lint', async () => {
    const dir = await copyOfContent();
    await edit(dir, 'flows/cu-tru.yaml', 'procedure: dang-ky-tam-tru', 'procedure: dang-ky-tam-truu');
    const dataDir = path.join(dir, 'data');
    const error = await startTestServer({ CONTENT_DIR: dir }, { dataDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    const lint = lintContent(await readContentFiles(dir), today(), ['thanh-hoa'], catalogueFor(dir, ['Thanh Hóa']));
    expect((error as ContentError).message).toBe(`content is invalid:\n${formatReport(lint.diagnostics)}`);
    expect((error as ContentError).message).toContain('flows/cu-tru.yaml:');
    expect((error as ContentError).message).toContain('[missing-procedure] no procedure with id "dang-ky-tam-truu"');
  });
});
