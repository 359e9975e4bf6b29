/**
 * Typed text that is not a command: an answer to the current question, a place, or a search
 * over flows and procedures. A miss is said honestly, recorded, and after a few in a row the
 * bot offers a person.
 */
import { addLead, ask, emit, nameOf, say, t, text, type OptionSpec, type StepContext } from './context';
import { correctFlow } from './correction';
import { isCorrection, judge, namedFlows, withoutNegated } from './confidence';
import { TOPICS, type Topic } from '../content/schema';
import { fold } from './normalize';
import { advance, startFlow } from './flow-walk';
import { flowsOfTopic, showMenu, showTopic } from './menu';
import { englishQuery, languageOf } from './language';
import { matchOption } from './option-match';
import { optionPhrases } from './option-phrases';
import { answerPlaceMention, choosePlace, handlePlaceMatch } from './place';
import { miss, notCovered } from './miss';
import { procedureFor, sayOwnFactsHint } from './citizen-province';
import { renderProcedure } from './procedure-card';
import { afterOptions, levelOf, renderCard, renderPart } from './record-card';
import { runCommand } from './commands';
import { PORTAL_SEARCH } from '../catalogue/model';
import type { CardPart, PendingOption, SearchHit } from './types';

/** Search hits shown as options at most. */
const MAX_SUGGESTIONS = 5;

export function choose(ctx: StepContext, option: PendingOption): void {
  const a = option.action;
  const pendingKind = ctx.session.pending?.kind;
  switch (a.do) {
    case 'node':
      return advance(ctx, a.next, option.label);
    case 'flow':
      emit(ctx, { type: 'matched', query: option.label, target: `flow:${a.flow}` });
      return startFlow(ctx, a.flow, a.hint);
    case 'procedure':
      return showProcedure(ctx, a.procedure);
    case 'record':
      return a.part ? showPart(ctx, a.code, a.part, a.procedure) : showRecord(ctx, a.code);
    case 'topic':
      return showTopic(ctx, a.topic);
    case 'place':
      return choosePlace(ctx, a.code, a.via, pendingKind === 'place' || pendingKind === 'place_pick', a.flow, a.hint);
    case 'place_query': {
      const inFlow = pendingKind === 'place' || pendingKind === 'place_pick';
      if (!handlePlaceMatch(ctx, ctx.content.places.resolve(a.query), inFlow, a.flow)) miss(ctx, a.query, 'place.not_found');
      return;
    }
    case 'cmd':
      return runCommand(ctx, a.cmd);
  }
}

export function answerText(ctx: StepContext, raw: string): void {
  // The message a started flow answers its questions from; an English one in Vietnamese words.
  ctx.query = languageOf(raw) === 'en' ? searchable(ctx, raw) : raw;
  const pending = ctx.session.pending;
  const stop = ctx.content.stopwords;
  const placeQuestion = pending?.kind === 'place' || pending?.kind === 'place_pick';
  // A place named in the message. "xã Đông Lĩnh cũ giờ là xã nào" is a question, not an answer
  // to the options on screen, even when one of its words looks like one of theirs.
  const mention = placeQuestion ? undefined : ctx.content.places.find(raw);
  const inFlow = !!ctx.session.flow && !ctx.session.flow.done;
  // "ý tôi là cấp lại chứ không phải cấp đổi": change an earlier answer, or the flow itself.
  const correcting = inFlow && isCorrection(raw);
  if (correcting && correctFlow(ctx, raw)) return;
  // A correction does not answer the question on screen with its negated words ("không phải căn cước, tôi …").
  if (pending && pending.options.length > 0 && !mention?.asksWhere && !correcting) {
    const index = matchOption(raw, optionPhrases(ctx, pending), stop);
    if (index !== undefined) return choose(ctx, pending.options[index]!);
  }
  if (placeQuestion) {
    if (handlePlaceMatch(ctx, ctx.content.places.resolve(raw), true)) return;
    // Not a place but clearly another request ("khai sinh"): offer it, with the place question
    // kept open. A single loose word ("ở gần chợ" ~ "gắn chip") is still "place not found".
    const query = searchable(ctx, raw);
    const other = ctx.content.search(query).filter((h) => h.kind !== 'place' && h.strong);
    if (other.length > 0) return offerHits(ctx, raw, query, other, inFlow);
    return miss(ctx, raw, 'place.not_found');
  }
  // Answer the place, or start the flow the rest of the message asks for with the place known.
  if (mention) {
    const query = searchable(ctx, mention.rest);
    const rest = withNamed(ctx, query, ctx.content.search(query).filter((h) => h.kind !== 'place'));
    const sure = judge(ctx, query, rest);
    // "quán phở nào ngon ở Sầm Sơn": a place in a question about something else not covered.
    // (Three words or more: "xã Quảng Thịnh cũ ở Thanh Hóa" leaves only the province's name.)
    if (sure.kind === 'none' && !mention.asksWhere && contentWords(ctx, mention.rest) >= 3) return notCovered(ctx, raw);
    const clearFlow = sure.kind === 'clear' && sure.hit.kind === 'flow' ? sure.hit.id : undefined;
    if (answerPlaceMention(ctx, mention, clearFlow, sure.kind !== 'none', inFlow)) return;
    if (sure.kind !== 'none') return offerHits(ctx, mention.rest, query, rest, inFlow);
  }
  const query = searchable(ctx, raw);
  const hits = withNamed(ctx, query, ctx.content.search(query).filter((h) => h.kind !== 'place' || looksLikePlace(raw)));
  offerHits(ctx, raw, query, hits, inFlow);
}

