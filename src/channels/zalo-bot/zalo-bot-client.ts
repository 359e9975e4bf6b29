/**
 * A small axios client for the Zalo Bot Platform API (https://docs.zaloplatforms.com/docs/BOT, see docs/refs/zalo-2026.md §4.1):
 * `POST {apiRoot}/bot{token}/{method}` with a JSON body; the answer is `{ ok, result?,
 * error_code?, description? }`. Whether error_code is mirrored in the HTTP status is not
 * documented, so both are read. Two error kinds, as grammY has: `ZaloBotApiError` (the API
 * answered and said no) and `ZaloBotHttpError` (no usable answer: network, timeout, not JSON).
 * Messages never contain the URL, because the URL contains the token.
 */
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';

const Envelope = z.object({ ok: z.boolean(), result: z.unknown().optional(), error_code: z.number().optional(), description: z.string().optional() });

export class ZaloBotApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    readonly httpStatus: number,
  ) {
    super(`zalo-bot ${method}: ${errorCode} ${description}`);
    this.name = 'ZaloBotApiError';
  }
}

export class ZaloBotHttpError extends Error {
  constructor(
    readonly method: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(`zalo-bot ${method}: ${message}`);
    this.name = 'ZaloBotHttpError';
  }
}

export interface ZaloBotClient {
  call<T = unknown>(method: string, body?: Record<string, unknown>): Promise<T>;
}

export function createZaloBotClient(config: { token: string; apiRoot: string }, timeoutMs = 15_000): ZaloBotClient {
  const http: AxiosInstance = axios.create({ baseURL: `${config.apiRoot}/bot${config.token}`, timeout: timeoutMs, validateStatus: () => true, headers: { 'content-type': 'application/json' } });
  return {
    async call<T>(method: string, body: Record<string, unknown> = {}): Promise<T> {
      let res;
      try {
        res = await http.post(`/${method}`, body);
      } catch (e) {
        // Not kept as the cause: an axios error carries the request URL, and the URL holds the token.
        const code = (e as { code?: string }).code ?? 'network error';
        throw new ZaloBotHttpError(method, `no answer (${code})`);
      }
      const parsed = Envelope.safeParse(res.data);
      if (!parsed.success) throw new ZaloBotHttpError(method, `unexpected answer (HTTP ${res.status})`, res.status);
      const env = parsed.data;
      if (res.status >= 300 || !env.ok) throw new ZaloBotApiError(method, env.error_code ?? res.status, env.description ?? 'refused', res.status);
      return env.result as T;
    },
  };
}
