/**
 * Vietnamese text folding for matching. Citizens type with full diacritics, without them, in
 * NFD (combining marks from some keyboards), or with leftover Telex keystrokes ("khai sinhf",
 * "caan cuowcs"). Everything that is compared against content goes through `fold` first, so
 * "Làm căn cước", "lam can cuoc" and "LÀM CĂN CƯỚC" become the same string.
 */

const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Lowercase, drop diacritics (NFC or NFD input), đ→d, punctuation → space, collapse spaces. */
export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase();
}

// Telex writes ă/â/ê/ô/ơ/ư/đ as aw/aa/ee/oo/ow/uw/dd and tones as a trailing s/f/r/x/j. None of
// these letter pairs occur in Vietnamese spelled without diacritics, so undoing them is safe.
const TELEX_PAIRS: Array<[RegExp, string]> = [
  [/aa|aw/g, 'a'],
  [/ee/g, 'e'],
  [/oo(?!ng)|ow/g, 'o'], // "xoong", "boong" are real words spelled with oo
  [/uw/g, 'u'],
  [/dd/g, 'd'],
];
const VOWEL = /[aeiouy]/;
// A Vietnamese syllable ends in a vowel or one of these finals; s/f/r/x/j never end a syllable.
const VALID_ENDING = /(?:[aeiouy]|c|ch|m|n|ng|nh|p|t)$/;
const TONE_KEYS = /[sfrxj]+$/;

/** Undo Telex keystrokes in one diacritic-free lowercase word. Words without a vowel are kept. */
export function untelex(word: string): string {
  if (!VOWEL.test(word) || word.length < 2) return word;
  let w = word;
  // Letter pairs first, so the tone key after a "w" is seen ("truws" → "trus" → "tru").
  for (const [pattern, replacement] of TELEX_PAIRS) w = w.replace(pattern, replacement);
  const withoutTone = w.replace(TONE_KEYS, '');
  if (withoutTone !== w && withoutTone.length > 0 && VALID_ENDING.test(withoutTone)) w = withoutTone;
  // A tone key typed before the final consonant ("cuowsc"): vowel + tone key + final.
  w = w.replace(/([aeiouy])[sfrxj](c|ch|m|n|ng|nh|p|t)$/, '$1$2');
  // "uw" reduced to "u" may leave a stray w ("cuwf" → "cuw" → "cu" handled above); drop other w.
  return w.replace(/w/g, '');
}

/** The comparable form of a text: diacritics and Telex folded, punctuation removed. */
export function fold(text: string): string {
  return tokens(text).join(' ');
}

/** Folded words of a text, in order; chat shorthand is spelled out ("ko dc" → "khong duoc"). */
export function tokens(text: string): string[] {
  const words = stripDiacritics(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((t) => t.length > 0);
  return words.flatMap((w, i) => spellOut(w, words[i + 1]) ?? [untelex(w)]);
}

/**
 * Chat shorthand (teencode) as citizens type it, folded: each stands for one word or a few.
 * Only forms that are not Vietnamese words themselves, so spelling them out is safe. "bn" is
 * "bạn" before "ơi" and at the end, "bao nhiêu" elsewhere ("mất bn ngày").
 */
const SHORTHAND: Record<string, string[]> = {
  ko: ['khong'], k: ['khong'], kh: ['khong'], hok: ['khong'], hem: ['khong'], khg: ['khong'], kg: ['khong'],
  dc: ['duoc'], dk: ['dang', 'ky'], dky: ['dang', 'ky'], j: ['gi'], ntn: ['nhu', 'the', 'nao'], mik: ['minh'], mk: ['minh'], mjk: ['minh'],
  lm: ['lam'], z: ['vay'], v: ['vay'], vs: ['voi'], r: ['roi'], nguoj: ['nguoi'], ak: ['a'],
  xn: ['xac', 'nhan'], ks: ['khai', 'sinh'], bt: ['biet'], bjt: ['biet'], cx: ['cung'], ck: ['chong'], vk: ['vo'], tks: ['cam', 'on'],
};
function spellOut(word: string, next: string | undefined): string[] | undefined {
  if (word === 'bn') return next === 'oi' || next === undefined ? ['ban'] : ['bao', 'nhieu'];
  // "ng" is also a place name with a letter dropped ("ng son" for Nga Sơn): only "ng thật".
  if (word === 'ng') return next === 'that' || next === 'ho' ? ['nguoi'] : undefined;
  // "a" is also "ạ" folded; only "a ơi" is the shorthand for "anh".
  if (word === 'a') return next === 'oi' ? ['anh'] : undefined;
  return SHORTHAND[word];
}

/** Levenshtein distance, capped: returns `max + 1` as soon as the distance exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * True when two folded words are equal or one typo apart. Two words of four letters or fewer
 * must be equal: folded Vietnamese syllables that short are often real words one letter apart
 * ("dong"/"hong", "khai"/"khac"). A dropped or doubled letter in a longer one is a typo.
 */
export function nearlyEqual(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < 4 || Math.max(a.length, b.length) < 5) return false;
  return editDistance(a, b, 1) <= 1;
}
