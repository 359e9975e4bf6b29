/**
 * What each option of the current question answers to: its label, plus the `match` phrases an
 * editor gave an ask option in the flow.
 */
import type { StepContext } from './context';
import { fold } from './normalize';
import type { Pending, PendingOption } from './types';

/** Per pending option, in order: the label and the option's `match` phrases. */
export function optionPhrases(ctx: StepContext, pending: Pending): string[][] {
  const pos = ctx.session.flow;
  const node = pending.kind === 'ask' && pos ? ctx.content.flows.get(pos.id)?.nodes[pos.node] : undefined;
  return pending.options.map((o, i) => [o.label, ...(node?.kind === 'ask' ? node.options[i]?.match ?? [] : [])]);
}

/**
 * The one option of the current question whose label or phrase is exactly the typed text
 * (folded). Such an answer wins over a global command with the same words: a lost-card option
 * that answers to "làm lại" must not restart the flow.
 */
export function exactOption(ctx: StepContext, raw: string): PendingOption | undefined {
  const pending = ctx.session.pending;
  if (!pending) return undefined;
  const typed = fold(raw);
  if (!typed) return undefined;
  const hits = optionPhrases(ctx, pending)
    .map((phrases, i) => (phrases.some((p) => fold(p) === typed) ? pending.options[i] : undefined))
    .filter((o) => o !== undefined);
  return hits.length === 1 ? hits[0] : undefined;
}
