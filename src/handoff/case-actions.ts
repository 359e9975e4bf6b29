/**
 * What staff do with a case: claim (or take over), reply, close. Results are values: a refused
 * action says why (`claimed` names who holds the case), so the console can offer "take over".
 *
 * Replies and the closing notice go through `pipeline.enqueue`, i.e. the chat's outbox and the
 * citizen's own channel, so retries and ordering are the same as for bot replies.
 */
import type { Content } from '../engine/types';
import type { Pipeline } from '../pipeline/pipeline';
import { CASE_MESSAGES_MAX, type Case, type CaseMessage, type CaseStore } from '../store/cases';
import type { CaseEvents } from './case-events';

export type ActionResult = { ok: true; case: Case } | { ok: false; error: 'not_found' } | { ok: false; error: 'closed'; case: Case } | { ok: false; error: 'claimed'; by: string; case: Case };

export interface CaseActionsDeps {
  cases: CaseStore;
  pipeline: () => Pipeline;
  content: () => Content;
  events: CaseEvents;
  now: () => number;
}

export const STAFF_REPLY_MAX = 4000;

export interface CaseActions {
  /** Claims an open case; a case claimed by someone else needs `takeover`. */
  claim(id: string, user: string, opts?: { takeover?: boolean }): Promise<ActionResult>;
  /** Sends a staff answer to the citizen; replying to an open case claims it. */
  reply(id: string, user: string, text: string): Promise<ActionResult>;
  /** Closes the case, tells the citizen, and gives the chat back to the bot. */
  close(id: string, user: string, opts?: { takeover?: boolean }): Promise<ActionResult>;
}

export function createCaseActions(deps: CaseActionsDeps): CaseActions {
  let seq = 0;
  const lineId = (at: number) => `s-${at.toString(36)}-${(seq++).toString(36)}`;
  const add = (c: Case, line: CaseMessage): CaseMessage[] => [...c.messages, line].slice(-CASE_MESSAGES_MAX);

  /** Checks who may act and claims for `user` when allowed; the change is applied by `then`. */
  function guarded(id: string, user: string, takeover: boolean, then: (c: Case, at: number) => Case): Promise<ActionResult> {
    const at = deps.now();
    return deps.cases.update<ActionResult>(id, (c) => {
      if (!c) return { result: { ok: false, error: 'not_found' } };
      if (c.status === 'closed') return { result: { ok: false, error: 'closed', case: c } };
      if (c.status === 'claimed' && c.claimedBy !== user && !takeover) return { result: { ok: false, error: 'claimed', by: c.claimedBy ?? '?', case: c } };
      let next: Case = c;
      if (c.status === 'open' || c.claimedBy !== user) {
        const taken = c.status === 'claimed' ? { id: lineId(at), at, from: 'system' as const, text: `takeover:${c.claimedBy ?? ''}`, by: user } : undefined;
        next = { ...c, status: 'claimed', claimedBy: user, claimedAt: at, updatedAt: at, messages: taken ? add(c, taken) : c.messages };
      }
      next = then(next, at);
      return { case: next, result: { ok: true, case: next } };
    });
  }

  return {
    async claim(id, user, opts = {}) {
      const result = await guarded(id, user, opts.takeover === true, (c) => c);
      if (result.ok) deps.events.emit({ type: 'claimed', caseId: id, at: deps.now() });
      return result;
    },

    async reply(id, user, text) {
      const body = text.trim().slice(0, STAFF_REPLY_MAX);
      const result = await guarded(id, user, false, (c, at) => ({ ...c, messages: add(c, { id: lineId(at), at, from: 'staff', text: body, by: user }), waitingSince: undefined, updatedAt: at }));
      if (!result.ok) return result;
      await deps.pipeline().enqueue({ channel: result.case.channel, chatId: result.case.chatId }, [{ text: body }], 'staff');
      deps.events.emit({ type: 'message', caseId: id, at: deps.now() });
      return result;
    },

    async close(id, user, opts = {}) {
      const result = await guarded(id, user, opts.takeover === true, (c, at) => ({ ...c, status: 'closed', closedAt: at, closedBy: { kind: 'staff', user }, waitingSince: undefined, updatedAt: at }));
      if (!result.ok) return result;
      const c = result.case;
      const notice = deps.content().t(c.locale, 'handoff.closed');
      await deps.pipeline().enqueue({ channel: c.channel, chatId: c.chatId }, [{ text: notice }], 'system', (record) => {
        // Only this case's hold on the chat is released; a newer case stays.
        if (record.caseId === id) record.caseId = undefined;
        if (record.session?.handoff && (record.session.handoff.caseId === id || record.session.handoff.caseId === undefined)) record.session = { ...record.session, handoff: undefined };
      });
      deps.events.emit({ type: 'closed', caseId: id, at: deps.now() });
      return result;
    },
  };
}
