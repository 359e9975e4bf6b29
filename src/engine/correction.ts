/**
 * Corrections in the middle of a flow: "ý tôi là cấp lại chứ không phải cấp đổi", "à không, xóa
 * tạm trú". The question the correction answers (the current one or one answered before) is
 * answered again from the corrected words and the flow goes on from there. A correction that
 * names another flow ("không phải khai sinh, là khai tử") is left to the search, which starts it.
 */
import { say, t, text, type StepContext } from './context';
import { withoutNegated } from './confidence';
import { enterNode } from './flow-walk';
import { optionFromText } from './nodes/ask';

/** Returns true when an answer of the running flow was changed. */
export function correctFlow(ctx: StepContext, raw: string): boolean {
  const pos = ctx.session.flow;
  const flow = pos && ctx.content.flows.get(pos.id);
  if (!pos || !flow) return false;
  const corrected = withoutNegated(raw);
  // The latest question first: a correction is usually about what was just asked or assumed.
  const asked = [pos.node, ...[...pos.stack].reverse()];
  for (const nodeId of asked) {
    const node = flow.nodes[nodeId];
    if (node?.kind !== 'ask') continue;
    const option = optionFromText(node, corrected);
    if (!option) continue;
    const label = text(ctx, option.label);
    if (nodeId !== pos.node && pos.answers[nodeId] === label) return false;
    // Forget everything answered from that question on, then answer it again.
    const at = pos.stack.indexOf(nodeId);
    for (const later of at >= 0 ? pos.stack.splice(at) : []) delete pos.answers[later];
    delete pos.hint;
    pos.node = nodeId;
    pos.answers[nodeId] = label;
    pos.stack.push(nodeId);
    ctx.session.misses = 0;
    say(ctx, t(ctx, 'flow.corrected', { question: text(ctx, node.ask), answer: label }));
    enterNode(ctx, flow, option.next, nodeId);
    return true;
  }
  return false;
}
