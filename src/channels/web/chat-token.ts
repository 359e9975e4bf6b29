/**
 * The web chat credential (reliability review D8). The server issues it on a chat's first
 * message: `<chat id>.<signature>`, where the id is 16 random bytes (base64url) and the
 * signature is base64url(HMAC-SHA256(secret, "thutuc-web-chat:" + id)). Only the server (and an
 * integrator holding WEB_CHAT_SECRET) can make one, so an id the server did not issue is refused
 * and ids can't be guessed. The page keeps it in localStorage and sends it in the `X-Chat-Id`
 * header, never in a URL. The chat's store key is the id part, so minting a token for an id of
 * one's own (docs/web-chat-api.md) gives a stable chat for a signed-in integrator's user.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ID = /^[A-Za-z0-9_-]{8,64}$/;
const TOKEN = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{43})$/;

export function chatTokenFor(secret: string, chatId: string): string {
  if (!ID.test(chatId)) throw new Error('chat id must be 8-64 characters of letters, digits, - and _');
  return `${chatId}.${createHmac('sha256', secret).update(`thutuc-web-chat:${chatId}`).digest('base64url')}`;
}

export class ChatTokens {
  constructor(private readonly secret: string) {}

  /** A new chat: a random id and its token. */
  issue(): { chatId: string; token: string } {
    const chatId = randomBytes(16).toString('base64url');
    return { chatId, token: chatTokenFor(this.secret, chatId) };
  }

  /** A short keyed hash of a client address: lets per-address caps work without storing addresses. */
  addressKey(address: string): string {
    return createHmac('sha256', this.secret).update(`thutuc-address:${address}`).digest('base64url').slice(0, 16);
  }

  /** The chat id of a token this server issued, or undefined. Constant time on the signature. */
  verify(token: string | undefined): string | undefined {
    const m = token === undefined ? null : TOKEN.exec(token.trim());
    if (!m) return undefined;
    const expected = Buffer.from(chatTokenFor(this.secret, m[1]!).split('.')[1]!);
    const got = Buffer.from(m[2]!);
    return expected.length === got.length && timingSafeEqual(expected, got) ? m[1] : undefined;
  }
}
