/**
 * The place index: finds the commune or ward a citizen means in what they type — today's name
 * ("phường Hạc Thành"), a pre-2025 name ("xã Đông Lĩnh cũ"), an old name with its old district
 * ("xã Xuân Lộc huyện Hậu Lộc", "Xuân Lộc, Hậu Lộc"), with or without "xã/phường/thị trấn",
 * diacritics or spaces, with Telex leftovers or a one-letter typo — alone (`resolve`) or inside
 * a longer sentence (`find`: "tôi ở phường Hạc Thành, muốn đăng ký thường trú").
 *
 * Contract: it never guesses between places. Several places with the name → `choose` (each with
 * its old district); an old unit split between new units → `split` naming all of them; an old
 * district alone → `district` listing today's units; an old record no verified source places →
 * `unconfirmed`. Diacritics the citizen did type are used to tell "Đông Tiến" from "Đồng Tiến".
 */
import { editDistance, stripDiacritics } from '../engine/normalize';
import type { FormerDistrict } from '../content/schema';
import type { OldPlace, PlaceIndex, PlaceMatch, PlaceMention, ProvinceRef, Unit } from '../engine/types';
import { ASKS_WHERE, COMMUNE_TYPES, DISTRICT_TYPES, FILLER_WORDS, isMarker, PREPOSITIONS, PROVINCE_TYPES, type CommuneType, type PlaceLexicon } from './lexicon';
import { createTypoIndex } from './typo-index';
import { communeType, compatible, districtKey, endsWith, fold, insideTypeWord, isCuTru, lower, provinceKey, provinceType, words, type Word } from './scan';

export { districtKey, provinceKey } from './scan';

interface Entry {
  kind: 'new' | 'old' | 'unconfirmed';
  /** Lowercase NFC name as written, to compare against diacritics the citizen typed. */
  raw: string;
  type: CommuneType;
  /** The unit(s) it is or went into; several when the old unit was split. */
  units: Unit[];
  via?: OldPlace;
  /** Folded old district without "huyện/thành phố/thị xã/quận" ("hau loc"). */
  district?: string;
  /** Slug of today's province ('' when the index was built without regions). */
  province: string;
  /** Folded pre-2025 province of an old unit ("ha nam"). */
  oldProvince?: string;
}

interface District {
  name: string;
  province: string;
  units: Unit[];
  before?: { later: string[]; untraced: number };
}

/** A district gone before the 2025 reform, with the slug of the province its units are in now. */
export type FormerDistrictOf = FormerDistrict & { province: string };

interface Span {
  start: number;
  end: number;
  key: string;
}

interface Candidate extends Span {
  /** Where the words that belong to this mention start ("xã" before the name, "ở" does not count). */
  from: number;
  score: number;
  type?: CommuneType;
  typo: boolean;
}

/** Provinces named in the message ("ở Nghệ An", "tỉnh Hà Nam cũ"). */
interface NamedProvinces {
  taken: boolean[];
  /** Today's provinces named (an old province counts as the province it went into). */
  slugs: Set<string>;
  /** Folded old provinces named as such ("ha nam"). */
  old: Set<string>;
  /** The first old province named, to answer "tỉnh Hà Nam cũ" alone. */
  firstOld?: { name: string; slug: string; start: number; end: number; cu: boolean; sameName: boolean };
}

interface ProvinceKey {
  /** A name of today's province (its name or another name people use). */
  current?: string;
  /** "tinh" or "thanh pho", for today's province and the old one of this name. */
  currentType?: string;
  oldType?: string;
  /** A pre-2025 province of this name, and the province it went into. */
  old?: { name: string; slug: string };
  /** The province's own spelling, to check the diacritics the citizen typed. */
  raw: string;
}

const NO_LEXICON: PlaceLexicon = { provinces: [] };
/** One collator: `localeCompare(x, 'vi')` builds a new one per call (tens of µs each). */
const VI = new Intl.Collator('vi');
const FILLERS = new Set(FILLER_WORDS);

