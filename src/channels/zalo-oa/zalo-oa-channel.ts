/**
 * The Zalo Official Account channel (Open API v3). Options are numbered lines: buttons on
 * customer-service messages are not confirmed for v3 (refs/platform-apis.md §2.1), and typing
 * the number works everywhere. Texts are split at 2000 characters.
 *
 * Webhook: `X-ZEvent-Signature` must match (see signature.ts) — otherwise 401, nothing stored.
 * Zalo wants a 200 within about 2 s and redelivers for hours otherwise, so the route only
 * verifies, translates and stores; the engine and the send run after the answer.
 *
 * Send errors, read from the body (error codes from the OA `ma-loi` table as copied by several
 * integrations): -216 invalid token, -220 expired token and -124 (reported by integrators for an
 * expired token) → refresh once and try again; -32 rate limit → retry with backoff; -213 (not a
 * follower), -230 / -232 (no interaction in the last 7 days), -227 (account banned or inactive)
 * → the citizen can't be reached now: permanent, the chat is marked inactive with the reason
 * and nothing is retried (the mark is lifted when the citizen writes again); other errors →
 * this message is refused.
 */
import { Router, type Request, type Response } from 'express';
import type { Reply } from '../../engine/types';
import type { RawBodyRequest } from '../../server/app';
import { plainText } from '../render/plain-text';
import { splitText } from '../render/split-text';
import { SendError, type Channel, type SendContext } from '../channel';
import type { ChannelDeps } from '../index';
import { createOaClient, OaHttpError, type OaAnswer, type OaClient } from './oa-client';
import { OaTokenError, OaTokens } from './oa-tokens';
import { verifyOaSignature } from './signature';
import { zaloOaToInbound } from './to-inbound';
import { sendRemainingParts } from '../render/send-parts';

export const ZALO_OA_WEBHOOK_PATH = '/webhooks/zalo-oa';
export const ZALO_OA_MAX_TEXT = 2000;
const TOKEN_ERRORS = new Set([-216, -220, -124]);
const UNREACHABLE = new Set([-213, -230, -232, -227]);
const RATE_LIMITED = -32;

export interface ZaloOaConfig {
  appId: string;
  appSecret?: string;
  secretKey: string;
  accessToken?: string;
  refreshToken?: string;
  apiRoot: string;
  oauthRoot: string;
}

export function oaSendError(answer: OaAnswer): SendError {
  const what = `zalo-oa message/cs: error ${answer.error} ${answer.message ?? ''}`.trim();
  if (answer.error === RATE_LIMITED || TOKEN_ERRORS.has(answer.error)) return new SendError(what, 'retry');
  if (UNREACHABLE.has(answer.error)) return new SendError(what, 'permanent');
  return new SendError(what, 'invalid');
}

export function createZaloOaChannel(config: ZaloOaConfig, deps: ChannelDeps, client: OaClient = createOaClient(config.apiRoot)): Channel {
  const log = deps.logger.child({ channel: 'zalo-oa' });
  const tokens = new OaTokens({
    docs: deps.store.docs,
    oauthRoot: config.oauthRoot,
    appId: config.appId,
    ...(config.appSecret ? { appSecret: config.appSecret } : {}),
    initial: { ...(config.accessToken ? { accessToken: config.accessToken } : {}), ...(config.refreshToken ? { refreshToken: config.refreshToken } : {}) },
    logger: log,
    now: deps.now,
  });
  if (config.refreshToken && config.appSecret) tokens.startTimer();

  async function withToken<T>(use: (token: string) => Promise<T>): Promise<T> {
    try {
      return await use(await tokens.accessToken());
    } catch (e) {
      if (e instanceof OaTokenError && !e.transient) log.error({ err: e.message }, 'zalo-oa has no usable access token');
      throw asSendError(e);
    }
  }

  async function sendPart(userId: string, text: string): Promise<void> {
    let token = '';
    let answer = await withToken((t) => client.sendText((token = t), userId, text));
    if (TOKEN_ERRORS.has(answer.error)) {
      try {
        token = await tokens.refreshAfterFailure(token);
        answer = await client.sendText(token, userId, text);
      } catch (e) {
        if (e instanceof OaTokenError && !e.transient) log.error({ err: e.message }, 'zalo-oa has no usable access token');
        throw asSendError(e);
      }
    }
    if (answer.error !== 0) {
      const err = oaSendError(answer);
      if (err.kind === 'invalid') log.error({ err: err.message }, 'zalo-oa refused a message');
      throw err;
    }
  }

  async function send(chatId: string, reply: Reply, ctx: SendContext): Promise<void> {
    const locale = ctx.record.session?.locale ?? deps.config.defaultLocale;
    const parts = splitText(plainText(reply, { numbered: true, hint: deps.content().t(locale, 'channel.reply_with_number') }), ZALO_OA_MAX_TEXT);
    await sendRemainingParts(ctx, parts, (part) => sendPart(chatId, part));
    ctx.state.partsSent = null;
  }

  function router(): Router {
    const r = Router();
    r.post(ZALO_OA_WEBHOOK_PATH, async (req: Request, res: Response) => {
      const body: unknown = req.body;
      const timestamp = (body as { timestamp?: unknown } | undefined)?.timestamp;
      const ok = verifyOaSignature({
        appId: config.appId,
        secretKey: config.secretKey,
        rawBody: (req as RawBodyRequest).rawBody,
        timestamp: typeof timestamp === 'string' || typeof timestamp === 'number' ? String(timestamp) : undefined,
        header: req.header('x-zevent-signature'),
      });
      if (!ok) {
        deps.metrics.rejected.inc({ channel: 'zalo-oa', reason: 'signature' });
        log.warn({ ip: req.ip, hasHeader: req.header('x-zevent-signature') !== undefined }, 'zalo-oa webhook with a wrong or missing signature refused');
        res.status(401).json({ error: 'invalid signature' });
        return;
      }
      let parsed;
      try {
        parsed = zaloOaToInbound(body, (req as RawBodyRequest).rawBody!, deps.now());
      } catch (e) {
        log.error({ err: e }, 'zalo-oa event could not be translated; acknowledged and dropped');
        res.json({ error: 0 });
        return;
      }
      if (parsed.kind === 'ignore') log.debug({ reason: parsed.reason }, 'zalo-oa event ignored');
      // A failed inbox write throws: Express answers 5xx and Zalo delivers again.
      else await deps.pipeline().accept(parsed.message);
      res.json({ error: 0 });
    });
    return r;
  }

  return {
    name: 'zalo-oa',
    // Zalo's limit (-32) is per minute and unpublished; 10 sends a second stays modest.
    limits: { maxText: ZALO_OA_MAX_TEXT, buttons: false, ratePerSecond: 10 },
    router,
    send,
    async close() {
      tokens.close();
    },
  };
}

function asSendError(e: unknown): SendError {
  if (e instanceof SendError) return e;
  if (e instanceof OaTokenError) return new SendError(e.message, e.transient ? 'retry' : 'invalid');
  if (e instanceof OaHttpError) return new SendError(e.message, 'retry');
  return new SendError(`zalo-oa: ${(e as Error)?.message ?? String(e)}`, 'retry', undefined, { cause: e });
}
