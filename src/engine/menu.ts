/** The main menu (topics), a topic's flows, and help. */
import { ask, nameOf, t, type StepContext } from './context';
import { TOPICS, type Topic } from '../content/schema';

export function flowsOfTopic(ctx: StepContext, topic: Topic) {
  return [...ctx.content.flows.values()]
    .filter((f) => f.topic === topic)
    .sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.title.vi.localeCompare(b.title.vi, 'vi'));
}

export function showMenu(ctx: StepContext, greet: boolean): void {
  ctx.session.flow = undefined;
  ctx.session.misses = 0;
  const topics = TOPICS.filter((topic) => flowsOfTopic(ctx, topic).length > 0);
  const body = greet ? `${t(ctx, 'menu.greeting')}\n${t(ctx, 'menu.prompt')}` : t(ctx, 'menu.prompt');
  ask(ctx, body, 'menu', [
    ...topics.map((topic) => ({ label: t(ctx, `topic.${topic}`), action: { do: 'topic' as const, topic } })),
    { label: t(ctx, 'menu.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
  ]);
}

export function showTopic(ctx: StepContext, topic: Topic): void {
  const flows = flowsOfTopic(ctx, topic);
  ask(ctx, t(ctx, 'topic.prompt', { topic: t(ctx, `topic.${topic}`) }), 'topic', [
    ...flows.map((f) => ({ label: nameOf(ctx, f.title), action: { do: 'flow' as const, flow: f.id } })),
    { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
  ]);
}

export function showHelp(ctx: StepContext): void {
  ask(ctx, t(ctx, 'help.body'), 'after', [
    { label: t(ctx, 'after.menu'), action: { do: 'cmd', cmd: 'menu' } },
    { label: t(ctx, 'menu.handoff'), action: { do: 'cmd', cmd: 'handoff' } },
  ]);
}
