/**
 * The Zalo twin of a send (Zalo Bot Platform and Zalo OA have no buttons): the reply as plain
 * text with numbered options and the "reply with the number" hint in the chat's language,
 * split at the platform's limit, sent part by part with committed progress (send-parts.ts).
 */
import type { Reply } from '../../engine/types';
import type { SendContext } from '../channel';
import type { ChannelDeps } from '../registry';
import { plainText } from './plain-text';
import { sendRemainingParts } from './send-parts';
import { splitText } from './split-text';

export async function sendNumbered(deps: Pick<ChannelDeps, 'config' | 'content'>, reply: Reply, ctx: SendContext, maxText: number, sendPart: (text: string) => Promise<void>): Promise<void> {
  const locale = ctx.record.session?.locale ?? deps.config.defaultLocale;
  const text = plainText(reply, { numbered: true, hint: deps.content().t(locale, 'channel.reply_with_number') });
  await sendRemainingParts(ctx, splitText(text, maxText), sendPart);
  ctx.state.partsSent = null;
}
