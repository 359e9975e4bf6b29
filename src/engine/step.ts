/**
 * `step(content, session, input, now)`: the whole conversation logic as a pure function. No
 * I/O, no clock, no randomness — `now` is passed in, content is immutable, the session is copied.
 */
import { answerText, choose } from './answer';
import { offerResume, runCommand } from './commands';
import { addLead, createContext, emit, nameOf, say, t, type StepContext } from './context';
import { canRepeat, repeatCurrent, startFlow } from './flow-walk';
import { languageOf } from './language';
import { fold } from './normalize';
import { exactOption } from './option-phrases';
import { showMenu } from './menu';
import { COMMANDS, type Content, type Input, type Locale, type Session, type StepResult } from './types';

export function newSession(locale: Locale, now: number): Session {
  return { version: 1, locale, seq: 0, misses: 0, updatedAt: now };
}

export function step(content: Content, session: Session | undefined, input: Input, now: number): StepResult {
  const ctx = createContext(content, session ?? newSession('vi', now), now);
  handle(ctx, input);
  ctx.session.updatedAt = now;
  return { session: ctx.session, replies: ctx.replies, events: ctx.events };
}

function handle(ctx: StepContext, input: Input): void {
  if (input.kind === 'start') return showMenu(ctx, true);

  if (input.kind === 'text') {
    const link = START_LINK.exec(input.value.trim());
    if (link) return openFromLink(ctx, link[1]!);
    const intent = ctx.content.intents.match(input.value);
    // "in English" is the language command itself; it says it switched, once.
    if (intent !== 'lang_en' && intent !== 'lang_vi') followLanguage(ctx, input.value);
    if (intent && !exactOption(ctx, input.value)) return runCommand(ctx, intent);
    if (isIdle(ctx) && offerResume(ctx)) return;
    const numbered = pickByNumber(ctx, input.value);
    if (numbered) return choose(ctx, numbered);
    // A greeting (or an empty message) outside a question gets the menu; anything else is
    // searched. (The pipeline always passes a session, so "first message" cannot be the test.)
    if (!canRepeat(ctx) && isGreeting(input.value)) return showMenu(ctx, true);
    return answerText(ctx, input.value);
  }

  const id = input.value;
  // Command buttons are global ("cmd:menu" works whatever was asked); an unknown command id is
  // client input like any other stale choice, never a crash.
  const cmd = id.startsWith('cmd:') ? COMMANDS.find((c) => c === id.slice(4)) : undefined;
  if (cmd) return runCommand(ctx, cmd);
  if (isIdle(ctx) && offerResume(ctx)) return;
  const option = ctx.session.pending?.options.find((o) => o.id === id);
  if (option) return choose(ctx, option);
  ctx.events.push({ type: 'stale_choice', choice: id });
  say(ctx, t(ctx, 'stale.choice'));
  if (!repeatCurrent(ctx)) showMenu(ctx, false);
}

/** "/start khai-sinh": a Telegram deep link, a web `/?flow=` link or a typed start with a flow id. */
const START_LINK = /^\/start(?:@\w+)?\s+([A-Za-z0-9_-]{1,64})$/;

/**
 * A link that carries a flow (a QR code on a one-stop centre's poster) opens that flow, after
 * the greeting; an unknown id (an old poster) gets the greeting and the menu.
 */
function openFromLink(ctx: StepContext, id: string): void {
  const flow = ctx.content.flows.get(id.toLowerCase());
  if (!flow) return showMenu(ctx, true);
  emit(ctx, { type: 'matched', query: `/start ${flow.id}`, target: `flow:${flow.id}` });
  addLead(ctx, `${t(ctx, 'menu.greeting')}\n${t(ctx, 'search.starting', { title: nameOf(ctx, flow.title) })}`);
  startFlow(ctx, flow.id, '');
}

/**
 * The chat follows the citizen's language: a message clearly in the other language switches
 * the chat before it is answered, and the answer says how to switch back.
 */
function followLanguage(ctx: StepContext, value: string): void {
  const lang = languageOf(value);
  if (!lang || lang === ctx.session.locale) return;
  ctx.session.locale = lang;
  addLead(ctx, t(ctx, 'lang.followed'));
}

function isIdle(ctx: StepContext): boolean {
  const s = ctx.session;
  const idleMs = ctx.content.settings.idle_minutes * 60_000;
  return !!s.flow && !s.flow.done && ctx.now - s.updatedAt > idleMs && s.pending?.kind !== 'resume';
}

function pickByNumber(ctx: StepContext, value: string) {
  const m = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(value);
  if (!m) return undefined;
  return ctx.session.pending?.options[Number(m[1]) - 1];
}

const GREETINGS = /^(xin chao|chao|hello|hi|alo|a lo|hey|chao ban|chao bot)$/;
function isGreeting(value: string): boolean {
  const v = fold(value);
  return v === '' || GREETINGS.test(v);
}
