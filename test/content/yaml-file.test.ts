/**
 * parseYamlFile reads values with js-yaml and positions with `yaml` (src/content/yaml-file.ts):
 * the values must be what `yaml` alone gives, for every YAML file of the repo, and positions,
 * syntax errors and anchors must stay `yaml`'s.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseYamlFile } from '../../src/content/yaml-file';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What `yaml` alone gives, with the options parseYamlFile uses. */
const byYaml = (source: string): unknown => parseDocument(source, { uniqueKeys: true, prettyErrors: false, merge: false }).toJS({ maxAliasCount: 100 });

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.includes('node_modules'))
    .map((f) => path.join(dir, f));
}

describe('parseYamlFile', () => {
  it('gives the values yaml gives, for every YAML file and locale of the repo', () => {
    const files = [...filesUnder('content').filter((f) => !f.endsWith('units.json') && !f.endsWith('quality-report.json')), ...filesUnder('flows'), ...filesUnder('eval'), ...filesUnder('test/fixtures').filter((f) => !f.endsWith('.json'))];
    expect(files.length).toBeGreaterThan(150);
    for (const file of files) {
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      const parsed = parseYamlFile(file, source);
      // Valid for one exactly when valid for yaml (fixtures broken on purpose get yaml's diagnostics).
      const errors = parseDocument(source, { uniqueKeys: true, prettyErrors: false, merge: false }).errors;
      expect(parsed.diagnostics.length > 0, file).toBe(errors.length > 0);
      if (errors.length === 0) expect(parsed.data, file).toStrictEqual(byYaml(source));
    }
  });

  it('points a finding at its line and column', () => {
    const src = parseYamlFile('flows/x.yaml', 'id: x\nnodes:\n  start:\n    say: { vi: Xin chào }\n    next: nowhere\n');
    expect(src.data).toEqual({ id: 'x', nodes: { start: { say: { vi: 'Xin chào' }, next: 'nowhere' } } });
    expect(src.locate(['nodes', 'start', 'next'])).toEqual({ line: 5, col: 11 });
    expect(src.at(['nodes', 'start', 'next'], 'error', 'missing-ref', 'no such node', true)).toEqual({ file: 'flows/x.yaml', line: 5, col: 5, severity: 'error', rule: 'missing-ref', message: 'no such node' });
  });

  it('reports a duplicate key and a syntax error as yaml does, with positions', () => {
    const dup = parseYamlFile('a.yaml', 'id: a\nid: b\n');
    expect(dup.data).toBeUndefined();
    expect(dup.diagnostics).toMatchObject([{ line: 2, col: 1, rule: 'duplicate-id' }]);
    const broken = parseYamlFile('b.yaml', 'match: [a, b\nid: x\n');
    expect(broken.data).toBeUndefined();
    expect(broken.diagnostics[0]).toMatchObject({ file: 'b.yaml', severity: 'error', rule: 'yaml-syntax' });
  });

  it('keeps yaml reading anchors, so an alias bomb is still refused', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
    const parsed = parseYamlFile('bomb.yaml', bomb);
    expect(parsed.data).toBeUndefined();
    expect(parsed.diagnostics[0]?.rule).toBe('yaml-syntax');
    expect(parseYamlFile('ok.yaml', 'base: &b { vi: Có }\nother: *b\n').data).toEqual({ base: { vi: 'Có' }, other: { vi: 'Có' } });
  });

  it('reads an empty file as yaml does', () => {
    expect(parseYamlFile('empty.yaml', '# nothing yet\n').data).toBe(byYaml('# nothing yet\n'));
  });
});
