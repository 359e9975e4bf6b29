/**
 * Reply → Telegram sendMessage payloads, as a pure function. Options become an inline keyboard,
 * one button per row (labels are long Vietnamese phrases), on the last part only; links stay in
 * the text. callback_data must be 1-64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton):
 * engine option ids are short ASCII ("p12.3", "cmd:menu"); an id that does not fit is sent as
 * "#<n>", which the translator turns back into the typed number n.
 */
import type { Reply } from '../../engine/types';
import { plainText } from '../render/plain-text';
import { splitText } from '../render/split-text';

export const TELEGRAM_MAX_TEXT = 4096;
const MAX_CALLBACK_BYTES = 64;

export interface InlineButton {
  text: string;
  callback_data: string;
}
export interface TelegramOutgoing {
  text: string;
  reply_markup?: { inline_keyboard: InlineButton[][] };
}

export function renderTelegram(reply: Reply, maxText = TELEGRAM_MAX_TEXT): TelegramOutgoing[] {
  const parts = splitText(plainText(reply, { numbered: false }), maxText);
  const options = reply.options ?? [];
  if (parts.length === 0) {
    if (options.length === 0) return [];
    // A question without words still needs a text to carry its keyboard.
    parts.push('…');
  }
  if (options.length === 0) return parts.map((text) => ({ text }));
  const inline_keyboard = options.map((o, i) => [{ text: o.label, callback_data: Buffer.byteLength(o.id, 'utf8') <= MAX_CALLBACK_BYTES && o.id !== '' ? o.id : `#${i + 1}` }]);
  return parts.map((text, i) => (i === parts.length - 1 ? { text, reply_markup: { inline_keyboard } } : { text }));
}
