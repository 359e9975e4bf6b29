import { appendFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsRecord } from '../../src/store/analytics';
import { createLowdbAnalyticsStore } from '../../src/store/lowdb/lowdb-analytics';
import { tempDir } from '../helpers/server';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const record = (i: number, day = '2026-11-25'): AnalyticsRecord => ({ at: 1_795_000_000_000 + i, day, channel: 'web', chat: `web:${String(i).padStart(10, '0')}`, type: 'message' });

describe('analytics store (JSON Lines per day)', () => {
  it('keeps every record of many concurrent appends, each call in its own order', async () => {
    dir = await tempDir();
    const store = await createLowdbAnalyticsStore(dir);
    await Promise.all(Array.from({ length: 300 }, (_, i) => store.append([record(i * 2), record(i * 2 + 1)])));
    const read = await store.read(['2026-11-25']);
    expect(read).toHaveLength(600);
    const position = new Map(read.map((r, i) => [r.at, i]));
    for (let i = 0; i < 300; i++) expect(position.get(record(i * 2).at)!).toBeLessThan(position.get(record(i * 2 + 1).at)!);
    const lines = (await readFile(path.join(dir, 'analytics', '2026-11-25.jsonl'), 'utf8')).split('\n');
    expect(lines).toHaveLength(601);
    expect(lines.at(-1)).toBe('');
  });

  it('skips a line torn by a crash and starts the next record on a fresh line after a restart', async () => {
    dir = await tempDir();
    const before = await createLowdbAnalyticsStore(dir);
    await before.append([record(1)]);
    await appendFile(path.join(dir, 'analytics', '2026-11-25.jsonl'), '{"at":17950000000');
    const after = await createLowdbAnalyticsStore(dir);
    await after.append([record(2)]);
    expect((await after.read(['2026-11-25'])).map((r) => r.at)).toEqual([record(1).at, record(2).at]);
  });

  it('lists days in order and removes one', async () => {
    dir = await tempDir();
    const store = await createLowdbAnalyticsStore(dir);
    await store.append([record(1, '2026-11-26'), record(2, '2026-10-01'), record(3, '2026-11-25')]);
    expect(await store.days()).toEqual(['2026-10-01', '2026-11-25', '2026-11-26']);
    await store.removeDay('2026-10-01');
    expect(await store.days()).toEqual(['2026-11-25', '2026-11-26']);
    expect(await store.read(['2026-10-01'])).toEqual([]);
  });
});
