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
import { editDistance, stripDiacritics, tokens } from '../engine/normalize';
import type { OldPlace, PlaceIndex, PlaceMatch, PlaceMention, Unit } from '../engine/types';

type CommuneType = 'xa' | 'phuong' | 'thi tran';

interface Entry {
  kind: 'new' | 'old' | 'unconfirmed';
  /** Lowercase NFC name as written, to compare against diacritics the citizen typed. */
  raw: string;
  type: CommuneType;
  /** The unit(s) it is or went into; several when the old unit was split. */
  units: Unit[];
  via?: OldPlace;
  /** Folded old district without "huyện/thành phố/thị xã" ("hau loc"). */
  district?: string;
}

interface District {
  name: string;
  units: Unit[];
}

/** A word of the message: folded for matching, raw (lowercase, NFC) for diacritics. */
interface Word {
  f: string;
  r: string;
}

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

const COMMUNE_TYPES: ReadonlyArray<[string[], CommuneType]> = [
  [['thi', 'tran'], 'thi tran'],
  [['tt'], 'thi tran'],
  [['xa'], 'xa'],
  [['x'], 'xa'],
  [['phuong'], 'phuong'],
  [['p'], 'phuong'],
];
const DISTRICT_TYPES: ReadonlyArray<string[]> = [['thanh', 'pho'], ['thi', 'xa'], ['huyen'], ['tp'], ['tx'], ['h']];
/** Words before a place that make a bare name a place ("ở Hạc Thành", "thuộc Hàm Rồng"). */
const PREPOSITIONS = new Map([['o', 'ở'], ['tai', 'tại'], ['thuoc', 'thuộc']]);
/** The province itself is not a place to resolve ("tỉnh Thanh Hóa", "ở Thanh Hóa"). */
const PROVINCE = ['thanh', 'hoa'];
/**
 * Words that may surround a place name in an answer ("tôi ở xã … cũ, giờ là xã nào ạ") and are
 * dropped before looking for a typo. Words that occur in any place name are removed from this
 * list at build time, so a filler can never eat part of a name.
 */
const FILLER_WORDS = [
  'toi', 'nha', 'em', 'minh', 'chung', 'o', 'song', 'dang', 'tai', 'thuoc', 'gio', 'bay', 'nay', 'hien', 'la', 'nao', 'gi', 'dau',
  'sau', 'khi', 'sap', 'nhap', 'sat', 've', 'vao', 'cua', 'con', 'ban', 'a', 'oi', 'nhe', 'voi', 'ten', 'moi', 'cu', 'hoi', 'cho',
  'biet', 'xin', 'duoc', 'khong', 'ko', 'k', 'vay', 'the', 'ah', 'da', 'vang', 'tinh', 'thuong', 'tru', 'tam', 'ki', 'ky', 'dia',
  'chi', 'truoc', 'day', 'kia', 'hoac', 'va', 'nhi', 'nua', 'roi', 'chua',
];
/** "… giờ là xã nào", "… sáp nhập vào đâu", "tên mới là gì": the message asks about the place. */
const ASKS_WHERE = [
  /\b(?:xa|phuong|don vi) (?:moi )?(?:nao|gi)\b/,
  /\b(?:sap|sat) nhap\b/,
  /\b(?:gop|nhap) (?:vao|voi)\b/,
  /\bthuoc (?:xa |phuong )?(?:nao|dau|ve dau)\b/,
  /\bten moi\b/,
  /\bdoi (?:ten|thanh)\b/,
  /\b(?:gio|bay gio|hien nay|hien gio|nay|bh) (?:la|thuoc|o|ten)\b/,
  /\bla (?:xa|phuong) nao\b/,
];

