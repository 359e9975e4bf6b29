/**
 * The common part of the platform fakes: a loopback HTTP server that records every call (method
 * name, headers, parsed body, when, what it answered) and can be scripted per method to answer
 * something else than the platform's normal success (429 with retry_after, 5xx, 403, expired
 * token), to answer late, or to hold a request until the test lets it go (to kill the bot while a
 * send is in flight). Each fake supplies `route` (request → method name) and `respond` (the
 * platform's normal behaviour).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** JSON or form body, parsed; the raw text when it was neither. */
  body: Record<string, unknown>;
  at: number;
  /** What the fake answered; undefined while held or when the client went away first. */
  status?: number;
  response?: unknown;
  /** The client closed the connection before the fake answered (e.g. the bot was killed). */
  aborted?: boolean;
}

export interface FakeAnswer {
  status: number;
  body: unknown;
  /** Answer after this many ms. */
  delayMs?: number;
  /** Extra response headers (e.g. Zalo's X-RateLimit-Remain). */
  headers?: Record<string, string>;
}

/**
 * A scripted reaction: a fixed answer, or hold the request until released — before the fake
 * acts on it (`afterEffect: false`: the platform never did it) or after (`true`: the platform
 * did it, only the answer is late, as when a connection drops on the way back).
 */
export type Scripted = FakeAnswer | { hold: true; afterEffect: boolean } | { normal: true };

/** A script entry that lets one call through with the platform's normal answer. */
export const NORMAL: Scripted = { normal: true };

export interface Held {
  /** Resolves once a request has arrived and is being held. */
  arrived: Promise<RecordedCall>;
  /** Let the held request get its normal answer. */
  release(): void;
}

export abstract class FakeServer {
  readonly calls: RecordedCall[] = [];
  #server: Server | undefined;
  #url = '';
  readonly #scripts = new Map<string, Scripted[]>();
  readonly #holds = new Map<string, Array<{ arrived: (c: RecordedCall) => void; released: Promise<void> }>>();
  readonly #waiters = new Set<() => void>();

  /** The method a request calls, or undefined for an unknown path (answered 404). */
  protected abstract route(req: IncomingMessage): string | undefined;
  /** The platform's normal answer for a call. */
  protected abstract respond(call: RecordedCall, req: IncomingMessage): FakeAnswer;

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.#server) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }

  /** The next calls of `method` get these answers, in order; later calls behave normally. */
  script(method: string, ...answers: Scripted[]): void {
    this.#scripts.set(method, [...(this.#scripts.get(method) ?? []), ...answers]);
  }

  /** Hold the next call of `method` until released (see `Scripted` for `afterEffect`). */
  hold(method: string, afterEffect = false): Held {
    let arrived!: (c: RecordedCall) => void;
    let release!: () => void;
    const arrivedP = new Promise<RecordedCall>((r) => (arrived = r));
    const released = new Promise<void>((r) => (release = r));
    this.#holds.set(method, [...(this.#holds.get(method) ?? []), { arrived, released }]);
    this.script(method, { hold: true, afterEffect });
    return { arrived: arrivedP, release };
  }

  /** Calls of one method that the fake answered with 2xx (what the platform delivered). */
  ok(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.status !== undefined && c.status < 300 && this.succeeded(c));
  }

  /** Whether an answered call counts as success (platforms with errors in a 200 body override). */
  protected succeeded(_call: RecordedCall): boolean {
    return true;
  }

  /** Resolves when `predicate(calls)` holds; rejects after timeoutMs with what was recorded. */
  waitFor(predicate: (calls: RecordedCall[]) => boolean, timeoutMs = 10_000): Promise<RecordedCall[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.calls)) return false;
        clearTimeout(timer);
        this.#waiters.delete(check);
        resolve(this.calls);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`fake: condition not met within ${timeoutMs} ms; calls: ${this.calls.map((c) => `${c.method}:${c.status ?? (c.aborted ? 'aborted' : 'pending')}`).join(', ')}`));
      }, timeoutMs);
      if (!check()) this.#waiters.add(check);
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.#scripts.clear();
    this.#holds.clear();
  }

  #notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = this.route(req);
    const call: RecordedCall = { method: method ?? '?', path: url.pathname, headers: req.headers, body: parseBody(raw, req.headers['content-type'], url), at: Date.now() };
    this.calls.push(call);
    const send = (answer: FakeAnswer) => {
      if (res.destroyed || call.aborted) return;
      call.status = answer.status;
      call.response = answer.body;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body));
      this.#notify();
    };
    res.on('close', () => {
      if (call.status === undefined) {
        call.aborted = true;
        this.#notify();
      }
    });
    if (!method) return send({ status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } });

    const scripted = this.#scripts.get(method)?.shift();
    if (scripted && 'hold' in scripted) {
      const hold = this.#holds.get(method)?.shift();
      // When the client is gone before the answer, an effect-first call still counts as done.
      const early = scripted.afterEffect ? this.respond(call, req) : undefined;
      this.#notify();
      hold?.arrived(call);
      await hold?.released;
      return send(early ?? this.respond(call, req));
    }
    const answer = scripted && 'status' in scripted ? scripted : this.respond(call, req);
    if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
    send(answer);
  }
}

function parseBody(raw: string, contentType: string | undefined, url: URL): Record<string, unknown> {
  const query = Object.fromEntries(url.searchParams);
  if (raw === '') return query;
  if (contentType?.includes('application/x-www-form-urlencoded')) return { ...query, ...Object.fromEntries(new URLSearchParams(raw)) };
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...query, ...(parsed as Record<string, unknown>) } : { raw };
  } catch {
    return { raw };
  }
}
