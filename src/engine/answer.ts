/**
 * Typed text that is not a command: an answer to the current question, a place, or a search
 * over flows and procedures. A miss is said honestly, recorded, and after a few in a row the
 * bot offers a person.
 */
import { ask, emit, say, t, text, type OptionSpec, type StepContext } from './context';
import { advance, repeatCurrent, startFlow } from './flow-walk';
import { showMenu, showTopic } from './menu';
import { matchOption } from './option-match';
import { optionPhrases } from './option-phrases';
import { answerPlaceMention, choosePlace, handlePlaceMatch } from './place';
import { renderProcedure } from './procedure-card';
import { runCommand } from './commands';
import type { PendingOption, SearchHit } from './types';

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
  ctx.query = raw;
  const pending = ctx.session.pending;
  const stop = ctx.content.stopwords;
  const placeQuestion = pending?.kind === 'place' || pending?.kind === 'place_pick';
  // A place named in the message. "xã Đông Lĩnh cũ giờ là xã nào" is a question, not an answer
  // to the options on screen, even when one of its words looks like one of theirs.
  const mention = placeQuestion ? undefined : ctx.content.places.find(raw);
  if (pending && pending.options.length > 0 && !mention?.asksWhere) {
    const index = matchOption(raw, optionPhrases(ctx, pending), stop);
    if (index !== undefined) return choose(ctx, pending.options[index]!);
  }
  const inFlow = !!ctx.session.flow && !ctx.session.flow.done;
  if (placeQuestion) {
    if (handlePlaceMatch(ctx, ctx.content.places.resolve(raw), true)) return;
    // Not a place but clearly another request ("khai sinh"): offer it, with the place question
    // kept open. A single loose word ("ở gần chợ" ~ "gắn chip") is still "place not found".
    const other = ctx.content.search(raw).filter((h) => h.kind !== 'place' && h.strong);
    if (other.length > 0) return offerHits(ctx, raw, other, inFlow);
    return miss(ctx, raw, 'place.not_found');
  }
  // Answer the place, or start the flow the rest of the message asks for with the place known.
  if (mention) {
    const rest = ctx.content.search(mention.rest);
    const clearFlow = rest[0]?.kind === 'flow' && (!rest[1] || rest[0].score >= rest[1].score * 1.5) ? rest[0].id : undefined;
    if (answerPlaceMention(ctx, mention, clearFlow, rest.length > 0, inFlow)) return;
    if (rest.length > 0) return offerHits(ctx, mention.rest, rest, inFlow);
  }
  const hits = ctx.content.search(raw);
  if (hits.length === 0) return miss(ctx, raw, 'miss.sorry');
  offerHits(ctx, raw, hits, inFlow);
}

function offerHits(ctx: StepContext, raw: string, hits: SearchHit[], inFlow: boolean): void {
  const top = hits[0]!;
  const second = hits[1];
  const clearWinner = !second || top.score >= second.score * 1.5;
  if (top.kind === 'place' && clearWinner) {
    emit(ctx, { type: 'matched', query: raw, target: `place:${top.id}` });
    const match = ctx.content.places.resolve(raw);
    if (handlePlaceMatch(ctx, match.kind === 'none' ? { kind: 'unit', unit: ctx.content.places.byCode(top.id)! } : match, false)) return;
  }
  if (!inFlow && clearWinner && top.kind !== 'place') {
    emit(ctx, { type: 'matched', query: raw, target: `${top.kind}:${top.id}` });
    ctx.session.misses = 0;
    if (top.kind !== 'flow') return showProcedure(ctx, top.id);
    // Say what was understood, so a first question like "ở xã, phường nào?" makes sense.
    ctx.lead = t(ctx, 'search.starting', { title: text(ctx, ctx.content.flows.get(top.id)!.title) });
    return startFlow(ctx, top.id);
  }
  const options: OptionSpec[] = hits.slice(0, MAX_SUGGESTIONS).map((h) => hitOption(ctx, h));
  if (inFlow) options.push({ label: t(ctx, 'search.keep_going'), action: { do: 'cmd', cmd: 'continue' } });
  options.push({ label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } });
  ask(ctx, t(ctx, 'search.suggest'), 'search', options);
}

function hitOption(ctx: StepContext, h: SearchHit): OptionSpec {
  switch (h.kind) {
    case 'flow':
      return { label: text(ctx, ctx.content.flows.get(h.id)!.title), action: { do: 'flow', flow: h.id, ...(ctx.query ? { hint: ctx.query.slice(0, 160) } : {}) } };
    case 'procedure':
      return { label: text(ctx, ctx.content.procedures.get(h.id)!.name), action: { do: 'procedure', procedure: h.id } };
    case 'place':
      return { label: ctx.content.places.byCode(h.id)!.full_name, action: { do: 'place', code: h.id } };
  }
}

export function showProcedure(ctx: StepContext, id: string): void {
  const proc = ctx.content.procedures.get(id);
  if (!proc) return showMenu(ctx, false);
  emit(ctx, { type: 'matched', query: text(ctx, proc.name), target: `procedure:${id}` });
  renderProcedure(ctx, proc, undefined);
  ask(ctx, t(ctx, 'after.prompt'), 'after', [
    { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
    { label: t(ctx, 'after.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
  ]);
}

function miss(ctx: StepContext, raw: string, key: string): void {
  const s = ctx.session;
  s.misses += 1;
  const pos = s.flow && !s.flow.done ? s.flow : undefined;
  emit(ctx, pos ? { type: 'unmatched', query: raw, flow: pos.id, node: pos.node } : { type: 'unmatched', query: raw });
  const misses = s.misses;
  say(ctx, t(ctx, key));
  if (misses >= ctx.content.settings.handoff_after_misses) {
    ask(ctx, t(ctx, 'miss.offer_handoff'), 'handoff_offer', [
      { label: t(ctx, 'after.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
      ...(pos ? [{ label: t(ctx, 'resume.continue'), action: { do: 'cmd' as const, cmd: 'continue' as const } }] : []),
      { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
    ]);
    return;
  }
  // Re-asking keeps the count: repeatCurrent re-enters the node, which must not reset misses.
  if (pos && repeatCurrent(ctx)) {
    s.misses = misses;
    return;
  }
  if (!pos) {
    showMenu(ctx, false);
    s.misses = misses;
  }
}
