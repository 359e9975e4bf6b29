/**
 * Customer-service ("tư vấn") text messages through the Zalo OA Open API v3:
 * `POST {apiRoot}/v3.0/oa/message/cs`, header `access_token` (not a Bearer token), JSON
 * `{ recipient: { user_id }, message: { text } }` (official Java SDK `v3/SendTextCSMessage`).
 * The OA API answers HTTP 200 for business errors too: `{ error: 0, message, data }` is success,
 * any other `error` is a refusal — so the body, not the status, decides. `OaHttpError` means no
 * usable answer (network, timeout, 5xx, 429, not JSON).
 */
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';

const Answer = z.object({ error: z.coerce.number(), message: z.string().optional(), data: z.unknown().optional() });
/** The body, plus the rate headers Zalo sends (`X-RateLimit-Limit`, `X-RateLimit-Remain`). */
export type OaAnswer = z.infer<typeof Answer> & { rateLimit?: { limit?: number; remain?: number } };

function rateHeaders(headers: Record<string, unknown>): OaAnswer['rateLimit'] {
  const num = (v: unknown) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));
  const limit = num(headers['x-ratelimit-limit']);
  const remain = num(headers['x-ratelimit-remain']);
  return limit === undefined && remain === undefined ? undefined : { ...(limit !== undefined ? { limit } : {}), ...(remain !== undefined ? { remain } : {}) };
}

export class OaHttpError extends Error {
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'OaHttpError';
  }
}

export interface OaClient {
  sendText(accessToken: string, userId: string, text: string): Promise<OaAnswer>;
}

export function createOaClient(apiRoot: string, timeoutMs = 15_000): OaClient {
  const http: AxiosInstance = axios.create({ baseURL: apiRoot, timeout: timeoutMs, validateStatus: () => true });
  return {
    async sendText(accessToken, userId, text) {
      let res;
      try {
        res = await http.post('/v3.0/oa/message/cs', { recipient: { user_id: userId }, message: { text } }, { headers: { 'content-type': 'application/json', access_token: accessToken } });
      } catch (e) {
        throw new OaHttpError(`zalo-oa message/cs: no answer (${(e as { code?: string }).code ?? 'network error'})`);
      }
      if (res.status === 429 || res.status >= 500) throw new OaHttpError(`zalo-oa message/cs: HTTP ${res.status}`, res.status);
      const parsed = Answer.safeParse(res.data);
      if (!parsed.success) throw new OaHttpError(`zalo-oa message/cs: unexpected answer (HTTP ${res.status})`, res.status);
      const rateLimit = rateHeaders(res.headers as Record<string, unknown>);
      return { ...parsed.data, ...(rateLimit ? { rateLimit } : {}) };
    },
  };
}
