/**
 * The Zalo OA access token and its refresh. Facts (docs/refs/platform-apis.md §2.2 and docs/refs/zalo-2026.md §4.2, from the official
 * Java SDK and integrators): `POST {oauthRoot}/v4/oa/access_token`, header `secret_key: <app
 * secret>`, form `app_id, grant_type=refresh_token, refresh_token`; the answer is
 * `{ access_token, refresh_token, expires_in }` (seconds, string or number; about 25 h). A refresh
 * token works ONCE: every refresh returns a new pair, and the old refresh token is dead.
 *
 * Hence the contract here:
 * - the new pair is written to the store (one atomic document write) BEFORE the new access
 *   token is used or returned, so a crash after that point never loses the only valid pair;
 * - concurrent callers share one refresh (one in-flight promise), so the refresh token is
 *   never spent twice by this process; across instances on one database the refresh runs
 *   under the store's named lock (`docs.exclusive`) and starts by re-reading the stored pair, so
 *   an instance that waited adopts the pair another one just stored instead of spending a dead
 *   refresh token;
 * - a caller whose token was refused passes the refused token: if the stored one already
 *   differs, someone refreshed meanwhile and that one is returned without another refresh;
 * - the token is refreshed ahead of expiry (REFRESH_MARGIN_MS), on use and by a background
 *   timer, so a quiet OA keeps a living refresh token (it expires after about 3 months).
 * Environment tokens seed the store once; when the operator puts a different refresh token in
 * the environment (after re-authorising the OA), it replaces the stored pair.
 *
 * The crash window that remains: Zalo answered the refresh but the process died before the
 * write. The old refresh token is then spent and the new pair lost; the OA must be re-authorised.
 * Errors never contain tokens.
 */
import { createHash } from 'node:crypto';
import axios from 'axios';
import { z } from 'zod';
import type { Logger } from '../../server/logger';
import type { DocStore } from '../../store/store';

export const OA_TOKEN_DOC = 'zalo-oa-tokens';
export const REFRESH_MARGIN_MS = 10 * 60_000;
const CHECK_EVERY_MS = 5 * 60_000;

const TokenDoc = z.object({
  version: z.literal(1),
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  /** When the access token stops working (ms); unknown for a token taken from the environment. */
  expiresAt: z.number().optional(),
  refreshedAt: z.number().optional(),
  /** Hash of the environment tokens this pair descends from, to notice new ones. */
  seed: z.string(),
});
export type TokenDoc = z.infer<typeof TokenDoc>;

const RefreshAnswer = z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const RefreshRefusal = z.object({ error: z.number().optional(), error_name: z.string().optional(), error_description: z.string().optional(), message: z.string().optional() });

export class OaTokenError extends Error {
  constructor(
    message: string,
    /** Worth trying again later (network, 5xx), as opposed to a refusal that needs an operator. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'OaTokenError';
  }
}

export interface OaTokensDeps {
  docs: DocStore;
  oauthRoot: string;
  appId: string;
  appSecret?: string;
  initial: { accessToken?: string; refreshToken?: string };
  logger: Logger;
  now: () => number;
  timeoutMs?: number;
  /** The store document holding this OA's pair (several OAs on one app: one document each). */
  docName?: string;
}

export class OaTokens {
  readonly #deps: OaTokensDeps;
  #state: TokenDoc | undefined;
  #loading: Promise<TokenDoc> | undefined;
  #refreshing: Promise<string> | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #seed: string;

  constructor(deps: OaTokensDeps) {
    this.#deps = deps;
    this.#seed = createHash('sha256').update(`${deps.initial.accessToken ?? ''}\n${deps.initial.refreshToken ?? ''}`).digest('hex').slice(0, 16);
  }

  /** A token to call the API with, refreshed first when it expires within the margin. */
  async accessToken(): Promise<string> {
    const s = await this.#load();
    return this.#needsRefresh(s) ? this.#refresh(s.accessToken) : s.accessToken;
  }

  /** The API refused `failed` as invalid or expired: get a fresh one (once, shared). */
  refreshAfterFailure(failed: string): Promise<string> {
    return this.#refresh(failed);
  }

