/**
 * The Zalo Official Account channel (Open API v3). Options are numbered lines: buttons on
 * customer-service messages are not confirmed for v3 (docs/refs/zalo-2026.md §4.2), and typing
 * the number works everywhere. Texts are split at 2000 characters.
 *
 * Webhook (docs/refs/zalo-2026.md §4.2): `X-ZEvent-Signature` must match (signature.ts) and the
 * event's `timestamp` must lie within the replay window below — otherwise 401, nothing stored.
 * Zalo wants a 200 within 2 s and does NOT deliver again after a 5xx (it retries only when the
 * connection fails, and then disables the webhook), so a validly signed event is always
 * acknowledged: the inbound route spools it locally when the store can't take it.
 *
 * Send errors, read from the body (official `ma-loi` table, docs/refs/zalo-2026.md §4.2):
 * -216 invalid token, -220 expired token and -124 (reported by integrators) → refresh once and
 * try again; -32 rate limit → retry with backoff; -213 (not a follower), -230 / -232 (no
 * interaction in the last 7 days), -227 (banned or inactive), -244 (the citizen restricts this
 * message type), -218 (their receive quota is used up) → the citizen can't be reached now:
 * permanent, the chat is marked inactive (lifted when they write again). -221, -224, -223,
 * -219, -209, -212, -242 mean the OA or app is misconfigured (not verified, no package, API not
 * granted, app problems, appsecret_proof): the message is refused and the channel reports the
 * problem, so /readyz fails and says why. Other errors → this message is refused.
 *
 * Rate: 4,000 requests a minute per app (§4.2), shared by the sends of this process; when a
 * send's `X-RateLimit-Remain` reaches 0 the next sends wait for the minute to pass.
 */
import type { Reply } from '../../engine/types';
import { sendNumbered } from '../render/numbered-send';
import { SendError, type Channel, type SendContext, type Verdict, type WebhookRequest } from '../channel';
import type { ChannelDeps } from '../registry';
import { createOaClient, OaHttpError, type OaAnswer, type OaClient } from './oa-client';
import { OaTokenError, OaTokens } from './oa-tokens';
import { verifyOaSignature } from './signature';
import { zaloOaToInbound } from './to-inbound';

export const ZALO_OA_MAX_TEXT = 2000;
const TOKEN_ERRORS = new Set([-216, -220, -124]);
const UNREACHABLE = new Set([-213, -230, -232, -227, -244, -218]);
/** The OA or the app is not set up to send (not verified, no paid package, API not granted, …). */
export const MISCONFIGURED = new Map<number, string>([
  [-221, 'the OA is not verified'],
  [-224, 'the OA has no package that allows this feature'],
  [-223, 'the app was not granted this API'],
  [-219, 'the app was removed or disabled'],
  [-209, 'the app is not approved for this API'],
  [-212, 'the app is not linked to this OA'],
  [-242, 'the app requires appsecret_proof'],
]);
const RATE_LIMITED = -32;
/** Zalo's published budget for the OA API. */
export const OA_REQUESTS_PER_MINUTE = 4_000;

/**
 * Replay window on the event's own `timestamp` (reliability review D7). Zalo's redeliveries
 * come at 30 s, 5 min, 15 min, 30 min and 1 h after the first try (≈ 2 h 06 min in all), with the
 * same body; 3 h covers them with margin. The dedupe keys live 48 h (pipeline/inbox.ts), longer
 * than the window, so a replay inside it is a duplicate and one outside it is refused here.
 */
export const OA_REPLAY_PAST_MS = 3 * 3600_000;
/** Clock skew tolerated for events stamped in the future. */
export const OA_REPLAY_FUTURE_MS = 5 * 60_000;

