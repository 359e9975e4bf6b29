/**
 * Moving a deployment between stores: `npm run db:copy` (src/cli/db-copy.ts) copies the embedded
 * store of a real DATA_DIR into a real PostgreSQL database and back, and copyStore between two
 * embedded stores (runs without PostgreSQL too). Re-running copies nothing twice.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { createDocAuditLog, type AuditLog } from '../../src/store/audit';
import type { Case } from '../../src/store/cases';
import { copyStore } from '../../src/store/copy-store';
import { createFileStore } from '../../src/store/lowdb/index';
import { createLowdbAuditLog } from '../../src/store/lowdb/lowdb-audit';
import { createPostgresStore } from '../../src/store/postgres/index';
import { emptyRecord, type ChatKey, type Store } from '../../src/store/store';
import { freshDatabase } from '../helpers/pg-cluster';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const T = 1_795_000_000_000;
const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: npm run db:copy into PostgreSQL SKIPPED\n');

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(path.join(tmpdir(), 'thutuc-copy-'));
  dirs.push(d);
  return d;
}

const chat = (i: number): ChatKey => ({ channel: i % 2 ? 'telegram' : 'web', chatId: `chat-${i}` });
const aCase = (id: string): Case => ({ version: 1, id, channel: 'web', chatId: 'chat-0', status: 'open', reason: 'asked', locale: 'vi', answers: [], transcript: [], messages: [{ id: 'm1', at: T, from: 'user', text: 'cho tôi gặp cán bộ' }], openedAt: T, updatedAt: T });
const Tokens = z.object({ accessToken: z.string(), refreshToken: z.string() });

/** A deployment's worth of data: 30 chats (one with unanswered work), a case, a day of analytics and audit, documents. */
async function fill(store: Store, audit: AuditLog): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await store.chats.update(chat(i), (r) => {
      r.transcript.push({ at: T + i, from: 'user', text: `tin nhắn ${i}` });
      if (i === 7) r.inbox.push({ id: 'u7', input: { kind: 'text', value: 'lam can cuoc' }, receivedAt: T });
      r.seen[`u${i}`] = T;
      r.updatedAt = T + i;
      return { record: r, result: undefined };
    });
  }
  await store.cases.create(aCase('case-1'));
  await store.analytics.append([{ at: T, day: '2026-11-20', channel: 'web', chat: 'ref', type: 'message' }]);
  await audit.append({ at: T, day: '2026-11-20', by: 'anna', action: 'claim', caseId: 'case-1' });
  await store.docs.set('zalo-oa-tokens', { accessToken: 'a1', refreshToken: 'r1-used-once' });
  await store.docs.set('web-chat-secret', { secret: 'x'.repeat(43) });
  await store.staff.update('lan', () => ({ hash: 'scrypt$16384$8$1$c2FsdA$a2V5', createdAt: '2025-07-01T08:00:00.000Z', updatedAt: '2025-07-01T08:00:00.000Z', role: 'officer', scope: { kind: 'communes', codes: ['14797'] } }));
}

async function expectCopied(store: Store, audit: AuditLog): Promise<void> {
  expect(await store.chats.count()).toBe(30);
  const seventh = await store.chats.read(chat(7));
  expect(seventh?.inbox.map((e) => e.id)).toEqual(['u7']);
  expect(seventh?.transcript.map((l) => l.text)).toEqual(['tin nhắn 7']);
  expect(seventh?.seen).toEqual({ u7: T });
  expect((await store.chats.pending()).map((k) => k.chatId)).toContain('chat-7');
  expect((await store.cases.get('case-1'))?.messages[0]?.text).toBe('cho tôi gặp cán bộ');
  expect(await store.analytics.read(['2026-11-20'])).toHaveLength(1);
  expect((await audit.read(['2026-11-20'])).map((e) => [e.by, e.action, e.caseId])).toEqual([['anna', 'claim', 'case-1']]);
  expect(await store.docs.get('zalo-oa-tokens', Tokens)).toEqual({ accessToken: 'a1', refreshToken: 'r1-used-once' });
  expect(await store.docs.names()).toEqual(expect.arrayContaining(['web-chat-secret', 'zalo-oa-tokens']));
  expect(await store.staff.list()).toEqual([{ username: 'lan', account: { hash: 'scrypt$16384$8$1$c2FsdA$a2V5', createdAt: '2025-07-01T08:00:00.000Z', updatedAt: '2025-07-01T08:00:00.000Z', role: 'officer', scope: { kind: 'communes', codes: ['14797'] } } }]);
}

