/**
 * One measurement of the places for `bench/places.ts`, in its own process so that its memory
 * and start-up are its own: `tsx bench/places-probe.ts <REGIONS>` starts the whole server
 * (temp DATA_DIR, no logs, no watcher) with those regions, then resolves every old name of the
 * national data, and prints one JSON line.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadContent } from '../src/content/index';
import { parseConfig } from '../src/config';
import { createLogger } from '../src/server/logger';
import { start } from '../src/server/start';

const ROOT = path.resolve(import.meta.dirname, '..');
const regionsArg = process.argv[2] ?? 'thanh-hoa';
const rssBefore = process.memoryUsage().rss;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'thutuc-bench-places-'));
const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONTENT_DIR: ROOT, CONTENT_WATCH: 'false', LOG_LEVEL: 'silent', REGIONS: regionsArg });
const t0 = performance.now();
const running = await start(config, { logger: createLogger('silent') });
const startMs = performance.now() - t0;
globalThis.gc?.();
const rssServing = process.memoryUsage().rss;
await running.close();
await rm(dataDir, { recursive: true, force: true });

// The index alone: load (read, lint, compile) again and time the place lookups.
const t1 = performance.now();
const { content } = await loadContent(ROOT, { regions: config.regions });
const loadMs = performance.now() - t1;
if (!content) throw new Error('content does not load');
interface OldRecord {
  old_name: string;
  old_type: string;
  old_district: string;
}
const records = JSON.parse(gunzipSync(await readFile(path.join(ROOT, 'sources/admin-units/national/old-to-new-34.json.gz'))).toString('utf8')) as OldRecord[];
const queries = records.flatMap((r) => [`${r.old_type} ${r.old_name} cũ`, `${r.old_name}, ${r.old_district}`]);
const tFirst = performance.now();
content.places.resolve(queries[0]!); // a one-province deployment builds the other provinces' index here
const firstMs = performance.now() - tFirst;
for (let i = 0; i < 2000; i++) content.places.resolve(queries[i % queries.length]!); // warm-up
const times: number[] = [];
for (const q of queries) {
  const s = process.hrtime.bigint();
  content.places.resolve(q);
  times.push(Number(process.hrtime.bigint() - s) / 1e6);
}
times.sort((a, b) => a - b);
const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
process.stdout.write(
  `${JSON.stringify({ regions: content.regions.length, units: content.places.size, startMs, loadMs, firstMs, rssBefore, rssServing, queries: times.length, p50: at(50), p99: at(99), max: times[times.length - 1] })}\n`,
);
process.exit(0);