export function createPlaceIndex(units: readonly Unit[]): PlaceIndex {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const byKey = new Map<string, Entry[]>();
  const compact = new Map<string, string>();
  const districts = new Map<string, District>();
  const nameWords = new Set<string>();

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
    const entry: Entry = { kind: 'new', raw: lower(u.name), type: communeType(u.type), units: [u] };
    add(u.name, entry);
    for (const alias of u.aliases ?? []) add(alias, { ...entry, raw: lower(alias) });
    for (const m of u.merged_from) {
      let old = oldEntries.get(m.old_code);
      if (!old) {
        old = { kind: 'old', raw: lower(m.name), type: communeType(m.type), units: [], via: { name: m.name, type: m.type, old_district: m.old_district }, district: districtKey(m.old_district) };
        oldEntries.set(m.old_code, old);
        add(m.name, old);
        // The alias shares `units` with its entry, so it sees every part of a split unit.
        for (const alias of m.aliases ?? []) add(alias, { ...old, raw: lower(alias) });
      }
      old.units.push(u);
      const dk = districtKey(m.old_district);
      const d = districts.get(dk) ?? { name: m.old_district, units: [] };
      if (!d.units.includes(u)) d.units.push(u);
      districts.set(dk, d);
    }
    for (const m of u.unconfirmed_from ?? []) {
      add(m.name, { kind: 'unconfirmed', raw: lower(m.name), type: communeType(m.type), units: [], via: { name: m.name, type: m.type, old_district: m.old_district }, district: districtKey(m.old_district) });
    }
  }
  for (const d of districts.values()) d.units.sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const fillers = new Set(FILLER_WORDS.filter((w) => !nameWords.has(w)));
  const keys = [...byKey.keys()];

  // ---------- scanning ----------

  /** The commune type word ending right before `i`, with where it starts. */
  function typeBefore(w: Word[], i: number): { type: CommuneType; from: number } | undefined {
    // "thị xã Bỉm Sơn" is an old district, not "xã Bỉm Sơn".
    if (districtTypeBefore(w, i) !== undefined) return undefined;
    for (const [seq, type] of COMMUNE_TYPES) if (endsWith(w, i, seq)) return { type, from: i - seq.length };
    return undefined;
  }
  function districtTypeBefore(w: Word[], i: number): number | undefined {
    for (const seq of DISTRICT_TYPES) if (endsWith(w, i, seq)) return i - seq.length;
    return undefined;
  }

  /** Exact name spans (1–4 words, or a name typed without spaces). */
  function exactSpans(w: Word[]): Span[] {
    const spans: Span[] = [];
    for (let i = 0; i < w.length; i++) {
      for (let len = Math.min(4, w.length - i); len >= 1; len--) {
        const text = w.slice(i, i + len).map((x) => x.f).join(' ');
        const key = byKey.has(text) ? text : len === 1 ? compact.get(text) : undefined;
        if (key) spans.push({ start: i, end: i + len, key });
      }
    }
    return spans;
  }

  function districtAt(w: Word[], start: number): Span | undefined {
    for (let len = Math.min(3, w.length - start); len >= 1; len--) {
      const key = w.slice(start, start + len).map((x) => x.f).join(' ');
      if (districts.has(key)) return { start, end: start + len, key };
    }
    return undefined;
  }

  /**
   * The words naming the province ("tỉnh Thanh Hóa", "ở Thanh Hóa"), which are no place to
   * resolve. "xã Thanh Hòa" is a commune and "TP Thanh Hóa" a district, so those stay.
   */
  function provinceWords(w: Word[]): boolean[] {
    const taken = w.map(() => false);
    for (let i = 0; i + 1 < w.length; i++) {
      if (w[i]!.f !== PROVINCE[0] || w[i + 1]!.f !== PROVINCE[1]) continue;
      if (typeBefore(w, i) || districtTypeBefore(w, i) !== undefined || !compatible([w[i]!.r, w[i + 1]!.r], 'thanh hóa')) continue;
      taken[i] = taken[i + 1] = true;
      if (w[i - 1]?.f === 'tinh') taken[i - 1] = true;
    }
    return taken;
  }

  /**
   * Commune candidates with how clearly they are places. `whole`: the message is the answer to
   * "which commune?". `blocked`: words already taken (the province, an old district).
   */
  function candidates(w: Word[], whole: boolean, blocked: boolean[]): Candidate[] {
    const out: Candidate[] = [];
    const free = (start: number, end: number): boolean => blocked.slice(start, end).every((b) => !b);
    for (const s of exactSpans(w)) {
      if (!free(s.start, s.end) || districtTypeBefore(w, s.start) !== undefined) continue;
      const typed = typeBefore(w, s.start);
      const marker = w[s.end]?.f === 'cu' && !isCuTru(w, s.end) ? 2 : w[s.end]?.f === 'moi' ? 1 : 0;
      const before = w[s.start - 1];
      const prep = before && PREPOSITIONS.has(before.f) && (before.r === before.f || before.r === PREPOSITIONS.get(before.f)) ? 1 : 0;
      const score = (typed ? 3 : 0) + marker + prep;
      const words = s.key.split(' ').length;
      if (score === 0 && !whole && words < 2) continue;
      if (score === 0 && !whole && words === 2 && w.length > 2 && commonPhrase(s.key)) continue;
      out.push({ ...s, from: typed?.from ?? s.start, score, ...(typed ? { type: typed.type } : {}), typo: false });
    }
    // A one-letter typo only where the words are clearly a place: right after "xã/phường/thị
    // trấn" ("phường na sam son" is Nam Sầm Sơn, not the Sầm Sơn inside it) …
    for (let i = 0; i < w.length; i++) {
      const typed = typeBefore(w, i);
      if (!typed) continue;
      for (let len = 3; len >= 1; len--) {
        if (i + len > w.length || !free(i, i + len)) continue;
        const text = w.slice(i, i + len).map((x) => x.f).join(' ');
        const key = nearest(text);
        if (key && key !== text) out.push({ start: i, end: i + len, key, from: typed.from, score: 3, type: typed.type, typo: true });
      }
    }
    if (out.length > 0 || !whole) return out;
    // … or in an answer to "which commune?", once its fillers are dropped ("nhà tôi ở hoằng quyy ạ").
    const core = w.map((x, i) => ({ x, i })).filter(({ x, i }) => !blocked[i] && !fillers.has(x.f) && !isMarker(x.f));
    if (core.length === 0) return out;
    const coreText = core.map(({ x }) => x.f).join(' ');
    const key = nearest(coreText);
    if (key) out.push({ start: core[0]!.i, end: core[core.length - 1]!.i + 1, key, from: core[0]!.i, score: 0, typo: true });
    return out;
  }

  /** The one name within one edit of `text` (five letters or more). */
  function nearest(text: string): string | undefined {
    const bare = text.replaceAll(' ', '');
    if (bare.length < 5) return undefined;
    let found: string | undefined;
    for (const key of keys) {
      if (Math.abs(key.length - text.length) > 2) continue;
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

  function decide(w: Word[], c: Candidate): { match: PlaceMatch; end: number; from: number } {
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
    return { match: choose(c.key, raw, { type: c.type, old, fresh, district, marked }), end, from };
  }

  function districtTypeAfter(w: Word[], i: number): number | undefined {
    for (const seq of DISTRICT_TYPES) if (seq.every((s, k) => w[i + k]?.f === s)) return i + seq.length;
    return undefined;
  }

  /** `marked`: the message has diacritics somewhere, so a name typed without them is meant so. */
  function choose(key: string, raw: string[] | undefined, q: { type?: CommuneType | undefined; old: boolean; fresh: boolean; district?: string | undefined; marked: boolean }): PlaceMatch {
    let list = byKey.get(key) ?? [];
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
      keep((e) => (e.kind === 'new' ? e.units[0]!.merged_from.some((m) => districtKey(m.old_district) === d) : e.district === d));
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
    if (list.length === 1) {
      const e = list[0]!;
      if (e.kind === 'unconfirmed') return { kind: 'unconfirmed', old: e.via! };
      if (e.kind === 'new') return { kind: 'unit', unit: e.units[0]! };
      if (e.units.length > 1) return { kind: 'split', old: e.via!, units: e.units };
      return { kind: 'unit', unit: e.units[0]!, via: e.via! };
    }
    const ordered = [...list].sort((a, b) => Number(a.kind !== 'new') - Number(b.kind !== 'new') || (a.via?.old_district ?? '').localeCompare(b.via?.old_district ?? '', 'vi') || a.raw.localeCompare(b.raw, 'vi'));
    return {
      kind: 'choose',
      candidates: ordered.flatMap((e) =>
        e.kind === 'new' ? [{ unit: e.units[0]! }] : e.units.map((unit) => ({ unit, via: e.via!, ...(e.units.length > 1 ? { partial: true } : {}) })),
      ),
    };
  }

  /** "huyện Hậu Lộc", "TP Thanh Hóa cũ": an old district named with its type word. */
  function districtMatch(w: Word[]): { match: PlaceMatch; start: number; end: number } | undefined {
    for (let i = 0; i < w.length; i++) {
      const from = districtTypeBefore(w, i);
      if (from === undefined) continue;
      const d = districtAt(w, i);
      if (!d) continue;
      const district = districts.get(d.key)!;
      let end = d.end;
      if (w[end]?.f === 'cu' && !isCuTru(w, end)) end++;
      return { match: { kind: 'district', district: district.name, units: district.units }, start: from, end };
    }
    return undefined;
  }

  function mention(text: string, whole: boolean): PlaceMention | undefined {
    const w = words(text);
    const d = districtMatch(w);
    const blocked = provinceWords(w);
    if (d) for (let i = d.start; i < d.end; i++) blocked[i] = true;
    const c = best(candidates(w, whole, blocked));
    let found: { match: PlaceMatch; from: number; end: number } | undefined;
    if (c) found = decide(w, c);
    // Only an old district, no commune: say which units cover it now.
    if (d && (!found || found.match.kind === 'none')) found = { match: d.match, from: d.start, end: d.end };
    if (!found || found.match.kind === 'none') return undefined;
    const rest = [...w.slice(0, found.from), ...w.slice(found.end)];
    const restFolded = rest.map((x) => x.f).join(' ');
    return {
      match: found.match,
      rest: rest.map((x) => x.r).join(' '),
      asksWhere: ASKS_WHERE.some((re) => re.test(restFolded)) || (w[found.end - 1]?.f === 'cu' && rest.every((x) => fillers.has(x.f))),
    };
  }

  return {
    size: units.length,
    resolve: (text) => mention(text, true)?.match ?? { kind: 'none' },
    find: (text) => mention(text, false),
    byCode: (code) => byCode.get(code),
  };
}

// ---------- helpers ----------

function fold(text: string): string {
  return tokens(text).join(' ');
}

function lower(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

function communeType(type: string): CommuneType {
  const t = fold(type);
  return t === 'phuong' ? 'phuong' : t === 'thi tran' ? 'thi tran' : 'xa';
}

/** "Huyện Hậu Lộc" → "hau loc"; "Thành phố Thanh Hóa" → "thanh hoa". */
export function districtKey(oldDistrict: string): string {
  return fold(oldDistrict.replace(/^(?:Huyện|Thành phố|Thị xã)\s+/u, ''));
}

/** The message's words, folded and raw, aligned one to one. */
function words(text: string): Word[] {
  return lower(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .flatMap((r) => {
      const f = tokens(r);
      return f.map((x) => ({ f: x, r: f.length === 1 ? r : x }));
    });
}

/** How the type words are written with diacritics; "phượng" folds to "phuong" but is a name. */
const TYPE_SPELLING = new Set(['xã', 'phường', 'thị', 'trấn', 'huyện', 'thành', 'phố']);

/** The words before `i` are `seq`, each typed plainly or with the type word's own diacritics. */
function endsWith(w: Word[], i: number, seq: string[]): boolean {
  if (i - seq.length < 0) return false;
  return seq.every((s, k) => {
    const word = w[i - seq.length + k]!;
    return word.f === s && (word.r === stripDiacritics(word.r) || TYPE_SPELLING.has(word.r));
  });
}

function isMarker(word: string): boolean {
  return ['xa', 'phuong', 'thi', 'tran', 'tt', 'huyen', 'tp', 'tx', 'p', 'x', 'h', 'pho', 'cu', 'moi'].includes(word);
}

/** "cư trú" folds to "cu tru": that "cu" is not "cũ". */
function isCuTru(w: Word[], i: number): boolean {
  return w[i + 1]?.f === 'tru' || w[i]?.r === 'cư';
}

/** Two-word names that are also everyday words; inside a sentence they need "xã/phường" or "ở". */
function commonPhrase(key: string): boolean {
  return ['quang trung', 'thanh cong', 'dong thanh', 'trung thanh', 'hop thanh'].includes(key);
}

/**
 * The citizen's word fits the name: every letter they typed with a diacritic matches exactly,
 * letters typed without one match any. Different word counts (Telex input) are not compared.
 */
function compatible(typed: string[], name: string): boolean {
  const nameWords = name.split(/\s+/);
  if (nameWords.length !== typed.length) return true;
  return typed.every((t, i) => {
    const a = Array.from(t);
    const b = Array.from(nameWords[i]!);
    if (a.length !== b.length) return true;
    return a.every((ch, k) => ch === b[k] || (ch === stripDiacritics(ch) && stripDiacritics(b[k]!) === ch));
  });
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
