/**
 * Staff accounts: a JSON file (STAFF_USERS_FILE) of usernames and scrypt password hashes, made by
 * `npm run staff:add -- <user>`. The file is read on every login, so an added or removed user
 * takes effect without a restart. Hash format: `scrypt$N$r$p$salt$key` (base64url parts).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LEGACY_ACCOUNT, StaffRole, StaffScope, type StaffAccount } from '../staff/access';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

const PARAMS = { N: 16_384, r: 8, p: 1, keylen: 64 };
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const PASSWORD_MIN = 10;

export const StaffUsersFile = z.object({
  version: z.literal(1),
  users: z.record(z.string(), z.object({ hash: z.string(), createdAt: z.string(), updatedAt: z.string(), role: StaffRole.optional(), scope: StaffScope.optional() })),
});
export type StaffUsersFile = z.infer<typeof StaffUsersFile>;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, PARAMS.keylen, { N: PARAMS.N, r: PARAMS.r, p: PARAMS.p });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (!N || !r || !p || expected.length === 0) return false;
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

// Checked when the user does not exist, so "no such user" takes as long as "wrong password".
let dummyHash: Promise<string> | undefined;

export async function readStaffUsers(file: string): Promise<StaffUsersFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, users: {} };
    throw e;
  }
  const parsed = StaffUsersFile.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not a staff users file: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The username when the password matches, otherwise undefined. */
export async function authenticate(file: string, username: string, password: string): Promise<string | undefined> {
  const name = username.trim().toLowerCase();
  const users = await readStaffUsers(file);
  const user = USERNAME.test(name) ? users.users[name] : undefined;
  if (!user) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('not a real password')));
    return undefined;
  }
  return (await verifyPassword(password, user.hash)) ? name : undefined;
}

export async function userExists(file: string, username: string): Promise<boolean> {
  return (await readStaffUsers(file)).users[username] !== undefined;
}

/** The account's role and scope, read from the file on each request (changes apply at once). */
export async function staffAccount(file: string, username: string): Promise<StaffAccount | undefined> {
  const u = (await readStaffUsers(file)).users[username];
  if (!u) return undefined;
  return { user: username, role: u.role ?? LEGACY_ACCOUNT.role, scope: u.scope ?? LEGACY_ACCOUNT.scope };
}

export async function listStaffAccounts(file: string): Promise<StaffAccount[]> {
  const users = await readStaffUsers(file);
  return Object.entries(users.users).map(([user, u]) => ({ user, role: u.role ?? LEGACY_ACCOUNT.role, scope: u.scope ?? LEGACY_ACCOUNT.scope }));
}

/** Creates or updates one user; writes atomically (temp file + rename), readable by the owner only. */
export async function setStaffPassword(file: string, username: string, password: string, now = new Date(), access?: Omit<StaffAccount, 'user'>): Promise<'created' | 'updated'> {
  if (!USERNAME.test(username)) throw new Error('username must be 2-32 characters: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (password.length < PASSWORD_MIN) throw new Error(`password must be at least ${PASSWORD_MIN} characters`);
  const users = await readStaffUsers(file);
  const existing = users.users[username];
  const hash = await hashPassword(password);
  const role = access?.role ?? existing?.role;
  const scope = access?.scope ?? existing?.scope;
  users.users[username] = { hash, createdAt: existing?.createdAt ?? now.toISOString(), updatedAt: now.toISOString(), ...(role ? { role } : {}), ...(scope ? { scope } : {}) };
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(users, null, 2) + '\n', { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return existing ? 'updated' : 'created';
}

/** Removes one user (their open sessions and event streams end at their next request or event). */
export async function removeStaffUser(file: string, username: string): Promise<boolean> {
  const users = await readStaffUsers(file);
  if (!users.users[username]) return false;
  delete users.users[username];
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(users, null, 2) + '\n', { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return true;
}
