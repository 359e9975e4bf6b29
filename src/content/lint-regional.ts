/**
 * The lint rule that keeps one province's facts from reaching another's citizens
 * (docs/regional-facts.md): a text at the top of a procedure file is in force in every province,
 * so it must not name a province, a commune or ward, or cite a provincial decision; such a fact
 * goes under `regions.<slug>:`. A province's facts must not name another province.
 */
import { stripDiacritics } from '../engine/normalize';
import type { ProvinceWords } from '../places/lexicon';
import type { Diagnostic } from './diagnostics';
import { variantsOf } from './in-force';
import type { ParsedFlow, ParsedProcedure } from './lint';
import type { LocalText, RegionalFacts, Unit } from './schema';
import type { Path } from './yaml-file';

/** Decisions and resolutions only a province issues: of its People's Committee (UBND, its office VP) or Council (HĐND). */
const PROVINCIAL_DOCUMENT = /\d+\/(?:\d{4}\/)?(?:QĐ-UBND|NQ-HĐND|QĐ-VP|QĐ-CT)(?![\p{L}\p{N}])/u;
const TYPE_WORDS = new Set(['xa', 'phuong', 'thi tran', 'dac khu']);

interface Phrase {
  words: string[];
  slug: string;
  said: string;
}

/** Words recur across texts (the lint runs at every start and reload): fold each once. */
const FOLDED = new Map<string, string>();
const fold = (w: string): string => {
  let f = FOLDED.get(w);
  if (f === undefined) FOLDED.set(w, (f = stripDiacritics(w).replace(/[^a-z0-9]/g, '')));
  return f;
};
const capitalised = (w: string): boolean => /^[\p{Lu}\p{N}]/u.test(w);

/** The texts a fact field shows, with the path the lint points at. */
function textsOf(f: RegionalFacts, at: Path): Array<{ path: Path; text: string }> {
  const out: Array<{ path: Path; text: string }> = [];
  const local = (t: LocalText | undefined, path: Path) => {
    if (t) for (const s of [t.vi, t.en]) if (s) out.push({ path, text: s });
  };
  local(f.applies_to, [...at, 'applies_to']);
  local(f.where, [...at, 'where']);
  local(f.online?.note, [...at, 'online', 'note']);
  for (const field of ['fee', 'processing_time'] as const) if (f[field]) for (const v of variantsOf(f[field])) local(v.value, [...at, field]);
  for (const field of ['documents', 'notes'] as const) (f[field] ?? []).forEach((item, i) => variantsOf(item).forEach((v) => local(v.value, [...at, field, i])));
  (f.legal_basis ?? []).forEach((l, i) => out.push({ path: [...at, 'legal_basis', i], text: l }));
  (f.sources ?? []).forEach((s, i) => out.push({ path: [...at, 'sources', i, 'title'], text: s.title }));
  return out;
}

export interface Mention {
  /** Slugs of the provinces it belongs to; empty for a provincial decision (whose province the number does not say). */
  slugs: string[];
  said: string;
}

/** The provinces, communes and wards, and provincial decisions a text names. */
export function mentionsIn(text: string, phrases: ReadonlyMap<string, Phrase[]>, units: ReadonlyMap<string, Set<string>>): Mention[] {
  const out: Mention[] = [];
  const doc = PROVINCIAL_DOCUMENT.exec(text);
  if (doc) out.push({ slugs: [], said: doc[0] });
  const words = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const folded = words.map(fold);
  for (let i = 0; i < words.length; i++) {
    // A province by its name, its other names or a pre-2025 province merged into it, capitalised as names are.
    for (const p of phrases.get(folded[i]!) ?? []) {
      const n = p.words.length;
      if (p.words.every((w, k) => folded[i + k] === w && capitalised(words[i + k]!))) out.push({ slugs: [p.slug], said: words.slice(i, i + n).join(' ') });
    }
    // "xã Nga An", "phường Hạc Thành": a commune or ward of a served province.
    const type = TYPE_WORDS.has(folded[i]!) ? 1 : TYPE_WORDS.has(`${folded[i]} ${folded[i + 1]}`) ? 2 : 0;
    if (type === 0) continue;
    for (let n = 4; n >= 1; n--) {
      const name = words.slice(i + type, i + type + n);
      if (name.length < n || !name.every(capitalised)) continue;
      const slugs = units.get(name.map(fold).join(' '));
      if (slugs) {
        out.push({ slugs: [...slugs], said: words.slice(i, i + type + n).join(' ') });
        break;
      }
    }
  }
  return out;
}

