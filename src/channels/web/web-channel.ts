/**
 * The web chat channel. "Sending" a reply means putting it in the chat's mailbox (kept in the
 * chat record), from where the waiting POST /api/chat answer or a later poll picks it up; so a
 * staff reply sent while the page is closed is still there when the citizen comes back.
 */
import { z } from 'zod';
import type { Reply } from '../../engine/types';
import type { OutboxEntry } from '../../store/store';
import type { Channel, SendContext } from '../channel';

/** Replies kept per web chat for polling and history. */
export const MAILBOX_MAX = 50;

export const MailItem = z.object({
  seq: z.number(),
  at: z.number(),
  inboundId: z.string().optional(),
  from: z.string(),
  reply: z.object({ text: z.string(), options: z.array(z.object({ id: z.string(), label: z.string() })).optional(), links: z.array(z.object({ url: z.string(), label: z.string() })).optional() }),
});
export type MailItem = z.infer<typeof MailItem> & { reply: Reply };

export function mailboxOf(channelState: Record<string, unknown>): MailItem[] {
  const parsed = z.array(MailItem).safeParse(channelState.mailbox);
  return parsed.success ? (parsed.data as MailItem[]) : [];
}

function withMail(channelState: Record<string, unknown>, entry: Pick<OutboxEntry, 'from' | 'inboundId' | 'reply'>, at: number): MailItem[] {
  const box = mailboxOf(channelState);
  const seq = (box[box.length - 1]?.seq ?? 0) + 1;
  const item: MailItem = { seq, at, from: entry.from, reply: entry.reply, ...(entry.inboundId ? { inboundId: entry.inboundId } : {}) };
  return [...box, item].slice(-MAILBOX_MAX);
}

export function createWebChannel(now: () => number = Date.now): Channel {
  return {
    name: 'web',
    limits: { maxText: 20_000, buttons: true, ratePerSecond: 10_000 },
    async send(_chatId: string, reply: Reply, ctx: SendContext): Promise<void> {
      const entry = ctx.record.outbox.find((o) => o.id === ctx.entryId);
      ctx.state.mailbox = withMail(ctx.record.channelState, { from: entry?.from ?? 'bot', ...(entry?.inboundId ? { inboundId: entry.inboundId } : {}), reply }, now());
    },
    deliverInCommit(record, entry) {
      record.channelState = { ...record.channelState, mailbox: withMail(record.channelState, entry, now()) };
    },
  };
}
