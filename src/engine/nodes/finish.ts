import { ask, emit, t, type OptionSpec, type StepContext } from '../context';
import type { CompiledFlow } from '../types';

/** The flow reached an answer: say what comes next and keep the position for "back". */
/** `more`: options to the rest of the card just shown ("Xem trình tự"…), after the usual ones so their numbers stay. */
export function finishFlow(ctx: StepContext, flow: CompiledFlow, nodeId: string, procedure?: string, more: OptionSpec[] = []): void {
  emit(ctx, procedure ? { type: 'flow_completed', flow: flow.id, node: nodeId, procedure } : { type: 'flow_completed', flow: flow.id, node: nodeId });
  if (ctx.session.flow) ctx.session.flow.done = true;
  ask(ctx, t(ctx, 'after.prompt'), 'after', [
    { label: t(ctx, 'after.back'), action: { do: 'cmd', cmd: 'back' } },
    { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
    { label: t(ctx, 'after.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
    ...more,
  ]);
}
