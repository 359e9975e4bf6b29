/**
 * How much of a catalogue record's name a message says as one phrase. A citizen who writes
 * "tạm dừng hưởng trợ cấp thất nghiệp vì đã có việc làm" names record 1.014750 "Tạm dừng hưởng
 * trợ cấp thất nghiệp (Cấp tỉnh)" whole, however many other words the message has; one who writes
 * "hưởng chế độ thai sản khi sinh con" says five words of "Giải quyết hưởng chế độ thai sản" in a
 * row. Both are stronger evidence than words scattered over a long name.
 */
import type { Catalogue } from '../catalogue/catalogue';
import { tokens } from '../engine/normalize';

/**
 * The words of a record's name a citizen would say: folded, without the office's opening words
 * ("Thủ tục", "Giải quyết", "Đề nghị": nobody asks for "giải quyết hưởng chế độ tử tuất") and
 * without a parenthesis that only says which level handles it ("(Cấp tỉnh)", "(thực hiện tại cấp
 * trung ương)") — records that differ only there are told apart by their level, not their words.
 */
export function namePhrase(name: string): string[] {
  const withoutLevel = name.replace(/\(([^()]*)\)/g, (whole, inner: string) => (LEVEL.test(tokens(inner).join(' ')) ? ' ' : whole));
  let words = tokens(withoutLevel);
  for (let again = true; again; ) {
    const opening = OPENINGS.find((o) => o.every((w, i) => words[i] === w));
    again = !!opening && words.length - opening.length >= 3;
    if (opening && again) words = words.slice(opening.length);
  }
  // "Cấp giấy phép lái xe quốc tế" is asked for as "giấy phép lái xe quốc tế"; "cấp lại", "cấp
  // đổi", "cấp phép" say which procedure and stay.
  if (words[0] === 'cap' && !['lai', 'doi', 'phep', 'moi', 'ban'].includes(words[1] ?? '') && words.length >= 4) words = words.slice(1);
  return words;
}
const OPENINGS: ReadonlyArray<readonly string[]> = [['thu', 'tuc'], ['giai', 'quyet'], ['de', 'nghi']];
const LEVEL = /^(thuc hien )?(tai )?(cap )?(xa|huyen|tinh|bo|tw|trung uong|dia phuong)$/;

/** The level a record's name says in brackets, folded ("trung uong" for "(thực hiện tại cấp Trung ương)"), if any. */
export function nameLevel(name: string): string | undefined {
  for (const [, inner] of name.matchAll(/\(([^()]*)\)/g)) {
    const m = LEVEL.exec(tokens(inner!).join(' '));
    if (m) return m[4];
  }
  return undefined;
}

/** The longest run of consecutive `name` words that `message` has consecutively, in words. */
export function longestRun(message: readonly string[], name: readonly string[]): number {
  return runsIn(message)(name);
}

/** Where each word stands in a name; names are the search's cached phrases, so this is worked out once per record. */
const positionsCache = new WeakMap<readonly string[], ReadonlyMap<string, readonly number[]>>();
function positionsOf(name: readonly string[]): ReadonlyMap<string, readonly number[]> {
  let at = positionsCache.get(name);
  if (!at) {
    const m = new Map<string, number[]>();
    name.forEach((w, j) => {
      const list = m.get(w);
      if (list) list.push(j);
      else m.set(w, [j]);
    });
    positionsCache.set(name, (at = m));
  }
  return at;
}

/**
 * `longestRun` against one message for many names: a message has a handful of words and a name
 * may have dozens, so the walk goes over the message and looks each word up in the name's own
 * (cached) positions.
 */
export function runsIn(message: readonly string[]): (name: readonly string[]) => number {
  return (name) => {
    const at = positionsOf(name);
    let best = 0;
    for (let i = 0; i < message.length; i++) {
      const js = at.get(message[i]!);
      if (!js) continue;
      for (const j of js) {
        let k = 1;
        while (i + k < message.length && j + k < name.length && message[i + k] === name[j + k]) k++;
        if (k > best) best = k;
      }
    }
    return best;
  };
}

/** A word in at most this share of record names is a rare one: it says what a record is about ("karaoke", "tuất"). */
const RARE_SHARE = 0.01;
const rareCache = new WeakMap<Catalogue, ReadonlySet<string>>();

/** The folded words few served record names have, worked out once per catalogue (a few ms). */
export function rareNameWords(catalogue: Catalogue): ReadonlySet<string> {
  let rare = rareCache.get(catalogue);
  if (!rare) {
    const df = new Map<string, number>();
    for (const e of catalogue.entries) for (const w of new Set(tokens(e.name))) df.set(w, (df.get(w) ?? 0) + 1);
    rare = new Set([...df].filter(([, n]) => n <= catalogue.entries.length * RARE_SHARE).map(([w]) => w));
    rareCache.set(catalogue, rare);
  }
  return rare;
}

const officialCache = new WeakMap<object, Array<[string[], string[]]>>();

/**
 * The message's words with everyday terms in the official words record names use (settings
 * `official_terms`, longest first): "làm bằng lái quốc tế" is compared with "Cấp giấy phép lái
 * xe quốc tế" as "làm giấy phép lái xe quốc tế". Without any term, the words themselves.
 */
export function inOfficialWords(words: readonly string[], terms: Readonly<Record<string, string>>): string[] {
  let pairs = officialCache.get(terms);
  if (!pairs) {
    pairs = Object.entries(terms)
      .map(([k, v]): [string[], string[]] => [tokens(k), tokens(v)])
      .filter(([k]) => k.length > 0)
      .sort((a, b) => b[0].length - a[0].length);
    officialCache.set(terms, pairs);
  }
  if (pairs.length === 0) return [...words];
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const hit = pairs.find(([k]) => k.every((w, j) => words[i + j] === w));
    if (hit) {
      out.push(...hit[1]);
      i += hit[0].length;
    } else out.push(words[i++]!);
  }
  return out;
}
