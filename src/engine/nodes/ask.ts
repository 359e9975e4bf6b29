import { ask, text, type StepContext } from '../context';
import type { AskNode, CompiledFlow } from '../types';

export function enterAsk(ctx: StepContext, _flow: CompiledFlow, node: AskNode): undefined {
  ask(
    ctx,
    text(ctx, node.ask),
    'ask',
    node.options.map((o) => ({ label: text(ctx, o.label), action: { do: 'node', next: o.next } })),
    node.links?.map((l) => ({ url: l.url, label: text(ctx, l.label) })),
  );
  return undefined;
}
