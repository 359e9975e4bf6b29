/**
 * The PostgreSQL store against the embedded one, in the same run, on a throwaway cluster with
 * PostgreSQL's default durability (fsync on, synchronous commit; test/helpers/pg-cluster.ts):
 * - POST /api/chat requests/s and p99 (bench/api-chat.ts's load, 20 connections, a new chat per request);
 * - the Telegram webhook acknowledgement p99 at 200 updates/s with 10,000 chats (bench/telegram.ts;
 *   goal ≤ 20 ms on PostgreSQL too);
 * - takeover: 1,000 chats each with a message accepted by an instance that then died (no
 *   heartbeat, no release); the time until a fresh instance has answered them all, against the
 *   stated lease (pg-chats.ts LEASE_MS) plus one takeover poll.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { LEASE_MS, TAKEOVER_POLL_MS } from '../src/store/postgres/pg-chats';
import { createPostgresStore } from '../src/store/postgres/index';
import { freshDatabase, startCluster } from '../test/helpers/pg-cluster';
import { load } from './api-chat';
import { withServer } from './spawn-server';
import { ms } from './percentile';
import type { BenchOptions, Row } from './section';
import { measure as telegram } from './telegram';

export const name = 'postgres';
export const title = 'PostgreSQL store vs embedded';

const ORPHANS = 1_000;

async function takeover(url: string): Promise<{ ms: number; answered: number }> {
  const dead = await createPostgresStore({ url, poolSize: 10 });
  await Promise.all(
    Array.from({ length: ORPHANS }, async (_, i) => {
      const key = { channel: 'web' as const, chatId: `orphan-${i}` };
      await dead.chats.update(key, (r) => (r.inbox.push({ id: `m${i}`, input: { kind: 'text', value: 'lam can cuoc o dau' }, receivedAt: Date.now() }), { record: r, result: undefined }));
      await dead.chats.claim(key);
    }),
  );
  // Dies: its timers stop, nothing is released; the leases lapse LEASE_MS after the last heartbeat.
  dead.chats.stop();
  const diedAt = performance.now();
  const observer = await createPostgresStore({ url, poolSize: 2 });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'serve.ts'), 'real'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DATABASE_URL: url } });
  try {
    for (;;) {
      const { rows } = await queryLeft(observer);
      if (rows === 0) break;
      if (performance.now() - diedAt > 120_000) throw new Error(`takeover: ${rows} chats still unanswered after 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { ms: performance.now() - diedAt, answered: ORPHANS };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(undefined)));
    await observer.close();
    await dead.close().catch(() => undefined);
  }
}

async function queryLeft(store: Awaited<ReturnType<typeof createPostgresStore>>): Promise<{ rows: number }> {
  let rows = 0;
  for await (const k of store.chats.keys()) {
    if (!k.chatId.startsWith('orphan-')) continue;
    const r = await store.chats.read(k);
    if (r && (r.inbox.length > 0 || r.outbox.length > 0)) rows++;
  }
  return { rows };
}

const replyRow = (rows: Row[]) => String(rows.find((r) => r.measure.startsWith('webhook → reply at the fake'))?.value ?? '?');

export async function run(opts: BenchOptions): Promise<Row[]> {
  const cluster = await startCluster({ durable: true });
  try {
    const http = async (env: Record<string, string>) => withServer('real', async ({ url }) => (await load(url, 2), load(url, opts.seconds)), { env });
    const fileHttp = await http({});
    const httpDb = await freshDatabase(cluster.adminUrl, 'bench');
    const pgHttp = await http({ DATABASE_URL: httpDb.url });
    await httpDb.drop();

    const fileTg = await telegram(opts);
    const tgDb = await freshDatabase(cluster.adminUrl, 'bench');
    const pgTg = await telegram(opts, tgDb.url);
    await tgDb.drop();

    const orphanDb = await freshDatabase(cluster.adminUrl, 'bench');
    const taken = await takeover(orphanDb.url);
    await orphanDb.drop();

    const rps = pgHttp.rps / fileHttp.rps;
    const p99 = pgHttp.p99 / fileHttp.p99;
    return [
      { measure: '/api/chat embedded: requests/s, p99', value: `${fileHttp.rps.toFixed(0)}, ${ms(fileHttp.p99)} (${fileHttp.failed} failed)` },
      { measure: '/api/chat PostgreSQL: requests/s, p99', value: `${pgHttp.rps.toFixed(0)}, ${ms(pgHttp.p99)} (${pgHttp.failed} failed)` },
      { measure: '/api/chat requests/s ratio PostgreSQL / embedded', value: rps.toFixed(2) },
      { measure: '/api/chat p99 ratio PostgreSQL / embedded', value: p99.toFixed(2) },
      { measure: 'Telegram ack p99 at 200/s, 10,000 chats: embedded', value: ms(fileTg.ack.p99), goal: '≤ 20 ms', met: fileTg.ack.p99 <= 20 },
      { measure: 'Telegram ack p99 at 200/s, 10,000 chats: PostgreSQL', value: `${ms(pgTg.ack.p99)} (${pgTg.ack.ok} ok / ${pgTg.ack.failed} failed)`, goal: '≤ 20 ms', met: pgTg.ack.p99 <= 20 },
      { measure: 'Telegram ack p99 ratio PostgreSQL / embedded', value: (pgTg.ack.p99 / fileTg.ack.p99).toFixed(2) },
      // Below the offered 200/s the server is saturated and the p99 is the queue it built, not the ack's own cost.
      { measure: 'Telegram updates acknowledged per second at 200/s offered: embedded, PostgreSQL', value: `${fileTg.ack.rps.toFixed(0)}, ${pgTg.ack.rps.toFixed(0)}` },
      // An acknowledged update is stored; its reply may still wait behind others (the backlog shows here).
      { measure: 'Telegram webhook → reply p50 / p99: embedded', value: replyRow(fileTg.rows) },
      { measure: 'Telegram webhook → reply p50 / p99: PostgreSQL', value: replyRow(pgTg.rows) },
      { measure: `takeover: ${ORPHANS.toLocaleString('en')} chats of a dead instance answered by a new one`, value: `${(taken.ms / 1000).toFixed(1)} s`, goal: `≤ lease ${LEASE_MS / 1000} s + poll ${TAKEOVER_POLL_MS / 1000} s + work`, met: taken.ms <= LEASE_MS + TAKEOVER_POLL_MS + 10_000 },
    ];
  } finally {
    cluster.stop();
  }
}
