/**
 * A server for the HTTP benchmark, run as its own process so the load generator does not share
 * its event loop: `tsx bench/serve.ts real` starts the whole bot (temp DATA_DIR, no logs),
 * `tsx bench/serve.ts bare` a bare express 5 JSON handler answering POST /api/chat with a reply
 * of the same shape. Prints "listening <port>" when ready; stops on SIGTERM. Started by
 * bench/spawn-server.ts, under tsx or bundled (then THUTUC_BENCH_ROOT says where the repo is);
 * REGIONS, when set, chooses the provinces served as for npm start.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { parseConfig } from '../src/config';
import { createLogger } from '../src/server/logger';
import { start } from '../src/server/start';

const kind = process.argv[2];
let stop: () => Promise<void>;
let port: number;

if (kind === 'real' || kind === 'limited') {
  // `real` lifts the web chat flood limits (it measures the pipeline); `limited` keeps the defaults (bench/web-flood.ts).
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'thutuc-bench-http-'));
  const unlimited = kind === 'real' ? { WEB_CHAT_RATE_PER_MINUTE: '100000', WEB_CHAT_GLOBAL_RATE_PER_MINUTE: '10000000', WEB_CHAT_NEW_CHATS_PER_HOUR: '100000' } : {};
  // DATABASE_URL (bench/postgres.ts) puts the same server on PostgreSQL.
  const root = process.env.THUTUC_BENCH_ROOT ?? path.resolve(import.meta.dirname, '..');
  const regions = process.env.REGIONS ? { REGIONS: process.env.REGIONS } : {};
  const config = parseConfig({ ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}), ...regions, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONTENT_DIR: root, CONTENT_WATCH: 'false', LOG_LEVEL: 'silent', ...unlimited });
  const running = await start(config, { logger: createLogger('silent') });
  port = running.port;
  stop = async () => {
    await running.close();
    await rm(dataDir, { recursive: true, force: true });
  };
} else if (kind === 'bare') {
  const app = express();
  app.use(express.json());
  app.post('/api/chat', (req, res) => {
    res.json({ replies: [{ text: `Bạn làm thẻ căn cước cho ai? (${String((req.body as { chatId?: unknown }).chatId)})`, options: [{ id: 'p1.1', label: 'Cho tôi (từ đủ 14 tuổi)' }, { id: 'p1.2', label: 'Cho con dưới 14 tuổi' }] }] });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
  stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
} else {
  process.stderr.write('usage: tsx bench/serve.ts real|limited|bare\n');
  process.exit(2);
}

process.stdout.write(`listening ${port}\n`);
process.once('SIGTERM', () => {
  void stop().then(() => process.exit(0));
});
