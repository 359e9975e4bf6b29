import { procedureFor, sayOf, sayOwnFactsHint } from '../citizen-province';
import { say, t, text, type StepContext } from '../context';
import { renderCard } from '../record-card';
import type { CompiledFlow, ProcedureNode } from '../types';
import { finishFlow } from './finish';

export function enterProcedure(ctx: StepContext, flow: CompiledFlow, nodeId: string, node: ProcedureNode): string | undefined {
  const proc = procedureFor(ctx, node.procedure);
  // Lint refuses content with a missing procedure; this guards a programmer error only.
  if (!proc) say(ctx, t(ctx, 'procedure.missing'));
  // A procedure naming a catalogue record gets the record's card with the file's overrides.
  const record = proc?.code ? ctx.content.catalogue.record(proc.code) : undefined;
  const more = proc ? renderCard(ctx, { proc, ...(record ? { record } : {}) }, node.office, sayOf(ctx, node) ? text(ctx, sayOf(ctx, node)!) : undefined) : [];
  if (proc) sayOwnFactsHint(ctx, node.procedure);
  if (node.links?.length) say(ctx, t(ctx, 'links.more'), node.links.map((l) => ({ url: l.url, label: text(ctx, l.label) })));
  if (node.next) return node.next;
  finishFlow(ctx, flow, nodeId, node.procedure, more);
  return undefined;
}
