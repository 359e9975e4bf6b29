import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { authenticate, hashPassword, setStaffPassword, staffAccount, verifyPassword } from '../../src/handoff/staff-users';
import { createLowdbStaffAccounts, readStaffUsersFile } from '../../src/store/lowdb/lowdb-staff-accounts';
import { openPgStaffAccounts } from '../../src/store/postgres/index';
import { freshDatabase } from '../helpers/pg-cluster';
import { ROOT, tempDir } from '../helpers/server';

const readStaffUsers = readStaffUsersFile;
const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: npm run staff:add with DATABASE_URL SKIPPED\n');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs `npm run staff:add -- <args>` the way an operator does (tsx, real env and stdin). */
function staffAdd(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/cli/staff-add.ts'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('staff passwords', () => {
  it('verifies the right password against an scrypt hash and refuses a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterx', hash)).toBe(false);
    expect(await verifyPassword('anything', 'not-a-hash')).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('stores users in a file only the owner can read and authenticates them by name', async () => {
    dir = await tempDir();
    const file = path.join(dir, 'nested', 'staff-users.json');
    expect(await setStaffPassword(createLowdbStaffAccounts(file), 'anna', 'anna-password-1')).toBe('created');
    expect(await setStaffPassword(createLowdbStaffAccounts(file), 'anna', 'anna-password-2')).toBe('updated');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await authenticate(createLowdbStaffAccounts(file), 'Anna', 'anna-password-2')).toBe('anna');
    expect(await authenticate(createLowdbStaffAccounts(file), 'anna', 'anna-password-1')).toBeUndefined();
    expect(await authenticate(createLowdbStaffAccounts(file), 'nobody', 'anna-password-2')).toBeUndefined();
    expect(JSON.stringify(await readStaffUsers(file))).not.toContain('anna-password');
    await expect(setStaffPassword(createLowdbStaffAccounts(file), 'Bad Name', 'long-enough-pw')).rejects.toThrow(/username/);
    await expect(setStaffPassword(createLowdbStaffAccounts(file), 'binh', 'short')).rejects.toThrow(/at least 10/);
  });
});

