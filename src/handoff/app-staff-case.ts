/**
 * Staff answering a citizen from the platform's own app instead of the console: a Zalo OA admin
 * typing in the OA chat tool (oa.zalo.me), which Zalo echoes as `oa_send_*` with
 * `sender.admin_id` (zalo-oa/to-inbound.ts marks it `meta.staffEcho`; docs/refs/zalo-2026.md
 * §4.3 #5). The line opens a case marked `oa_app`, claimed by OA_APP_STAFF, or joins the chat's
 * open case, so the console shows who is talking to the citizen and the handoff handler sends
 * the citizen's messages to the case instead of the bot.
 *
 * Zalo says nothing when the admin is done, so a case only the OA app has answered lets go
 * APP_STAFF_QUIET_MS after the app's last line: the citizen's next message closes it and goes to
 * the bot. A console colleague who takes the case over ("Nhận thay") keeps it as any case.
 * Called inside the chat's lock; idempotent per inbox entry like the rest of the handoff.
 */
import type { Locale } from '../engine/types';
import { describeInput, type HandlerResult } from '../pipeline/worker';
import { addOnce, OA_APP_STAFF, queueOf, routeQueue, type Case, type CaseMessage, type CaseStore } from '../store/cases';
import type { ChatRecord, InboxEntry } from '../store/store';
import type { CaseEvents } from './case-events';

/** How long a case answered only from the Zalo OA app holds the chat after the app's last line. */
export const APP_STAFF_QUIET_MS = 2 * 3600_000;

export interface AppStaffDeps {
  cases: CaseStore;
  events: CaseEvents;
  defaultLocale: Locale;
}

/**
 * A staff line written in the platform's own app (Zalo OA chat tool): joins the chat's open case
 * (claiming it when nobody had) or opens an `oa_app` case claimed by OA_APP_STAFF. The bot says
 * nothing; the worker keeps the line in the chat's transcript as staff.
 */
/** `newCaseId` is derived from the inbox entry (caseIdFor), so a replayed entry finds the case it opened. */
export async function appStaffLine(deps: AppStaffDeps, record: ChatRecord, entry: InboxEntry, open: Case | undefined, newCaseId: string, now: number): Promise<HandlerResult> {
  const line: CaseMessage = { id: entry.id, at: entry.receivedAt, from: 'staff', text: describeInput(entry, record), by: OA_APP_STAFF };
  const quiet = { session: record.session, replies: [], events: [] };
  if (open) {
    const joined = await deps.cases.update(open.id, (c) => {
      if (!c || c.status === 'closed') return { result: false };
      const claim = c.status === 'open' ? { status: 'claimed' as const, claimedBy: OA_APP_STAFF, claimedAt: now } : {};
      return { case: { ...c, ...claim, messages: addOnce(c.messages, line), waitingSince: undefined, firstReplyAt: c.firstReplyAt ?? entry.receivedAt, updatedAt: now }, result: true };
    });
    if (joined) {
      deps.events.emit({ type: 'message', caseId: open.id, at: now, queue: queueOf(open) });
      return quiet;
    }
  }
  const session = record.session;
  const c: Case = {
    version: 1,
    id: newCaseId,
    channel: record.channel,
    chatId: record.chatId,
    status: 'claimed',
    reason: 'oa_app',
    locale: session?.locale ?? deps.defaultLocale,
    ...(session?.place ? { place: { code: session.place.code, name: session.place.name } } : {}),
    answers: [],
    transcript: record.transcript.map((l, i) => ({ id: `t${i}`, at: l.at, from: l.from, text: l.text })),
    messages: [line],
    notes: [],
    queue: routeQueue(session?.place?.code, undefined),
    openedAt: now,
    updatedAt: now,
    claimedBy: OA_APP_STAFF,
    claimedAt: now,
    firstReplyAt: entry.receivedAt,
  };
  const { case: stored, created } = await deps.cases.create(c);
  record.caseId = stored.id;
  if (session) record.session = { ...session, handoff: { caseId: stored.id, since: now } };
  if (created) deps.events.emit({ type: 'opened', caseId: stored.id, at: now, queue: queueOf(stored) });
  return { ...quiet, session: record.session };
}

/** A case held only by the OA app whose last app line is older than APP_STAFF_QUIET_MS. */
export function quietAppCase(c: Case, now: number): boolean {
  if (c.status !== 'claimed' || c.claimedBy !== OA_APP_STAFF) return false;
  const last = Math.max(c.claimedAt ?? c.openedAt, ...c.messages.filter((m) => m.by === OA_APP_STAFF).map((m) => m.at));
  return now - last >= APP_STAFF_QUIET_MS;
}

/** Closes it unless a console colleague took it meanwhile (then false: the case keeps the chat). */
export async function releaseQuietAppCase(deps: AppStaffDeps, record: ChatRecord, c: Case, now: number): Promise<boolean> {
  const released = await deps.cases.update(c.id, (stored) =>
    stored && stored.status !== 'closed' && quietAppCase(stored, now) ? { case: { ...stored, status: 'closed' as const, closedAt: now, closedBy: { kind: 'staff' as const, user: OA_APP_STAFF }, waitingSince: undefined, updatedAt: now }, result: true } : { result: false },
  );
  if (!released) return false;
  deps.events.emit({ type: 'closed', caseId: c.id, at: now, queue: queueOf(c) });
  record.caseId = undefined;
  if (record.session?.handoff) record.session = { ...record.session, handoff: undefined };
  return true;
}
