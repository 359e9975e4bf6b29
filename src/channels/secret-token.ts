/**
 * Webhook secrets sent in a header (Telegram `X-Telegram-Bot-Api-Secret-Token`, Zalo Bot
 * `X-Bot-Api-Secret-Token`, https://docs.zaloplatforms.com/docs/BOT/webhook), compared in
 * constant time. Hashing both sides first gives equal lengths, so the comparison does not leak
 * the secret's length either.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function secretTokenMatches(received: string | undefined, expected: string): boolean {
  if (received === undefined || expected === '') return false;
  const a = createHash('sha256').update(received, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
