/**
 * When the bot cannot answer: a question nothing covers (said plainly, with the portal's search
 * and a person, recorded for editors) and a reply inside a flow it did not understand (the
 * question comes back). After a few misses in a row it offers a person.
 */
import { ask, emit, say, t, type StepContext } from './context';
import { repeatCurrent } from './flow-walk';
import { showMenu } from './menu';

/** The National Public Service Portal, whose search covers every procedure record. */
const PORTAL_SEARCH = 'https://dichvucong.gov.vn/';

/**
 * Nothing in the flows or procedures fits: say so plainly, point to the portal's own search and
 * to a person, and record the question for editors. Mid-flow the question on screen comes back.
 */
export function notCovered(ctx: StepContext, raw: string): void {
  const s = ctx.session;
  // Mid-flow a message that fits nothing is an answer the bot did not understand: re-ask.
  if (s.flow && !s.flow.done) return miss(ctx, raw, 'miss.sorry');
  s.misses += 1;
  emit(ctx, { type: 'unmatched', query: raw });
  const misses = s.misses;
  const offer = misses >= ctx.content.settings.handoff_after_misses;
  ask(
    ctx,
    offer ? `${t(ctx, 'miss.not_covered')}\n${t(ctx, 'miss.offer_handoff')}` : t(ctx, 'miss.not_covered'),
    offer ? 'handoff_offer' : 'after',
    [
      { label: t(ctx, 'after.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
      { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
    ],
    [{ url: PORTAL_SEARCH, label: t(ctx, 'miss.portal') }],
  );
  s.misses = misses;
}

export function miss(ctx: StepContext, raw: string, key: string): void {
  const s = ctx.session;
  s.misses += 1;
  const pos = s.flow && !s.flow.done ? s.flow : undefined;
  emit(ctx, pos ? { type: 'unmatched', query: raw, flow: pos.id, node: pos.node } : { type: 'unmatched', query: raw });
  const misses = s.misses;
  say(ctx, t(ctx, key));
  if (misses >= ctx.content.settings.handoff_after_misses) {
    ask(ctx, t(ctx, 'miss.offer_handoff'), 'handoff_offer', [
      { label: t(ctx, 'after.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
      ...(pos ? [{ label: t(ctx, 'resume.continue'), action: { do: 'cmd' as const, cmd: 'continue' as const } }] : []),
      { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
    ]);
    return;
  }
  // Re-asking keeps the count: repeatCurrent re-enters the node, which must not reset misses.
  if (pos && repeatCurrent(ctx)) {
    s.misses = misses;
    return;
  }
  if (!pos) {
    showMenu(ctx, false);
    s.misses = misses;
  }
}
