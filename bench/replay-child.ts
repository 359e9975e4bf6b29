/**
 * `tsx bench/replay-child.ts <DATA_DIR>`: opens the store on a data directory whose journal
 * holds a long backlog (the replay), closes it without checkpointing, and prints one JSON line
 * with the time it took and this process's peak RSS. Its own process, so the peak is the
 * replay's alone.
 */
import { createLowdbStore } from '../src/store/lowdb/lowdb-store';

const dir = process.argv[2]!;
const baseline = process.memoryUsage().rss;
const t0 = performance.now();
const store = await createLowdbStore(dir, Date.now, { checkpointMs: 3_600_000 });
const openMs = performance.now() - t0;
const chats = await store.chats.count();
await store.close({ checkpoint: false });
process.stdout.write(`${JSON.stringify({ openMs, chats, baselineRss: baseline, peakRss: process.resourceUsage().maxRSS * 1024 })}\n`);
