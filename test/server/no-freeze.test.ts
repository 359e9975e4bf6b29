/**
 * Review D1: the retention sweep walked every chat in one chain of promise continuations and
 * froze the server for 17–32 s with 100,000 chats. Here the real server starts on 20,000 chat
 * files (one in a thousand older than RETENTION_DAYS) and sweeps them, while /healthz is polled and
 * the longest stretch the event loop was held is measured: a loop that is never held for long is
 * what keeps webhooks and the web chat answering. On a loaded machine a plain loop-delay figure
 * (perf_hooks) also counts the time the OS did not run the process at all, so each stretch is
 * counted as the smaller of its wall-clock length and the CPU time the process used meanwhile:
 * a loop held by our code burns CPU for as long as it is held, a descheduled one does not. The
 * 100,000-chat figures (loop delay, /healthz) are in `npm run bench -- sweep`.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createLowdbStore } from '../../src/store/lowdb/lowdb-store';
import { startTestServer, tempDir, type TestServer } from '../helpers/server';
import { blockMeter } from '../helpers/block-meter';
import { writeSyntheticChats } from '../helpers/synthetic-chats';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-25T03:00:00Z');
const CHATS = 20_000;

describe('a retention sweep over many chats', () => {
  let server: TestServer | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`never holds the event loop for 100 ms while the server starts on ${CHATS.toLocaleString('en')} chats and sweeps them, and the next sweep skips what holds nothing old`, async () => {
    dataDir = await tempDir('thutuc-freeze-');
    // As in a real data directory at 90 days, most chats hold nothing old: a walk over them
    // commits nothing, which is what let the old sweep run without ever yielding.
    await writeSyntheticChats(dataDir, { count: CHATS, at: (i) => (i % 1000 === 0 ? NOW - 120 * DAY : NOW - DAY) });

    let polling = true;
    let answered = 0;
    let slowest = 0;
    const poll = (async () => {
      while (polling) {
        const sent = performance.now();
        const ok = await fetch(`${server?.url ?? 'http://127.0.0.1:1'}/healthz`).then((r) => r.ok, () => false);
        if (ok) {
          answered++;
          slowest = Math.max(slowest, performance.now() - sent);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // Start-up work that grows with the number of chats is the store's (listing the files,
    // replaying the journal): measured while it runs on its own.
    let meter = blockMeter();
    const opened = await createLowdbStore(dataDir);
    await opened.close();
    const open = meter.stop();
    expect(open.longest, `opening the store held the event loop for ${open.longest.toFixed(0)} ms (${open.longestWall.toFixed(0)} ms wall clock)`).toBeLessThan(100);

    // The server (whose content compile before listen is the same with 0 or 100,000 chats) and
    // the sweep that now starts right after listen.
    server = await startTestServer({ RETENTION_DAYS: '90' }, { dataDir, now: () => NOW, retentionSchedule: { firstDelayMs: 0 } });
    meter = blockMeter();
    const first = await server.handoff.retention.run();
    const swept = meter.stop();
    polling = false;
    await poll;

    expect(first).toMatchObject({ visited: CHATS, chats: CHATS / 1000, failures: 0 });
    expect(await server.store.chats.count()).toBe(CHATS - CHATS / 1000);
    expect(answered).toBeGreaterThan(0);
    expect(swept.longest, `the sweep held the event loop for ${swept.longest.toFixed(0)} ms (${swept.longestWall.toFixed(0)} ms wall clock, slowest /healthz ${slowest.toFixed(0)} ms)`).toBeLessThan(100);

    // After a restart the store remembers each chat's oldest time: nothing is older than the
    // cut-off any more, so the next sweep reads no chat at all.
    server = await server.restart();
    meter = blockMeter();
    const second = await server.handoff.retention.run();
    const skipped = meter.stop();
    expect(second).toMatchObject({ visited: 0, chats: 0, failures: 0 });
    expect(skipped.longest, `skipping every chat held the event loop for ${skipped.longest.toFixed(0)} ms`).toBeLessThan(100);
  }, 120_000);
});
