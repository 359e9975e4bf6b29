/**
 * Confidence before a card. A search hit is only a guess; the bot answers with a card or starts
 * a flow only when the message clearly names that procedure — one of its `match:` phrases (or
 * its name) appears whole in the message. Two or three named → "Bạn muốn hỏi: …?". Nothing
 * named but a close fit → ask, never answer. One shared word → not covered, said honestly.
 */
import type { StepContext } from './context';
import { fold } from './normalize';
import type { SearchHit } from './types';
import { inOfficialWords, nameLevel, namePhrase, rareNameWords } from '../content/record-phrase';

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
  const all = hits.filter((h) => h.kind !== 'place');
  const curated = all.filter((h) => h.kind !== 'record');
  // Curated phrases count in the official words too ("cấp lại bằng lái" names "cấp lại giấy
  // phép lái xe"), as record names are compared in them.
  const official = ` ${inOfficialWords(fold(query).split(' '), ctx.content.settings.official_terms).join(' ')} `;
  const curatedLength = (hit: SearchHit) => Math.max(namedLength(ctx, padded, hit), namedLength(ctx, official, hit), ownRecordsNamed(ctx, padded, hit));
  const curatedNamed = Math.max(0, ...curated.map(curatedLength));
  const typed = fold(query).split(' ').filter((w) => w.length > 0 && !ctx.content.stopwords.has(w));
  const byName = judgeRecords(ctx, all, padded, curated.filter((h) => curatedNamed > 0 && curatedLength(h) === curatedNamed), curatedNamed, typed);
  if (byName) return byName;
  // Curated content first: where it is named, records that do not say more of their name are not weighed.
  const candidates = curatedNamed > 0 ? curated : all;
  const named = candidates.map((hit) => ({ hit, len: namedLength(ctx, padded, hit) })).filter((n) => n.len > 0);
  // Search ranks a flow the message does not name above the one it names ("trích lục khai sinh
  // bản sao": copies of civil status papers, not birth registration): ask, the better fit first.
  // (Search puts records first only when they fit clearly better than anything curated:
  // "thay đổi nội dung đăng ký hộ kinh doanh" is asked about, the record first.)
  const top = candidates[0];
  const first = all[0];
  const bestNamed = Math.max(...named.map((n) => n.hit.score));
  if (named.length > 0 && first && !named.some((n) => n.hit === first) && first.strong && first.score > bestNamed && coverage(ctx, typed, first) >= MIN_CLOSE_COVERAGE) {
    return { kind: 'choose', hits: [first, ...named.map((n) => n.hit)].slice(0, MAX_CHOICES), named: true };
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
  const fits = candidates.filter((h) => (h.strong || h.confirm) && coverage(ctx, typed, h) >= (h === clearTop ? MIN_TOP_COVERAGE : MIN_CLOSE_COVERAGE));
  // Curated close fits first; records are offered where nothing curated fits, or first where
  // only their names have every word typed ("xin công nhận hộ cận nghèo" shares "cận" = "căn"
  // and "hộ" with the ID-card flow).
  const curatedFits = fits.filter((h) => h.kind !== 'record');
  const recordFits = fits.filter((h) => h.kind === 'record');
  const fuller = recordFits.filter((h) => coversTyped(ctx, h, typed));
  const close =
    curatedFits.length === 0 ? recordFits : fuller.length > 0 && curatedFits.every((h) => coverage(ctx, typed, h) < 1) ? [...fuller.slice(0, MAX_CHOICES), ...curatedFits] : curatedFits;
  if (close.length > 0) return { kind: 'choose', hits: close.slice(0, close[0]!.kind === 'record' ? MAX_RECORD_CHOICES : MAX_CHOICES), named: false };
  return { kind: 'none' };
}

/**
 * Words of a record's name said in a row that must exceed the longest curated phrase the message
 * names, for the record to answer instead: "đăng ký lại khai sinh" (5) over "khai sinh" (2), but
 * "cấp lại giấy phép lái xe" stays with the driving-licence flow that names all of it.
 */
const RECORD_MARGIN = 2;
/** Words of a record's name, said whole, that are enough to name it ("chứng thực di chúc"). */
const MIN_WHOLE_RUN = 3;
/** Words of a record's name said in a row, but not all of it, that are worth weighing. */
const MIN_PART_RUN = 4;
/** Records offered at most in one question (with their level, the way the portal tells them apart). */
const MAX_RECORD_CHOICES = 5;

