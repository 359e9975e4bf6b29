/**
 * What staff do with a case: claim (or take over), reply, add a private note, transfer to
 * another office, close. Results are values: a refused action says why (`claimed` names who
 * holds the case, `scope` means the case is not in the account's offices), so the console can
 * offer "take over" or explain.
 *
 * Replies, the closing notice and the rating question go through `pipeline.enqueue`, i.e. the
 * chat's outbox and the citizen's own channel, so retries and ordering are the same as for bot
 * replies. Every action that changed a case is written to the audit log.
 */
import type { Content } from '../engine/types';
import type { Pipeline } from '../pipeline/pipeline';
import type { AuditAction, AuditEntry } from '../store/audit';
import { CASE_MESSAGES_MAX, queueOf, type Case, type CaseMessage, type CaseStore } from '../store/cases';
import { canReassign, canSee, type StaffAccount } from '../staff/access';
import type { CaseEvents } from './case-events';
import { localDay } from './local-time';
import { ratingQuestion } from './rating';

export type ActionResult =
  | { ok: true; case: Case }
  | { ok: false; error: 'not_found' }
  | { ok: false; error: 'closed'; case: Case }
  | { ok: false; error: 'scope'; case: Case }
  | { ok: false; error: 'claimed'; by: string; case: Case };

export interface CaseActionsDeps {
  cases: CaseStore;
  pipeline: () => Pipeline;
  content: () => Content;
  events: CaseEvents;
  now: () => number;
  /** Appends to the audit log; a failed audit write fails the request rather than going unrecorded. */
  audit: (entry: AuditEntry) => Promise<void>;
  timezone: string;
}

export const STAFF_REPLY_MAX = 4000;
export const STAFF_NOTE_MAX = 2000;

export interface CaseActions {
  /** Claims an open case; a case claimed by someone else needs `takeover`. */
  claim(id: string, actor: StaffAccount, opts?: { takeover?: boolean }): Promise<ActionResult>;
  /** Sends a staff answer to the citizen; replying to an open case claims it. */
  reply(id: string, actor: StaffAccount, text: string): Promise<ActionResult>;
  /** A private note: staff see it on the case, the citizen never does. */
  note(id: string, actor: StaffAccount, text: string): Promise<ActionResult>;
  /** Moves the case to another office's queue (open again, unclaimed). */
  transfer(id: string, actor: StaffAccount, queue: string): Promise<ActionResult>;
  /** Supervisors: gives the case to a named colleague who may see it (claimed for them). */
  assign(id: string, actor: StaffAccount, to: StaffAccount): Promise<ActionResult>;
  /** Closes the case, tells the citizen, asks for a rating, and gives the chat back to the bot. */
  close(id: string, actor: StaffAccount, opts?: { takeover?: boolean }): Promise<ActionResult>;
}

