/**
 * The pipeline's message handler with handoff: wraps the engine handler.
 *
 * - When the engine asks for a person (`handoff_requested`), a case opens with the chat's answers,
 *   place and last messages, and the citizen is told roughly when a person will answer.
 * - While the chat's case is open or claimed, messages go to the case instead of the engine
 *   (the first one gets a short acknowledgement); "quay lại bot" / "menu" ends the handoff from
 *   the citizen's side and the engine takes over again.
 *
 * - A staff line written on the platform itself (`meta.staffEcho`: a Zalo OA admin answering
 *   from the OA chat tool) opens a case marked `oa_app` or joins the chat's open case, so the
 *   console shows it and the bot stops answering that citizen (app-staff-case.ts).
 *
 * Runs inside the chat's lock and may run twice for the same inbox entry (a crash before the
 * chat commit replays it), so every case write is idempotent per entry id: the case id is derived
 * from the entry id, and a citizen message already in the case is not added again.
 */
import { createHash } from 'node:crypto';
import type { CompiledFlow, Content, EngineEvent, Input, Locale, Session } from '../engine/types';
import { describeInput, type HandlerResult, type MessageHandler } from '../pipeline/worker';
import { addOnce, queueOf, routeQueue, type Case, type CaseMessage, type CaseReason, type CaseStore } from '../store/cases';
import { appStaffLine, quietAppCase, releaseQuietAppCase } from './app-staff-case';
import { COMMENT_WINDOW_MS, parseRating, RATING_COMMENT_MAX, RATING_WINDOW_MS } from './rating';
import type { ChatRecord, InboxEntry } from '../store/store';
import type { CaseEvents } from './case-events';
import { officeStatus, replyEtaText, type OfficeRange } from './office-hours';

export interface HandoffHandlerDeps {
  inner: MessageHandler;
  cases: CaseStore;
  content: () => Content;
  events: CaseEvents;
  officeHours: readonly OfficeRange[];
  timezone: string;
  defaultLocale: Locale;
}

/** Deterministic per inbox entry, so a replayed entry finds the case it already opened. */
export function caseIdFor(record: Pick<ChatRecord, 'channel' | 'chatId'>, entryId: string): string {
  return `c-${createHash('sha256').update(`${record.channel}\n${record.chatId}\n${entryId}`).digest('hex').slice(0, 20)}`;
}

export function createHandoffHandler(deps: HandoffHandlerDeps): MessageHandler {
  return async (record, entry, now) => {
    let current = record.caseId ? await deps.cases.get(record.caseId) : undefined;
    if (entry.meta?.staffEcho !== undefined) return appStaffLine(deps, record, entry, current && current.status !== 'closed' ? current : undefined, caseIdFor(record, entry.id), now);
    if (current && current.status !== 'closed' && quietAppCase(current, now)) current = (await releaseQuietAppCase(deps, record, current, now)) ? undefined : await deps.cases.get(current.id);
    if (current && current.status !== 'closed') return routeToCase(deps, record, entry, current, now);
    if (current && current.status === 'closed') {
      const rated = await takeRating(deps, record, entry, current, now);
      if (rated) return rated;
    }
    if (record.caseId || record.session?.handoff) {
      // The case was closed (or removed) while the chat still pointed at it: the bot answers again.
      record.caseId = undefined;
      if (record.session?.handoff) record.session = { ...record.session, handoff: undefined };
    }
    const result = await deps.inner(record, entry, now);
    const requested = result.events.find((e): e is Extract<EngineEvent, { type: 'handoff_requested' }> => e.type === 'handoff_requested');
    if (!requested || !result.session?.handoff) return result;

    const opened = buildCase(deps.content(), record, entry, result.session, requested.reason, now);
    const { case: stored, created } = await deps.cases.create(opened);
    record.caseId = stored.id;
    const session: Session = { ...result.session, handoff: { ...result.session.handoff, caseId: stored.id } };
    const eta = replyEtaText(deps.content().t, session.locale, officeStatus(deps.officeHours, now, deps.timezone));
    if (created) deps.events.emit({ type: 'opened', caseId: stored.id, at: now, queue: queueOf(stored) });
    const position = await queuePosition(deps.cases, stored);
    return {
      session,
      replies: [...result.replies, { text: `${deps.content().t(session.locale, 'handoff.queue_position', { position })} ${eta}` }],
      events: result.events,
    };
  };
}

