/**
 * POST /api/chat under load: autocannon, 20 connections, every request a new chat (distinct
 * chatIds) asking "lam can cuoc o dau", against the real server — HTTP, inbox write, worker,
 * engine, sender, mailbox — and against a bare express 5 JSON handler in the same run. The
 * ratio of requests/s is the cost of everything the bot does per message (goal ≥ 0.6).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import { ms } from './percentile';
import type { BenchOptions, Row } from './section';

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

export async function withServer<T>(kind: 'real' | 'bare', fn: (url: string) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'serve.ts'), kind], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /listening (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`bench server (${kind}) exited with ${code}`)));
    });
    return await fn(`http://127.0.0.1:${port}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
  }
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
        // A new chat per request: each request creates and writes its own chat file.
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ chatId: `bench-${run}-${++n}`, text: 'lam can cuoc o dau' }) }),
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, ok: result['2xx'], failed: result.non2xx + result.errors + result.timeouts };
}

export async function run(opts: BenchOptions): Promise<Row[]> {
  // Short warm-up runs first, so neither side is measured while its JIT is still cold.
  const bare = await withServer('bare', async (url) => (await load(url, 2), load(url, opts.seconds)));
  const real = await withServer('real', async (url) => (await load(url, 2), load(url, opts.seconds)));
  const ratio = real.rps / bare.rps;
  const rows = (label: string, l: Load): Row[] => [
    { measure: `${label}: requests/s`, value: l.rps.toFixed(0) },
    { measure: `${label}: latency p50 / p99`, value: `${ms(l.p50)} / ${ms(l.p99)}` },
    { measure: `${label}: answered / failed`, value: `${l.ok} / ${l.failed}` },
  ];
  return [...rows('bare express 5 handler', bare), ...rows('thutuc /api/chat', real), { measure: 'requests/s ratio thutuc / bare', value: ratio.toFixed(2), goal: '≥ 0.6', met: ratio >= 0.6 }];
}
