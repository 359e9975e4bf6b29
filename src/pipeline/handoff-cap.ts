/**
 * Handoffs per address per day (reliability review D2): a flooder must not bury staff under
 * fake cases. This wraps the engine handler *inside* the handoff wrapper, so it sees the
 * engine's `handoff_requested` before a case is opened; over the cap, the request is turned into
 * a polite "call or visit the office" answer and no case opens. The address comes from the web
 * route as a keyed hash in the inbox entry's meta (`from`), never the address itself.
 *
 * The counts live in the Store port's counters (`handoff:<from>:<UTC day>`), which keep windows
 * this long across a restart on both adapters (embedded: lowdb/file-counters.ts) and share them
 * between instances on PostgreSQL, so a flooder gains nothing by waiting for a deploy or by
 * being balanced across instances. A handler replayed after a crash counts its entry twice;
 * that is bounded (one extra count per crash) and errs against the flooder.
 */
import type { Content, Reply } from '../engine/types';
import type { CounterStore } from '../store/store';
import type { MessageHandler } from './worker';

export const DEFAULT_HANDOFFS_PER_DAY = 3;
const DAY_MS = 86_400_000;

export function capHandoffs(inner: MessageHandler, content: () => Content, counters: CounterStore, perDay = DEFAULT_HANDOFFS_PER_DAY): MessageHandler {
  return async (record, entry, now) => {
    const result = await inner(record, entry, now);
    const from = typeof entry.meta?.from === 'string' ? entry.meta.from : undefined;
    if (!from || !result.events.some((e) => e.type === 'handoff_requested')) return result;
    // The day is part of the key, so the window follows the UTC day whenever the first request came.
    const { count } = await counters.hit(`handoff:${from}:${Math.floor(now / DAY_MS)}`, DAY_MS);
    if (count <= perDay) return result;
    const t = content().t;
    const locale = result.session?.locale ?? record.session?.locale ?? 'vi';
    const opened = t(locale, 'handoff.opened');
    const replies: Reply[] = [...result.replies.filter((r) => r.text !== opened), { text: t(locale, 'handoff.capped') }];
    return {
      session: result.session ? { ...result.session, handoff: undefined } : result.session,
      replies,
      events: result.events.filter((e) => e.type !== 'handoff_requested'),
    };
  };
}
