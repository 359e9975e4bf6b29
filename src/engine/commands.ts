/** Global commands: they work at every step, typed or tapped. */
import { ask, emit, say, t, type StepContext } from './context';
import { canRepeat, goBack, progressText, repeatCurrent, startFlow } from './flow-walk';
import { showHelp, showMenu } from './menu';
import { requestHandoff } from './nodes/handoff';
import type { Command } from './types';

export function runCommand(ctx: StepContext, cmd: Command): void {
  const s = ctx.session;
  switch (cmd) {
    case 'menu':
      return showMenu(ctx, false);
    case 'back':
      if (!goBack(ctx)) {
        say(ctx, t(ctx, 'back.nothing'));
        showMenu(ctx, false);
      }
      return;
    case 'restart':
      if (s.flow) return startFlow(ctx, s.flow.id, '');
      return showMenu(ctx, false);
    case 'continue':
      if (!repeatCurrent(ctx)) showMenu(ctx, false);
      return;
    case 'help':
      // Inside a question: the help, then the question again. Elsewhere the help itself is the
      // prompt (with menu and handoff options), said once.
      if (!canRepeat(ctx)) return showHelp(ctx);
      say(ctx, t(ctx, 'help.body'));
      repeatCurrent(ctx);
      return;
    case 'lang_vi':
    case 'lang_en':
      s.locale = cmd === 'lang_en' ? 'en' : 'vi';
      say(ctx, t(ctx, 'lang.switched'));
      if (!repeatCurrent(ctx)) showMenu(ctx, false);
      return;
    case 'handoff':
      // Accepting the bot's own offer after repeated misses is a different reason from asking.
      return requestHandoff(ctx, s.pending?.kind === 'handoff_offer' ? 'misses' : 'asked');
    case 'end_handoff':
      if (s.handoff) {
        s.handoff = undefined;
        emit(ctx, { type: 'handoff_ended' });
        say(ctx, t(ctx, 'handoff.ended'));
      }
      return showMenu(ctx, false);
    default: {
      const never: never = cmd;
      throw new Error(`unknown command ${String(never)}`);
    }
  }
}

/** Shown when a citizen comes back after the idle time in the middle of a flow. */
export function offerResume(ctx: StepContext): boolean {
  const where = progressText(ctx);
  if (!where) return false;
  ask(ctx, `${t(ctx, 'resume.welcome_back')}\n${where}`, 'resume', [
    { label: t(ctx, 'resume.continue'), action: { do: 'cmd', cmd: 'continue' } },
    { label: t(ctx, 'resume.restart'), action: { do: 'cmd', cmd: 'restart' } },
    { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
  ]);
  return true;
}
