import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { authenticate, hashPassword, readStaffUsers, setStaffPassword, staffAccount, verifyPassword } from '../../src/handoff/staff-users';
import { ROOT, tempDir } from '../helpers/server';

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
    expect(await setStaffPassword(file, 'anna', 'anna-password-1')).toBe('created');
    expect(await setStaffPassword(file, 'anna', 'anna-password-2')).toBe('updated');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await authenticate(file, 'Anna', 'anna-password-2')).toBe('anna');
    expect(await authenticate(file, 'anna', 'anna-password-1')).toBeUndefined();
    expect(await authenticate(file, 'nobody', 'anna-password-2')).toBeUndefined();
    expect(JSON.stringify(await readStaffUsers(file))).not.toContain('anna-password');
    await expect(setStaffPassword(file, 'Bad Name', 'long-enough-pw')).rejects.toThrow(/username/);
    await expect(setStaffPassword(file, 'binh', 'short')).rejects.toThrow(/at least 10/);
  });
});

describe('npm run staff:add', () => {
  it('creates a user from STAFF_PASSWORD, then changes the password read from stdin', async () => {
    dir = await tempDir();
    const file = path.join(dir, 'staff-users.json');
    const created = await staffAdd(['admin'], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'first-password-1' });
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toContain('created staff user "admin"');
    expect(await authenticate(file, 'admin', 'first-password-1')).toBe('admin');

    const updated = await staffAdd(['admin'], { STAFF_USERS_FILE: file }, 'second-password-2\n');
    expect(updated.code).toBe(0);
    expect(await authenticate(file, 'admin', 'second-password-2')).toBe('admin');
    expect(await authenticate(file, 'admin', 'first-password-1')).toBeUndefined();
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
    expect(await staffAccount(file, 'lan')).toEqual({ user: 'lan', role: 'officer', scope: { kind: 'communes', codes: ['14758', '14797'] } });
    const supervisor = await staffAdd(['minh', '--role=supervisor', '--scope=province'], { STAFF_USERS_FILE: file, STAFF_PASSWORD: 'minh-password-1' });
    expect(supervisor.code).toBe(0);
    expect(await staffAccount(file, 'minh')).toMatchObject({ role: 'supervisor', scope: { kind: 'province' } });
    // A new password keeps the role and scope.
    expect((await staffAdd(['lan'], { STAFF_USERS_FILE: file }, 'lan-password-2\n')).code).toBe(0);
    expect(await staffAccount(file, 'lan')).toMatchObject({ role: 'officer', scope: { kind: 'communes', codes: ['14758', '14797'] } });

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
});