/**
 * `units` carry their province's slug (`Unit.province`, set when content is compiled); the
 * lexicon gives the province words of all 34 provinces, served or not, so that "ở Nghệ An" or
 * "tỉnh Hà Nam cũ" is understood even where the index holds one province.
 */
export function createPlaceIndex(units: readonly Unit[], lexicon: PlaceLexicon = NO_LEXICON, formerDistricts: readonly FormerDistrictOf[] = []): PlaceIndex {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const byKey = new Map<string, Entry[]>();
  const compact = new Map<string, string>();
  const districts = new Map<string, District[]>();
  const nameWords = new Set<string>();
  const provinceBySlug = new Map(lexicon.provinces.map((p) => [p.slug, p]));
  const refOf = (slug: string): ProvinceRef => {
    const p = provinceBySlug.get(slug);
    return { slug, name: p?.name ?? slug, full_name: p?.full_name ?? slug };
  };
  // The old districts each unit covers, folded once (folding is the costly part of a lookup).
  const unitDistricts = new Map<Unit, Set<string>>(units.map((u) => [u, new Set(u.merged_from.map((m) => districtKey(m.old_district)))]));
  const districtsOf = (u: Unit): ReadonlySet<string> => unitDistricts.get(u) ?? new Set();
  const commonPhrases = new Set(lexicon.provinces.flatMap((p) => p.common_phrases.map(fold)));

  const add = (name: string, entry: Entry): void => {
    const key = fold(name);
    if (!key) return;
    const list = byKey.get(key) ?? [];
    if (!list.includes(entry)) list.push(entry);
    byKey.set(key, list);
    compact.set(key.replaceAll(' ', ''), key);
    for (const w of key.split(' ')) nameWords.add(w);
  };

  const oldEntries = new Map<string, Entry>();
  for (const u of units) {
    const province = u.province ?? '';
    const ownOld = provinceBySlug.get(province)?.old_provinces[0];
    const entry: Entry = { kind: 'new', raw: lower(u.name), type: communeType(u.type), units: [u], province };
    add(u.name, entry);
    for (const alias of u.aliases ?? []) add(alias, { ...entry, raw: lower(alias) });
    for (const m of u.merged_from) {
      let old = oldEntries.get(m.old_code);
      if (!old) {
        const oldProvince = m.old_province ?? ownOld;
        const via: OldPlace = { name: m.name, type: m.type, old_district: m.old_district, ...(m.old_province ? { old_province: m.old_province } : {}), ...(m.single_source ? { single_source: true } : {}) };
        old = { kind: 'old', raw: lower(m.name), type: communeType(m.type), units: [], via, district: districtKey(m.old_district), province, ...(oldProvince ? { oldProvince: provinceKey(oldProvince) } : {}) };
        oldEntries.set(m.old_code, old);
        add(m.name, old);
        // The alias shares `units` with its entry, so it sees every part of a split unit.
        for (const alias of m.aliases ?? []) add(alias, { ...old, raw: lower(alias) });
      }
      old.units.push(u);
      const dk = districtKey(m.old_district);
      const list = districts.get(dk) ?? [];
      let d = list.find((x) => x.province === province && x.name === m.old_district);
      if (!d) list.push((d = { name: m.old_district, province, units: [] }));
      if (!d.units.includes(u)) d.units.push(u);
      districts.set(dk, list);
    }
    for (const m of u.unconfirmed_from ?? []) {
      const oldProvince = m.old_province ?? ownOld;
      add(m.name, { kind: 'unconfirmed', raw: lower(m.name), type: communeType(m.type), units: [], via: { name: m.name, type: m.type, old_district: m.old_district }, district: districtKey(m.old_district), province, ...(oldProvince ? { oldProvince: provinceKey(oldProvince) } : {}) });
    }
  }
  // Districts gone before the reform ("huyện Đông Sơn"), under their own name, unless it is a
  // province's name too ("thành phố Huế", "thành phố Ninh Bình" would stop meaning the province).
  const provinceNames = new Set(lexicon.provinces.flatMap((p) => [p.name, ...p.other_names, ...p.old_provinces].map((n) => districtKey(n.replace(/^Tỉnh\s+/u, '')))));
  for (const f of formerDistricts) {
    const dk = districtKey(f.name);
    const list = districts.get(dk) ?? [];
    const found = f.units.map((c) => byCode.get(c)).filter((u): u is Unit => u !== undefined);
    if (provinceNames.has(dk) || found.length === 0 || list.some((x) => x.province === f.province)) continue;
    list.push({ name: f.name, province: f.province, units: found, before: { later: f.later_districts, untraced: f.untraced.length } });
    districts.set(dk, list);
  }
  for (const list of districts.values()) for (const d of list) d.units.sort((a, b) => VI.compare(a.name, b.name));
  const fillers = new Set(FILLER_WORDS.filter((w) => !nameWords.has(w)));
  // "Văn Miếu - Quốc Tử Giám", "Phan Rang-Tháp Chàm": the longest names decide how far to look.
  const maxNameWords = Math.max(4, ...[...byKey.keys()].map((k) => k.split(' ').length));
  const maxDistrictWords = Math.max(3, ...[...districts.keys()].map((k) => k.split(' ').length));
  const typos = createTypoIndex(byKey.keys(), (key) => (key.includes(' ') ? [key, key.replaceAll(' ', '')] : [key]));

  // Province names: today's names and the names people use, and the pre-2025 provinces.
  const provinceKeys = new Map<string, ProvinceKey>();
  for (const p of lexicon.provinces) {
    for (const name of [p.name, ...p.other_names]) {
      const key = fold(name);
      provinceKeys.set(key, { ...provinceKeys.get(key), current: p.slug, currentType: provinceType(p.full_name), raw: lower(name) });
    }
    for (const old of p.old_provinces) {
      const key = provinceKey(old);
      const known = provinceKeys.get(key);
      provinceKeys.set(key, { ...known, old: { name: old, slug: p.slug }, oldType: provinceType(old), raw: known?.raw ?? lower(old.replace(/^(?:Tỉnh|Thành phố)\s+/iu, '')) });
    }
  }

  // ---------- scanning ----------

  /** The commune type word ending right before `i`, with where it starts. */
  function typeBefore(w: Word[], i: number): { type: CommuneType; from: number } | undefined {
    // "thị xã Bỉm Sơn" is an old district, not "xã Bỉm Sơn".
    if (districtTypeBefore(w, i) !== undefined) return undefined;
    for (const [seq, type] of COMMUNE_TYPES) if (endsWith(w, i, seq)) return { type, from: i - seq.length };
    return undefined;
  }
  function districtTypeBefore(w: Word[], i: number): number | undefined {
    for (const seq of DISTRICT_TYPES) if (endsWith(w, i, seq) && urbanDistrict(w, i - seq.length, i)) return i - seq.length;
    return undefined;
  }
  /**
   * "quận"/"q" is a district type only as "quận", before a number ("quan 3", "q 10"), or before
   * an old district's name that does not itself start with "Quan" ("Quan Hóa", "Quan Sơn").
   */
  function urbanDistrict(w: Word[], from: number, to: number): boolean {
    const t = w[from];
    if (!t || to - from !== 1 || (t.f !== 'quan' && t.f !== 'q')) return true;
    if (t.r === 'quận' || /^\d+$/.test(w[to]?.f ?? '')) return true;
    // Plain "quan ba dinh" is "quận Ba Đình" before it is "Quản Bạ" + "đình".
    if (t.r === t.f && districtAt(w, to) !== undefined) return true;
    for (let len = 1; len <= maxDistrictWords - 1; len++) if (districts.has(w.slice(from, to + len).map((x) => x.f).join(' '))) return false;
    return districtAt(w, to) !== undefined;
  }

  /** Exact name spans (1–4 words, or a name typed without spaces). */
  function exactSpans(w: Word[]): Span[] {
    const spans: Span[] = [];
    for (let i = 0; i < w.length; i++) {
      for (let len = Math.min(maxNameWords, w.length - i); len >= 1; len--) {
        const text = w.slice(i, i + len).map((x) => x.f).join(' ');
        const key = byKey.has(text) ? text : len === 1 ? compact.get(text) : undefined;
        if (key) spans.push({ start: i, end: i + len, key });
      }
    }
    return spans;
  }

  function districtAt(w: Word[], start: number): Span | undefined {
    for (let len = Math.min(maxDistrictWords, w.length - start); len >= 1; len--) {
      const key = w.slice(start, start + len).map((x) => x.f).join(' ');
      if (districts.has(key)) return { start, end: start + len, key };
    }
    return undefined;
  }

  /**
   * The words naming a province ("tỉnh Thanh Hóa", "ở Nghệ An", "TP HCM", "tỉnh Hà Nam cũ"),
   * which are no commune to resolve but say where to look. "xã Thanh Hòa" is a commune and
   * "TP Thanh Hóa" an old district, so those stay. A bare old province name that is also a
   * commune's name counts only with "cũ" after it.
   */
  function provinceWords(w: Word[]): NamedProvinces {
    const named: NamedProvinces = { taken: w.map(() => false), slugs: new Set(), old: new Set() };
    const spans = exactSpans(w);
    for (let i = 0; i < w.length; i++) {
      if (named.taken[i]) continue;
      for (let len = Math.min(4, w.length - i); len >= 1; len--) {
        const key = w.slice(i, i + len).map((x) => x.f).join(' ');
        const pk = provinceKeys.get(key);
        if (!pk || typeBefore(w, i)) continue;
        const typed = provinceTypeBefore(w, i);
        // "TP Thanh Hóa", "thị xã Bỉm Sơn": an old district of that name, not the province.
        if (districtTypeBefore(w, i) !== undefined && districts.has(key) && !(typed !== undefined && w[typed]?.f === 'tinh')) continue;
        const raw = w.slice(i, i + len).map((x) => x.r);
        if (!compatible(raw, pk.raw)) continue;
        // "thành phố Hà Giang" is the old city, never the province (which was a tỉnh).
        if (typed !== undefined && w[typed]!.f !== 'tinh' && pk.currentType !== 'thanh pho' && pk.oldType !== 'thanh pho') continue;
        const cu = w[i + len]?.f === 'cu' && !isCuTru(w, i + len);
        if (typed === undefined) {
          // A bare name: only where it cannot be a commune's name ("Quảng Ninh, Quảng Xương" is
          // a commune), does not straddle two names ("Xuân Phú, Thọ Xuân" is no "Phú Thọ"),
          // and an old province only with "cũ" ("Hà Nam cũ").
          // Today's province named last, after the place ("huyện Hậu Lộc cũ, Thanh Hóa"), is the
          // province even where a commune elsewhere has that name (xã Thanh Hóa, Quảng Bình).
          const prep = i > 0 && PREPOSITIONS.has(w[i - 1]!.f);
          const last = i > 0 && w.slice(i + len).every((x) => FILLERS.has(x.f) || isMarker(x.f));
          if (len === 1 || (!pk.current && !cu)) continue;
          if (!prep && !(pk.current && last) && (byKey.get(key) ?? []).some((e) => compatible(raw, e.raw))) continue;
          if (spans.some((sp) => sp.start < i + len && sp.end > i && !(sp.start >= i && sp.end <= i + len))) continue;
        }
        const from = typed ?? i;
        let end = i + len;
        if (cu && pk.old) end++;
        for (let k = from; k < end; k++) named.taken[k] = true;
        const asOld = pk.old && (cu || !pk.current);
        if (asOld) {
          named.old.add(key);
          named.slugs.add(pk.old!.slug);
          named.firstOld ??= { name: pk.old!.name, slug: pk.old!.slug, start: from, end, cu, sameName: pk.current === pk.old!.slug };
        } else if (pk.current) named.slugs.add(pk.current);
        i = end - 1;
        break;
      }
    }
    return named;
  }
  function provinceTypeBefore(w: Word[], i: number): number | undefined {
    for (const seq of PROVINCE_TYPES) if (endsWith(w, i, seq)) return i - seq.length;
    return undefined;
  }

  /**
   * Commune candidates with how clearly they are places. `whole`: the message is the answer to
   * "which commune?". `blocked`: words already taken (the province, an old district).
   */
  function candidates(w: Word[], whole: boolean, blocked: boolean[], named: NamedProvinces): Candidate[] {
    const out: Candidate[] = [];
    const free = (start: number, end: number): boolean => blocked.slice(start, end).every((b) => !b);
    const spans = exactSpans(w);
    for (const s of spans) {
      if (!free(s.start, s.end) || districtTypeBefore(w, s.start) !== undefined || insideTypeWord(w, s.start)) continue;
      const typed = typeBefore(w, s.start);
      // "mới" that is part of a longer name ("thị trấn Chợ Mới") is no marker for "Chờ".
      const longer = spans.some((t) => t.start === s.start && t.end > s.end);
      const marker = longer ? 0 : w[s.end]?.f === 'cu' && !isCuTru(w, s.end) ? 2 : w[s.end]?.f === 'moi' ? 1 : 0;
      const before = w[s.start - 1];
      const prep = before && PREPOSITIONS.has(before.f) && (before.r === before.f || before.r === PREPOSITIONS.get(before.f)) ? 1 : 0;
      const score = (typed ? 3 : 0) + marker + prep;
      const words = s.key.split(' ').length;
      if (score === 0 && !whole && words < 2) continue;
      if (score === 0 && !whole && words === 2 && w.length > 2 && commonPhrases.has(s.key)) continue;
      out.push({ ...s, from: typed?.from ?? s.start, score, ...(typed ? { type: typed.type } : {}), typo: false });
    }
    // A one-letter typo only where the words are clearly a place: right after "xã/phường/thị
    // trấn" ("phường na sam son" is Nam Sầm Sơn, not the Sầm Sơn inside it) …
    for (let i = 0; i < w.length; i++) {
      const typed = typeBefore(w, i);
      if (!typed) continue;
      for (let len = Math.min(maxNameWords, w.length - i); len >= 1; len--) {
        if (i + len > w.length || !free(i, i + len)) continue;
        const text = w.slice(i, i + len).map((x) => x.f).join(' ');
        const key = nearest(text, named);
        if (key && key !== text) out.push({ start: i, end: i + len, key, from: typed.from, score: 3, type: typed.type, typo: true });
      }
    }
    // "Xa Dung cũ" (Điện Biên): a name that starts with a type word is not that type + "Dung".
    for (let k = out.length - 1; k >= 0; k--) {
      const c = out[k]!;
      if (c.type && spans.some((t) => t.start === c.from && t.end >= c.end && free(t.start, t.end))) out.splice(k, 1);
    }
    // "xã phu thhong": the two typed words are a typo of "Phú Thông", not the one-word "Phú"
    // plus a stray word. An exact name that a typo candidate of the same start extends is dropped.
    const typoSpans = out.filter((c) => c.typo);
    if (typoSpans.length > 0) {
      const kept = out.filter((c) => c.typo || !typoSpans.some((t) => t.start === c.start && t.end > c.end && t.score >= c.score));
      out.length = 0;
      out.push(...kept);
    }
    if (out.length > 0 || !whole) return out;
    // … or in an answer to "which commune?", once its fillers are dropped ("nhà tôi ở hoằng quyy ạ").
    const core = w.map((x, i) => ({ x, i })).filter(({ x, i }) => !blocked[i] && !fillers.has(x.f) && !isMarker(x.f));
    if (core.length === 0) return out;
    const coreText = core.map(({ x }) => x.f).join(' ');
    const key = nearest(coreText, named);
    if (key) out.push({ start: core[0]!.i, end: core[core.length - 1]!.i + 1, key, from: core[0]!.i, score: 0, typo: true });
    return out;
  }

  /** The one name within one edit of `text` (five letters or more). */
  function nearest(text: string, named: NamedProvinces): string | undefined {
    // With a province named, only its names count: a typo is judged against that province.
    const inNamed = (key: string): boolean => named.slugs.size === 0 || (byKey.get(key) ?? []).some((e) => named.slugs.has(e.province));
    const bare = text.replaceAll(' ', '');
    if (bare.length < 5) return undefined;
    let found: string | undefined;
    for (const key of typos.candidates(text.includes(' ') ? text : bare)) {
      if (Math.abs(key.length - text.length) > 2 || !inNamed(key)) continue;
      // Spaces are ignored only for one typed word ("hacthanh"), so a word is never absorbed.
      if (editDistance(key, text, 1) <= 1 || (!text.includes(' ') && editDistance(key.replaceAll(' ', ''), bare, 1) <= 1)) {
        if (found && found !== key) return undefined;
        found = key;
      }
    }
    return found;
  }

  function best(list: Candidate[]): Candidate | undefined {
    // The clearest first; among equals the earliest, so in "Xuân Lộc, Hậu Lộc" the second name is
    // the old district that qualifies the first.
    return [...list].sort((a, b) => b.score - a.score || Number(a.typo) - Number(b.typo) || a.start - b.start || b.end - b.start - (a.end - a.start))[0];
  }

  // ---------- deciding ----------

  function decide(w: Word[], c: Candidate, named: NamedProvinces): { match: PlaceMatch; end: number; from: number } {
    let end = c.end;
    let old = false;
    let fresh = false;
    if (w[end]?.f === 'cu' && !isCuTru(w, end)) (old = true), end++;
    else if (w[end]?.f === 'moi') (fresh = true), end++;
    // The old district: after the name ("Xuân Lộc, Hậu Lộc", "xã Xuân Lộc huyện Hậu Lộc cũ") or
    // right before it ("huyện Hậu Lộc, xã Xuân Lộc").
    let district: string | undefined;
    let from = c.from;
    const typedAfter = districtTypeAfter(w, end);
    const after = districtAt(w, typedAfter ?? end);
    if (after) {
      district = after.key;
      end = after.end;
      if (w[end]?.f === 'cu' && !isCuTru(w, end)) (old = true), end++;
    } else {
      for (let s = Math.max(0, c.from - 3); s < c.from; s++) {
        const d = districtAt(w, s);
        if (d && d.end === c.from) {
          district = d.key;
          from = districtTypeBefore(w, s) ?? s;
          break;
        }
      }
    }
    const raw = c.typo ? undefined : w.slice(c.start, c.end).map((x) => x.r);
    const marked = w.some((x) => x.r !== stripDiacritics(x.r));
    const query = w.slice(from, end).map((x) => x.r).join(' ');
    return { match: choose(c.key, raw, { type: c.type, old, fresh, district, marked, named, query }), end, from };
  }

  function districtTypeAfter(w: Word[], i: number): number | undefined {
    for (const seq of DISTRICT_TYPES) if (seq.every((s, k) => w[i + k]?.f === s) && urbanDistrict(w, i, i + seq.length)) return i + seq.length;
    return undefined;
  }

  /** `marked`: the message has diacritics somewhere, so a name typed without them is meant so. */
  function choose(key: string, raw: string[] | undefined, q: { type?: CommuneType | undefined; old: boolean; fresh: boolean; district?: string | undefined; marked: boolean; named: NamedProvinces; query: string }): PlaceMatch {
    let list = byKey.get(key) ?? [];
    // A province the citizen named is a hard limit: "xã Quảng Thịnh ở Nghệ An" is never Thanh
    // Hóa's Quảng Thịnh, even where the index holds only Thanh Hóa (then: no match here).
    if (q.named.slugs.size > 0) list = list.filter((e) => q.named.slugs.has(e.province));
    if (q.named.old.size > 0) list = list.filter((e) => e.kind === 'new' || (e.oldProvince !== undefined && q.named.old.has(e.oldProvince)));
    const keep = (f: (e: Entry) => boolean): void => {
      const kept = list.filter(f);
      if (kept.length > 0) list = kept;
    };
    // Diacritics the citizen typed: the name written exactly so, else every name they fit.
    if (raw && q.marked) keep((e) => e.raw === raw.join(' '));
    if (raw && raw.some((r) => r !== stripDiacritics(r))) keep((e) => compatible(raw, e.raw));
    if (list.some((e) => e.kind !== 'unconfirmed')) list = list.filter((e) => e.kind !== 'unconfirmed');
    if (q.old) keep((e) => e.kind !== 'new');
    if (q.fresh) keep((e) => e.kind === 'new');
    if (q.district) {
      const d = q.district;
      keep((e) => (e.kind === 'new' ? districtsOf(e.units[0]!).has(d) : e.district === d));
      // "Xuân Lộc, Hậu Lộc" means the old Xuân Lộc of Hậu Lộc, even though a new unit has the name.
      if (list.some((e) => e.kind === 'old' && e.district === d)) list = list.filter((e) => e.kind !== 'new');
    }
    // After the district, and only "phường" / "thị trấn": people say "xã" for any commune-level
    // place ("xã nào?"), so "xã" never hides a ward or township of that name.
    if (q.type && q.type !== 'xa') keep((e) => e.type === q.type);
    // An old unit that went wholly into the new unit of the same name says nothing new.
    const newCodes = new Set(list.filter((e) => e.kind === 'new').map((e) => e.units[0]!.code));
    list = list.filter((e) => e.kind === 'new' || !(e.units.length === 1 && newCodes.has(e.units[0]!.code)));
    list = dedupe(list);
    // "Hoa Lộc" and "Hòa Lộc" of one district both went into xã Hoa Lộc: one answer, no question.
    const answers = new Set(list.map((e) => e.units.map((u) => u.code).join(',')));
    if (list.length > 1 && answers.size === 1 && list[0]!.units.length === 1 && list.every((e) => e.kind !== 'unconfirmed')) return { kind: 'unit', unit: list[0]!.units[0]! };

    if (list.length === 0) return { kind: 'none' };
    // The name recurs in several provinces (4,970 old names do): ask the province first.
    const provinces = [...new Set(list.map((e) => e.province))];
    if (provinces.length > 1) return { kind: 'province', query: q.query, provinces: provinces.map(refOf).sort((a, b) => VI.compare(a.name, b.name)) };
    if (list.length === 1) {
      const e = list[0]!;
      if (e.kind === 'unconfirmed') return { kind: 'unconfirmed', old: e.via!, ...(e.province ? { province: e.province } : {}) };
      if (e.kind === 'new') return { kind: 'unit', unit: e.units[0]! };
      if (e.units.length > 1) return { kind: 'split', old: e.via!, units: e.units };
      return { kind: 'unit', unit: e.units[0]!, via: e.via! };
    }
    const ordered = [...list].sort((a, b) => Number(a.kind !== 'new') - Number(b.kind !== 'new') || VI.compare(a.via?.old_district ?? '', b.via?.old_district ?? '') || VI.compare(a.raw, b.raw));
    return {
      kind: 'choose',
      candidates: ordered.flatMap((e) =>
        e.kind === 'new' ? [{ unit: e.units[0]! }] : e.units.map((unit) => ({ unit, via: e.via!, ...(e.units.length > 1 ? { partial: true } : {}) })),
      ),
    };
  }

  /** "huyện Hậu Lộc", "TP Thanh Hóa cũ": an old district named with its type word. */
  function districtMatch(w: Word[], named: NamedProvinces): { match: PlaceMatch; start: number; end: number } | undefined {
    for (let i = 0; i < w.length; i++) {
      const from = districtTypeBefore(w, i);
      if (from === undefined) continue;
      const d = districtAt(w, i);
      if (!d) continue;
      let list = districts.get(d.key)!;
      if (named.slugs.size > 0) list = list.filter((x) => named.slugs.has(x.province));
      let end = d.end;
      if (w[end]?.f === 'cu' && !isCuTru(w, end)) end++;
      if (list.length === 0) continue;
      const provinces = [...new Set(list.map((x) => x.province))];
      if (provinces.length > 1) {
        const query = w.slice(from, end).map((x) => x.r).join(' ');
        return { match: { kind: 'province', query, provinces: provinces.map(refOf).sort((a, b) => VI.compare(a.name, b.name)) }, start: from, end };
      }
      const units = list.length === 1 ? list[0]!.units : [...new Set(list.flatMap((x) => x.units))].sort((a, b) => VI.compare(a.name, b.name));
      const before = list.length === 1 ? list[0]!.before : undefined;
      return { match: { kind: 'district', district: list[0]!.name, units, ...(before ? { before } : {}) }, start: from, end };
    }
    return undefined;
  }

  function mention(text: string, whole: boolean): PlaceMention | undefined {
    const w = words(text);
    const named = provinceWords(w);
    const d = districtMatch(w, named);
    const blocked = [...named.taken];
    if (d) for (let i = d.start; i < d.end; i++) blocked[i] = true;
    const c = best(candidates(w, whole, blocked, named));
    let found: { match: PlaceMatch; from: number; end: number } | undefined;
    if (c) found = decide(w, c, named);
    // Only an old district, no commune: say which units cover it now.
    if (d && (!found || found.match.kind === 'none')) found = { match: d.match, from: d.start, end: d.end };
    // Only an old province ("tỉnh Hà Nam cũ"): say what it became. A province that kept its
    // name ("tỉnh Thanh Hóa") is no question, unless the citizen wrote "cũ".
    const op = named.firstOld;
    if (op && !c && !d && (!op.sameName || op.cu))
      found = { match: { kind: 'old_province', old: op.name, province: refOf(op.slug) }, from: op.start, end: op.end };
    if (!found || found.match.kind === 'none') return undefined;
    const rest = [...w.slice(0, found.from), ...w.slice(found.end)];
    const restFolded = rest.map((x) => x.f).join(' ');
    return {
      match: found.match,
      rest: rest.map((x) => x.r).join(' '),
      asksWhere: ASKS_WHERE.some((re) => re.test(restFolded)) || (w[found.end - 1]?.f === 'cu' && rest.every((x) => fillers.has(x.f) || named.taken[w.indexOf(x)])),
      // Clear: named with a type word or "cũ" (or its district or province), and not the first
      // word of a longer name ("xã Lim Sơn" is not "thị trấn Lim"); a one-word name only at the
      // end, or before "cũ" or its province ("xã Đông tại …" is too thin to send anyone elsewhere).
      clear: ((c !== undefined && c.score >= 2 && !c.typo) || d !== undefined || named.slugs.size > 0) && (found.end >= w.length || isMarker(w[found.end]!.f) || named.taken[found.end] === true || (FILLERS.has(w[found.end]!.f) && (c === undefined || c.end - c.start > 1))),
      typo: c?.typo ?? false,
      named: [...named.slugs].sort(),
    };
  }

  return {
    size: units.length,
    resolve: (text) => mention(text, true)?.match ?? { kind: 'none' },
    find: (text) => mention(text, false),
    locate: (text, whole) => mention(text, whole),
    byCode: (code) => byCode.get(code),
    province: (slug) => (provinceBySlug.has(slug) ? refOf(slug) : undefined),
  };
}

function dedupe(list: Entry[]): Entry[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    // An alias is the same entry under another name.
    const id = `${e.kind}|${e.via ? `${e.via.name}|${e.via.old_district}|${e.type}` : e.raw}|${e.units.map((u) => u.code).join(',')}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
