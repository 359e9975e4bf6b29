/**
 * Moving an embedded-store deployment to PostgreSQL keeps its staff accounts: the first start on
 * the database copies STAFF_USERS_FILE in (and says how many), later starts do not read it, and
 * an account the database already has is not overwritten by the file's older copy.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { authenticate, setStaffPassword, staffAccount } from '../../src/handoff/staff-users';
import { createStore } from '../../src/store/create-store';
import { createLowdbStaffAccounts } from '../../src/store/lowdb/lowdb-staff-accounts';
import { freshDatabase } from '../helpers/pg-cluster';
import { tempDir } from '../helpers/server';

const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: staff users file import SKIPPED\n');

describe.skipIf(!adminUrl)('the staff users file on a first start on PostgreSQL', () => {
  it('is copied in once, with a log line, and not read again', async () => {
    const dir = await tempDir('thutuc-import-');
    const db = await freshDatabase(adminUrl);
    const file = path.join(dir, 'staff-users.json');
    const config = { dataDir: dir, storeFsync: false, databaseUrl: db.url, staffUsersFile: file };
    try {
      const fileAccounts = createLowdbStaffAccounts(file);
      await setStaffPassword(fileAccounts, 'anna', 'anna-password-1');
      await setStaffPassword(fileAccounts, 'lan', 'lan-password-1', new Date(), { role: 'officer', scope: { kind: 'communes', codes: ['14797'] } });

      const logged: Array<{ message: string; fields: Record<string, unknown> }> = [];
      const first = await createStore(config, Date.now, undefined, undefined, (message, fields) => logged.push({ message, fields }));
      try {
        expect(logged).toEqual([{ message: expect.stringContaining('copied into PostgreSQL') as string, fields: { accounts: 2, file } }]);
        expect(await authenticate(first.staff, 'anna', 'anna-password-1')).toBe('anna');
        expect(await staffAccount(first.staff, 'lan')).toEqual({ user: 'lan', role: 'officer', scope: { kind: 'communes', codes: ['14797'] } });
        // Changed in the database after the import: the database's word stands.
        await setStaffPassword(first.staff, 'anna', 'anna-password-2');
      } finally {
        await first.close();
      }

      // The file changes afterwards (an old habit): nothing of it is read any more.
      await setStaffPassword(fileAccounts, 'binh', 'binh-password-1');
      logged.length = 0;
      const second = await createStore(config, Date.now, undefined, undefined, (message, fields) => logged.push({ message, fields }));
      try {
        expect(logged).toEqual([]);
        expect((await second.staff.list()).map((a) => a.username).sort()).toEqual(['anna', 'lan']);
        expect(await authenticate(second.staff, 'anna', 'anna-password-2')).toBe('anna');
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start, naming the file, when the file is damaged', async () => {
    const dir = await tempDir('thutuc-import-');
    const db = await freshDatabase(adminUrl);
    const file = path.join(dir, 'staff-users.json');
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(file, '{"version":1,"users":{"anna":{"hash":3}}}');
      await expect(createStore({ dataDir: dir, storeFsync: false, databaseUrl: db.url, staffUsersFile: file })).rejects.toThrow(`${file} is not a staff users file`);
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
