/**
 * A loopback Zalo OA Open API v3 + OAuth v4:
 *   POST /v3.0/oa/message/cs          header `access_token`, JSON { recipient: { user_id }, message: { text } }
 *   POST /v4/oa/access_token          header `secret_key`, form app_id, grant_type=refresh_token, refresh_token
 * Business errors come as HTTP 200 with `{ error: <negative>, message }` (error 0 = success), as
 * the OA API does. Error codes used: -216 "Access token is invalid", -220 "access_token is
 * expired or removed", -32 rate limit, -213 not a follower, -230 no interaction in 7 days (the
 * official `ma-loi` table as copied in several public integrations). Refresh tokens are single
 * use: the fake rotates the pair on each refresh and refuses a used refresh token. The exact
 * body of a refused refresh is not documented; the fake uses the `error_name`/`error_description`
 * shape integrators report.
 */
import type { IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import { FakeServer, type FakeAnswer, type RecordedCall } from './fake-server';

export const oaError = (error: number, message: string): FakeAnswer => ({ status: 200, body: { error, message } });

export interface OaFakeOptions {
  appId: string;
  appSecret: string;
  accessToken: string;
  refreshToken: string;
}

export class ZaloOaFake extends FakeServer {
  readonly messages: Array<{ message_id: string; user_id: string; text: string }> = [];
  /** Users the OA can't reach, with the error code to answer. */
  readonly unreachable = new Map<string, number>();
  accessToken: string;
  refreshToken: string;
  readonly usedRefreshTokens = new Set<string>();
  /** Access tokens of further OAs on the same app (several OAs share one app and webhook). */
  readonly otherOaTokens = new Set<string>();

  #generation = 0;
  #next = 1;

  constructor(readonly opts: OaFakeOptions) {
    super();
    this.accessToken = opts.accessToken;
    this.refreshToken = opts.refreshToken;
  }

  static async start(opts: Partial<OaFakeOptions> = {}): Promise<ZaloOaFake> {
    return new ZaloOaFake({ appId: '1234567890123456789', appSecret: 'app-secret-xyz', accessToken: 'AT-initial', refreshToken: 'RT-initial', ...opts }).start();
  }

  /** The current access token stops working (as after 25 h); the refresh token still works. */
  expireAccessToken(): void {
    this.accessToken = `expired-${this.accessToken}`;
  }

  protected route(req: IncomingMessage): string | undefined {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && path === '/v3.0/oa/message/cs') return 'message/cs';
    if (req.method === 'POST' && path === '/v4/oa/access_token') return 'oauth/access_token';
    return undefined;
  }

  sent(userId?: string): Array<{ message_id: string; user_id: string; text: string }> {
    return this.messages.filter((m) => userId === undefined || m.user_id === userId);
  }

  protected respond(call: RecordedCall): FakeAnswer {
    if (call.method === 'oauth/access_token') return this.#refresh(call);
    const token = call.headers['access_token'];
    if (token !== this.accessToken && !this.otherOaTokens.has(String(token))) return oaError(-216, 'Access token is invalid');
    const recipient = (call.body.recipient as { user_id?: unknown } | undefined)?.user_id;
    const text = (call.body.message as { text?: unknown } | undefined)?.text;
    if (typeof recipient !== 'string' || recipient === '') return oaError(-201, 'user_id is invalid!');
    if (typeof text !== 'string' || text.length === 0 || text.length > 2000) return oaError(-201, 'text is invalid!');
    const unreachable = this.unreachable.get(recipient);
    if (unreachable === -213) return oaError(-213, 'User has not followed OA');
    if (unreachable !== undefined) return oaError(unreachable, 'User has not interacted with the OA in the past 7 days');
    const message_id = createHash('sha1').update(String(this.#next++)).digest('hex').slice(0, 32);
    this.messages.push({ message_id, user_id: recipient, text });
    return { status: 200, body: { error: 0, message: 'Success', data: { message_id, user_id: recipient } } };
  }

  #refresh(call: RecordedCall): FakeAnswer {
    const b = call.body;
    if (call.headers['secret_key'] !== this.opts.appSecret) return { status: 200, body: { error: -14002, error_name: 'Invalid app secret', error_description: 'secret_key is invalid' } };
    if (b.app_id !== this.opts.appId || b.grant_type !== 'refresh_token') return { status: 200, body: { error: -14001, error_name: 'Invalid parameter', error_description: 'app_id or grant_type is invalid' } };
    if (typeof b.refresh_token !== 'string' || b.refresh_token !== this.refreshToken) {
      return { status: 200, body: { error: -14014, error_name: 'Invalid refresh token', error_description: this.usedRefreshTokens.has(String(b.refresh_token)) ? 'refresh_token was already used' : 'refresh_token is invalid' } };
    }
    this.usedRefreshTokens.add(this.refreshToken);
    this.#generation++;
    this.accessToken = `AT-${this.#generation}`;
    this.refreshToken = `RT-${this.#generation}`;
    return { status: 200, body: { access_token: this.accessToken, refresh_token: this.refreshToken, expires_in: '90000' } };
  }

  protected override succeeded(call: RecordedCall): boolean {
    const body = call.response as { error?: number; access_token?: string } | undefined;
    return call.method === 'oauth/access_token' ? typeof body?.access_token === 'string' : body?.error === 0;
  }
}
