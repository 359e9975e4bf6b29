/**
 * The working state of one `step` call: a private copy of the session plus the replies and
 * events produced so far. Handlers mutate the copy; `step` hands it back as the new session.
 */
import type { Action, Content, EngineEvent, Locale, LocalText, Pending, Reply, ReplyLink, Session } from './types';

export interface StepContext {
  readonly content: Content;
  readonly now: number;
  session: Session;
  replies: Reply[];
  events: EngineEvent[];
  /** The citizen's typed message in this step, if any: a flow started by it may answer its own questions from it. */
  query?: string;
  /** A line to put at the top of the next message (in the same message, so no extra send). */
  lead?: string;
}

function withLead(ctx: StepContext, body: string): string {
  const lead = ctx.lead;
  ctx.lead = undefined;
  return lead ? `${lead}\n${body}` : body;
}

/** Adds a line to the top of the next message, after any line already waiting there. */
export function addLead(ctx: StepContext, line: string): void {
  ctx.lead = ctx.lead ? `${ctx.lead}\n${line}` : line;
}

export function createContext(content: Content, session: Session, now: number): StepContext {
  return { content, now, session: structuredClone(session), replies: [], events: [] };
}

export function locale(ctx: StepContext): Locale {
  return ctx.session.locale;
}

/** Content text in the session's locale; a missing English text falls back to Vietnamese. */
export function text(ctx: StepContext, value: LocalText): string {
  return (ctx.session.locale === 'en' && value.en) || value.vi;
}

/**
 * A procedure's or flow's name in the session's locale. In English a name editors have not
 * translated says so and gives the Vietnamese name, so the citizen can still quote it at the office.
 */
export function nameOf(ctx: StepContext, value: LocalText): string {
  if (ctx.session.locale !== 'en' || value.en) return text(ctx, value);
  return `${value.vi} ${t(ctx, 'lang.vi_only')}`;
}

/** An interface string from the locale files. */
export function t(ctx: StepContext, key: string, params?: Record<string, unknown>): string {
  return ctx.content.t(ctx.session.locale, key, params);
}

export function say(ctx: StepContext, body: string, links?: ReplyLink[]): void {
  body = withLead(ctx, body);
  ctx.replies.push(links && links.length > 0 ? { text: body, links } : { text: body });
}

export interface OptionSpec {
  label: string;
  action: Action;
}

/**
 * Ask a question: the reply carries the options and the session remembers them, so a typed
 * number or a button id resolves against exactly this question. Ids carry a per-session prompt
 * number, which is how a tap on an old button is told apart from a tap on the current one.
 */
export function ask(ctx: StepContext, body: string, kind: Pending['kind'], options: OptionSpec[], links?: ReplyLink[]): void {
  body = withLead(ctx, body);
  const seq = (ctx.session.seq = (ctx.session.seq + 1) % 10_000);
  const pending = options.map((o, i) => ({ id: o.action.do === 'cmd' ? `cmd:${o.action.cmd}` : `p${seq}.${i + 1}`, label: o.label, action: o.action }));
  ctx.session.pending = { kind, options: pending };
  const reply: Reply = { text: body };
  if (pending.length > 0) reply.options = pending.map(({ id, label }) => ({ id, label }));
  if (links && links.length > 0) reply.links = links;
  ctx.replies.push(reply);
}

export function emit(ctx: StepContext, event: EngineEvent): void {
  ctx.events.push(event);
}