/** The citizen's intent while a person has the chat: end the handoff, or talk to the person. */
function wantsBot(content: Content, input: Input): boolean {
  if (input.kind === 'start') return true;
  if (input.kind === 'choice') return input.value === 'cmd:end_handoff' || input.value === 'cmd:menu';
  const intent = content.intents.match(input.value);
  return intent === 'end_handoff' || intent === 'menu';
}

async function routeToCase(deps: HandoffHandlerDeps, record: ChatRecord, entry: InboxEntry, open: Case, now: number): Promise<HandlerResult> {
  const line: CaseMessage = { id: entry.id, at: entry.receivedAt, from: 'user', text: describeInput(entry, record) };

  if (wantsBot(deps.content(), entry.input)) {
    await deps.cases.update(open.id, (c) => {
      if (!c || c.status === 'closed') return { result: undefined };
      const messages = addOnce(c.messages, line);
      return { case: { ...c, messages, status: 'closed', closedAt: now, closedBy: { kind: 'citizen' }, updatedAt: now, waitingSince: undefined }, result: undefined };
    });
    record.caseId = undefined;
    deps.events.emit({ type: 'closed', caseId: open.id, at: now, queue: queueOf(open) });
    // The engine's own command clears session.handoff, says so and shows the menu.
    return deps.inner(record, { ...entry, input: { kind: 'choice', value: 'cmd:end_handoff' } }, now);
  }

  const first = await deps.cases.update(open.id, (c) => {
    if (!c) return { result: false };
    const messages = addOnce(c.messages, line);
    const firstFromCitizen = messages.find((m) => m.from === 'user')?.id === entry.id && !messages.some((m) => m.from === 'staff');
    if (messages === c.messages) return { result: firstFromCitizen };
    return { case: { ...c, messages, updatedAt: now, waitingSince: c.waitingSince ?? entry.receivedAt }, result: firstFromCitizen };
  });
  deps.events.emit({ type: 'message', caseId: open.id, at: now, queue: queueOf(open) });
  const locale = record.session?.locale ?? deps.defaultLocale;
  return { session: record.session, replies: first ? [{ text: deps.content().t(locale, 'handoff.received') }] : [], events: [] };
}

/** Place in the queue: waiting (unclaimed) cases of the same office opened before this one, plus one. */
async function queuePosition(cases: CaseStore, c: Case): Promise<number> {
  const queue = queueOf(c);
  const ahead = (await cases.list({ status: ['open'] })).filter((o) => o.queue === queue && o.id !== c.id && (o.openedAt < c.openedAt || (o.openedAt === c.openedAt && o.id < c.id)));
  return ahead.length + 1;
}

/**
 * After a staff close the chat still points at the case: a score (button or "1".."5") within
 * RATING_WINDOW_MS is its rating, and then a free text within COMMENT_WINDOW_MS its comment.
 * Anything else lets go of the case and goes to the bot as usual (undefined).
 */