/** Search hits plus the flows the message names whole that search did not find. */
function withNamed(ctx: StepContext, query: string, hits: SearchHit[]): SearchHit[] {
  const extra = namedFlows(ctx, query).filter((n) => !hits.some((h) => h.kind === n.kind && h.id === n.id));
  return [...hits, ...extra];
}

function contentWords(ctx: StepContext, text: string): number {
  return fold(text).split(' ').filter((w) => w.length > 0 && !ctx.content.stopwords.has(w)).length;
}

/**
 * What is searched for a message: an English one in the Vietnamese words it means, and
 * without what the citizen says they do not mean ("không phải khai sinh, là khai tử").
 */
function searchable(ctx: StepContext, raw: string): string {
  // A procedure code ("1.001193") is searched as typed: the catalogue finds it anywhere in the message.
  if (PROCEDURE_CODE.test(raw)) return raw;
  return languageOf(raw) === 'en' ? englishQuery(raw, ctx.content.settings.english_terms) : withoutNegated(raw);
}
const PROCEDURE_CODE = /(^|[^\d.])\d\.\d{6}(?![\d.])/;

/**
 * A commune or ward name found by search alone counts only when the message looks like a place:
 * it has a type word ("xã", "phường"), or it is a bare name of a few words ("hac thnh"). Ordinary
 * words ("tôi ở gần chợ") are not taken for a place.
 */
function looksLikePlace(raw: string): boolean {
  const words = fold(raw).split(' ');
  if (words.some((w, i) => PLACE_TYPES.has(w) || PLACE_TYPES.has(`${w} ${words[i + 1] ?? ''}`))) return true;
  return words.length <= 3 && !words.some((w) => NOT_A_NAME.has(w));
}
const PLACE_TYPES = new Set(['xa', 'phuong', 'thi tran', 'huyen', 'thi xa', 'thanh pho', 'tp']);
// Words that do not occur in commune names but do in ordinary short sentences.
const NOT_A_NAME = new Set(['toi', 'minh', 'em', 'o', 'gan', 'day', 'kia', 'nao', 'gi', 'dau', 'khong', 'co', 'la', 'cua']);

function offerHits(ctx: StepContext, raw: string, query: string, hits: SearchHit[], inFlow: boolean): void {
  const top = hits[0];
  const second = hits[1];
  const clearWinner = !!top && (!second || top.score >= second.score * 1.5) && !top.confirm;
  if (top?.kind === 'place' && clearWinner) {
    emit(ctx, { type: 'matched', query: raw, target: `place:${top.id}` });
    const match = ctx.content.places.resolve(raw);
    if (handlePlaceMatch(ctx, match.kind === 'none' ? { kind: 'unit', unit: ctx.content.places.byCode(top.id)! } : match, false)) return;
  }
  const sure = judge(ctx, query, hits);
  // "thủ tục hộ tịch": a whole topic of the menu is named and no procedure is; show the topic.
  const topic = !inFlow && (sure.kind === 'none' || (sure.kind === 'choose' && !sure.named)) ? namedTopic(ctx, query) : undefined;
  if (topic) return showTopic(ctx, topic);
  if (sure.kind === 'none') return notCovered(ctx, raw);
  // Mid-flow a new request is offered, not started, unless the citizen says they are correcting.
  if (sure.kind === 'clear' && (!inFlow || isCorrection(raw))) {
    const hit = sure.hit;
    emit(ctx, { type: 'matched', query: raw, target: `${hit.kind}:${hit.id}` });
    ctx.session.misses = 0;
    if (hit.kind === 'record') return showRecord(ctx, hit.id);
    if (hit.kind !== 'flow') return showProcedure(ctx, hit.id);
    // Say what was understood, so a first question like "ở xã, phường nào?" makes sense.
    addLead(ctx, t(ctx, 'search.starting', { title: nameOf(ctx, ctx.content.flows.get(hit.id)!.title) }));
    return startFlow(ctx, hit.id, query);
  }
  const offered = sure.kind === 'clear' ? [sure.hit] : sure.hits;
  // Nothing named, only a close fit: editors should see the question too.
  if (sure.kind === 'choose' && !sure.named) emit(ctx, { type: 'unmatched', query: raw, ...(inFlow ? { flow: ctx.session.flow!.id, node: ctx.session.flow!.node } : {}) });
  const options: OptionSpec[] = offered.slice(0, MAX_SUGGESTIONS).map((h) => hitOption(ctx, h, query));
  if (inFlow) options.push({ label: t(ctx, 'search.keep_going'), action: { do: 'cmd', cmd: 'continue' } });
  options.push({ label: t(ctx, 'after.handoff'), action: { do: 'cmd', cmd: 'handoff' } });
  options.push({ label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } });
  ask(ctx, t(ctx, 'search.did_you_mean', { count: offered.length }), 'search', options);
}

