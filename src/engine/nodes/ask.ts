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
  const padded = ` ${pos.hint} `;
  // Per option, its longest phrase found in the message.
  const found = node.options
    .map((option) => ({ option, phrase: longest((option.match ?? []).map(fold).filter((p) => telling(p) && padded.includes(` ${p} `))) }))
    .filter((f): f is { option: AskNode['options'][number]; phrase: string } => f.phrase !== undefined)
    .sort((a, b) => b.phrase.length - a.phrase.length);
  const [best, ...others] = found;
  // "xóa tạm trú" answers "Xóa đăng ký tạm trú", not "Đăng ký tạm trú": a match that lies inside
  // a longer one gives way; two separate matches ("thường trú hay tạm trú") mean: ask.
  return best && others.every((o) => o.phrase.length < best.phrase.length && ` ${best.phrase} `.includes(` ${o.phrase} `)) ? best.option : undefined;
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
