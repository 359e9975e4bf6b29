/**
 * The catalogue's record search index: the same BM25 ranking MiniSearch gave the record search
 * (fields `name` ×3 and `field` ×0.5, OR of the query terms, one typo on the terms `fuzzy` allows,
 * score × number of distinct query terms matched), over flat typed arrays instead of one Map per
 * term and one result object per matching record.
 *
 * Why not MiniSearch itself: "đăng ký" alone is in thousands of record names, so every query
 * scored, merged and sorted thousands of result objects (p99 ≈ 15 ms), and indexing the 5,000
 * names took ~0.5 s of every start. Here the per-posting BM25 part is worked out once at build
 * time, a query adds numbers into one Float64Array and only the `limit` best records become
 * objects. Build and search follow MiniSearch 7's arithmetic and ordering step for step (term
 * insertion order, per-term then per-query-term summation, stable order of first match for equal
 * scores), so results are the same, score for score: test/catalogue/record-index.test.ts checks
 * it against MiniSearch on the shipped catalogue.
 */
import SearchableMap from 'minisearch/SearchableMap';

/** One record to index: its id and the analysed terms of each field (words and word pairs, repeats kept). */
export interface RecordDoc {
  id: string;
  name: readonly string[];
  field: readonly string[];
}

/** What a search returns per record, as MiniSearch's SearchResult has it. */
export interface RecordResult {
  id: string;
  score: number;
  /** The index terms matched (a typo'd query term gives the record's own spelling). */
  terms: string[];
  /** The query terms that matched, in first-match order. */
  queryTerms: string[];
}

export interface RecordSearchOptions {
  /** Field boosts, as MiniSearch's `boost`. */
  boost: { name: number; field: number };
  /** Edit distance allowed for a query term (MiniSearch's `fuzzy` returning an integer), or false. */
  fuzzy: (term: string) => number | false;
  /** Weight of a fuzzy match (MiniSearch's `weights.fuzzy`). */
  fuzzyWeight: number;
}

export interface RecordSearch {
  readonly size: number;
  /** The `limit` best records for the analysed query terms (repeats count, as in MiniSearch). */
  search(terms: readonly string[], limit: number): RecordResult[];
}

const FIELDS = 2; // 0: name, 1: field
/** MiniSearch's default BM25+ parameters. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };

/** calcBM25Score of MiniSearch 7, the same operations in the same order (bit-identical scores). */
function bm25(termFreq: number, matchingCount: number, totalCount: number, fieldLength: number, avgFieldLength: number): number {
  const { k, b, d } = BM25;
  const invDocFreq = Math.log(1 + (totalCount - matchingCount + 0.5) / (matchingCount + 0.5));
  return invDocFreq * (d + (termFreq * (k + 1)) / (termFreq + k * (1 - b + (b * fieldLength) / avgFieldLength)));
}

/** Postings of every term in one field, CSR: term t's records (ascending) are docs[start[t]..start[t+1]). */
interface FieldPostings {
  start: Int32Array;
  docs: Int32Array;
  /** The BM25 part of each posting (depends only on the index, not on the query). */
  scores: Float64Array;
}

