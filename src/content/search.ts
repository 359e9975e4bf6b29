/**
 * Free-text search over flows and procedures (MiniSearch, BM25). Both the index and the query
 * go through the same folding (diacritics, case, Telex leftovers), abbreviations from
 * settings.yaml are expanded ("cccd" → "căn cước công dân"), and word pairs are indexed as
 * terms of their own so "căn cước" outranks a text that merely has "căn" and "cước" apart.
 * Typos: one edit is tolerated in words of four letters or more.
 */
import MiniSearch from 'minisearch';
import { tokens } from '../engine/normalize';
import type { SearchHit } from '../engine/types';
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

export interface SearchIndex {
  search(query: string): SearchHit[];
}

export function createSearchIndex(flows: readonly Flow[], procedures: readonly Procedure[], settings: Settings): SearchIndex {
  const stop = new Set(settings.stopwords.flatMap((w) => tokens(w)));
  const abbreviations = new Map(Object.entries(settings.abbreviations).map(([k, v]) => [tokens(k).join(' '), v]));

  const analyse = (text: string): string[] => {
    const words = tokens(text).flatMap((w) => {
      const expanded = abbreviations.get(w);
      return expanded ? [w, ...tokens(expanded)] : [w];
    });
    const kept = words.filter((w) => !stop.has(w));
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
      fuzzy: (term) => (term.length >= 4 ? 1 : false),
      weights: { fuzzy: 0.5, prefix: 0.3 },
      combineWith: 'OR',
    },
  });
  index.addAll(docs);

  return {
    search(query: string): SearchHit[] {
      const terms = analyse(query);
      if (terms.length === 0) return [];
      // Terms are analysed already; the search-time tokenizer must not split "can_cuoc" again.
      const results = index.search(terms.join(' '), { tokenize: (s) => s.split(' ') });
      const best = results[0]?.score ?? 0;
      return results
        .filter((r) => r.score >= best * RELATIVE_FLOOR)
        .slice(0, MAX_HITS)
        .map((r) => ({ kind: r.kind as 'flow' | 'procedure', id: r.ref as string, score: r.score }));
    },
  };
}
