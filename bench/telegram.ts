/**
 * Telegram webhook under a fixed offered load (200 requests/s, open loop, see `load`) on
 * loopback, with 10,000 distinct chats already in the store, each in the middle of the ID-card
 * flow with a live keyboard. Every request is a new update from one of those chats answering
 * "1", so the bot does what it does mid-conversation: secret check, inbox write, engine step,
 * keyboard retired (editMessageReplyMarkup) and the next question sent (sendMessage) to a
 * loopback Telegram fake.
 *
 * Measured, in the same run:
 * - the webhook acknowledgement (what Telegram waits for): requests/s, p50/p99, for the bot and
 *   for a bare express 5 handler that parses the JSON and answers 200 (ratio goal ≥ 0.6,
 *   p99 goal ≤ 20 ms);
 * - webhook → reply at the fake: from sending the update to the fake receiving sendMessage.
 * The servers and the fake run as child processes, so the load generator shares no event loop
 * with them; the fake's receive times (same machine clock) are paired with the posting times.
 * Telegram's 30 sends/s bulk limit is lifted (TELEGRAM_SEND_RATE=1000) so that the pipeline,
 * not that policy, is measured; at 30/s a sustained 200 replies/s would simply queue.
 *
 * `tsx bench/telegram.ts` runs this section alone; `bench/run.ts` runs it with the others.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { loadContent } from '../src/content/index';
import { step } from '../src/engine/step';
import { createStore } from '../src/store/create-store';
import { TelegramFake } from '../test/fakes/telegram-fake';
import { ms, percentile } from './percentile';
import type { BenchOptions, Row } from './section';

export const name = 'telegram';
export const title = 'Telegram webhook → reply';

const ROOT = path.resolve(import.meta.dirname, '..');
const RATE = 200;
const CHATS = 10_000;
const SECRET = 'bench_secret';
const FIRST_CHAT = 700_000_000;
const FAKE_TOKEN = '700000:bench-token';

interface Load {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** Chat and time of each posted update, to pair with the replies the fake received. */
  posted: Array<[chat: string, at: number]>;
}

/** 10,000 chats mid-flow ("who is the card for?" asked, keyboard live), written through the store. */
async function seed(dataDir: string, databaseUrl?: string): Promise<void> {
  const { content } = await loadContent(ROOT, { regions: ['thanh-hoa'] });
  if (!content) throw new Error('content does not load; run npm run content:lint');
  const now = Date.now();
  const { session, replies } = step(content, undefined, { kind: 'text', value: 'căn cước' }, now);
  const store = await createStore({ dataDir, storeFsync: false, ...(databaseUrl ? { databaseUrl } : {}) });
  for (let start = 0; start < CHATS; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, CHATS - start) }, (_, i) => {
        const chatId = String(FIRST_CHAT + start + i);
        const messageId = start + i + 1;
        return store.chats.update({ channel: 'telegram', chatId }, (r) => {
          r.session = session;
          r.seen = { [`u${messageId}`]: now };
          r.transcript = [
            { at: now, from: 'user', text: 'căn cước' },
            { at: now, from: 'bot', text: replies[0]!.text },
          ];
          r.channelState = { keyboardMessageId: messageId };
          return { record: r, result: undefined };
        });
      }),
    );
  }
  await store.close();
}

/** Runs this file in a child process (`--serve real|bare` or `--fake <file>`) until stop(). */
async function child(args: string[], env: Record<string, string> = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  // BENCH_CPU_PROF=<dir> writes a CPU profile of the bot under load there (to see where time goes).
  const prof = process.env.BENCH_CPU_PROF && args[1] === 'real' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...prof, '--import', 'tsx', fileURLToPath(import.meta.url), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`bench child (${args.join(' ')}) exited with ${code}`)));
  });
  return {
    url,
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((resolve) => (proc.exitCode === null ? proc.once('exit', resolve) : resolve(undefined)));
    },
  };
}

