import { emit, say, t, text, type StepContext } from '../context';
import type { CompiledFlow, HandoffNode, HandoffReason } from '../types';

export function enterHandoff(ctx: StepContext, _flow: CompiledFlow, _nodeId: string, node: HandoffNode): undefined {
  if (node.handoff !== true) say(ctx, text(ctx, node.handoff));
  requestHandoff(ctx, 'flow');
  return undefined;
}

/**
 * Hands the chat to a person. The engine only marks the session; the pipeline opens the case
 * when it sees `handoff_requested` and routes the citizen's next messages to staff.
 */
export function requestHandoff(ctx: StepContext, reason: HandoffReason): void {
  const s = ctx.session;
  const pos = s.flow;
  if (reason === 'flow' && pos) {
    emit(ctx, { type: 'flow_completed', flow: pos.id, node: pos.node });
    pos.done = true;
  }
  s.handoff = { since: ctx.now };
  s.pending = undefined;
  s.misses = 0;
  say(ctx, t(ctx, 'handoff.opened'));
  emit(ctx, pos ? { type: 'handoff_requested', reason, flow: pos.id, node: pos.node } : { type: 'handoff_requested', reason });
}
