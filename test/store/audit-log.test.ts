/**
 * The audit log: append-only JSON Lines per day, readable by the owner only, a torn line from a
 * crash skipped, and days older than AUDIT_RETENTION_DAYS removed by the sweep at start.
 */
import { appendFile, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLowdbAuditLog } from '../../src/store/lowdb/lowdb-audit';
import { tempDir, type TestServer } from '../helpers/server';
import { sayWhenSkipped, TEST_STORES } from '../helpers/test-stores';
import { movingClock } from '../handoff/clock';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

describe('audit log', () => {
  it('appends entries per day, 0600, and skips a torn line', async () => {
    const dir = await tempDir();
    const log = await createLowdbAuditLog(dir);
    await log.append({ at: 1, day: '2026-11-25', by: 'lan', action: 'claim', caseId: 'c-1' });
    await appendFile(path.join(dir, 'audit', '2026-11-25.jsonl'), '{"at":2,"day":"2026-11-25","by":"la');
    // A new process: the next entry starts on a fresh line.
    const again = await createLowdbAuditLog(dir);
    await again.append({ at: 3, day: '2026-11-25', by: 'lan', action: 'close', caseId: 'c-1' });
    await again.append({ at: 4, day: '2026-11-26', by: 'minh', action: 'export', detail: 'audit 7d' });
    expect((await again.read(['2026-11-25', '2026-11-26'])).map((e) => [e.by, e.action])).toEqual([
      ['lan', 'claim'],
      ['lan', 'close'],
      ['minh', 'export'],
    ]);
    expect((await stat(path.join(dir, 'audit', '2026-11-26.jsonl'))).mode & 0o777).toBe(0o600);
    expect(await again.days()).toEqual(['2026-11-25', '2026-11-26']);
    await expect(again.append({ at: 5, day: 'not-a-day', by: 'x', action: 'login' })).rejects.toThrow();
    await rm(dir, { recursive: true, force: true });
  });

});

sayWhenSkipped('audit log retention');

describe.each(TEST_STORES)('audit log on $name', (store) => {
  it.skipIf(!store.available)('keeps AUDIT_RETENTION_DAYS and removes older days at start', async () => {
    const clock = movingClock('2026-11-25T03:00:00Z');
    server = await store.start({ AUDIT_RETENTION_DAYS: '30' }, { now: clock.now });
    await server.handoff.audit.append({ at: clock.now() - 40 * 86_400_000, day: '2026-10-16', by: 'lan', action: 'reply', caseId: 'c-old' });
    await server.handoff.audit.append({ at: clock.now() - 10 * 86_400_000, day: '2026-11-15', by: 'lan', action: 'reply', caseId: 'c-new' });
    expect(await server.handoff.audit.days()).toEqual(['2026-10-16', '2026-11-15']);
    server = await server.restart();
    await server.handoff.auditSwept();
    expect(await server.handoff.audit.days()).toEqual(['2026-11-15']);
    expect((await server.handoff.audit.read(['2026-10-16', '2026-11-15'])).map((e) => e.caseId)).toEqual(['c-new']);
    if (server.store.kind === 'file') expect(await readdir(path.join(server.dataDir, 'audit'))).toEqual(['2026-11-15.jsonl']);
  });
});