/**
 * Open-loop load: request i is sent at t0 + i/RATE whatever happened to earlier ones (as a
 * platform delivering updates does), over at most 40 keep-alive connections (Telegram's default
 * max_connections). Latency counts from the scheduled time, so a server falling behind shows up
 * in the figures instead of silently lowering the offered load. `first` numbers the updates
 * (distinct per run, so none is a duplicate) and picks the first chat.
 */
async function load(url: string, seconds: number, first: number, rate = RATE): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 40 });
  const target = new URL(`${url}/webhooks/telegram`);
  const total = Math.round(seconds * rate);
  const posted: Load['posted'] = [];
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const t0 = performance.now() + 50;
  const inflight: Array<Promise<void>> = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const chat = FIRST_CHAT + ((first + i) % CHATS);
    const body = JSON.stringify({ update_id: first + i, message: { message_id: first + i, date: 0, chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'Lan' }, text: '1' } });
    posted.push([String(chat), Date.now()]);
    inflight.push(
      new Promise<void>((resolve) => {
        const req = http.request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-telegram-bot-api-secret-token': SECRET } }, (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if (res.statusCode === 200) ok++;
            else failed++;
            resolve();
          });
        });
        req.on('error', () => {
          failed++;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { rps: ok / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ok, failed, posted };
}

/** Pairs each posted update with the first sendMessage to its chat at or after it. */
function replyLatencies(posted: Load['posted'], sends: Array<{ chat: string; at: number }>): number[] {
  const byChat = new Map<string, number[]>();
  for (const s of sends) byChat.set(s.chat, [...(byChat.get(s.chat) ?? []), s.at]);
  const out: number[] = [];
  for (const [chat, at] of posted) {
    const list = byChat.get(chat) ?? [];
    const idx = list.findIndex((t) => t >= at);
    if (idx < 0) continue;
    out.push(list[idx]! - at);
    list.splice(idx, 1);
  }
  return out;
}

export async function run(opts: BenchOptions): Promise<Row[]> {
  return (await measure(opts)).rows;
}

/** The section's run, on the embedded store or (databaseUrl) PostgreSQL, with the webhook load's figures. */
export async function measure(opts: BenchOptions, databaseUrl?: string): Promise<{ rows: Row[]; ack: Load }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'thutuc-bench-tg-'));
  const callsFile = path.join(dataDir, 'fake-calls.json');
  try {
    await seed(dataDir, databaseUrl);
    const bare = await child(['--serve', 'bare']);
    let bareLoad: Load;
    try {
      await load(bare.url, 2, 0);
      bareLoad = await load(bare.url, opts.seconds, 1_000);
    } finally {
      await bare.stop();
    }
    const fake = await child(['--fake', callsFile]);
    let realLoad: Load;
    let halfLoad: Load;
    try {
      const real = await child(['--serve', 'real'], { ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), DATA_DIR: dataDir, TELEGRAM_BOT_TOKEN: FAKE_TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.url, TELEGRAM_SEND_RATE: '1000' });
      try {
        // Warm-up on the first chats, measurements on chats no earlier run touched.
        await load(real.url, 2, 0);
        realLoad = await load(real.url, opts.seconds, 1_000);
        await new Promise((r) => setTimeout(r, 2_000)); // let the last replies arrive
        // The same at half the rate, to show the latency when the bot is not near its limit.
        halfLoad = await load(real.url, opts.seconds, 1_000 + Math.round(opts.seconds * RATE) + 100, RATE / 2);
        await new Promise((r) => setTimeout(r, 2_000));
      } finally {
        await real.stop();
      }
    } finally {
      await fake.stop();
    }
    const sends = JSON.parse(await readFile(callsFile, 'utf8')) as Array<{ chat: string; at: number }>;
    const replies = replyLatencies(realLoad.posted, sends);
    const halfReplies = replyLatencies(halfLoad.posted, sends);
    const ratio = realLoad.rps / bareLoad.rps;
    const rows: Row[] = [
      { measure: 'offered load, chats in store', value: `${RATE} req/s, ${CHATS.toLocaleString('en')} chats` },
      { measure: 'bare express 5 handler: requests/s', value: bareLoad.rps.toFixed(0) },
      { measure: 'bare express 5 handler: ack p50 / p99', value: `${ms(bareLoad.p50)} / ${ms(bareLoad.p99)}` },
      { measure: 'thutuc webhook: requests/s', value: realLoad.rps.toFixed(0) },
      { measure: 'thutuc webhook: ack p50', value: ms(realLoad.p50) },
      { measure: 'thutuc webhook: ack p99', value: ms(realLoad.p99), goal: '≤ 20 ms', met: realLoad.p99 <= 20 },
      { measure: 'thutuc webhook: answered / failed', value: `${realLoad.ok} / ${realLoad.failed}` },
      { measure: 'requests/s ratio thutuc / bare', value: ratio.toFixed(2), goal: '≥ 0.6', met: ratio >= 0.6 },
      { measure: 'webhook → reply at the fake: p50 / p99', value: `${ms(percentile(replies, 50))} / ${ms(percentile(replies, 99))} (${replies.length} of ${realLoad.posted.length})` },
      { measure: `at ${RATE / 2} req/s: thutuc ack p50 / p99`, value: `${ms(halfLoad.p50)} / ${ms(halfLoad.p99)} (${halfLoad.rps.toFixed(0)} req/s answered)` },
      { measure: `at ${RATE / 2} req/s: webhook → reply p50 / p99`, value: `${ms(percentile(halfReplies, 50))} / ${ms(percentile(halfReplies, 99))} (${halfReplies.length} of ${halfLoad.posted.length})` },
    ];
    return { rows, ack: realLoad };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Child-process mode: the Telegram fake, with the seeded chats' keyboards; writes its sends on SIGTERM. */
