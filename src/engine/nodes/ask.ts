import { ask, say, t, text, type StepContext } from '../context';
import { fold } from '../normalize';
import type { AskNode, CompiledFlow } from '../types';

/**
 * Asks the question, unless the message that started the flow already answers it: exactly one
 * option has a `match:` phrase that appears, word for word, in that message. Then the answer is
 * said (with how to undo it) and the flow moves on without asking.
 */
export function enterAsk(ctx: StepContext, _flow: CompiledFlow, nodeId: string, node: AskNode): string | undefined {
  const auto = answeredByHint(ctx, nodeId, node);
  const pos = ctx.session.flow;
  if (auto && pos) {
    const label = text(ctx, auto.label);
    say(ctx, t(ctx, 'flow.auto_answer', { question: text(ctx, node.ask), answer: label }));
    pos.answers[nodeId] = label;
    pos.stack.push(nodeId);
    return auto.next;
  }
  ask(
    ctx,
    text(ctx, node.ask),
    'ask',
    node.options.map((o) => ({ label: text(ctx, o.label), action: { do: 'node', next: o.next } })),
    node.links?.map((l) => ({ url: l.url, label: text(ctx, l.label) })),
  );
  return undefined;
}

function answeredByHint(ctx: StepContext, nodeId: string, node: AskNode): AskNode['options'][number] | undefined {
  const pos = ctx.session.flow;
  // Once per question: a flow that comes back to it (an info page that loops back) asks.
  if (!pos?.hint || pos.stack.includes(nodeId)) return undefined;
  return optionFromText(node, pos.hint);
}

/** Verbs that undo a registration ("xóa tạm trú", "hủy tạm trú"): an option listing one wins. */
const REMOVAL = new Set(['xoa', 'huy', 'cat']);

/**
 * The one option of `node` a whole message answers, if any. `text` is folded, without the words
 * the citizen said they do not mean. Each option counts by its longest `match:` phrase found in
 * the text; an age in the text ("30 tuổi") picks the option whose `ages` hold it and rules out
 * the others; a removal verb picks the option that lists it.
 */
export function optionFromText(node: AskNode, text: string): AskNode['options'][number] | undefined {
  const padded = ` ${text} `;
  const age = ageIn(text);
  const allowed = node.options.filter((o) => age === undefined || !o.ages || ((o.ages.min ?? 0) <= age && age <= (o.ages.max ?? 200)));
  if (age !== undefined) {
    const byAge = allowed.filter((o) => o.ages);
    if (byAge.length === 1 && allowed.length === byAge.length) return byAge[0];
  }
  const words = text.split(' ');
  const removal = allowed.filter((o) => (o.match ?? []).some((m) => REMOVAL.has(fold(m)) && words.includes(fold(m))));
  if (removal.length === 1) return removal[0];
  // Per option, its longest phrase found in the message.
  const found = allowed
    .map((option) => ({ option, phrase: longest((option.match ?? []).map(fold).filter((p) => telling(p) && padded.includes(` ${p} `))) }))
    .filter((f): f is { option: AskNode['options'][number]; phrase: string } => f.phrase !== undefined)
    .sort((a, b) => b.phrase.length - a.phrase.length);
  const [best, ...others] = found;
  // "xóa tạm trú" answers "Xóa đăng ký tạm trú", not "Đăng ký tạm trú": a match that lies inside
  // a longer one gives way; two separate matches ("thường trú hay tạm trú") mean: ask.
  if (best && others.every((o) => o.phrase.length < best.phrase.length && ` ${best.phrase} `.includes(` ${o.phrase} `))) return best.option;
  // Only an age, and only one option left that it allows: that one.
  if (!best && age !== undefined && allowed.length === 1) return allowed[0];
  return undefined;
}

/** "30 tuổi", "14 tuoi", "con 10 tuổi": the age in a folded text, if one is said. */
function ageIn(text: string): number | undefined {
  const m = /(?:^| )(\d{1,3}) (?:tuoi|years old|year old)(?: |$)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * Phrases that can answer a question from a whole message: several words ("cho con", "bị mất"),
 * or one word of four letters or more ("hỏng", "online"). A short single word ("tôi", "con",
 * "đổi") is a fine typed answer to "cho ai?" but says nothing in "nhà tôi ở xã …".
 */
function telling(phrase: string): boolean {
  return phrase.includes(' ') || phrase.length >= 4;
}

function longest(phrases: string[]): string | undefined {
  return phrases.sort((a, b) => b.length - a.length)[0];
}
