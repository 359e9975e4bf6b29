/**
 * Free-text search over flows and procedures (MiniSearch, BM25). Both the index and the query
 * go through the same folding (diacritics, case, Telex leftovers), abbreviations from
 * settings.yaml are expanded ("cccd" → "căn cước công dân"), and word pairs are indexed as
 * terms of their own so "căn cước" outranks a text that merely has "căn" and "cước" apart.
 * Typos: one edit is tolerated in words (and word pairs) of five letters or more. A hit must
 * cover enough of what was typed (MIN_COVERAGE); when nothing does, a commune or ward name is
 * tried.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { tokens } from '../engine/normalize';
import type { PlaceIndex, SearchHit } from '../engine/types';
import type { Flow, Procedure, Settings } from './schema';

interface Doc {
  id: string;
  kind: 'flow' | 'procedure';
  ref: string;
  title: string;
  match: string;
  related: string;
}

/** Hits scoring below this share of the best hit are noise, not alternatives. */
const RELATIVE_FLOOR = 0.3;
const MAX_HITS = 8;
/**
 * A hit must match at least this share of the words the citizen typed (an abbreviation counts
 * when the word itself or half of its expansion matched), or one of their word pairs exactly.
 * Without it one fuzzy word decides: "gplx" found "giấy khai sinh" through "giấy", "xã Đông
 * Lĩnh cũ" started the residence flow through "cũ" ≈ "cư".
 */
const MIN_COVERAGE = 0.5;

export interface SearchIndex {
  search(query: string): SearchHit[];
}

/**
 * `places`, when given, answers queries that match no flow or procedure but are a commune or
 * ward name, typos included ("hac thnh"), so the bot can say what the place is called today.
 * (Places named inside a sentence are found earlier, by the engine's `places.find`.)
 */
export function createSearchIndex(flows: readonly Flow[], procedures: readonly Procedure[], settings: Settings, places?: PlaceIndex): SearchIndex {
  const stop = new Set(settings.stopwords.flatMap((w) => tokens(w)));
  const abbreviations = new Map(Object.entries(settings.abbreviations).map(([k, v]) => [tokens(k).join(' '), v]));

  /** The typed words that carry meaning, each with what it abbreviates (if anything). */
  const units = (text: string): Array<{ word: string; expansion: string[] }> =>
    tokens(text)
      .filter((w) => !stop.has(w))
      .map((word) => ({ word, expansion: tokens(abbreviations.get(word) ?? '').filter((w) => !stop.has(w)) }));

  const analyse = (text: string): string[] => {
    const kept = units(text).flatMap((u) => [u.word, ...u.expansion]);
    const pairs = kept.slice(1).map((w, i) => `${kept[i]}_${w}`);
    return [...kept, ...pairs];
  };

  const procedureFlows = new Map<string, string[]>();
  for (const f of flows) {
    for (const node of Object.values(f.nodes)) {
      if (node.kind === 'procedure') procedureFlows.set(node.procedure, [...(procedureFlows.get(node.procedure) ?? []), f.id]);
    }
  }
  const byId = new Map(procedures.map((p) => [p.id, p]));

  const docs: Doc[] = [
    ...flows.map((f) => {
      const procs = [...new Set(Object.values(f.nodes).flatMap((n) => (n.kind === 'procedure' ? [n.procedure] : [])))]
        .map((id) => byId.get(id))
        .filter((p): p is Procedure => !!p);
      return {
        id: `flow:${f.id}`,
        kind: 'flow' as const,
        ref: f.id,
        title: [f.title.vi, f.title.en ?? ''].join(' | '),
        match: f.match.join(' | '),
        related: [f.description?.vi ?? '', ...procs.flatMap((p) => [p.name.vi, ...p.match])].join(' | '),
      };
    }),
    ...procedures
      .filter((p) => !procedureFlows.has(p.id))
      .map((p) => ({ id: `procedure:${p.id}`, kind: 'procedure' as const, ref: p.id, title: [p.name.vi, p.name.en ?? ''].join(' | '), match: p.match.join(' | '), related: p.code ?? '' })),
  ];

  const index = new MiniSearch<Doc>({
    fields: ['title', 'match', 'related'],
    storeFields: ['kind', 'ref'],
    tokenize: (text) => text.split(' | ').flatMap(analyse),
    processTerm: (term) => term,
    searchOptions: {
      boost: { title: 2, match: 3, related: 1 },
      // Folded Vietnamese syllables of four letters are one letter apart all the time ("dong" /
      // "dang", "linh" / "sinh", "kinh" / "sinh"), so only longer words and word pairs get a typo.
      fuzzy: (term) => (term.length >= 5 ? 1 : false),
      weights: { fuzzy: 0.5, prefix: 0.3 },
      combineWith: 'OR',
    },
  });
  index.addAll(docs);

  return {
    search(query: string): SearchHit[] {
      const typed = units(query);
      const terms = analyse(query);
      if (terms.length === 0) return [];
      // Terms are analysed already; the search-time tokenizer must not split "can_cuoc" again.
      const results = index
        .search(terms.join(' '), { tokenize: (s) => s.split(' ') })
        .map((r) => ({ r, fit: fit(typed, terms, r) }))
        .filter(({ fit }) => fit.relevant);
      const best = results[0]?.r.score ?? 0;
      const hits = results
        .filter(({ r }) => r.score >= best * RELATIVE_FLOOR)
        .slice(0, MAX_HITS)
        .map(({ r, fit }): SearchHit => ({ kind: r.kind as 'flow' | 'procedure', id: r.ref as string, score: r.score, strong: fit.strong }));
      return hits.length > 0 ? hits : placeHits(query, places);
    },
  };
}

/** How well a result fits what was typed (see MIN_COVERAGE and SearchHit.strong). */
function fit(typed: ReadonlyArray<{ word: string; expansion: string[] }>, terms: readonly string[], r: SearchResult): { relevant: boolean; strong: boolean } {
  const matched = new Set(r.queryTerms);
  const pair = terms.some((t) => t.includes('_') && r.terms.includes(t));
  const byExpansion = (u: { expansion: string[] }) => u.expansion.length > 0 && u.expansion.filter((w) => matched.has(w)).length * 2 >= u.expansion.length;
  const covered = typed.filter((u) => matched.has(u.word) || byExpansion(u));
  const strong = pair || covered.length >= 2 || covered.some(byExpansion);
  return { relevant: pair || covered.length >= typed.length * MIN_COVERAGE, strong };
}

function placeHits(query: string, places: PlaceIndex | undefined): SearchHit[] {
  const match = places?.resolve(query);
  switch (match?.kind) {
    case 'unit':
      return [{ kind: 'place', id: match.unit.code, score: 1 }];
    case 'choose':
      // The engine resolves the query again and asks which one; the hit only says "a place".
      return match.candidates[0] ? [{ kind: 'place', id: match.candidates[0].unit.code, score: 1 }] : [];
    case 'split':
      return match.units[0] ? [{ kind: 'place', id: match.units[0].code, score: 1 }] : [];
    default:
      return [];
  }
}
