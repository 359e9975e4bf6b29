/**
 * A loopback Telegram Bot API: `POST {root}/bot{token}/{method}` with a JSON body, answering
 * `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }` as
 * https://core.telegram.org/bots/api#making-requests describes. It keeps the messages it
 * "delivered" per chat with their inline keyboards, so tests can see which keyboards are live.
 * Validation follows the documented limits: text 1-4096 characters, callback_data 1-64 bytes.
 */
import type { IncomingMessage } from 'node:http';
import { FakeServer, type FakeAnswer, type RecordedCall } from './fake-server';

export interface FakeTgMessage {
  message_id: number;
  chat_id: string;
  text: string;
  /** Current inline keyboard (button rows), empty when none or removed. */
  keyboard: Array<Array<{ text: string; callback_data?: string; url?: string }>>;
}

export const tgError = (code: number, description: string, retryAfter?: number): FakeAnswer => ({
  status: code,
  body: { ok: false, error_code: code, description, ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}) },
});

export class TelegramFake extends FakeServer {
  readonly messages: FakeTgMessage[] = [];
  readonly #byId = new Map<string, FakeTgMessage>();
  readonly blocked = new Set<string>();
  webhook: { url: string; secret_token?: string; allowed_updates?: unknown } = { url: '' };
  #nextId = 1_000_000;

  constructor(readonly token: string) {
    super();
  }

  static async start(token = '123456:TEST-token_abc'): Promise<TelegramFake> {
    return new TelegramFake(token).start();
  }

  protected route(req: IncomingMessage): string | undefined {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    return m ? m[2] : undefined;
  }

  /** Puts a message in a chat as if the bot had sent it earlier (e.g. a live keyboard). */
  addMessage(message: FakeTgMessage): void {
    this.messages.push(message);
    this.#byId.set(`${message.chat_id}:${message.message_id}`, message);
  }

  /** sendMessage calls the fake delivered, in order, with their text. */
  sent(chatId?: string): FakeTgMessage[] {
    return this.messages.filter((m) => chatId === undefined || m.chat_id === chatId);
  }

  protected respond(call: RecordedCall, req: IncomingMessage): FakeAnswer {
    const token = /^\/bot([^/]+)\//.exec(req.url ?? '')?.[1];
    if (token !== this.token) return tgError(401, 'Unauthorized');
    const b = call.body;
    const chatId = b.chat_id === undefined ? undefined : String(b.chat_id);
    switch (call.method) {
      case 'getMe':
        return ok({ id: Number(this.token.split(':')[0]), is_bot: true, first_name: 'Thủ tục', username: 'thutuc_test_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false });
      case 'sendMessage': {
        if (!chatId) return tgError(400, 'Bad Request: chat_id is empty');
        if (this.blocked.has(chatId)) return tgError(403, 'Forbidden: bot was blocked by the user');
        const text = typeof b.text === 'string' ? b.text : '';
        if (text.length === 0) return tgError(400, 'Bad Request: message text is empty');
        if (text.length > 4096) return tgError(400, 'Bad Request: message is too long');
        const keyboard = keyboardOf(b.reply_markup);
        if (keyboard === 'invalid') return tgError(400, 'Bad Request: BUTTON_DATA_INVALID');
        const message: FakeTgMessage = { message_id: this.#nextId++, chat_id: chatId, text, keyboard };
        this.addMessage(message);
        return ok({ message_id: message.message_id, date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' }, text });
      }
      case 'editMessageReplyMarkup': {
        const message = this.#byId.get(`${chatId}:${Number(b.message_id)}`);
        if (!message) return tgError(400, 'Bad Request: message to edit not found');
        const keyboard = keyboardOf(b.reply_markup);
        if (keyboard === 'invalid') return tgError(400, 'Bad Request: BUTTON_DATA_INVALID');
        if (JSON.stringify(keyboard) === JSON.stringify(message.keyboard)) return tgError(400, 'Bad Request: message is not modified');
        message.keyboard = keyboard;
        return ok({ message_id: message.message_id, chat: { id: Number(chatId), type: 'private' }, date: 0, text: message.text });
      }
      case 'answerCallbackQuery':
        return typeof b.callback_query_id === 'string' && b.callback_query_id !== '' ? ok(true) : tgError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      case 'sendChatAction':
        return ok(true);
      case 'setWebhook':
        if (typeof b.secret_token === 'string' && !/^[A-Za-z0-9_-]{1,256}$/.test(b.secret_token)) return tgError(400, 'Bad Request: secret token contains unallowed characters');
        this.webhook = { url: String(b.url ?? ''), ...(typeof b.secret_token === 'string' ? { secret_token: b.secret_token } : {}), allowed_updates: b.allowed_updates };
        return ok(true);
      case 'deleteWebhook':
        this.webhook = { url: '' };
        return ok(true);
      case 'getWebhookInfo':
        return ok({ url: this.webhook.url, has_custom_certificate: false, pending_update_count: 0, ...(this.webhook.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}) });
      default:
        return tgError(404, 'Not Found: method not found');
    }
  }

  protected override succeeded(call: RecordedCall): boolean {
    return (call.response as { ok?: boolean } | undefined)?.ok === true;
  }
}

function ok(result: unknown): FakeAnswer {
  return { status: 200, body: { ok: true, result } };
}

function keyboardOf(markup: unknown): FakeTgMessage['keyboard'] | 'invalid' {
  const parsed = typeof markup === 'string' ? (JSON.parse(markup) as unknown) : markup;
  const rows = (parsed as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (!Array.isArray(rows)) return [];
  for (const row of rows as Array<Array<{ callback_data?: string }>>) {
    for (const button of row) {
      if (button.callback_data !== undefined && (Buffer.byteLength(button.callback_data) < 1 || Buffer.byteLength(button.callback_data) > 64)) return 'invalid';
    }
  }
  return rows as FakeTgMessage['keyboard'];
}
