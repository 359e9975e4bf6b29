import { sayOf } from '../citizen-province';
import { say, text, type StepContext } from '../context';
import { whereLines } from '../procedure-card';
import type { CompiledFlow, OfficeNode } from '../types';
import { finishFlow } from './finish';

export function enterOffice(ctx: StepContext, flow: CompiledFlow, nodeId: string, node: OfficeNode): string | undefined {
  const lines = whereLines(ctx, undefined, node.office);
  const words = sayOf(ctx, node);
  if (words) lines.unshift(text(ctx, words), '');
  say(ctx, lines.join('\n'), node.links?.map((l) => ({ url: l.url, label: text(ctx, l.label) })));
  if (node.next) return node.next;
  finishFlow(ctx, flow, nodeId);
  return undefined;
}
