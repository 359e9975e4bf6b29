import type { SendContext } from '../channel';

/**
 * Sends a reply that had to be split into several platform messages, in order. Progress is kept
 * in `ctx.state.partsSent` and committed to the chat record after every part the platform
 * accepted (`ctx.saveProgress`), so neither a retry of the same reply nor a restart after a
 * crash sends those parts again. The caller sets `partsSent` to null once everything belonging
 * to the reply is done.
 */
export async function sendRemainingParts<P>(ctx: SendContext, parts: readonly P[], sendPart: (part: P) => Promise<void>): Promise<void> {
  const progress = (ctx.state.partsSent ?? ctx.record.channelState.partsSent) as { entry: string; count: number } | null | undefined;
  let done = progress?.entry === ctx.entryId ? progress.count : 0;
  for (const part of parts.slice(done)) {
    await sendPart(part);
    done += 1;
    ctx.state.partsSent = { entry: ctx.entryId, count: done };
    await ctx.saveProgress();
  }
}
