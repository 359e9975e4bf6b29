/**
 * Every interface string the code asks for exists in both locales. Keys are found in the
 * source: the string literals passed to a `t(…)` call (`t(ctx, 'menu.prompt')`,
 * `content.t(locale, 'cli.bye')`, `ctx.t('staff.cases.view')`), and any other literal shaped like
 * a key of a namespace the locale files have (keys passed through a variable, e.g.
 * `miss(ctx, raw, 'place.not_found')`). Keys built with `${…}` are expanded where the values are
 * known, and otherwise checked by their fixed part.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOPICS } from '../../src/content/schema';
import { ROOT } from '../engine/real-content';

type Json = { [k: string]: Json | string };
const locales = {
  vi: JSON.parse(await readFile(path.join(ROOT, 'content/locales/vi.json'), 'utf8')) as Json,
  en: JSON.parse(await readFile(path.join(ROOT, 'content/locales/en.json'), 'utf8')) as Json,
};
function leaves(obj: Json, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'object' ? leaves(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
/** Keys as the code names them: a plural key "x" is stored as "x_one", "x_other", … */
function withBases(list: string[]): Set<string> {
  return new Set([...list, ...list.filter((k) => /_(?:zero|one|two|few|many|other)$/.test(k)).map((k) => k.replace(/_[a-z]+$/, ''))]);
}
const keys = { vi: withBases(leaves(locales.vi)), en: withBases(leaves(locales.en)) };
const namespaces = new Set([...Object.keys(locales.vi), ...Object.keys(locales.en)]);

const KEY = /^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/;
const LITERAL = /'([^'\\\n]*)'|"([^"\\\n]*)"|`([^`\\]*)`/g;

interface Use {
  key: string;
  file: string;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, dir), { recursive: true });
  return entries.filter((f) => /\.(ts|js)$/.test(f)).map((f) => path.join(dir, f));
}

/** The argument text of every `t(…)` call in `text`. */
function tCallArgs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\bt\(/g)) {
    let depth = 1;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    out.push(text.slice(start, i - 1));
  }
  return out;
}

function literals(text: string): string[] {
  return [...text.matchAll(LITERAL)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const files = await sourceFiles('src');
const sources = new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(ROOT, f), 'utf8')] as const)));
const fixed: Use[] = [];
const templates: Use[] = [];
for (const [file, text] of sources) {
  for (const args of tCallArgs(text)) {
    for (const lit of literals(args)) {
      if (KEY.test(lit)) fixed.push({ key: lit, file });
      else if (/^[a-z][a-z0-9_.]*\$\{[^}]+\}[a-z0-9_.]*$/.test(lit)) templates.push({ key: lit, file });
    }
  }
  for (const lit of literals(text)) if (KEY.test(lit) && namespaces.has(lit.split('.')[0]!)) fixed.push({ key: lit, file });
}

/** Values the code fills into `${…}` where they are known. */
async function expansions(use: Use): Promise<string[] | undefined> {
  const [prefix, suffix] = use.key.split(/\$\{[^}]+\}/) as [string, string];
  if (prefix === 'topic.') return TOPICS.map((t) => `${prefix}${t}${suffix}`);
  if (prefix === 'web.') {
    // The web page asks for a fixed list of strings (GET /api/ui) declared next to the call.
    const list = /const keys = \[([^\]]*)\]/.exec(sources.get(use.file) ?? '')?.[1];
    return list ? literals(list).map((k) => `${prefix}${k}${suffix}`) : undefined;
  }
  return undefined;
}

describe('locale keys used by the code', () => {
  it('finds the keys the engine uses', () => {
    const found = new Set(fixed.map((u) => u.key));
    for (const k of ['menu.prompt', 'help.body', 'miss.sorry', 'place.not_found', 'procedure.online_vneid', 'procedure.online', 'resume.where']) expect(found).toContain(k);
    expect(templates.map((u) => u.key)).toContain('topic.${topic}');
  });

  it.each(['vi', 'en'] as const)('exist in %s.json', async (lang) => {
    const missing = new Set<string>();
    for (const u of fixed) if (!keys[lang].has(u.key)) missing.add(`${u.key} (${u.file})`);
    for (const u of templates) {
      const expanded = await expansions(u);
      if (expanded) {
        for (const k of expanded) if (!keys[lang].has(k)) missing.add(`${k} (${u.file}: ${u.key})`);
      } else {
        // Values unknown here: at least the fixed part must lead to some keys.
        const prefix = u.key.split('${')[0]!;
        if (![...keys[lang]].some((k) => k.startsWith(prefix))) missing.add(`${prefix}… (${u.file}: ${u.key})`);
      }
    }
    expect([...missing].sort()).toEqual([]);
  });
});
