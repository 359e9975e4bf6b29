/**
 * Analytics for editors: an append-only log of what happened in conversations, one file per
 * local day. Records carry a chat reference (a hash, never the chat id) and texts that were
 * masked before they got here; the insights page is computed from them.
 */
import { z } from 'zod';
import { CHANNEL_NAMES, type ChannelName } from './store';

export const AnalyticsRecord = z.object({
  at: z.number(),
  /** Local day (TIMEZONE) the record belongs to, YYYY-MM-DD. */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  channel: z.enum(CHANNEL_NAMES as [ChannelName, ...ChannelName[]]),
  /** `chatRef()` of the chat: follows one conversation without identifying the citizen. */
  chat: z.string(),
  type: z.enum(['message', 'unmatched', 'flow_started', 'node_entered', 'flow_completed', 'handoff_requested', 'handoff_ended']),
  flow: z.string().optional(),
  node: z.string().optional(),
  /** Unmatched text, personal numbers masked. */
  query: z.string().optional(),
  reason: z.enum(['asked', 'flow', 'misses']).optional(),
});
export type AnalyticsRecord = z.infer<typeof AnalyticsRecord>;

export interface AnalyticsStore {
  append(records: readonly AnalyticsRecord[]): Promise<void>;
  /** Records of the given days in the order they were appended; unreadable lines are skipped. */
  read(days: readonly string[]): Promise<AnalyticsRecord[]>;
  /** Days that have records, oldest first. */
  days(): Promise<string[]>;
  removeDay(day: string): Promise<void>;
}
