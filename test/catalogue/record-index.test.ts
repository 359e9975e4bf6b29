/**
 * The record index ranks exactly as the MiniSearch index it replaced: same records, same order,
 * same scores (bit for bit), same matched terms, on the shipped catalogue, for the phrase bank's
 * questions, record names and typos of them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createRecordSearch, type RecordDoc } from '../../src/catalogue/record-index';
import { readCatalogue } from '../../src/content/index';
import { tokens } from '../../src/engine/normalize';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STOP = new Set(['cho', 'toi', 'o', 'dau', 'can', 'gi', 'thu', 'tuc', 'la', 'va', 'cua']);
const LIMIT = 300;

const analyse = (text: string): string[] => {
  const kept = tokens(text).filter((w) => !STOP.has(w));
  return [...kept, ...kept.slice(1).map((w, i) => `${kept[i]}_${w}`)];
};
const fuzzy = (term: string) => (term.length >= 5 && !term.includes('_') && !term.startsWith('k:') ? 1 : false);

describe('the record index', () => {
  const data = readCatalogue(ROOT)!;
  const docs: RecordDoc[] = data.entries.map((e) => ({ id: e.code, name: analyse(e.name), field: analyse(e.field ?? '') }));
  const byId = new Map(docs.map((d) => [d.id, d]));
  const ours = createRecordSearch(docs, { boost: { name: 3, field: 0.5 }, fuzzy, fuzzyWeight: 0.5 });
  const theirs = new MiniSearch<{ id: string; name: string; field: string }>({
    fields: ['name', 'field'],
    storeFields: [],
    tokenize: (id, field) => [...(field === 'name' ? byId.get(id)!.name : byId.get(id)!.field)],
    processTerm: (term) => term,
    searchOptions: { boost: { name: 3, field: 0.5 }, fuzzy, weights: { fuzzy: 0.5, prefix: 0.3 }, combineWith: 'OR' },
  });
  theirs.addAll(docs.map((d) => ({ id: d.id, name: d.id, field: d.id })));

  const bank = (parse(readFileSync(path.join(ROOT, 'eval/phrases.yaml'), 'utf8')) as Array<{ q: string | string[] }>).flatMap((e) => (Array.isArray(e.q) ? e.q : [e.q]))
    .filter((_, i) => i % 8 === 0);
  // Record names, and the same with one letter dropped from the longest word (a typo to match).
  const names = data.entries.filter((_, i) => i % 97 === 0).map((e) => e.name);
  const typos = names.map((n) => {
    const words = tokens(n);
    const long = words.reduce((a, w) => (w.length > a.length ? w : a), '');
    return words.map((w) => (w === long ? w.slice(0, 2) + w.slice(3) : w)).join(' ');
  });
  const queries = [...bank, ...names, ...typos, 'hotich trich luc', 'dang ky dang ky xe may', 'giay phep xay dung nha o', 'con toi du 17 tuoi dang ky nghia vu quan su'];

  it('gives the same records, order, scores and matched terms as MiniSearch', { timeout: 120_000 }, () => {
    let compared = 0;
    for (const q of queries) {
      const terms = analyse(q);
      if (terms.length === 0) continue;
      const want = theirs.search(terms.join(' '), { tokenize: (s) => s.split(' ') }).slice(0, LIMIT);
      const got = ours.search(terms, LIMIT);
      // One line per record: id, score (every digit), matched index terms and query terms.
      const show = (r: { id: string; score: number; terms: string[]; queryTerms: string[] }) => `${r.id} ${r.score} ${[...r.terms].sort().join(',')} ${[...r.queryTerms].sort().join(',')}`;
      expect(got.map(show).join('\n'), q).toBe(want.map((r) => show({ ...r, id: r.id as string })).join('\n'));
      compared += got.length;
    }
    expect(compared).toBeGreaterThan(5_000);
  });

  it('finds a record through one typo and nothing for words no record has', () => {
    expect(ours.search(analyse('đăng ký nghĩa vụ quân sự lần đầu'), 5)[0]?.id).toBe('1.013133');
    expect(ours.search(analyse('dang ky nghxa vu quan su lan dau'), 5).map((r) => r.id)).toContain('1.013133');
    expect(ours.search(analyse('zzzzqqq'), 5)).toEqual([]);
  });
});