export function createRecordSearch(docs: readonly RecordDoc[], opts: RecordSearchOptions): RecordSearch {
  const ids = docs.map((d) => d.id);
  const termIds = new Map<string, number>();
  const termNames: string[] = [];
  // The vocabulary as MiniSearch's radix tree, filled in the same order, so a typo finds the same
  // terms in the same order (which decides the order of equal scores).
  const tree = new SearchableMap<number>();
  // One entry per (field, record, term): flat arrays, grouped per term afterwards.
  const entryTerm: number[][] = [[], []];
  const entryDoc: number[][] = [[], []];
  const entryFreq: number[][] = [[], []];
  const lastEntry: number[] = []; // per term: its entry for the current record and field…
  const lastOwner: number[] = []; // …which record and field that is (d * FIELDS + f)
  const fieldLength = [new Int32Array(docs.length), new Int32Array(docs.length)];
  const avg = [0, 0];
  for (let d = 0; d < docs.length; d++) {
    const doc = docs[d]!;
    for (let f = 0; f < FIELDS; f++) {
      const terms = f === 0 ? doc.name : doc.field;
      const owner = d * FIELDS + f;
      let unique = 0;
      for (const term of terms) {
        if (!term) continue;
        let t = termIds.get(term);
        if (t === undefined) {
          t = termNames.length;
          termIds.set(term, t);
          termNames.push(term);
          tree.set(term, t);
          lastOwner.push(-1);
          lastEntry.push(-1);
        }
        if (lastOwner[t] === owner) entryFreq[f]![lastEntry[t]!]! += 1;
        else {
          lastOwner[t] = owner;
          lastEntry[t] = entryTerm[f]!.length;
          entryTerm[f]!.push(t);
          entryDoc[f]!.push(d);
          entryFreq[f]!.push(1);
          unique += 1;
        }
      }
      // MiniSearch counts a field's distinct terms (an empty term included, never seen here).
      fieldLength[f]![d] = unique;
      // MiniSearch's running average (addFieldLength), in the same floating-point steps.
      avg[f] = (avg[f]! * d + unique) / (d + 1);
    }
  }
  const postings: FieldPostings[] = [0, 1].map((f) => {
    const terms = entryTerm[f]!;
    const start = new Int32Array(termNames.length + 1);
    for (const t of terms) start[t + 1]! += 1;
    for (let t = 0; t < termNames.length; t++) start[t + 1]! += start[t]!;
    const fill = start.slice(0, termNames.length);
    const docsOf = new Int32Array(terms.length);
    const freqOf = new Int32Array(terms.length);
    for (let i = 0; i < terms.length; i++) {
      const at = fill[terms[i]!]!++;
      docsOf[at] = entryDoc[f]![i]!;
      freqOf[at] = entryFreq[f]![i]!;
    }
    const scores = new Float64Array(terms.length);
    for (let t = 0; t < termNames.length; t++) {
      const matching = start[t + 1]! - start[t]!;
      for (let i = start[t]!; i < start[t + 1]!; i++) scores[i] = bm25(freqOf[i]!, matching, docs.length, fieldLength[f]![docsOf[i]!]!, avg[f]!);
    }
    return { start, docs: docsOf, scores };
  });
  const boosts = [opts.boost.name, opts.boost.field];

  // Per-query scratch, reused: a search runs start to end without yielding.
  const total = new Float64Array(docs.length);
  const spec = new Float64Array(docs.length);
  const seen = new Int32Array(docs.length); // query number in which the record was first matched
  const inSpec = new Int32Array(docs.length);
  const order = new Int32Array(docs.length); // first-match order within this query
  const quality = new Int32Array(docs.length);
  const rank = new Int32Array(docs.length).fill(-1); // place among a search's best, -1 when not
  let queryNo = 0;
  let specNo = 0;

  return {
    size: docs.length,
    search(queryTerms, limit) {
      queryNo += 1;
      const matched: number[] = [];
      // (query term, index term) of every postings list read, to name the terms of the best records.
      const readQuery: number[] = [];
      const readTerm: number[] = [];
      const distinct = [...new Set(queryTerms.filter(Boolean))];
      const qIndex = new Map(distinct.map((q, i) => [q, i]));
      // A repeated query term scores again but counts once toward the number of terms matched.
      const counted = new Map<number, Set<number>>();
      for (const q of queryTerms) {
        if (!q) continue;
        specNo += 1;
        const qi = qIndex.get(q)!;
        const specDocs: number[] = [];
        const add = (t: number, weight: number) => {
          readQuery.push(qi);
          readTerm.push(t);
          for (let f = 0; f < FIELDS; f++) {
            const p = postings[f]!;
            const fieldWeight = weight * 1 * boosts[f]! * 1; // termWeight · termBoost · fieldBoost · docBoost
            for (let i = p.start[t]!, end = p.start[t + 1]!; i < end; i++) {
              const d = p.docs[i]!;
              if (inSpec[d] !== specNo) {
                inSpec[d] = specNo;
                spec[d] = 0;
                specDocs.push(d);
              }
              spec[d] = spec[d]! + fieldWeight * p.scores[i]!;
            }
          }
        };
        const exact = termIds.get(q);
        if (exact !== undefined) add(exact, 1);
        const distance = opts.fuzzy(q);
        if (distance) {
          for (const [term, [t, dist]] of tree.fuzzyGet(q, distance)) {
            if (!dist) continue; // the exact match, scored above
            add(t, (opts.fuzzyWeight * term.length) / (term.length + dist));
          }
        }
        let once = counted.get(qi);
        if (!once && queryTerms.indexOf(q) !== queryTerms.lastIndexOf(q)) counted.set(qi, (once = new Set()));
        for (const d of specDocs) {
          if (seen[d] !== queryNo) {
            seen[d] = queryNo;
            order[d] = matched.length;
            matched.push(d);
            total[d] = 0;
            quality[d] = 0;
          }
          total[d] = total[d]! + spec[d]!;
          if (!once) quality[d] = quality[d]! + 1;
          else if (!once.has(d)) {
            once.add(d);
            quality[d] = quality[d]! + 1;
          }
        }
      }
      for (const d of matched) total[d] = total[d]! * (quality[d] || 1);
      const best = top(matched, limit, total, order);
      const results: RecordResult[] = best.map((d, r) => {
        rank[d] = r;
        return { id: ids[d]!, score: total[d]!, terms: [], queryTerms: [] };
      });
      // The lists read again, for the best records only: which query and index terms each matched
      // (a handful per record: a scan of the short arrays costs less than a Set per record).
      for (let k = 0; k < readTerm.length; k++) {
        const t = readTerm[k]!;
        const name = termNames[t]!;
        const q = distinct[readQuery[k]!]!;
        for (let f = 0; f < FIELDS; f++) {
          const p = postings[f]!;
          for (let i = p.start[t]!, end = p.start[t + 1]!; i < end; i++) {
            const r = rank[p.docs[i]!]!;
            if (r < 0) continue;
            const result = results[r]!;
            if (!result.queryTerms.includes(q)) result.queryTerms.push(q);
            if (!result.terms.includes(name)) result.terms.push(name);
          }
        }
      }
      for (const d of best) rank[d] = -1;
      return results;
    },
  };
}