describe('npm run staff:add', () => {
  it('creates a user from STAFF_PASSWORD, then changes the password read from stdin', async () => {
    dir = await tempDir();
    const file = path.join(dir, 'staff-users.json');
    const created = await staffAdd(['admin'], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'first-password-1' });
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain('created staff user "admin"');
    expect(await authenticate(createLowdbStaffAccounts(file), 'admin', 'first-password-1')).toBe('admin');

    const updated = await staffAdd(['admin'], { STAFF_USERS_FILE: file }, 'second-password-2\n');
    expect(updated.code).toBe(0);
    expect(await authenticate(createLowdbStaffAccounts(file), 'admin', 'second-password-2')).toBe('admin');
    expect(await authenticate(createLowdbStaffAccounts(file), 'admin', 'first-password-1')).toBeUndefined();
  });

  it('fails with a message and changes nothing for a missing name or a short password', async () => {
    dir = await tempDir();
    const file = path.join(dir, 'staff-users.json');
    const noName = await staffAdd([], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'long-enough-1' });
    expect(noName.code).toBe(1);
    expect(noName.stderr).toContain('usage: npm run staff:add -- <username>');
    const short = await staffAdd(['anna'], { STAFF_USERS_FILE: file }, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 10 characters');
    expect((await readStaffUsers(file)).users).toEqual({});
  });

  it('takes a role and a scope, checks commune codes against the content, and keeps them on a password change', async () => {
    dir = await tempDir();
    const file = path.join(dir, 'staff-users.json');
    const officer = await staffAdd(['lan', '--role', 'officer', '--scope', 'communes:14758,14797'], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'lan-password-1' });
    expect(officer).toMatchObject({ code: 0 });
    expect(officer.stdout).toContain('(officer, communes:14758,14797)');
    expect(await staffAccount(createLowdbStaffAccounts(file), 'lan')).toEqual({ user: 'lan', role: 'officer', scope: { kind: 'communes', codes: ['14758', '14797'] } });
    const supervisor = await staffAdd(['minh', '--role=supervisor', '--scope=province'], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'minh-password-1' });
    expect(supervisor.code).toBe(0);
    expect(await staffAccount(createLowdbStaffAccounts(file), 'minh')).toMatchObject({ role: 'supervisor', scope: { kind: 'province' } });
    // A new password keeps the role and scope.
    expect((await staffAdd(['lan'], { STAFF_USERS_FILE: file }, 'lan-password-2\n')).code).toBe(0);
    expect(await staffAccount(createLowdbStaffAccounts(file), 'lan')).toMatchObject({ role: 'officer', scope: { kind: 'communes', codes: ['14758', '14797'] } });

    const badCode = await staffAdd(['hoa', '--role', 'officer', '--scope', 'communes:99999'], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'hoa-password-1' });
    expect(badCode.code).toBe(1);
    expect(badCode.stderr).toContain('unknown commune code: 99999');
    const noScope = await staffAdd(['hoa', '--role', 'officer'], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'hoa-password-1' });
    expect(noScope.code).toBe(1);
    expect(noScope.stderr).toContain('an officer needs --scope');
    const badRole = await staffAdd(['hoa', '--role', 'boss'], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'hoa-password-1' });
    expect(badRole.stderr).toContain('--role must be officer, supervisor or admin');
    expect((await readStaffUsers(file)).users.hoa).toBeUndefined();
  });

  it('removes an account with --remove, and says so when there is none', async () => {
    dir = await tempDir();
    const file = path.join(dir, 'staff-users.json');
    await setStaffPassword(createLowdbStaffAccounts(file), 'anna', 'anna-password-1');
    await setStaffPassword(createLowdbStaffAccounts(file), 'binh', 'binh-password-1');
    const removed = await staffAdd(['anna', '--remove'], { STAFF_USERS_FILE: file });
    expect(removed).toMatchObject({ code: 0 });
    expect(removed.stdout).toContain(`removed staff user "anna" from ${file}`);
    expect(Object.keys((await readStaffUsers(file)).users)).toEqual(['binh']);
    const again = await staffAdd(['anna', '--remove'], { STAFF_USERS_FILE: file });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('no staff user "anna"');
  });

  it.skipIf(!adminUrl)('with DATABASE_URL writes to PostgreSQL, copying the users file in once first, and leaves the file alone', async () => {
    dir = await tempDir();
    const file = path.join(dir, 'staff-users.json');
    await setStaffPassword(createLowdbStaffAccounts(file), 'old', 'old-password-1', new Date('2025-07-01T08:00:00Z'), { role: 'supervisor', scope: { kind: 'province' } });
    const before = await readStaffUsers(file);
    const db = await freshDatabase(adminUrl);
    try {
      const env = { DATABASE_URL: db.url, STAFF_USERS_FILE: file };
      const added = await staffAdd(['lan', '--role', 'officer', '--scope', 'communes:14797'], { ...env, STAFF_PASSWORD: 'lan-password-1' });
      expect(added).toMatchObject({ code: 0 });
      expect(added.stdout).toContain(`copied 1 staff account of ${file} into PostgreSQL`);
      expect(added.stdout).toContain('created staff user "lan" (officer, communes:14797) in PostgreSQL');
      const removed = await staffAdd(['old', '--remove'], env);
      expect(removed.code).toBe(0);
      // The import ran once: the second run copied nothing back.
      expect(removed.stdout).not.toContain('copied');

      const pg = await openPgStaffAccounts(db.url);
      try {
        expect((await pg.accounts.list()).map((a) => a.username)).toEqual(['lan']);
        expect(await authenticate(pg.accounts, 'lan', 'lan-password-1')).toBe('lan');
        expect(await staffAccount(pg.accounts, 'lan')).toEqual({ user: 'lan', role: 'officer', scope: { kind: 'communes', codes: ['14797'] } });
      } finally {
        await pg.close();
      }
      expect(await readStaffUsers(file)).toEqual(before);
    } finally {
      await db.drop();
    }
  });
});