/**
 * Catalogue records against curated content, by how much of a record's name the message says in
 * a row (SearchHit.named / whole); undefined leaves the records to the rest of `judge`.
 * - A name said whole, longer by RECORD_MARGIN than any curated phrase named, is the answer;
 *   several with the same words (one per level) are asked about, unless only one is handled in
 *   the province or a commune — the bot serves citizens there, not ministries or embassies.
 * - A long part of a name counts where nothing curated is named, or where each curated hit named
 *   lacks a word of the message that is rare in record names and in the record's ("văn bản phân
 *   chia di sản" is not what the authentication flow knows). Then the one record with every typed
 *   word ("thay đổi nơi nhận lương hưu"; among several, the one handled here, or the one adding
 *   at most one word), the one record the message says two thirds of the name of, or the one
 *   search alone finds a fit, is the answer; otherwise ask, those handled here first.
 * - A shorter part with such a rare word the curated answer lacks: ask, the curated one first
 *   ("xin giấy phép kinh doanh karaoke"), never the curated card alone.
 */
function judgeRecords(ctx: StepContext, all: readonly SearchHit[], padded: string, named: readonly SearchHit[], curatedNamed: number, typed: readonly string[]): Confidence | undefined {
  const records = all.filter((h) => h.kind === 'record');
  if (records.length === 0) return undefined;
  // Names said whole first, the longest of them: another record whose name has one word more of
  // the message in a row (the "Cấp" a whole name is said without) but not all of it ("Cấp giấy
  // phép thăm dò khoáng sản" inside "Lựa chọn tổ chức… để xem xét cấp giấy phép thăm dò khoáng
  // sản…") is not what was named. Two words more is: "hỗ trợ chi phí học tập" is not the record
  // named "Hỗ trợ chi phí".
  const partRun = Math.max(0, ...records.map((h) => h.named ?? 0));
  const wholeRun = Math.max(0, ...records.filter((h) => h.whole).map((h) => h.named ?? 0));
  const whole = wholeRun > 0 && wholeRun + 1 >= partRun ? records.filter((h) => h.whole && h.named === wholeRun) : [];
  const run = whole.length > 0 ? wholeRun : partRun;
  const longest = whole.length > 0 ? whole : records.filter((h) => (h.named ?? 0) === run);
  if (whole.length > 0 && run >= MIN_WHOLE_RUN && run >= curatedNamed + RECORD_MARGIN) {
    // The level the message says ("… thực hiện tại cấp trung ương") picks among the same names.
    const said = whole.filter((h) => {
      const level = nameLevel(ctx.content.catalogue.entry(h.id)?.name ?? '');
      return !!level && padded.includes(` ${level} `);
    });
    const local = whole.length > 1 ? (said.length > 0 ? said : whole.filter((h) => isLocal(ctx, h))) : whole;
    if (local.length === 1) return { kind: 'clear', hit: local[0]! };
    return { kind: 'choose', hits: whole.slice(0, MAX_RECORD_CHOICES), named: true };
  }
  // A name said whole that is one word longer than the curated phrase ("hưởng trợ cấp mai táng",
  // the insurance benefit, beside the social-support flow's "trợ cấp mai táng"): ask, curated first.
  if (whole.length > 0 && run >= MIN_WHOLE_RUN && curatedNamed > 0 && run === curatedNamed + 1) {
    return { kind: 'choose', hits: [...named, ...whole].slice(0, MAX_CHOICES), named: true };
  }
  // The curated answers a record must say more than: those the message names, or else those
  // search finds a close fit ("mua xe máy mới đi đăng ký biển số" is vehicle registration, not
  // the record on withdrawing a number plate that has "đăng ký, biển số" in its name).
  const rivals = curatedNamed > 0 ? named : all.filter((h) => h.kind !== 'record' && h.strong && coverage(ctx, typed, h) >= MIN_CLOSE_COVERAGE);
  // A typed word this record's name has and none of the rivals knows; against a curated answer
  // the message names, a word rare in record names ("karaoke"), not "giấy tờ" of "đăng ký khai
  // sinh cần giấy tờ gì".
  const rare = rareNameWords(ctx.content.catalogue);
  const beyondCurated = (record: SearchHit) => {
    const words = nameWords(ctx, record);
    return typed.some((w) => (curatedNamed === 0 || rare.has(w)) && !ASKING.has(w) && words.has(w) && rivals.every((h) => !(wordsOf(ctx, h)?.has(w) ?? true)));
  };
  if (run >= MIN_PART_RUN && run >= curatedNamed + RECORD_MARGIN && (rivals.length === 0 || longest.every(beyondCurated))) {
    const full = longest.filter((h) => coversTyped(ctx, h, typed));
    const fit = full.length > 1 ? full.filter((h) => isLocal(ctx, h)) : full;
    if (fit.length === 1) return { kind: 'clear', hit: fit[0]! };
    // Among names with every typed word, one that adds at most one word where the others add
    // more ("đăng ký nuôi con nuôi trong nước": not "đăng ký lại …"). "Cấp chứng chỉ hành nghề"
    // has every word in dozens of names that each add two or more: ask.
    const bySize = fit.map((hit) => ({ hit, more: untyped(ctx, hit, typed) })).sort((a, b) => a.more - b.more);
    if (bySize.length > 1 && bySize[0]!.more <= 1 && bySize[0]!.more < bySize[1]!.more) return { kind: 'clear', hit: bySize[0]!.hit };
    // One record the message says most of the name of, or the one search alone finds a fit.
    const only = longest.length === 1 ? longest[0]! : undefined;
    if (only && (run * 3 >= namePhrase(ctx.content.catalogue.entry(only.id)?.name ?? '').length * 2 || (only.strong && !only.confirm))) return { kind: 'clear', hit: only };
    const ordered = [...longest].sort((a, b) => Number(isLocal(ctx, b)) - Number(isLocal(ctx, a)));
    return { kind: 'choose', hits: ordered.slice(0, MAX_RECORD_CHOICES), named: false };
  }
  if (curatedNamed > 0) {
    const fuller = records.filter((h) => (h.named ?? 0) >= 2 && coversTyped(ctx, h, typed) && beyondCurated(h));
    if (fuller.length > 0) return { kind: 'choose', hits: [...named, ...fuller].slice(0, MAX_CHOICES), named: true };
  }
  return undefined;
}

