/**
 * Moving through a flow: start it, enter a node (following say/goto chains), go back, and
 * repeat the current question after something that did not answer it.
 */
import { emit, say, t, type StepContext } from './context';
import { enterNodeKind } from './nodes/index';
import { withoutNegated } from './confidence';
import type { CompiledFlow } from './types';

/** A flow longer than this is a content bug; lint also refuses cycles without an answer. */
const MAX_HOPS = 50;
/** Nodes remembered for "back". Flows are a handful of questions deep; this bounds the session. */
export const MAX_STACK = 30;

/** Longest hint kept in the session. */
const MAX_HINT = 160;

/** Starts a flow; `hint` (default: the message of this step) may answer its questions. */
export function startFlow(ctx: StepContext, flowId: string, hint: string | undefined = ctx.query): void {
  const flow = ctx.content.flows.get(flowId);
  if (!flow) {
    say(ctx, t(ctx, 'error.flow_missing'));
    return;
  }
  // The hint keeps only what the citizen means: "thường trú chứ không phải tạm trú" → "thường trú".
  const folded = hint ? withoutNegated(hint).slice(0, MAX_HINT) : '';
  ctx.session.flow = { id: flow.id, node: flow.start, stack: [], answers: {}, ...(folded ? { hint: folded } : {}) };
  ctx.session.misses = 0;
  emit(ctx, { type: 'flow_started', flow: flow.id });
  enterNode(ctx, flow, flow.start);
}

/** Enter `first` and follow the nodes that need no answer. `from` is the node whose edge led to `first`. */
export function enterNode(ctx: StepContext, flow: CompiledFlow, first: string, from?: string): void {
  let nodeId: string | undefined = first;
  let previous = from;
  for (let hops = 0; nodeId !== undefined; hops++) {
    const node = flow.nodes[nodeId];
    if (!node || hops >= MAX_HOPS) {
      say(ctx, t(ctx, 'error.flow_broken'));
      ctx.session.flow = undefined;
      return;
    }
    const pos = ctx.session.flow;
    if (pos) {
      pos.node = nodeId;
      pos.done = false;
    }
    emit(ctx, previous === undefined ? { type: 'node_entered', flow: flow.id, node: nodeId } : { type: 'node_entered', flow: flow.id, node: nodeId, from: previous });
    previous = nodeId;
    nodeId = enterNodeKind(ctx, flow, nodeId, node);
  }
}

/** Follow an answer from the current node to `next`, remembering where we were. */
export function advance(ctx: StepContext, next: string, answerLabel?: string): void {
  const pos = ctx.session.flow;
  const flow = pos && ctx.content.flows.get(pos.id);
  if (!pos || !flow) return;
  const from = pos.node;
  if (answerLabel !== undefined) pos.answers[from] = answerLabel;
  pos.stack.push(from);
  if (pos.stack.length > MAX_STACK) pos.stack.splice(0, pos.stack.length - MAX_STACK);
  ctx.session.misses = 0;
  enterNode(ctx, flow, next, from);
}

/** Back to the previous question; returns false when there is nothing to go back to. */
export function goBack(ctx: StepContext): boolean {
  const pos = ctx.session.flow;
  const flow = pos && ctx.content.flows.get(pos.id);
  if (!pos || !flow) return false;
  const previous = pos.stack.pop();
  if (previous === undefined) return false;
  delete pos.answers[previous];
  // The citizen is correcting an answer, possibly one taken from their message: ask from now on.
  delete pos.hint;
  enterNode(ctx, flow, previous);
  return true;
}

/** True when the citizen is in the middle of a flow whose current node still exists. */
export function canRepeat(ctx: StepContext): boolean {
  const pos = ctx.session.flow;
  const flow = pos && ctx.content.flows.get(pos.id);
  return !!pos && !!flow && !pos.done && !!flow.nodes[pos.node];
}

/** Show the current question again (after a miss, a stale button or "continue"). */
export function repeatCurrent(ctx: StepContext): boolean {
  if (!canRepeat(ctx)) return false;
  const pos = ctx.session.flow!;
  enterNode(ctx, ctx.content.flows.get(pos.id)!, pos.node);
  return true;
}

/** "Bước 2/4 của thủ tục …" for the current position, or undefined outside a flow. */
export function progressText(ctx: StepContext): string | undefined {
  const pos = ctx.session.flow;
  const flow = pos && ctx.content.flows.get(pos.id);
  if (!pos || !flow || pos.done) return undefined;
  const p = flow.progress[pos.node];
  if (!p) return undefined;
  const title = ctx.session.locale === 'en' && flow.title.en ? flow.title.en : flow.title.vi;
  return t(ctx, 'resume.where', { step: p.step, total: p.total, title });
}
