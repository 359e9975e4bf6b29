/**
 * POST /api/chat under load: autocannon, 20 connections, every request a new chat (distinct
 * chatIds) asking "lam can cuoc o dau", against the real server — HTTP, inbox write, worker,
 * engine, sender, mailbox — and against a bare express 5 JSON handler in the same run. The
 * ratio of requests/s is the cost of everything the bot does per message (goal ≥ 0.6).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { ms } from './percentile';
import type { BenchOptions, Row } from './section';
import { withServer } from './spawn-server';

export const name = 'http';
export const title = 'POST /api/chat';

const CONNECTIONS = 20;

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
}

export async function load(url: string, seconds: number): Promise<Load> {
  const run = randomUUID().slice(0, 8);
  let n = 0;
  const result = await autocannon({
    url: `${url}/api/chat`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // A new chat per request: each request sends no credential, so the server issues a new
        // chat (and signs its token) and writes its own chat file. The bench server lifts the
        // flood limits, which would otherwise stop one address after 5 new chats.
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ text: 'lam can cuoc o dau', messageId: `bench-${run}-${++n}` }) }),
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, ok: result['2xx'], failed: result.non2xx + result.errors + result.timeouts };
}

export async function run(opts: BenchOptions): Promise<Row[]> {
  // Short warm-up runs first, so neither side is measured while its JIT is still cold.
  const bare = await withServer('bare', async ({ url }) => (await load(url, 2), load(url, opts.seconds)));
  const real = await withServer('real', async ({ url }) => (await load(url, 2), load(url, opts.seconds)));
  const ratio = real.rps / bare.rps;
  const rows = (label: string, l: Load): Row[] => [
    { measure: `${label}: requests/s`, value: l.rps.toFixed(0) },
    { measure: `${label}: latency p50 / p99`, value: `${ms(l.p50)} / ${ms(l.p99)}` },
    { measure: `${label}: answered / failed`, value: `${l.ok} / ${l.failed}` },
  ];
  return [...rows('bare express 5 handler', bare), ...rows('thutuc /api/chat', real), { measure: 'requests/s ratio thutuc / bare', value: ratio.toFixed(2), goal: '≥ 0.6', met: ratio >= 0.6 }];
}