/**
 * The longest name of a record a curated hit is built on (its procedures' `code`) that the
 * message says whole: the ID-card flow names "cấp lại thẻ căn cước" as much as the province-level
 * record of that name does, since its own procedure is the commune-level record of that name.
 */
const ownPhrases = new WeakMap<object, string[]>();
function ownRecordsNamed(ctx: StepContext, padded: string, hit: SearchHit): number {
  const item = hit.kind === 'flow' ? ctx.content.flows.get(hit.id) : hit.kind === 'procedure' ? ctx.content.procedures.get(hit.id) : undefined;
  if (!item) return 0;
  let phrases = ownPhrases.get(item);
  if (!phrases) {
    const procedures = 'nodes' in item ? Object.values(item.nodes).flatMap((n) => (n.kind === 'procedure' ? [ctx.content.procedures.get(n.procedure)] : [])) : [item];
    const codes = procedures.flatMap((p) => (p?.code ? [p.code] : []));
    phrases = codes.map((code) => namePhrase(ctx.content.catalogue.entry(code)?.name ?? '').join(' ')).filter((p) => p.length > 0);
    ownPhrases.set(item, phrases);
  }
  return Math.max(0, ...phrases.filter((p) => padded.includes(` ${p} `)).map((p) => p.split(' ').length));
}

function isLocal(ctx: StepContext, hit: SearchHit): boolean {
  const levels = ctx.content.catalogue.entry(hit.id)?.levels;
  return !!levels && (levels.commune || levels.province);
}

/**
 * Words that ask about a procedure rather than name one ("xin", "nộp", "ở đâu", "bao lâu"):
 * a record's name need not have them to have every word typed. Folded.
 */
const ASKING = new Set(['xin', 'nop', 'dau', 'bao', 'lau', 'nhieu', 'sao', 'nhu', 'thi', 'can', 'khi', 'ai', 'roi', 'nhe', 'vay', 'nhung', 'cac']);

function nameWords(ctx: StepContext, hit: SearchHit): Set<string> {
  return new Set(fold(ctx.content.catalogue.entry(hit.id)?.name ?? '').split(' '));
}

/** True when the record's name has every meaningful word typed (asking words aside; "bhxh" by its expansion). */
function coversTyped(ctx: StepContext, hit: SearchHit, typed: readonly string[]): boolean {
  const words = nameWords(ctx, hit);
  if (words.size === 0 || typed.length === 0) return false;
  return typed.every((w) => {
    const expansion = expansionOf(ctx, w);
    return words.has(w) || ASKING.has(w) || (expansion.length > 0 && expansion.every((x) => words.has(x)));
  });
}

/** Words of the record's name (as said: level and "Thủ tục" aside) the message does not have. */
function untyped(ctx: StepContext, hit: SearchHit, typed: readonly string[]): number {
  const said = new Set([...typed, ...typed.flatMap((w) => expansionOf(ctx, w))]);
  return namePhrase(ctx.content.catalogue.entry(hit.id)?.name ?? '').filter((w) => !said.has(w) && !ctx.content.stopwords.has(w) && !ASKING.has(w)).length;
}

function expansionOf(ctx: StepContext, word: string): string[] {
  const expansion = ctx.content.settings.abbreviations[word];
  return expansion ? fold(expansion).split(' ') : [];
}