export interface ZaloOaConfig {
  appId: string;
  /** The OA id (`recipient.id` of its events) of the first token pair; needed only with `accounts`. */
  oaId?: string;
  /** Further OAs authorised on the same app, each with its own first token pair. */
  accounts?: Array<{ oaId: string; accessToken?: string; refreshToken?: string }>;
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

/** The `timestamp` of an OA event (ms since epoch, as a string or number) when the body is JSON. */
function eventTimestamp(raw: Buffer): string | undefined {
  try {
    const t = (JSON.parse(raw.toString('utf8')) as { timestamp?: unknown } | null)?.timestamp;
    return typeof t === 'string' || typeof t === 'number' ? String(t) : undefined;
  } catch {
    return undefined;
  }
}

export function verifyOaEvent(req: WebhookRequest, now: number, keys: { appId: string; secretKey: string }): Verdict {
  const timestamp = eventTimestamp(req.rawBody);
  const ok = verifyOaSignature({ appId: keys.appId, secretKey: keys.secretKey, rawBody: req.rawBody, timestamp, header: req.header('x-zevent-signature') });
  if (!ok) return { ok: false, reason: 'signature' };
  const at = Number(timestamp);
  if (!Number.isFinite(at) || at < now - OA_REPLAY_PAST_MS || at > now + OA_REPLAY_FUTURE_MS) return { ok: false, reason: 'stale' };
  return { ok: true };
}

export function createZaloOaChannel(config: ZaloOaConfig, deps: ChannelDeps, client: OaClient = createOaClient(config.apiRoot)): Channel {
  const log = deps.logger.child({ channel: 'zalo-oa' });
  const makeTokens = (pair: { accessToken?: string; refreshToken?: string }, docName?: string) => {
    const t = new OaTokens({
      docs: deps.store.docs,
      oauthRoot: config.oauthRoot,
      appId: config.appId,
      ...(config.appSecret ? { appSecret: config.appSecret } : {}),
      initial: { ...(pair.accessToken ? { accessToken: pair.accessToken } : {}), ...(pair.refreshToken ? { refreshToken: pair.refreshToken } : {}) },
      logger: log,
      now: deps.now,
      ...(docName ? { docName } : {}),
    });
    if (pair.refreshToken && config.appSecret) t.startTimer();
    return t;
  };
  // Several OAs on one app (docs/refs/zalo-2026.md §4.3 #8): Zalo sends every OA's events to the
  // app's one webhook, told apart by `recipient.id`; each OA has its own token pair (its own
  // store document). The first OA is the one of ZALO_OA_ACCESS_TOKEN / _REFRESH_TOKEN.
  const primary = makeTokens(config);
  const byOa = new Map<string, OaTokens>();
  if (config.oaId) byOa.set(config.oaId, primary);
  for (const oa of config.accounts ?? []) byOa.set(oa.oaId, makeTokens(oa, `zalo-oa-tokens-${oa.oaId}`));
  const tokensFor = (oaId: string | undefined) => (oaId !== undefined ? byOa.get(oaId) : undefined) ?? primary;

  async function withToken<T>(tokens: OaTokens, use: (token: string) => Promise<T>): Promise<T> {
    try {
      return await use(await tokens.accessToken());
    } catch (e) {
      if (e instanceof OaTokenError && !e.transient) log.error({ err: e.message }, 'zalo-oa has no usable access token');
      throw asSendError(e);
    }
  }

  // Rate budget from the headers of the last answer: when Zalo says none is left, wait for the
  // minute to pass instead of spending requests on -32 refusals.
  let exhaustedAt: number | undefined;
  function noteRate(answer: OaAnswer): void {
    if (answer.rateLimit?.remain !== undefined && answer.rateLimit.remain <= 0) exhaustedAt = deps.now();
  }
  let problem: string | undefined;
  function noteProblem(answer: OaAnswer): void {
    const what = MISCONFIGURED.get(answer.error);
    if (what) {
      problem = `zalo-oa is misconfigured: ${what} (error ${answer.error}); see README "Connect Zalo"`;
      log.error({ error: answer.error }, problem);
    } else if (answer.error === 0) problem = undefined;
  }

  async function sendPart(tokens: OaTokens, userId: string, text: string): Promise<void> {
    if (exhaustedAt !== undefined) {
      const wait = exhaustedAt + 60_000 - deps.now();
      if (wait > 0) throw new SendError('zalo-oa: rate budget used up (X-RateLimit-Remain 0)', 'retry', wait);
      exhaustedAt = undefined;
    }
    let token = '';
    let answer = await withToken(tokens, (t) => client.sendText((token = t), userId, text));
    if (TOKEN_ERRORS.has(answer.error)) {
      try {
        token = await tokens.refreshAfterFailure(token);
        answer = await client.sendText(token, userId, text);
      } catch (e) {
        if (e instanceof OaTokenError && !e.transient) log.error({ err: e.message }, 'zalo-oa has no usable access token');
        throw asSendError(e);
      }
    }
    noteRate(answer);
    noteProblem(answer);
    if (answer.error !== 0) {
      const err = oaSendError(answer);
      if (err.kind === 'invalid') log.error({ err: err.message }, 'zalo-oa refused a message');
      throw err;
    }
  }

  async function send(chatId: string, reply: Reply, ctx: SendContext): Promise<void> {
    // Which OA this citizen wrote to: from the message being answered, else what the chat keeps.
    const oaId = typeof ctx.inboundMeta?.oaId === 'string' ? ctx.inboundMeta.oaId : typeof ctx.record.channelState.oaId === 'string' ? ctx.record.channelState.oaId : undefined;
    if (oaId !== undefined) ctx.state.oaId = oaId;
    const tokens = tokensFor(oaId);
    await sendNumbered(deps, reply, ctx, ZALO_OA_MAX_TEXT, (part) => sendPart(tokens, chatId, part));
  }

  const known = new Set(byOa.keys());
  function parse(body: unknown, raw: Buffer, now: number) {
    const parsed = zaloOaToInbound(body, raw, now);
    if (parsed.kind !== 'message' || known.size === 0) return parsed;
    const oaId = typeof parsed.message.meta?.oaId === 'string' ? parsed.message.meta.oaId : undefined;
    // With several OAs configured, an event for an OA this server does not serve is not ours.
    if (oaId !== undefined && !known.has(oaId)) return { kind: 'ignore' as const, reason: `event for an OA not configured here (${oaId})` };
    return parsed;
  }

  return {
    name: 'zalo-oa',
    limits: { maxText: ZALO_OA_MAX_TEXT, buttons: false, ratePerSecond: OA_REQUESTS_PER_MINUTE / 60, perInterval: { cap: OA_REQUESTS_PER_MINUTE, intervalMs: 60_000 } },
    verify: (req, now) => verifyOaEvent(req, now, config),
    parse,
    // 2 s is Zalo's limit; 1.5 s leaves room for the network. redelivers: false → spool.
    inbound: { ack: { json: { error: 0 } }, refused: { json: { error: 'invalid signature' } }, redelivers: false, acceptTimeoutMs: 1_500 },
    problem: () => problem,
    send,
    async close() {
      primary.close();
      for (const t of byOa.values()) t.close();
    },
  };
}

function asSendError(e: unknown): SendError {
  if (e instanceof SendError) return e;
  if (e instanceof OaTokenError) return new SendError(e.message, e.transient ? 'retry' : 'invalid');
  if (e instanceof OaHttpError) return new SendError(e.message, 'retry');
  return new SendError(`zalo-oa: ${(e as Error)?.message ?? String(e)}`, 'retry', undefined, { cause: e });
}
