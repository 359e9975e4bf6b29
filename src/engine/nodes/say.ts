import { sayOf } from '../citizen-province';
import { say, text, type StepContext } from '../context';
import type { CompiledFlow, SayNode } from '../types';
import { finishFlow } from './finish';

export function enterSay(ctx: StepContext, flow: CompiledFlow, nodeId: string, node: SayNode): string | undefined {
  say(ctx, text(ctx, sayOf(ctx, node) ?? node.say), node.links?.map((l) => ({ url: l.url, label: text(ctx, l.label) })));
  if (node.next) return node.next;
  finishFlow(ctx, flow, nodeId);
  return undefined;
}
