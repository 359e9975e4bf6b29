/**
 * Confidence before a card. A search hit is only a guess; the bot answers with a card or starts
 * a flow only when the message clearly names that procedure — one of its `match:` phrases (or
 * its name) appears whole in the message. Two or three named → "Bạn muốn hỏi: …?". Nothing
 * named but a close fit → ask, never answer. One shared word → not covered, said honestly.
 */
import type { StepContext } from './context';
import { fold } from './normalize';
import type { SearchHit } from './types';

export type Confidence =
  | { kind: 'clear'; hit: SearchHit }
  /** `named`: the message names these; otherwise they only fit closely. */
  | { kind: 'choose'; hits: SearchHit[]; named: boolean }
  | { kind: 'none' };

/** At most this many procedures are offered in "Bạn muốn hỏi: …?". */
const MAX_CHOICES = 3;

/**
 * Words that turn what follows into what is NOT asked for ("không phải khai sinh, là khai tử",
 * "cấp lại chứ không phải cấp đổi", "tạm trú thay vì thường trú"). Folded.
 */
const NEGATORS = ['chu khong phai la', 'chu khong phai', 'khong phai la', 'khong phai', 'thay vi', 'khong can', 'khong lam'];
/** Words that say the citizen is correcting what they said before. Folded. */
const CORRECTIONS = ['khong phai', 'nham', 'y toi la', 'y minh la', 'y em la', 'a khong', 'khong ma la', 'sua lai'];
/** Words joining two requests in one message. Folded. */
const CONJUNCTIONS = ['va', 'voi', 'and', 'hoac', 'hay', 'cung nhu'];

/** How many words after a negator it covers: "không phải [cấp đổi căn cước]". */
const NEGATED_SPAN = 3;

/**
 * The folded message without the words it says it does not mean. A negation reaches at most
 * NEGATED_SPAN words and never past a comma or full stop ("… chứ không phải cấp đổi, cho tôi").
 */
export function withoutNegated(text: string): string {
  return text
    // A procedure code ("1.001193") keeps its dot: only a full stop ends a clause.
    .split(/[,;:!?\n]+|\.(?!\d)/)
    .map(clauseWithoutNegated)
    .filter((c) => c.length > 0)
    .join(' ');
}

function clauseWithoutNegated(clause: string): string {
  let words = fold(clause).split(' ');
  for (;;) {
    const padded = ` ${words.join(' ')} `;
    const neg = NEGATORS.find((n) => padded.includes(` ${n} `));
    if (!neg) break;
    const start = padded.indexOf(` ${neg} `);
    const before = padded.slice(0, start).trim();
    const at = before === '' ? 0 : before.split(' ').length;
    const negLen = neg.split(' ').length;
    // "không phải, tôi muốn X": a negator right before a pause/pronoun negates what was said earlier, not X.
    const next = words[at + negLen];
    const span = next && ['toi', 'minh', 'em', 'ma', 'la'].includes(next) ? 0 : NEGATED_SPAN;
    words = [...words.slice(0, at), ...words.slice(at + negLen + span)];
  }
  return words.filter((w) => w.length > 0).join(' ');
}

export function isCorrection(text: string): boolean {
  const padded = ` ${fold(text)} `;
  return CORRECTIONS.some((c) => padded.includes(` ${c} `));
}

// Content phrases are folded once, not on every message. Bounded: a content reload adds its
// phrases, so the memo is dropped when it grows past what any content holds.
const foldedPhrases = new Map<string, string>();
function foldPhrase(phrase: string): string {
  let f = foldedPhrases.get(phrase);
  if (f === undefined) {
    if (foldedPhrases.size > 50_000) foldedPhrases.clear();
    f = fold(phrase);
    foldedPhrases.set(phrase, f);
  }
  return f;
}

/** True when a phrase from the content appears whole in the folded message and says enough alone. */
function names(padded: string, phrase: string): boolean {
  const p = foldPhrase(phrase);
  if (p.length === 0) return false;
  // One short word ("đất", "cư") is shared with too many ordinary sentences; an abbreviation
  // without a vowel ("hkd", "gks") is not.
  if (!p.includes(' ') && p.length < 4 && /[aeiouy]/.test(p)) return false;
  return padded.includes(` ${p} `);
}

/** The phrases that name a hit: its `match:` list and its name, in both languages. */
function phrasesOf(ctx: StepContext, hit: SearchHit): string[] | undefined {
  if (hit.kind === 'flow') {
    const f = ctx.content.flows.get(hit.id);
    return f ? [...f.match, f.title.vi, ...(f.title.en ? [f.title.en] : [])] : [];
  }
  if (hit.kind === 'procedure') {
    const p = ctx.content.procedures.get(hit.id);
    return p ? [...p.match, p.name.vi, ...(p.name.en ? [p.name.en] : [])] : [];
  }
  // Other kinds (catalogue records) are judged by the search's own fit.
  return undefined;
}

/** Share of the typed words a close fit must have among its own words. */
const MIN_CLOSE_COVERAGE = 0.5;
/** The same for the search's clear winner. */
const MIN_TOP_COVERAGE = 0.3;

/** The share of `typed` words found in the hit's phrases; a record (no phrases here) counts as covering. */
function coverage(ctx: StepContext, typed: readonly string[], hit: SearchHit): number {
  const words = wordsOf(ctx, hit);
  if (words === undefined || typed.length === 0) return 1;
  return typed.filter((w) => words.has(w)).length / typed.length;
}

/**
 * Every word a flow or procedure is known by: its phrases, description, options (labels and
 * `match:`) and, for a flow, the procedures it leads to. Cached per content object.
 */