/** Province phrases keyed by their first folded word, and unit names (folded) to their provinces. */
export function regionalLexicon(provinces: readonly ProvinceWords[], units: readonly Unit[]): { phrases: Map<string, Phrase[]>; units: Map<string, Set<string>> } {
  const phrases = new Map<string, Phrase[]>();
  for (const p of provinces) {
    const names = [p.name, ...p.other_names, ...p.old_provinces.map((o) => o.replace(/^(Tỉnh|Thành phố)\s+/u, ''))];
    for (const said of new Set(names)) {
      const words = said.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(fold);
      if (words.length === 0) continue;
      phrases.set(words[0]!, [...(phrases.get(words[0]!) ?? []), { words, slug: p.slug, said }]);
    }
  }
  const byName = new Map<string, Set<string>>();
  for (const u of units) {
    const key = u.name.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map(fold).join(' ');
    if (!/[a-z]/.test(key)) continue; // "Phường 1": numbered wards are named in every city
    byName.set(key, (byName.get(key) ?? new Set()).add(u.province ?? ''));
  }
  return { phrases, units: byName };
}

export function lintRegionalFacts({ procedure: p, src }: ParsedProcedure, provinces: readonly ProvinceWords[], out: Diagnostic[], lexicon: ReturnType<typeof regionalLexicon>): void {
  const known = new Map(provinces.map((w) => [w.slug, w]));
  const nameOf = (slug: string) => known.get(slug)?.name ?? slug;
  // A text and its translation name the same things: one diagnostic for both.
  const seen = new Set<string>();
  const once = (path: Path, said: string) => !seen.has(`${path.join('.')}|${said}`) && !!seen.add(`${path.join('.')}|${said}`);
  for (const { path, text } of textsOf(p, [])) {
    for (const m of mentionsIn(text, lexicon.phrases, lexicon.units)) {
      if (!once(path, m.slugs.join(',') || m.said)) continue;
      const where = m.slugs.length > 0 ? m.slugs.map((s) => `"regions.${s}:"`).join(' or ') : '"regions.<the province that issued it>:"';
      const what = m.slugs.length > 0 ? `"${m.said}" (${m.slugs.map(nameOf).join(', ')})` : `the provincial decision "${m.said}"`;
      out.push(src.at(path, 'error', 'regional-fact', `names ${what}, which holds in one province only: move this fact under ${where} so that citizens of other provinces are not told it (docs/regional-facts.md)`));
    }
  }
  for (const [slug, own] of Object.entries(p.regions ?? {})) {
    if (!known.has(slug)) {
      out.push(src.at(['regions', slug], 'error', 'unknown-region', `no region "${slug}" in content/regions/ (known: ${[...known.keys()].sort().join(', ')})`, true));
      continue;
    }
    for (const { path, text } of textsOf(own, ['regions', slug])) {
      for (const m of mentionsIn(text, lexicon.phrases, lexicon.units)) {
        if (m.slugs.length === 0 || m.slugs.includes(slug) || !once(path, m.slugs.join(','))) continue;
        out.push(src.at(path, 'error', 'regional-fact', `the facts of ${nameOf(slug)} name "${m.said}" (${m.slugs.map(nameOf).join(', ')}): each province's facts go under its own "regions.<slug>:"`));
      }
    }
  }
}

/** The same rule for what flows say: a node's `say` and `ask` hold everywhere; `regions.<slug>.say` in that province only. */
export function lintRegionalFlow({ flow, src }: ParsedFlow, provinces: readonly ProvinceWords[], out: Diagnostic[], lexicon: ReturnType<typeof regionalLexicon>): void {
  const known = new Map(provinces.map((w) => [w.slug, w]));
  const nameOf = (slug: string) => known.get(slug)?.name ?? slug;
  const seen = new Set<string>();
  const check = (t: LocalText | undefined, path: Path, slug?: string) => {
    for (const s of t ? [t.vi, t.en] : []) {
      if (!s) continue;
      for (const m of mentionsIn(s, lexicon.phrases, lexicon.units)) {
        if (slug !== undefined && (m.slugs.length === 0 || m.slugs.includes(slug))) continue;
        const key = `${path.join('.')}|${m.slugs.join(',') || m.said}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(
          slug === undefined
            ? src.at(path, 'error', 'regional-fact', `names ${m.slugs.length > 0 ? `"${m.said}" (${m.slugs.map(nameOf).join(', ')})` : `the provincial decision "${m.said}"`}, which holds in one province only: say it under "regions.${m.slugs[0] ?? '<slug>'}: { say: … }" of this node (docs/regional-facts.md)`)
            : src.at(path, 'error', 'regional-fact', `what this node says to ${nameOf(slug)} names "${m.said}" (${m.slugs.map(nameOf).join(', ')})`),
        );
      }
    }
  };
  for (const [id, node] of Object.entries(flow.nodes)) {
    const at: Path = ['nodes', id];
    if ('say' in node && node.say && typeof node.say === 'object') check(node.say, [...at, 'say']);
    if (node.kind === 'ask') check(node.ask, [...at, 'ask']);
    if (node.kind !== 'say' && node.kind !== 'office' && node.kind !== 'procedure') continue;
    for (const [slug, own] of Object.entries(node.regions ?? {})) {
      if (!known.has(slug)) out.push(src.at([...at, 'regions', slug], 'error', 'unknown-region', `no region "${slug}" in content/regions/ (known: ${[...known.keys()].sort().join(', ')})`, true));
      else check(own.say, [...at, 'regions', slug, 'say'], slug);
    }
  }
}