/** The menu topic whose name ("Hộ tịch", "Cư trú") the message contains, if any. */
function namedTopic(ctx: StepContext, query: string): Topic | undefined {
  const padded = ` ${fold(query)} `;
  return TOPICS.find((topic) => {
    const name = fold(t(ctx, `topic.${topic}`).replace(/\(.*\)/, ''));
    return name.length >= 4 && padded.includes(` ${name} `) && flowsOfTopic(ctx, topic).length > 0;
  });
}

function hitOption(ctx: StepContext, h: SearchHit, query: string): OptionSpec {
  switch (h.kind) {
    case 'flow':
      return { label: nameOf(ctx, ctx.content.flows.get(h.id)!.title), action: { do: 'flow', flow: h.id, hint: query.slice(0, 160) } };
    case 'procedure':
      return { label: nameOf(ctx, ctx.content.procedures.get(h.id)!.name), action: { do: 'procedure', procedure: h.id } };
    case 'place':
      return { label: ctx.content.places.byCode(h.id)!.full_name, action: { do: 'place', code: h.id } };
    case 'record': {
      // "Đăng ký nghĩa vụ quân sự lần đầu (cấp xã)": records with one name differ by level.
      const e = ctx.content.catalogue.entry(h.id);
      return { label: e ? `${e.name} (${levelOf(ctx, e)})` : h.id, action: { do: 'record', code: h.id } };
    }
  }
}

/** A record's card; the curated procedure naming it, if any, answers instead (built on the record). */
export function showRecord(ctx: StepContext, code: string): void {
  const curated = ctx.content.curatedByCode.get(code);
  if (curated) return showProcedure(ctx, curated);
  const record = ctx.content.catalogue.record(code);
  if (!record) {
    const other = ctx.content.catalogue.elsewhere(code);
    emit(ctx, { type: 'unmatched', query: code });
    say(ctx, other ? t(ctx, 'card.elsewhere', { code, name: other.name, province: other.province }) : t(ctx, 'card.no_record', { code }), [{ url: PORTAL_SEARCH, label: t(ctx, 'card.portal_search') }]);
    return ask(ctx, t(ctx, 'after.prompt'), 'after', afterOptions(ctx));
  }
  emit(ctx, { type: 'matched', query: record.name, target: `record:${code}` });
  const more = renderCard(ctx, { record });
  ask(ctx, t(ctx, 'after.prompt'), 'after', [...afterOptions(ctx), ...more]);
}

function showPart(ctx: StepContext, code: string, part: CardPart, procedure: string | undefined): void {
  const record = ctx.content.catalogue.record(code);
  if (!record) return showMenu(ctx, false);
  renderPart(ctx, record, procedure ? procedureFor(ctx, procedure) : undefined, part);
}

export function showProcedure(ctx: StepContext, id: string): void {
  const proc = procedureFor(ctx, id);
  if (!proc) return showMenu(ctx, false);
  emit(ctx, { type: 'matched', query: text(ctx, proc.name), target: `procedure:${id}` });
  const record = proc.code ? ctx.content.catalogue.record(proc.code) : undefined;
  const more = renderCard(ctx, { proc, ...(record ? { record } : {}) });
  sayOwnFactsHint(ctx, id);
  ask(ctx, t(ctx, 'after.prompt'), 'after', [
    { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
    { label: t(ctx, 'after.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
    ...more,
  ]);
}