  /** Refresh ahead of expiry in the background; the timer does not keep the process alive. */
  startTimer(): void {
    this.#timer ??= setInterval(() => {
      void this.accessToken().catch((e: unknown) => this.#deps.logger.error({ err: (e as Error).message }, 'zalo-oa token refresh failed'));
    }, CHECK_EVERY_MS).unref();
  }

  close(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #needsRefresh(s: TokenDoc): boolean {
    return s.accessToken === '' || (s.expiresAt !== undefined && s.expiresAt - this.#deps.now() <= REFRESH_MARGIN_MS);
  }

  #load(): Promise<TokenDoc> {
    if (this.#state) return Promise.resolve(this.#state);
    this.#loading ??= (async () => {
      const stored = await this.#deps.docs.get(this.#deps.docName ?? OA_TOKEN_DOC, TokenDoc);
      const { accessToken, refreshToken } = this.#deps.initial;
      if (stored && stored.seed === this.#seed) return (this.#state = stored);
      const seeded: TokenDoc = { version: 1, accessToken: accessToken ?? '', ...(refreshToken ? { refreshToken } : {}), seed: this.#seed };
      if (stored) this.#deps.logger.info('zalo-oa tokens in the environment changed; using them instead of the stored pair');
      await this.#deps.docs.set(this.#deps.docName ?? OA_TOKEN_DOC, seeded);
      return (this.#state = seeded);
    })().finally(() => (this.#loading = undefined));
    return this.#loading;
  }

  #refresh(failed: string): Promise<string> {
    // One lock per OA's pair: refreshes of different OAs on one app need not wait for each other.
    this.#refreshing ??= this.#deps.docs.exclusive(this.#deps.docName ?? OA_TOKEN_DOC, () => this.#doRefresh(failed)).finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #doRefresh(failed: string): Promise<string> {
    // The stored pair, not this process's copy: another instance may have refreshed meanwhile.
    this.#state = undefined;
    const s = await this.#load();
    if (s.accessToken !== failed && !this.#needsRefresh(s)) return s.accessToken;
    if (!s.refreshToken) throw new OaTokenError('zalo-oa: the access token is refused and there is no refresh token; set ZALO_OA_REFRESH_TOKEN', false);
    if (!this.#deps.appSecret) throw new OaTokenError('zalo-oa: ZALO_OA_APP_SECRET is needed to refresh the access token', false);

    let res;
    try {
      res = await axios.post(`${this.#deps.oauthRoot}/v4/oa/access_token`, new URLSearchParams({ app_id: this.#deps.appId, grant_type: 'refresh_token', refresh_token: s.refreshToken }).toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.#deps.appSecret },
        timeout: this.#deps.timeoutMs ?? 15_000,
        validateStatus: () => true,
      });
    } catch (e) {
      throw new OaTokenError(`zalo-oa token refresh: no answer (${(e as { code?: string }).code ?? 'network error'})`, true);
    }
    if (res.status === 429 || res.status >= 500) throw new OaTokenError(`zalo-oa token refresh: HTTP ${res.status}`, true);
    const answer = RefreshAnswer.safeParse(res.data);
    if (!answer.success) {
      // Zalo reports refusals as error/error_name/error_description, sometimes with HTTP 200.
      const why = RefreshRefusal.safeParse(res.data);
      const detail = why.success ? [why.data.error, why.data.error_name, why.data.error_description ?? why.data.message].filter((x) => x !== undefined).join(' ') : 'unexpected answer';
      throw new OaTokenError(`zalo-oa token refresh refused (HTTP ${res.status}): ${detail}`, false);
    }
    const now = this.#deps.now();
    const next: TokenDoc = { version: 1, accessToken: answer.data.access_token, refreshToken: answer.data.refresh_token, expiresAt: now + answer.data.expires_in * 1000, refreshedAt: now, seed: s.seed };
    // Persist before anyone uses the new token: the old refresh token is already spent.
    await this.#deps.docs.set(this.#deps.docName ?? OA_TOKEN_DOC, next);
    this.#state = next;
    this.#deps.logger.info({ expiresAt: new Date(next.expiresAt!).toISOString() }, 'zalo-oa access token refreshed');
    return next.accessToken;
  }
}
