/**
 * One client floods POST /api/chat (reliability review D2) while five citizens chat at a normal
 * pace, against the real server with its default flood limits (`bench/serve.ts limited`). The
 * flooder comes from one address (X-Forwarded-For 10.0.0.1; the server trusts loopback proxies),
 * each citizen from its own. Reported: how much of the flood was refused (429), the citizens'
 * latency during the flood against before it, whether any citizen message failed, and the
 * server's resident memory before and after. Measures, never asserts.
 */
import autocannon from 'autocannon';
import { ms, percentile } from './percentile';
import type { BenchOptions, Row } from './section';
import { spawnServer } from './spawn-server';

export const name = 'flood';
export const title = 'web chat flood';

const CITIZENS = 5;
/** Each citizen sends one message every 2.5 s: 24 a minute, under the 30 per address. */
const CITIZEN_EVERY_MS = 2_500;

async function citizen(url: string, address: string, until: () => boolean): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  let token: string | undefined;
  const texts = ['làm căn cước ở đâu', '1', '1', 'Hạc Thành', 'menu'];
  for (let i = 0; until(); i++) {
    const started = performance.now();
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address, ...(token ? { 'x-chat-id': token } : {}) },
      body: JSON.stringify({ text: texts[i % texts.length] }),
    });
    const body = (await res.json()) as { chatToken?: string };
    if (res.ok) latencies.push(performance.now() - started);
    else failed += 1;
    token ??= body.chatToken;
    await new Promise((r) => setTimeout(r, CITIZEN_EVERY_MS));
  }
  return { latencies, failed };
}

async function citizens(url: string, seconds: number, base: number): Promise<{ latencies: number[]; failed: number }> {
  const end = Date.now() + seconds * 1000;
  const all = await Promise.all(Array.from({ length: CITIZENS }, (_, i) => citizen(url, `10.0.1.${base + i}`, () => Date.now() < end)));
  return { latencies: all.flatMap((a) => a.latencies), failed: all.reduce((n, a) => n + a.failed, 0) };
}

export async function run(opts: BenchOptions): Promise<Row[]> {
  const server = await spawnServer('limited');
  try {
    const url = server.url;
    const before = await citizens(url, Math.max(5, opts.seconds / 2), 10);
    const rssBefore = await server.rssMb();
    const [flood, during] = await Promise.all([
      autocannon({
        url: `${url}/api/chat`,
        connections: 20,
        duration: opts.seconds,
        requests: [{ method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.0.0.1' }, body: JSON.stringify({ text: 'gặp cán bộ' }) }],
      }),
      citizens(url, opts.seconds, 20),
    ]);
    const rssAfter = await server.rssMb();
    const refused = flood['4xx'] ?? 0;
    const total = flood.requests.total;
    return [
      { measure: 'flooder: requests/s (one address, 20 connections)', value: flood.requests.average.toFixed(0) },
      { measure: 'flooder: refused with 429', value: `${((refused / Math.max(1, total)) * 100).toFixed(1)} % of ${total}`, goal: '≥ 99 %', met: refused / Math.max(1, total) >= 0.99 },
      { measure: 'citizens before the flood: p50 / p99', value: `${ms(percentile(before.latencies, 50))} / ${ms(percentile(before.latencies, 99))} (${before.latencies.length} answered)` },
      { measure: 'citizens during the flood: p50 / p99', value: `${ms(percentile(during.latencies, 50))} / ${ms(percentile(during.latencies, 99))} (${during.latencies.length} answered)` },
      { measure: 'citizen messages refused or failed', value: String(before.failed + during.failed), goal: '0', met: before.failed + during.failed === 0 },
      { measure: 'server memory (RSS) before / after the flood', value: `${rssBefore.toFixed(0)} MB / ${rssAfter.toFixed(0)} MB` },
    ];
  } finally {
    await server.stop();
  }
}