async function takeRating(deps: HandoffHandlerDeps, record: ChatRecord, entry: InboxEntry, closed: Case, now: number): Promise<HandlerResult | undefined> {
  const t = deps.content().t;
  const locale = record.session?.locale ?? closed.locale;
  const score = parseRating(entry.input);
  const asked = closed.ratingAskedAt;
  if (asked !== undefined && !closed.rating && score !== undefined && now - asked <= RATING_WINDOW_MS) {
    await deps.cases.update(closed.id, (c) => (c && !c.rating ? { case: { ...c, rating: { score, at: now }, updatedAt: now }, result: undefined } : { result: undefined }));
    deps.events.emit({ type: 'rated', caseId: closed.id, at: now, queue: queueOf(closed) });
    return { session: record.session, replies: [{ text: t(locale, 'handoff.rating.thanks_score'), options: [{ id: 'rate:skip', label: t(locale, 'handoff.rating.skip') }] }], events: [] };
  }
  const rating = closed.rating;
  // A replayed entry (crash before the chat commit) or a second tap: the same thanks, nothing stored twice.
  if (rating && score !== undefined && now - rating.at <= COMMENT_WINDOW_MS) return { session: record.session, replies: [{ text: t(locale, 'handoff.rating.thanks_score'), options: [{ id: 'rate:skip', label: t(locale, 'handoff.rating.skip') }] }], events: [] };
  const text = entry.input.kind === 'text' ? entry.input.value.trim() : '';
  // A comment may well mention the officer ("cán bộ trả lời nhanh"): only a short request for a
  // person ("gặp cán bộ") counts as one here; other commands ("menu") always do.
  const intent = entry.input.kind === 'text' ? deps.content().intents.match(text) : undefined;
  const isCommand = entry.input.kind !== 'text' || (intent !== undefined && (intent !== 'handoff' || text.split(/\s+/).length <= 3));
  if (rating && rating.comment === undefined && now - rating.at <= COMMENT_WINDOW_MS && (text || (entry.input.kind === 'choice' && entry.input.value === 'rate:skip'))) {
    if (text && !isCommand) {
      await deps.cases.update(closed.id, (c) => (c?.rating && c.rating.comment === undefined ? { case: { ...c, rating: { ...c.rating, comment: text.slice(0, RATING_COMMENT_MAX) }, updatedAt: now }, result: undefined } : { result: undefined }));
      deps.events.emit({ type: 'rated', caseId: closed.id, at: now, queue: queueOf(closed) });
      record.caseId = undefined;
      return { session: record.session, replies: [{ text: t(locale, 'handoff.rating.thanks_comment') }], events: [] };
    }
    if (!text) {
      record.caseId = undefined;
      return { session: record.session, replies: [{ text: t(locale, 'handoff.rating.thanks_comment') }], events: [] };
    }
  }
  record.caseId = undefined;
  return undefined;
}


function buildCase(content: Content, record: ChatRecord, entry: InboxEntry, session: Session, reason: CaseReason, now: number): Case {
  const pos = session.flow;
  const flow = pos ? content.flows.get(pos.id) : undefined;
  const transcript: CaseMessage[] = record.transcript.map((l, i) => ({ id: `t${i}`, at: l.at, from: l.from, text: l.text }));
  transcript.push({ id: entry.id, at: entry.receivedAt, from: 'user', text: describeInput(entry, record) });
  return {
    version: 1,
    id: caseIdFor(record, entry.id),
    channel: record.channel,
    chatId: record.chatId,
    status: 'open',
    reason,
    locale: session.locale,
    ...(pos && flow ? { flow: { id: pos.id, title: flow.title.vi, node: pos.node } } : {}),
    ...officeOf(flow, pos?.node),
    answers: pos && flow ? Object.entries(pos.answers).map(([node, answer]) => ({ node, question: questionOf(flow, node), answer })) : [],
    ...(session.place ? { place: { ...session.place } } : {}),
    transcript,
    messages: [],
    notes: [],
    queue: routeQueue(session.place?.code, officeKind(flow, pos?.node)),
    openedAt: now,
    updatedAt: now,
    waitingSince: now,
  };
}

/** The office kind the flow sends the citizen to: the current node's, else the flow's first. */
function officeKind(flow: CompiledFlow | undefined, nodeId: string | undefined): Case['office'] {
  if (!flow) return undefined;
  const kindOf = (n: unknown) => (n && typeof n === 'object' && 'office' in n && typeof n.office === 'string' ? (n.office as Case['office']) : undefined);
  return kindOf(nodeId ? flow.nodes[nodeId] : undefined) ?? Object.values(flow.nodes).map(kindOf).find(Boolean);
}

function officeOf(flow: CompiledFlow | undefined, nodeId: string | undefined): Pick<Case, 'office'> {
  const office = officeKind(flow, nodeId);
  return office ? { office } : {};
}

/** The question a node asked (Vietnamese), or the node id when it asked none. Shared with the insights. */
export function questionOf(flow: CompiledFlow, nodeId: string): string {
  const node = flow.nodes[nodeId];
  return node && 'ask' in node && node.ask && typeof node.ask === 'object' ? node.ask.vi : nodeId;
}
