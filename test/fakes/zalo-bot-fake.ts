/**
 * A loopback Zalo Bot Platform API (https://docs.zaloplatforms.com/docs/BOT, see docs/refs/zalo-2026.md §4.1):
 * `POST {root}/bot{token}/{method}`, answers `{ ok: true, result }` or
 * `{ ok: false, error_code, description }`. Documented limits: sendMessage text 1-2000
 * characters, setWebhook secret_token 8-256 characters. Whether Zalo mirrors error_code in the
 * HTTP status is unconfirmed, so by default the fake does (as the official error table reads)
 * and tests script the other form (HTTP 200 with ok:false) too.
 */
import type { IncomingMessage } from 'node:http';
import { FakeServer, type FakeAnswer, type RecordedCall } from './fake-server';

export const zbError = (code: number, description: string, httpStatus = code): FakeAnswer => ({ status: httpStatus, body: { ok: false, error_code: code, description } });

export class ZaloBotFake extends FakeServer {
  readonly messages: Array<{ message_id: string; chat_id: string; text: string }> = [];
  webhook = { url: '', secret_token: '', updated_at: 0 };
  #next = 1;

  constructor(readonly token: string) {
    super();
  }

  static async start(token = '1234567890:zalo-bot-secret-abc'): Promise<ZaloBotFake> {
    return new ZaloBotFake(token).start();
  }

  protected route(req: IncomingMessage): string | undefined {
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    return m ? m[2] : undefined;
  }

  sent(chatId?: string): Array<{ message_id: string; chat_id: string; text: string }> {
    return this.messages.filter((m) => chatId === undefined || m.chat_id === chatId);
  }

  protected respond(call: RecordedCall, req: IncomingMessage): FakeAnswer {
    const token = /^\/bot([^/]+)\//.exec(req.url ?? '')?.[1];
    if (token !== this.token) return zbError(401, 'Unauthorized');
    const b = call.body;
    switch (call.method) {
      case 'getMe':
        return ok({ id: this.token.split(':')[0], account_name: 'thutuc_bot', account_type: 'BASIC', can_join_groups: false });
      case 'sendMessage': {
        const text = typeof b.text === 'string' ? b.text : '';
        if (typeof b.chat_id !== 'string' || b.chat_id === '') return zbError(400, 'Bad Request: chat_id is required');
        if (text.length < 1 || text.length > 2000) return zbError(400, 'Bad Request: text must be 1-2000 characters');
        const message_id = (this.#next++).toString(16).padStart(20, '0');
        this.messages.push({ message_id, chat_id: b.chat_id, text });
        return ok({ message_id, date: Date.now() });
      }
      case 'sendChatAction':
        return b.action === 'typing' ? { status: 200, body: { ok: true } } : zbError(400, 'Bad Request: unsupported action');
      case 'setWebhook': {
        const secret = typeof b.secret_token === 'string' ? b.secret_token : '';
        if (typeof b.url !== 'string' || !b.url.startsWith('https://')) return zbError(400, 'Bad Request: url must be https');
        if (secret.length < 8 || secret.length > 256) return zbError(400, 'Bad Request: secret_token must be 8-256 characters');
        this.webhook = { url: b.url, secret_token: secret, updated_at: Date.now() };
        return ok({ url: b.url, updated_at: this.webhook.updated_at });
      }
      case 'deleteWebhook':
        this.webhook = { url: '', secret_token: '', updated_at: Date.now() };
        return ok({ url: '', updated_at: this.webhook.updated_at });
      case 'getWebhookInfo':
        return ok({ url: this.webhook.url, updated_at: this.webhook.updated_at });
      default:
        return zbError(404, 'Not Found');
    }
  }

  protected override succeeded(call: RecordedCall): boolean {
    return (call.response as { ok?: boolean } | undefined)?.ok === true;
  }
}

function ok(result: unknown): FakeAnswer {
  return { status: 200, body: { ok: true, result } };
}
