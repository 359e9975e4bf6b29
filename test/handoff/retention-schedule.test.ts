/**
 * When the retention sweep runs: not at boot (a restart is busy enough with its own recovery and
 * platforms redelivering), but FIRST_SWEEP_DELAY_MS plus a jitter from the injected random
 * source, then daily. Real stores in a temp dir; only the timers are faked.
 */
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRetentionSweep, DAY_MS, FIRST_SWEEP_DELAY_MS, FIRST_SWEEP_JITTER_MS } from '../../src/handoff/retention';
import { createStaffSessions } from '../../src/handoff/staff-sessions';
import { createLogger } from '../../src/server/logger';
import { createLowdbAnalyticsStore } from '../../src/store/lowdb/lowdb-analytics';
import { createLowdbCaseStore } from '../../src/store/lowdb/lowdb-cases';
import { createFileStore, type FileStore } from '../../src/store/lowdb/index';
import { tempDir } from '../helpers/server';

let store: FileStore | undefined;
let dir: string | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the retention schedule', () => {
  it('runs the first sweep after the delay plus jitter, not at boot, then every day', async () => {
    dir = await tempDir('thutuc-schedule-');
    store = await createFileStore(dir);
    const [cases, analytics] = await Promise.all([createLowdbCaseStore(dir), createLowdbAnalyticsStore(dir)]);
    const sessions = createStaffSessions({ docs: store.docs, now: Date.now });
    const retention = createRetentionSweep({ store, cases, analytics, sessions, retentionDays: 90, timezone: 'Asia/Ho_Chi_Minh', now: Date.now, logger: createLogger('silent') });
    // Timers only: file I/O and setImmediate (the sweep's yields) stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    retention.schedule({ random: () => 0.5 });
    const first = FIRST_SWEEP_DELAY_MS + FIRST_SWEEP_JITTER_MS / 2;

    vi.advanceTimersByTime(first - 1);
    await retention.idle();
    expect(retention.stats().sweeps).toBe(0);
    vi.advanceTimersByTime(1);
    await retention.idle();
    expect(retention.stats().sweeps).toBe(1);
    vi.advanceTimersByTime(DAY_MS);
    await retention.idle();
    expect(retention.stats().sweeps).toBe(2);
    retention.stop();
    vi.advanceTimersByTime(DAY_MS);
    expect(retention.stats().sweeps).toBe(2);
  });

  it('draws the jitter from the injected random source', async () => {
    dir = await tempDir('thutuc-schedule-');
    store = await createFileStore(dir);
    const [cases, analytics] = await Promise.all([createLowdbCaseStore(dir), createLowdbAnalyticsStore(dir)]);
    const sessions = createStaffSessions({ docs: store.docs, now: Date.now });
    const retention = createRetentionSweep({ store, cases, analytics, sessions, retentionDays: 90, timezone: 'Asia/Ho_Chi_Minh', now: Date.now, logger: createLogger('silent') });
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    retention.schedule({ random: () => 0 });
    vi.advanceTimersByTime(FIRST_SWEEP_DELAY_MS);
    await retention.idle();
    expect(retention.stats().sweeps).toBe(1);
    retention.stop();
  });
});
