/**
 * One handler per node kind. A handler renders the node and returns the id of the node to enter
 * next without waiting for the citizen (say → next, goto), or undefined to wait for input.
 */
import type { StepContext } from '../context';
import type { CompiledFlow, FlowNode } from '../types';
import { enterAsk } from './ask';
import { enterAskPlace } from './ask-place';
import { enterHandoff } from './handoff';
import { enterOffice } from './office';
import { enterProcedure } from './procedure';
import { enterSay } from './say';

export function enterNodeKind(ctx: StepContext, flow: CompiledFlow, nodeId: string, node: FlowNode): string | undefined {
  switch (node.kind) {
    case 'ask':
      return enterAsk(ctx, flow, nodeId, node);
    case 'ask_place':
      return enterAskPlace(ctx, flow, node);
    case 'procedure':
      return enterProcedure(ctx, flow, nodeId, node);
    case 'office':
      return enterOffice(ctx, flow, nodeId, node);
    case 'say':
      return enterSay(ctx, flow, nodeId, node);
    case 'goto':
      return node.goto;
    case 'handoff':
      return enterHandoff(ctx, flow, nodeId, node);
    default:
      return assertNever(node);
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled node kind: ${JSON.stringify(value)}`);
}
