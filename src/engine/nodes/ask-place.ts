import { ask, t, text, type StepContext } from '../context';
import type { AskPlaceNode, CompiledFlow } from '../types';

/** Asks for the commune or ward; a place the citizen already gave is offered as the first option. */
export function enterAskPlace(ctx: StepContext, _flow: CompiledFlow, node: AskPlaceNode): undefined {
  const question = node.ask_place === true ? t(ctx, 'place.ask') : text(ctx, node.ask_place);
  const known = ctx.session.place;
  ask(
    ctx,
    known ? `${question}\n${t(ctx, 'place.ask_known', { name: known.name })}` : question,
    'place',
    known ? [{ label: t(ctx, 'place.same', { name: known.name }), action: { do: 'place', code: known.code } }] : [],
  );
  return undefined;
}