/**
 * The `limit` best of `matched` (in first-match order): highest score first, equal scores in
 * first-match order — what a stable sort of all of them gives, without sorting thousands.
 */
function top(matched: readonly number[], limit: number, score: Float64Array, order: Int32Array): number[] {
  const byScore = (a: number, b: number) => score[b]! - score[a]! || order[a]! - order[b]!;
  if (matched.length <= limit) return [...matched].sort(byScore);
  // The limit-th highest score: those above it all make the cut, then the equal ones in order.
  const values = new Float64Array(matched.length);
  for (let i = 0; i < matched.length; i++) values[i] = score[matched[i]!]!;
  values.sort();
  const cut = values[values.length - limit]!;
  const above = matched.filter((d) => score[d]! > cut).sort(byScore);
  for (const d of matched) {
    if (above.length >= limit) break;
    if (score[d] === cut) above.push(d);
  }
  return above;
}

/** Records by keyword pair, looked up as the search's "k:" terms ("k:du_17" for the pair "du 17"). */
export interface KeywordIndex {
  get(key: string): ReadonlySet<string> | undefined;
}

/**
 * Each keyword pair's records. The pairs are indexed as the file gives them ("du 17") and a
 * record set is made only for the pairs a query asks about: 130,000 pairs made into "k:" keys
 * and sets at every start cost ~0.1 s, most of them never asked for.
 */
export function createKeywordIndex(entries: ReadonlyArray<{ code: string; keywords?: readonly string[] }>): KeywordIndex {
  const byPair = new Map<string, string[]>();
  for (const e of entries)
    for (const k of e.keywords ?? []) {
      const codes = byPair.get(k);
      if (codes) codes.push(e.code);
      else byPair.set(k, [e.code]);
    }
  const sets = new Map<string, ReadonlySet<string> | undefined>();
  return {
    get(key) {
      if (sets.has(key)) return sets.get(key);
      // "k:a_b" is the pair "a b" (folded words have no "_"); anything else is no pair.
      const codes = key.startsWith('k:') ? byPair.get(key.slice(2).replace('_', ' ')) : undefined;
      const set = codes ? new Set(codes) : undefined;
      sets.set(key, set);
      return set;
    },
  };
}