describe('copyStore between two embedded stores', () => {
  it('copies chats, cases, analytics, audit and documents, and a second run adds nothing', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const from = { store: await createFileStore(a, () => T), audit: await createLowdbAuditLog(a) };
    const to = { store: await createFileStore(b, () => T), audit: await createLowdbAuditLog(b) };
    try {
      await fill(from.store, from.audit);
      const seen: string[] = [];
      const first = await copyStore(from, to, (what, done, total) => seen.push(`${what} ${done}/${total}`));
      expect(first).toEqual({ docs: 2, staff: 1, chats: 30, cases: { copied: 1, kept: 0 }, analyticsDays: { copied: 1, skipped: [] }, auditDays: { copied: 1, skipped: [] } });
      expect(seen).toContain('chats 30/30');
      await expectCopied(to.store, to.audit);
      const second = await copyStore(from, to);
      expect(second).toMatchObject({ chats: 30, cases: { copied: 0, kept: 1 }, analyticsDays: { copied: 0, skipped: ['2026-11-20'] }, auditDays: { copied: 0, skipped: ['2026-11-20'] } });
      expect(await to.store.analytics.read(['2026-11-20'])).toHaveLength(1);
      expect(await to.audit.read(['2026-11-20'])).toHaveLength(1);
    } finally {
      await from.store.close();
      await to.store.close();
    }
  });
});

describe.skipIf(!adminUrl)('npm run db:copy on a real PostgreSQL', () => {
  const cli = (env: Record<string, string>, args: string[] = []) =>
    run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/db-copy.ts'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('moves DATA_DIR into PostgreSQL, is safe to run again, and copies back into an empty DATA_DIR with --into files', async () => {
    const dataDir = await tempDir();
    const db = await freshDatabase(adminUrl!);
    try {
      const files = await createFileStore(dataDir, () => T);
      await fill(files, await createLowdbAuditLog(dataDir));
      await files.close();

      const first = await cli({ DATA_DIR: dataDir, DATABASE_URL: db.url, STAFF_USERS_FILE: path.join(dataDir, 'staff-users.json') });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('chats: 30');
      expect(first.stdout).toContain('staff accounts: 1');
      expect(first.stderr).toContain('chats: 30 of 30');
      expect(first.stderr).not.toContain(db.url);

      const again = await cli({ DATA_DIR: dataDir, DATABASE_URL: db.url, STAFF_USERS_FILE: path.join(dataDir, 'staff-users.json') });
      expect(again.stdout).toContain('cases: 0 copied, 1 already there (kept)');
      expect(again.stdout).toContain('analytics days: 0 (1 day(s) already there, skipped: 2026-11-20)');

      const pgStore = await createPostgresStore({ url: db.url, poolSize: 2 });
      try {
        await expectCopied(pgStore, createDocAuditLog(pgStore.docs));
      } finally {
        await pgStore.close();
      }

      const back = await tempDir();
      const restore = await cli({ DATA_DIR: back, DATABASE_URL: db.url, STAFF_USERS_FILE: path.join(back, 'staff-users.json') }, ['--into', 'files']);
      expect(restore.code, restore.stderr).toBe(0);
      const restored = await createFileStore(back, () => T);
      try {
        await expectCopied(restored, await createLowdbAuditLog(back));
      } finally {
        await restored.close();
      }
    } finally {
      await db.drop();
    }
  }, 60_000);

  it('says what is wrong without a database or with a bad flag', async () => {
    const dataDir = await tempDir();
    const none = await cli({ DATA_DIR: dataDir });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('DATABASE_URL is not set');
    const bad = await cli({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://x@127.0.0.1:1/x' }, ['--into', 'redis']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--into is "postgres" or "files", not "redis"');
  }, 30_000);
});
