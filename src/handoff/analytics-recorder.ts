/**
 * Feeds the analytics log from the pipeline's `onEvents` hook: one `message` record per processed
 * citizen message plus the engine events editors need (unmatched questions, flow progress,
 * handoffs). Chat ids become `chatRef` hashes and unmatched texts are masked before they are
 * written, so the log holds no phone or ID numbers.
 */
import type { EngineEvent } from '../engine/types';
import { chatRef, maskPersonalNumbers } from '../server/logger';
import type { AnalyticsRecord, AnalyticsStore } from '../store/analytics';
import type { ChatKey } from '../store/store';
import { localDay } from './local-time';

/** Longer unmatched texts are cut: editors need the gist, not a letter. */
export const QUERY_MAX = 300;

export function createAnalyticsRecorder(deps: { analytics: AnalyticsStore; timezone: string; now: () => number }) {
  return async (key: ChatKey, events: readonly EngineEvent[]): Promise<void> => {
    const at = deps.now();
    const base = { at, day: localDay(at, deps.timezone), channel: key.channel, chat: chatRef(key.channel, key.chatId) };
    const records: AnalyticsRecord[] = [{ ...base, type: 'message' }];
    for (const e of events) {
      switch (e.type) {
        case 'unmatched':
          records.push({ ...base, type: 'unmatched', query: maskPersonalNumbers(e.query).slice(0, QUERY_MAX), ...(e.flow ? { flow: e.flow } : {}), ...(e.node ? { node: e.node } : {}) });
          break;
        case 'flow_started':
          records.push({ ...base, type: 'flow_started', flow: e.flow });
          break;
        case 'node_entered':
          records.push({ ...base, type: 'node_entered', flow: e.flow, node: e.node });
          break;
        case 'flow_completed':
          records.push({ ...base, type: 'flow_completed', flow: e.flow, node: e.node });
          break;
        case 'handoff_requested':
          records.push({ ...base, type: 'handoff_requested', reason: e.reason, ...(e.flow ? { flow: e.flow } : {}), ...(e.node ? { node: e.node } : {}) });
          break;
        case 'handoff_ended':
          records.push({ ...base, type: 'handoff_ended' });
          break;
        default:
          break; // matched, place_resolved, stale_choice: not on the insights page
      }
    }
    await deps.analytics.append(records);
  };
}
