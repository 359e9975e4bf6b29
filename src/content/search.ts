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
import type { Catalogue } from '../catalogue/catalogue';
import { createKeywordIndex, createRecordSearch, type KeywordIndex, type RecordSearch } from '../catalogue/record-index';
import { tokens } from '../engine/normalize';
import type { PlaceIndex, SearchHit } from '../engine/types';
import { inOfficialWords, namePhrase, rareNameWords, runsIn } from './record-phrase';
import { servedCodes } from './regional-facts';
import type { Flow, Procedure, Settings } from './schema';

/** A national procedure code typed anywhere in a message ("1.001193", "mã 1.013133"). */
const CODE = /(?<![\d.])(\d\.\d{6,9})(?![\d])/;
/** Record hits offered at most (the engine shows up to 5 options). */
const MAX_RECORDS = 5;
/** Share of the typed words a record must cover (name or keyword pairs) to be shown as a card outright. */
const CARD_COVERAGE = 0.75;
/** Typed words a record must cover beyond the best curated hit to be preferred to it. */
const RECORD_MARGIN = 2;
/** Record results (best score first) whose coverage is worked out. */
const MAX_CANDIDATES = 300;
/** Untyped words a record's name may have (beyond 30% of it) for its card to be shown outright. */
const MAX_EXTRA = 2;
/** Words a record's name must have for saying it whole to count ("xóa đăng ký" is said in many a request). */
const MIN_WHOLE = 3;
/** Words of record names that join a list rather than say what the record is about. */
const NAME_FILLER = new Set(['cac', 'nhung']);

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
/** `served`: the region slugs a deployment serves, which decide the catalogue codes a curated procedure answers for (docs/regional-facts.md). */
export function createSearchIndex(flows: readonly Flow[], procedures: readonly Procedure[], settings: Settings, places?: PlaceIndex, catalogue?: Catalogue, served: readonly string[] = []): SearchIndex {
  const codesOf = (p: Procedure): string[] => servedCodes(p, served);
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
      .map((p) => ({ id: `procedure:${p.id}`, kind: 'procedure' as const, ref: p.id, title: [p.name.vi, p.name.en ?? ''].join(' | '), match: p.match.join(' | '), related: codesOf(p).join(' ') })),
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
  // Each record name's meaningful words, analysed once: for the index, and per query for "what else does the name say".
  const names = new Map<string, string[]>();
  const withPairs = (kept: readonly string[]) => [...kept, ...kept.slice(1).map((w, i) => `${kept[i]}_${w}`)];
  const analysedOnce = new Map<string, string[]>();
  const curatedKey = procedures.flatMap(codesOf).sort().join(' ');
  const cached = catalogue ? recordIndexCache.get(catalogue) : undefined;
  const recordIndex =
    cached?.key === curatedKey
      ? cached.index
      : catalogue && catalogue.entries.length > 0
      ? buildRecordIndex(catalogue, procedures.flatMap(codesOf), names, (folded) => folded.filter((w) => !stop.has(w)), (text) => {
          let t = analysedOnce.get(text);
          if (!t) analysedOnce.set(text, (t = analyse(text)));
          return t;
        }, (code) => withPairs(names.get(code) ?? []))
      : undefined;
  // A content reload with the same catalogue and the same curated codes reuses the record index (seconds to build).
  if (catalogue && recordIndex && cached?.index !== recordIndex) recordIndexCache.set(catalogue, { key: curatedKey, index: recordIndex });
  const citizens = new Set((catalogue?.entries ?? []).filter((e) => e.subjects?.some((s) => /công dân|cá nhân|người/i.test(s))).map((e) => e.code));
  // Each record's name as a citizen would say it, worked out the first time a search weighs it.
  const phrases = new Map<string, string[]>();
  const phraseOf = (code: string): string[] => {
    let p = phrases.get(code);
    if (!p) phrases.set(code, (p = namePhrase(catalogue?.entry(code)?.name ?? '').filter((w) => !NAME_FILLER.has(w))));
    return p;
  };

  return {
    search(query: string): SearchHit[] {
      // A procedure code names its record, curated or not, whatever else the message says.
      const code = CODE.exec(query)?.[1];
      if (code && catalogue && catalogue.entries.length > 0) return [{ kind: 'record', id: code, score: 1, strong: true }];
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
      // Curated content first; the catalogue answers what it does not cover, or what a record
      // fits clearly better ("đủ 17 tuổi đăng ký nghĩa vụ quân sự" is not birth registration
      // because both say "đăng ký" and "con").
      // A lone number ("7") is an answer to options, not a search of the catalogue.
      const records = recordIndex && typed.some((u) => !/^\d+$/.test(u.word)) ? searchRecords(recordIndex, citizens, typed, terms, inOfficialWords(tokens(query), settings.official_terms), phraseOf, rareNameWords(catalogue!)) : { hits: [], covered: 0 };
      const curatedCovered = Math.max(0, ...results.filter(({ r }) => r.score >= best * RELATIVE_FLOOR).map(({ fit }) => fit.covered));
      const recordsClearlyBetter = records.hits.length > 0 && !records.hits[0]!.confirm && records.covered >= curatedCovered + RECORD_MARGIN;
      // Otherwise both, curated first: judge() weighs how much of a record's name the message
      // says against the curated phrases it names ("đăng ký lại khai sinh" is not "khai sinh").
      if (hits.length > 0 && !recordsClearlyBetter) return [...hits, ...records.hits];
      if (records.hits.length > 0) return records.hits;
      return placeHits(query, places);
    },
  };
}

