/**
 * Handoffs per address per day (reliability review D2): a flooder must not bury staff under
 * fake cases. This wraps the engine handler *inside* the handoff wrapper, so it sees the
 * engine's `handoff_requested` before a case is opened; over the cap, the request is turned into
 * a polite "call or visit the office" answer and no case opens. The address comes from the web
 * route as a keyed hash in the inbox entry's meta (`from`), never the address itself. Counts are
 * in memory per local day (UTC) and start again after a restart, which only errs on the
 * citizen's side.
 */
import type { Content, Reply } from '../engine/types';
import type { MessageHandler } from './worker';

export const DEFAULT_HANDOFFS_PER_DAY = 3;
const DAY_MS = 86_400_000;

export function capHandoffs(inner: MessageHandler, content: () => Content, perDay = DEFAULT_HANDOFFS_PER_DAY): MessageHandler {
  const counts = new Map<string, { day: number; count: number }>();
  return async (record, entry, now) => {
    const result = await inner(record, entry, now);
    const from = typeof entry.meta?.from === 'string' ? entry.meta.from : undefined;
    if (!from || !result.events.some((e) => e.type === 'handoff_requested')) return result;
    const day = Math.floor(now / DAY_MS);
    const seen = counts.get(from);
    const current = seen && seen.day === day ? seen : { day, count: 0 };
    if (current.count < perDay) {
      current.count += 1;
      counts.set(from, current);
      if (counts.size > 100_000) for (const [k, v] of counts) if (v.day !== day) counts.delete(k);
      return result;
    }
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