export function createCaseActions(deps: CaseActionsDeps): CaseActions {
  let seq = 0;
  const lineId = (at: number) => `s-${at.toString(36)}-${(seq++).toString(36)}`;
  const add = (c: Case, line: CaseMessage): CaseMessage[] => [...c.messages, line].slice(-CASE_MESSAGES_MAX);
  const audit = (action: AuditAction, actor: StaffAccount, caseId: string, detail?: string) => {
    const at = deps.now();
    return deps.audit({ at, day: localDay(at, deps.timezone), by: actor.user, action, caseId, ...(detail ? { detail } : {}) });
  };

  /**
   * Checks who may act and claims for `actor` when allowed; the change is applied by `then`.
   * `claimIt: false` acts without claiming (notes, transfers).
   */
  function guarded(id: string, actor: StaffAccount, opts: { takeover: boolean; claimIt: boolean }, then: (c: Case, at: number) => Case): Promise<ActionResult & { tookOver?: string }> {
    const at = deps.now();
    return deps.cases.update<ActionResult & { tookOver?: string }>(id, (c) => {
      if (!c) return { result: { ok: false, error: 'not_found' } };
      if (!canSee(actor, queueOf(c))) return { result: { ok: false, error: 'scope', case: c } };
      if (c.status === 'closed') return { result: { ok: false, error: 'closed', case: c } };
      if (opts.claimIt && c.status === 'claimed' && c.claimedBy !== actor.user && !opts.takeover) return { result: { ok: false, error: 'claimed', by: c.claimedBy ?? '?', case: c } };
      let next: Case = c;
      let tookOver: string | undefined;
      if (opts.claimIt && (c.status === 'open' || c.claimedBy !== actor.user)) {
        tookOver = c.status === 'claimed' ? (c.claimedBy ?? '') : undefined;
        const taken = tookOver !== undefined ? { id: lineId(at), at, from: 'system' as const, text: `takeover:${tookOver}`, by: actor.user } : undefined;
        next = { ...c, status: 'claimed', claimedBy: actor.user, claimedAt: at, updatedAt: at, messages: taken ? add(c, taken) : c.messages };
      }
      next = then(next, at);
      return { case: next, result: { ok: true, case: next, ...(tookOver !== undefined ? { tookOver } : {}) } };
    });
  }
  const emit = (type: 'claimed' | 'message' | 'closed' | 'transferred' | 'note', c: Case, from?: string) => deps.events.emit({ type, caseId: c.id, at: deps.now(), queue: queueOf(c), ...(from ? { from } : {}) });

  return {
    async claim(id, actor, opts = {}) {
      const result = await guarded(id, actor, { takeover: opts.takeover === true, claimIt: true }, (c) => c);
      if (!result.ok) return result;
      await audit(result.tookOver !== undefined ? 'takeover' : 'claim', actor, id, result.tookOver);
      emit('claimed', result.case);
      return result;
    },

    async reply(id, actor, text) {
      const body = text.trim().slice(0, STAFF_REPLY_MAX);
      const result = await guarded(id, actor, { takeover: false, claimIt: true }, (c, at) => ({ ...c, messages: add(c, { id: lineId(at), at, from: 'staff', text: body, by: actor.user }), waitingSince: undefined, firstReplyAt: c.firstReplyAt ?? at, updatedAt: at }));
      if (!result.ok) return result;
      await deps.pipeline().enqueue({ channel: result.case.channel, chatId: result.case.chatId }, [{ text: body }], 'staff');
      await audit('reply', actor, id);
      emit('message', result.case);
      return result;
    },

    async note(id, actor, text) {
      const body = text.trim().slice(0, STAFF_NOTE_MAX);
      const result = await guarded(id, actor, { takeover: false, claimIt: false }, (c, at) => ({ ...c, notes: [...(c.notes ?? []), { id: lineId(at), at, by: actor.user, text: body }], updatedAt: at }));
      if (!result.ok) return result;
      await audit('note', actor, id);
      emit('note', result.case);
      return result;
    },

    async transfer(id, actor, queue) {
      let previous: string | undefined;
      const result = await guarded(id, actor, { takeover: false, claimIt: false }, (c, at) => {
        // An officer may hand a case on only while it is theirs or unclaimed; supervisors reassign any.
        if (!canReassign(actor) && c.status === 'claimed' && c.claimedBy !== actor.user) return c;
        previous = queueOf(c);
        const { claimedBy: _b, claimedAt: _a, ...rest } = c;
        return { ...rest, status: 'open', queue, messages: add(c, { id: lineId(at), at, from: 'system', text: `transfer:${queueOf(c)}>${queue}`, by: actor.user }), updatedAt: at };
      });
      if (!result.ok) return result;
      if (queueOf(result.case) !== queue) return { ok: false, error: 'claimed', by: result.case.claimedBy ?? '?', case: result.case };
      await audit('transfer', actor, id, queue);
      emit('transferred', result.case, previous);
      return result;
    },

    async assign(id, actor, to) {
      if (!canReassign(actor)) {
        const c = await deps.cases.get(id);
        return c ? { ok: false, error: 'scope', case: c } : { ok: false, error: 'not_found' };
      }
      const result = await guarded(id, actor, { takeover: false, claimIt: false }, (c, at) => {
        if (!canSee(to, queueOf(c))) return c;
        return { ...c, status: 'claimed', claimedBy: to.user, claimedAt: at, updatedAt: at, messages: add(c, { id: lineId(at), at, from: 'system', text: `assign:${to.user}`, by: actor.user }) };
      });
      if (!result.ok) return result;
      if (result.case.claimedBy !== to.user) return { ok: false, error: 'scope', case: result.case };
      await audit('assign', actor, id, to.user);
      emit('claimed', result.case);
      return result;
    },

    async close(id, actor, opts = {}) {
      const result = await guarded(id, actor, { takeover: opts.takeover === true, claimIt: true }, (c, at) => ({ ...c, status: 'closed', closedAt: at, closedBy: { kind: 'staff', user: actor.user }, waitingSince: undefined, ratingAskedAt: at, updatedAt: at }));
      if (!result.ok) return result;
      const c = result.case;
      const t = deps.content().t;
      await deps.pipeline().enqueue({ channel: c.channel, chatId: c.chatId }, [{ text: t(c.locale, 'handoff.closed') }, ratingQuestion(t, c.locale)], 'system', (record) => {
        // The chat keeps pointing at the closed case so the citizen's rating lands on it (see
        // handoff-handler); only this case's hold on the chat is released.
        if (record.session?.handoff && (record.session.handoff.caseId === id || record.session.handoff.caseId === undefined)) record.session = { ...record.session, handoff: undefined };
      });
      await audit('close', actor, id);
      emit('closed', c);
      return result;
    },
  };
}