async function fakeMode(outFile: string): Promise<void> {
  const fake = await TelegramFake.start(FAKE_TOKEN);
  for (let i = 0; i < CHATS; i++) fake.addMessage({ message_id: i + 1, chat_id: String(FIRST_CHAT + i), text: '…', keyboard: [[{ text: 'Cho tôi', callback_data: 'p1.1' }]] });
  process.stdout.write(`listening ${fake.url}\n`);
  process.once('SIGTERM', () => {
    const sends = fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 200).map((c) => ({ chat: String(c.body.chat_id), at: c.at }));
    void writeFile(outFile, JSON.stringify(sends))
      .then(() => fake.close())
      .then(() => process.exit(0));
  });
}

/** Child-process mode: the server under test (`--serve real|bare`), until SIGTERM. */
async function serve(kind: string): Promise<void> {
  let stop: () => Promise<void>;
  let port: number;
  if (kind === 'real') {
    const { parseConfig } = await import('../src/config');
    const { createLogger } = await import('../src/server/logger');
    const { start } = await import('../src/server/start');
    const config = parseConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1', CONTENT_DIR: ROOT, CONTENT_WATCH: 'false', LOG_LEVEL: 'silent' });
    const running = await start(config, { logger: createLogger('silent') });
    port = running.port;
    stop = () => running.close();
  } else {
    const app = express();
    app.use(express.json());
    app.post('/webhooks/telegram', (_req, res) => {
      res.end();
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
    stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  }
  process.stdout.write(`listening http://127.0.0.1:${port}\n`);
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] === '--serve') await serve(process.argv[3] ?? 'bare');
  else if (process.argv[2] === '--fake') await fakeMode(process.argv[3]!);
  else {
    const { table } = await import('./table');
    const seconds = Number(process.env.BENCH_SECONDS ?? 10);
    const rows = await run({ seconds });
    process.stdout.write(`${table(rows.map((r) => ({ ...r, section: name })))}\n`);
  }
}
