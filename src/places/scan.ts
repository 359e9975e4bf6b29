/**
 * Reading a message for places: its words (folded and raw, aligned), the type words before a
 * name, and whether the diacritics the citizen typed fit a name. Pure functions, shared by the
 * place index (place-index.ts), which holds the names and decides.
 */
import { stripDiacritics, tokens } from '../engine/normalize';
import { COMMUNE_TYPES, TYPE_SPELLING, type CommuneType } from './lexicon';

/** A word of the message: folded for matching, raw (lowercase, NFC) for diacritics. */
export interface Word {
  f: string;
  r: string;
}


export function fold(text: string): string {
  return tokens(text).join(' ');
}

export function lower(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

export function communeType(type: string): CommuneType {
  let known = COMMUNE_TYPE_OF.get(type);
  if (known === undefined) {
    const t = fold(type);
    COMMUNE_TYPE_OF.set(type, (known = t === 'phuong' ? 'phuong' : t === 'thi tran' ? 'thi tran' : t === 'dac khu' ? 'dac khu' : 'xa'));
  }
  return known;
}
/** A handful of type words ("Xã", "Phường"…) spelled a few ways, for 13,000 units: fold each once. */
const COMMUNE_TYPE_OF = new Map<string, CommuneType>();

/** "Huyện Hậu Lộc" → "hau loc"; "Thành phố Thanh Hóa" → "thanh hoa"; "Quận 3" → "3". */
export function districtKey(oldDistrict: string): string {
  let key = DISTRICT_KEYS.get(oldDistrict);
  if (key === undefined) DISTRICT_KEYS.set(oldDistrict, (key = fold(oldDistrict.replace(/^(?:Huyện|Thành phố|Thị xã|Quận)\s+/iu, ''))));
  return key;
}
/** ~700 old district names recur across 10,000 old units: fold each once. */
const DISTRICT_KEYS = new Map<string, string>();

export function provinceType(fullName: string): string {
  return /^thành phố/iu.test(fullName) ? 'thanh pho' : 'tinh';
}

/** "Tỉnh Hà Nam" → "ha nam"; "Thành phố Hồ Chí Minh" → "ho chi minh". */
export function provinceKey(oldProvince: string): string {
  let key = PROVINCE_KEYS.get(oldProvince);
  if (key === undefined) PROVINCE_KEYS.set(oldProvince, (key = fold(oldProvince.replace(/^(?:Tỉnh|Thành phố)\s+/iu, ''))));
  return key;
}
/** 63 old provinces for 10,000 old units: fold each once. */
const PROVINCE_KEYS = new Map<string, string>();

/** The message's words, folded and raw, aligned one to one. */
export function words(text: string): Word[] {
  return lower(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .flatMap((r) => {
      const f = tokens(r);
      return f.map((x) => ({ f: x, r: f.length === 1 ? r : x }));
    });
}

/** The words before `i` are `seq`, each typed plainly or with the type word's own diacritics. */
export function endsWith(w: Word[], i: number, seq: string[]): boolean {
  if (i - seq.length < 0) return false;
  return seq.every((s, k) => {
    const word = w[i - seq.length + k]!;
    return word.f === s && (word.r === stripDiacritics(word.r) || TYPE_SPELLING.has(word.r));
  });
}

/** "thị trấn Phú …": "trấn Phú" is no "Trần Phú"; a name never starts inside a two-word type. */
export function insideTypeWord(w: Word[], i: number): boolean {
  return COMMUNE_TYPES.some(([seq]) => seq.length === 2 && w[i - 1]?.f === seq[0] && w[i]?.f === seq[1] && endsWith(w, i + 1, seq));
}

/** "cư trú" folds to "cu tru": that "cu" is not "cũ". */
export function isCuTru(w: Word[], i: number): boolean {
  return w[i + 1]?.f === 'tru' || w[i]?.r === 'cư';
}

/**
 * The citizen's word fits the name: every letter they typed with a diacritic matches exactly,
 * letters typed without one match any. Different word counts (Telex input) are not compared.
 */
export function compatible(typed: string[], name: string): boolean {
  const nameWords = name.split(/\s+/);
  if (nameWords.length !== typed.length) return true;
  return typed.every((t, i) => {
    const a = Array.from(t);
    const b = Array.from(nameWords[i]!);
    if (a.length !== b.length) return true;
    return a.every((ch, k) => ch === b[k] || (ch === bareLetter(ch) && bareLetter(b[k]!) === ch));
  });
}

const BARE = new Map<string, string>();
/** stripDiacritics of one letter, remembered: there are only a few hundred letters. */
export function bareLetter(ch: string): string {
  let b = BARE.get(ch);
  if (b === undefined) BARE.set(ch, (b = stripDiacritics(ch)));
  return b;
}

