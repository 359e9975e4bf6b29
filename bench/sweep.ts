/**
 * Retention and replay at scale (review D1 and the replay-memory item):
 * - the real server on 100,000 chat files (one in a thousand older than RETENTION_DAYS): time to
 *   open the store, then the first sweep — its duration, the longest event-loop stall (perf_hooks,
 *   wall clock, and the part of it our own work held: see test/helpers/block-meter.ts) and the
 *   slowest /healthz answer while it ran — then, after a restart, the next
 *   sweep, which the oldest-time index lets skip every chat holding nothing old;
 * - the journal replay of a 200 MB backlog (1,000 chats × 200 updates, as after a long stall of
 *   the checkpointer) in its own process: peak RSS, which used to be ~4.5 × the journal.
 * The test suite asserts the same loop-delay bound on 20,000 chats (test/server/no-freeze.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseConfig } from '../src/config';
import { createLogger } from '../src/server/logger';
import { start } from '../src/server/start';
import { frame } from '../src/store/lowdb/journal';
import { createLowdbStore } from '../src/store/lowdb/lowdb-store';
import { blockMeter } from '../test/helpers/block-meter';
import { syntheticRecord, writeSyntheticChats } from '../test/helpers/synthetic-chats';
import type { Row } from './section';

export const name = 'sweep';
export const title = 'retention sweep and replay at scale';

const DAY = 86_400_000;
const CHATS = 100_000;

async function sweepRows(root: string): Promise<Row[]> {
  const dataDir = path.join(root, 'sweep');
  const now = Date.now();
  const t0 = performance.now();
  await writeSyntheticChats(dataDir, { count: CHATS, at: (i) => (i % 1000 === 0 ? now - 120 * DAY : now - DAY) });
  const created = (performance.now() - t0) / 1000;

  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let meter = blockMeter();
  const o0 = performance.now();
  const store = await createLowdbStore(dataDir);
  const openMs = performance.now() - o0;
  await store.close();
  const openDelay = delay.max / 1e6;
  const openHeld = meter.stop().longest;

  const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONTENT_DIR: path.resolve(import.meta.dirname, '..'), CONTENT_WATCH: 'false', LOG_LEVEL: 'silent', RETENTION_DAYS: '90' });
  let running = await start(config, { logger: createLogger('silent'), retentionSchedule: { firstDelayMs: 3_600_000 } });
  let polling = true;
  let slowest = 0;
  const poll = (async () => {
    while (polling) {
      const sent = performance.now();
      await fetch(`${running.url}/healthz`).then((r) => r.text());
      slowest = Math.max(slowest, performance.now() - sent);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  delay.reset();
  meter = blockMeter();
  const s0 = performance.now();
  const first = await running.handoff.retention.run();
  const firstMs = performance.now() - s0;
  const sweepDelay = delay.max / 1e6;
  const sweepHeld = meter.stop().longest;
  polling = false;
  await poll;
  await running.close();
  running = await start(config, { logger: createLogger('silent'), retentionSchedule: { firstDelayMs: 3_600_000 } });
  const n0 = performance.now();
  const second = await running.handoff.retention.run();
  const secondMs = performance.now() - n0;
  await running.close();
  delay.disable();

  return [
    { measure: `opening the store on ${CHATS.toLocaleString('en')} chats`, value: `${openMs.toFixed(0)} ms` },
    { measure: 'longest event-loop stall while opening: wall clock; held by our own work (CPU)', value: `${openDelay.toFixed(0)} ms; ${openHeld.toFixed(0)} ms`, goal: 'held < 100 ms', met: openHeld < 100 },
    { measure: `first sweep (reads all ${first.visited.toLocaleString('en')}, removes ${first.chats})`, value: `${(firstMs / 1000).toFixed(1)} s` },
    { measure: 'longest event-loop stall during the sweep: wall clock; held by our own work (CPU)', value: `${sweepDelay.toFixed(0)} ms; ${sweepHeld.toFixed(0)} ms`, goal: 'held < 100 ms', met: sweepHeld < 100 },
    { measure: 'slowest /healthz during the sweep', value: `${slowest.toFixed(0)} ms`, goal: '< 100 ms', met: slowest < 100 },
    { measure: `next sweep after a restart (reads ${second.visited})`, value: `${secondMs.toFixed(0)} ms` },
    { measure: `creating ${CHATS.toLocaleString('en')} chat files (setup)`, value: `${created.toFixed(1)} s` },
  ];
}

async function replayRows(root: string): Promise<Row[]> {
  const dataDir = path.join(root, 'replay');
  const journal = path.join(dataDir, 'journal');
  await mkdir(journal, { recursive: true });
  let bytes = 0;
  for (let segment = 1; segment <= 4; segment++) {
    const lines: string[] = [];
    for (let u = 0; u < 50; u++) {
      for (let c = 0; c < 1_000; c++) {
        const chatId = `replay-${c}`;
        const record = syntheticRecord(chatId, Date.now());
        record.channelState = { ...record.channelState, u, pad: 'x'.repeat(400) };
        lines.push(frame(JSON.stringify({ k: { channel: 'web', chatId }, r: record })));
      }
    }
    const text = lines.join('');
    bytes += Buffer.byteLength(text);
    await writeFile(path.join(journal, `${String(segment).padStart(10, '0')}.log`), text);
  }
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'replay-child.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`replay child exited ${code}`))));
  });
  const r = JSON.parse(out) as { openMs: number; chats: number; baselineRss: number; peakRss: number };
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  const ratio = (r.peakRss - r.baselineRss) / bytes;
  return [
    { measure: `replaying a ${mb(bytes)} journal (${r.chats.toLocaleString('en')} chats × 200 updates)`, value: `${(r.openMs / 1000).toFixed(1)} s` },
    { measure: 'peak RSS of the replaying process (above its baseline)', value: `${mb(r.peakRss)} (${mb(r.peakRss - r.baselineRss)})`, goal: '< 0.5 × journal', met: ratio < 0.5 },
  ];
}

export async function run(): Promise<Row[]> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'thutuc-bench-sweep-'));
  try {
    return [...(await sweepRows(root)), ...(await replayRows(root))];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