const wordCache = new WeakMap<object, Set<string>>();
function wordsOf(ctx: StepContext, hit: SearchHit): Set<string> | undefined {
  const item = hit.kind === 'flow' ? ctx.content.flows.get(hit.id) : hit.kind === 'procedure' ? ctx.content.procedures.get(hit.id) : undefined;
  if (!item) return undefined;
  let words = wordCache.get(item);
  if (!words) {
    const texts: string[] = [...(phrasesOf(ctx, hit) ?? [])];
    if ('nodes' in item) {
      if (item.description) texts.push(item.description.vi);
      for (const node of Object.values(item.nodes)) {
        if (node.kind === 'ask') for (const o of node.options) texts.push(o.label.vi, ...(o.match ?? []));
        if (node.kind === 'procedure') {
          const p = ctx.content.procedures.get(node.procedure);
          if (p) texts.push(p.name.vi, ...p.match);
        }
      }
    }
    words = new Set(texts.flatMap((t) => fold(t).split(' ')));
    wordCache.set(item, words);
  }
  return words;
}

/** The longest phrase of `hit` the message names, in words; 0 when it names none. */
function namedLength(ctx: StepContext, padded: string, hit: SearchHit): number {
  const phrases = phrasesOf(ctx, hit);
  if (phrases === undefined) return hit.strong && !hit.confirm ? 1 : 0;
  return Math.max(0, ...phrases.filter((p) => names(padded, p)).map((p) => foldPhrase(p).split(' ').length));
}

/**
 * Flows the message names whole, as hits: search needs most typed words to fit, so a long
 * story ("… bị mất ví, trong đó có thẻ căn cước, giờ …") or teencode can miss what it names.
 */
export function namedFlows(ctx: StepContext, query: string): SearchHit[] {
  const padded = ` ${fold(query)} `;
  return [...ctx.content.flows.values()]
    .filter((f) => [...f.match, f.title.vi].some((p) => names(padded, p)))
    .map((f) => ({ kind: 'flow' as const, id: f.id, score: 0, strong: true }));
}

/**
 * Questions whether papers issued before the merger are still valid ("sáp nhập xã xong sổ đỏ cũ
 * còn giá trị không"): they name a procedure but do not ask for it, and no flow answers them.
 * Both parts must be there: "thay đổi địa chỉ trên căn cước sau sáp nhập" is a request, and the
 * ID-card flow does answer "cmnd 9 số còn dùng được không".
 */
const MERGER = ['sap nhap', 'doi ten xa', 'doi ten phuong'];
const STILL_VALID = ['con gia tri', 'con hieu luc', 'con dung duoc', 'con su dung duoc'];

/** How sure the bot is about `hits` for the (already cleaned) message `query`. */
export function judge(ctx: StepContext, query: string, hits: readonly SearchHit[]): Confidence {
  const padded = ` ${fold(query)} `;
  const has = (list: string[]) => list.some((p) => padded.includes(` ${p} `));
  if (has(MERGER) && has(STILL_VALID)) return { kind: 'none' };
  const candidates = hits.filter((h) => h.kind !== 'place');
  const named = candidates.map((hit) => ({ hit, len: namedLength(ctx, padded, hit) })).filter((n) => n.len > 0);
  const typed = fold(query).split(' ').filter((w) => w.length > 0 && !ctx.content.stopwords.has(w));
  // Search ranks a flow the message does not name above the one it names ("trích lục khai sinh
  // bản sao": copies of civil status papers, not birth registration): ask, the better fit first.
  const top = candidates[0];
  const bestNamed = Math.max(...named.map((n) => n.hit.score));
  if (named.length > 0 && top && !named.some((n) => n.hit === top) && top.strong && top.score > bestNamed && coverage(ctx, typed, top) >= MIN_CLOSE_COVERAGE) {
    return { kind: 'choose', hits: [top, ...named.map((n) => n.hit)].slice(0, MAX_CHOICES), named: true };
  }
  if (named.length === 1) return { kind: 'clear', hit: named[0]!.hit };
  if (named.length > 1) {
    // "mất căn cước và bằng lái": two things asked for; the citizen picks the first to do.
    if (CONJUNCTIONS.some((c) => padded.includes(` ${c} `))) return { kind: 'choose', hits: named.slice(0, MAX_CHOICES).map((n) => n.hit), named: true };
    const [a, b] = [...named].sort((x, y) => y.len - x.len || y.hit.score - x.hit.score);
    const byScore = [...named].sort((x, y) => y.hit.score - x.hit.score);
    // A longer phrase named wins ("giấy xác nhận tình trạng hôn nhân" over "hôn nhân") when the
    // search agrees it fits best; so does a much better search score for the same phrase length.
    // Otherwise ask, the better search fit first ("nhận con ngoài giá thú").
    if ((a!.len > b!.len && a === byScore[0]) || a!.hit.score >= b!.hit.score * 2) return { kind: 'clear', hit: a!.hit };
    return { kind: 'choose', hits: byScore.slice(0, MAX_CHOICES).map((n) => n.hit), named: true };
  }
  // A close fit must share most of what was typed: "giấy phép xây dựng" shares only the pair
  // "giấy phép" with "giấy phép lái xe", which is no reason to offer driving licences.
  // The search's clear winner may share less: long stories have many words no procedure has.
  const clearTop = top && (!candidates[1] || top.score >= candidates[1].score * 1.5) ? top : undefined;
  const close = candidates.filter((h) => (h.strong || h.confirm) && coverage(ctx, typed, h) >= (h === clearTop ? MIN_TOP_COVERAGE : MIN_CLOSE_COVERAGE));
  if (close.length > 0) return { kind: 'choose', hits: close.slice(0, MAX_CHOICES), named: false };
  return { kind: 'none' };
}