const recordIndexCache = new WeakMap<Catalogue, { key: string; index: RecordIndex }>();

/** The record index plus, apart from it, each keyword pair's records (a Map is far cheaper to build than indexing 100,000 pairs). */
interface RecordIndex {
  index: RecordSearch;
  keywords: KeywordIndex;
  /** Each record name's meaningful words. */
  names: ReadonlyMap<string, readonly string[]>;
}

/**
 * The catalogue's own index: record names and fields, plus each record's distinctive word pairs
 * (`keywords`, looked up as "k:" pair terms). Records a curated procedure names are left out:
 * the curated answer is found instead.
 */
function buildRecordIndex(catalogue: Catalogue, curatedCodes: readonly string[], names: Map<string, string[]>, words: (folded: readonly string[]) => string[], analyse: (text: string) => string[], nameTerms: (code: string) => string[]): RecordIndex {
  for (const e of catalogue.entries) names.set(e.code, words(catalogue.nameWords(e.code)));
  const curated = new Set(curatedCodes);
  const served = catalogue.entries.filter((e) => !curated.has(e.code));
  const index = createRecordSearch(
    served.map((e) => ({ id: e.code, name: nameTerms(e.code), field: analyse(e.field ?? '') })),
    {
      boost: { name: 3, field: 0.5 },
      // Typos in words only: fuzzy word pairs over thousands of record names cost ~100 ms a query.
      fuzzy: (term) => (term.length >= 5 && !term.includes('_') && !term.startsWith('k:') ? 1 : false),
      fuzzyWeight: 0.5,
    },
  );
  const keywords = createKeywordIndex(served);
  return { index, keywords, names };
}

/**
 * Records that fit what was typed: the record's name must cover enough of the typed words (as
 * for curated hits); among those, only the ones that cover the most words — counting words of a
 * matched keyword pair — are kept, so "đủ 17 tuổi đăng ký nghĩa vụ quân sự" finds the first
 * registration alone while "đăng ký nghĩa vụ quân sự" offers all of them.
 */
/**
 * A record's meaningful name words that its name phrase says. Neither depends on the message, so
 * it is worked out once per record (keyed by the cached phrase), not for 300 candidates a query.
 */
const nameWordsOfPhrase = new WeakMap<readonly string[], { length: number; counts: ReadonlyMap<string, number> }>();
function nameWordsSaid(phrase: readonly string[], words: readonly string[] | undefined): { length: number; counts: ReadonlyMap<string, number> } {
  let out = nameWordsOfPhrase.get(phrase);
  if (!out) {
    const said = new Set(phrase);
    const counts = new Map<string, number>();
    let length = 0;
    for (const w of words ?? []) {
      if (!said.has(w)) continue;
      counts.set(w, (counts.get(w) ?? 0) + 1);
      length++;
    }
    nameWordsOfPhrase.set(phrase, (out = { length, counts }));
  }
  return out;
}

