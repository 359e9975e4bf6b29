import type { SendContext } from '../channel';

/**
 * Sends a reply that had to be split into several platform messages, in order. Progress is kept
 * in `ctx.state.partsSent`, so when the sender retries the same reply after a failed part, the
 * parts the platform already accepted are not sent again. The caller sets `partsSent` to null
 * once everything belonging to the reply is done.
 */
export async function sendRemainingParts<P>(ctx: SendContext, parts: readonly P[], sendPart: (part: P) => Promise<void>): Promise<void> {
  const entryId = ctx.record.outbox[0]?.id ?? '';
  const progress = ctx.state.partsSent as { entry: string; count: number } | undefined;
  let done = progress?.entry === entryId ? progress.count : 0;
  for (const part of parts.slice(done)) {
    await sendPart(part);
    done += 1;
    ctx.state.partsSent = { entry: entryId, count: done };
  }
}
