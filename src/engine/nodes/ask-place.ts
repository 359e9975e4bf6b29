import { ask, say, t, text, type StepContext } from '../context';
import type { AskPlaceNode, CompiledFlow } from '../types';

/**
 * Asks for the commune or ward. A place given for this very flow (named with the request, "tôi ở
 * phường Hạc Thành, muốn đăng ký thường trú") is used without asking; "back" still reaches this
 * question, which then offers that place as its first option, like a place from earlier talk.
 */
export function enterAskPlace(ctx: StepContext, flow: CompiledFlow, node: AskPlaceNode): string | undefined {
  const question = node.ask_place === true ? t(ctx, 'place.ask') : text(ctx, node.ask_place);
  const known = ctx.session.place;
  const pos = ctx.session.flow;
  if (known && pos && known.flow === flow.id) {
    ctx.session.place = { code: known.code, name: known.name };
    pos.answers[pos.node] = known.name;
    pos.stack.push(pos.node);
    say(ctx, t(ctx, 'place.using', { name: known.name }));
    return node.next;
  }
  ask(
    ctx,
    known ? `${question}\n${t(ctx, 'place.ask_known', { name: known.name })}` : question,
    'place',
    known ? [{ label: t(ctx, 'place.same', { name: known.name }), action: { do: 'place', code: known.code } }] : [],
  );
  return undefined;
}