function searchRecords({ index, keywords, names }: RecordIndex, citizens: ReadonlySet<string>, typed: ReadonlyArray<{ word: string; expansion: string[] }>, terms: readonly string[], message: readonly string[], phraseOf: (code: string) => string[], rare: ReadonlySet<string>): { hits: SearchHit[]; covered: number } {
  const pairs = terms.filter((t) => t.includes('_')).map((t) => `k:${t}`);
  // The best-scored results are enough: "đăng ký" alone matches thousands of records. Each
  // gets the typed pairs that are among its keywords as extra "k:" terms.
  const results = index
    .search(terms, MAX_CANDIDATES)
    .map((r) => {
      const k = pairs.filter((p) => keywords.get(p)?.has(r.id as string));
      return k.length === 0 ? r : { ...r, queryTerms: [...r.queryTerms, ...k], terms: [...r.terms, ...k] };
    });
  const typedWords = new Set(typed.flatMap((u) => [u.word, ...u.expansion]));
  const runOf = runsIn(message.filter((w) => !NAME_FILLER.has(w)));
  const scored = results
    .map((r) => {
      const covered = coverage(typed, r, rare);
      // Most candidates got no keyword pair: then their name alone covers exactly as much.
      const keyworded = r.queryTerms.some((q) => q.startsWith('k:')) || r.terms.some((q) => q.startsWith('k:'));
      const nameCovered = keyworded ? coverage(typed, { queryTerms: r.queryTerms.filter((q) => !q.startsWith('k:')), terms: r.terms.filter((q) => !q.startsWith('k:')) }, rare) : covered;
      // Words of the record's name the citizen did not type: "giấy phép xây dựng nhà" is not
      // "Cấp giấy phép xây dựng nhà máy điện hạt nhân", though every typed word is in it.
      // A level in brackets ("(Cấp tỉnh)") and list words ("các") are not what a name says more.
      const phrase = phraseOf(r.id as string);
      const nameWords = nameWordsSaid(phrase, names.get(r.id as string));
      // The name's words the message does not say: all of them less those it does (typed words are few, names may be long).
      let extra = nameWords.length;
      for (const w of typedWords) extra -= nameWords.counts.get(w) ?? 0;
      // How much of the name the message says as one phrase; all of it (`whole`) is the clearest sign.
      const run = runOf(phrase);
      const whole = phrase.length >= MIN_WHOLE && run === phrase.length;
      return { r, nameCovered, covered, extra, nameWords: nameWords.length, run, whole };
    })
    // The name alone must cover half of what was typed (keyword pairs only rank and confirm),
    // unless the message says the name whole: a long story around it does not make it fit less.
    .filter((x) => (x.nameCovered > 0 && x.nameCovered >= typed.length * MIN_COVERAGE) || x.whole);
  const most = Math.max(0, ...scored.map((x) => x.covered));
  // Records named whole come first, the longest name first. Then the bot serves citizens: among
  // equally fitting records, those for citizens first, then the most specific (fewest untyped
  // words in the name).
  const best = scored.filter((x) => x.covered === most || x.whole);
  best.sort(
    (a, b) =>
      Number(b.whole) - Number(a.whole) ||
      (a.whole && b.whole ? b.run - a.run : 0) ||
      Number(citizens.has(b.r.id as string)) - Number(citizens.has(a.r.id as string)) ||
      a.extra - b.extra ||
      b.r.score - a.r.score,
  );
  // Not every meaningful word found, or a name saying much more: a guess to confirm, never a card shown outright.
  const top = best[0];
  const confirm = !top || (!top.whole && (most < typed.length * CARD_COVERAGE || top.extra > Math.max(MAX_EXTRA, top.nameWords * 0.3)));
  const hits = best.slice(0, MAX_RECORDS).map(
    ({ r, nameCovered, run, whole }): SearchHit => ({
      kind: 'record',
      id: r.id as string,
      score: r.score,
      strong: whole || (!confirm && nameCovered >= 2),
      ...(confirm && !whole ? { confirm: true } : {}),
      ...(run >= 2 ? { named: run } : {}),
      ...(whole ? { whole: true } : {}),
    }),
  );
  return { hits, covered: most };
}

/**
 * Typed words a record covers, each only together with a typed neighbour as the pair it forms
 * (in the name or a keyword pair): "công chứng bằng tốt nghiệp" does not cover "công" and "chứng"
 * in "Công nhận bằng tốt nghiệp… giấy chứng nhận…". An abbreviation ("cccd"), a lone word, or a
 * word rare in record names ("karaoke" in "giấy phép kinh doanh karaoke") counts by itself.
 */
function coverage(typed: ReadonlyArray<{ word: string; expansion: string[] }>, r: Pick<SearchResult, 'queryTerms' | 'terms'>, rare: ReadonlySet<string>): number {
  // A result's term lists hold a few entries, and this runs for 300 candidates a search: plain
  // scans, no Sets. A typed word has no "_" and no "k:", so equality with a query term is a word match.
  const q = r.queryTerms;
  const keywordWord = (w: string) => q.some((t) => t.startsWith('k:') && t.slice(2).split('_').includes(w));
  const byExpansion = typed.map((u) => u.expansion.length > 0 && u.expansion.every((w) => q.includes(w)));
  const pair = (a: string, b: string) => r.terms.includes(`${a}_${b}`) || r.terms.includes(`k:${a}_${b}`);
  const paired = (i: number, j: number) => j >= 0 && j < typed.length && pair(typed[Math.min(i, j)]!.word, typed[Math.max(i, j)]!.word);
  let n = 0;
  for (let i = 0; i < typed.length; i++) {
    const u = typed[i]!;
    if (!(q.includes(u.word) || byExpansion[i] || keywordWord(u.word))) continue;
    if (typed.length === 1 || byExpansion[i] || rare.has(u.word) || paired(i, i - 1) || paired(i, i + 1)) n++;
  }
  return n;
}

/** How well a result fits what was typed (see MIN_COVERAGE and SearchHit.strong). */
function fit(typed: ReadonlyArray<{ word: string; expansion: string[] }>, terms: readonly string[], r: SearchResult): { relevant: boolean; strong: boolean; covered: number } {
  const matched = new Set(r.queryTerms);
  const pair = terms.some((t) => t.includes('_') && r.terms.includes(t));
  const byExpansion = (u: { expansion: string[] }) => u.expansion.length > 0 && u.expansion.filter((w) => matched.has(w)).length * 2 >= u.expansion.length;
  const covered = typed.filter((u) => matched.has(u.word) || byExpansion(u));
  const strong = pair || covered.length >= 2 || covered.some(byExpansion);
  return { relevant: pair || covered.length >= typed.length * MIN_COVERAGE, strong, covered: covered.length };
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
