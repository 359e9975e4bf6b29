/**
 * Review D13: the content loader on what editors and people really leave in the tree — lock and
 * swap files, dangling symlinks, a file vanishing mid-read, broken YAML and JSON — each either
 * ignored or reported at its own file and position, never as a stack trace or a wrong file.
 */
import { cp, mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readContentFiles } from '../../src/content/files';
import { ContentError, createContentStore, loadContent } from '../../src/content/index';
import { parseYamlFile } from '../../src/content/yaml-file';
import { ROOT } from '../engine/real-content';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function copyOfContent(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'thutuc-content-'));
  dirs.push(dir);
  await cp(path.join(ROOT, 'flows'), path.join(dir, 'flows'), { recursive: true });
  await cp(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
  return dir;
}

describe('reading the content tree', () => {
  it('skips editor lock, swap and autosave files, hidden folders and anything that is not a regular file', async () => {
    const dir = await copyOfContent();
    const flow = path.join(dir, 'flows', 'can-cuoc.yaml');
    await symlink('anna@host.1234:1700000000', path.join(dir, 'flows', '.#can-cuoc.yaml')); // Emacs lock: dangling
    await writeFile(path.join(dir, 'flows', '#can-cuoc.yaml#'), 'half: [saved');
    await writeFile(path.join(dir, 'flows', '.can-cuoc.yaml.swp.yaml'), '\u0000binary');
    await mkdir(path.join(dir, 'flows', '.trash'));
    await writeFile(path.join(dir, 'flows', '.trash', 'old.yaml'), 'not: [content');
    await symlink(flow, path.join(dir, 'flows', 'link-to-flow.yaml'));
    await mkdir(path.join(dir, 'flows', 'folder.yaml'));

    const files = await readContentFiles(dir);
    expect([...files.keys()].filter((f) => /#|\/\.|link-to|folder/.test(f))).toEqual([]);
    const loaded = await loadContent(dir);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.content).toBeDefined();
  });

  it('reports a content folder it cannot list as a diagnostic, not an exception', async () => {
    const dir = await copyOfContent();
    await rm(path.join(dir, 'flows'), { recursive: true });
    await writeFile(path.join(dir, 'flows'), 'a file where the flows folder should be');
    const loaded = await loadContent(dir);
    expect(loaded.content).toBeUndefined();
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ file: '(content)', rule: 'read', message: expect.stringContaining('ENOTDIR') })]);
    const error = await createContentStore({ root: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
  });

  it('refuses to start with a ContentError whose report names the file and line, never a raw exception', async () => {
    const dir = await copyOfContent();
    const file = path.join(dir, 'flows', 'can-cuoc.yaml');
    const lines = (await readFile(file, 'utf8')).split('\n').length;
    await writeFile(file, `${await readFile(file, 'utf8')}\nbomb: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`);
    const error = await createContentStore({ root: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentError);
    // At the first anchor of the bomb (the line after the file's own last line).
    expect((error as ContentError).message).toMatch(new RegExp(`flows/can-cuoc\\.yaml:${lines + 1}:7 .*alias`, 'i'));
  });
});

describe('syntax errors point where the editor must look', () => {
  it('an unclosed flow sequence is reported on its own line, not the next one', () => {
    const [d] = parseYamlFile('f.yaml', 'a: 1\nb: [1, 2\nc: 3\nd: 4\n').diagnostics;
    expect(d).toMatchObject({ line: 2, rule: 'yaml-syntax' });
  });

  it('an unclosed quote is reported where the quote opens, not at the end of the file', () => {
    const [d] = parseYamlFile('f.yaml', 'a: 1\nb: "hello\nc: 3\n').diagnostics;
    expect(d).toMatchObject({ line: 2, col: 4, rule: 'yaml-syntax' });
  });

  it('keeps errors that are on their line where they are (bad indentation, missing colon)', () => {
    expect(parseYamlFile('f.yaml', 'a:\n  b: 1\n c: 2\n').diagnostics[0]).toMatchObject({ line: 3 });
    expect(parseYamlFile('f.yaml', 'a: 1\nb\nc: 3\n').diagnostics[0]).toMatchObject({ line: 2 });
  });

  it('a broken locale .json is reported at its line and column, not as a missing file', async () => {
    const dir = await copyOfContent();
    const file = path.join(dir, 'content', 'locales', 'vi.json');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[2] = lines[2]!.replace(/,\s*$/, ''); // drop the comma at the end of line 3
    await writeFile(file, lines.join('\n'));
    const loaded = await loadContent(dir);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ file: 'content/locales/vi.json', line: 3, rule: 'json-syntax' })]);
  });
});
