/**
 * Staff accounts: usernames and scrypt password hashes with a role and scope, made by
 * `npm run staff:add -- <user>` and kept in the Store's staff accounts (the STAFF_USERS_FILE on
 * the embedded store, a table on PostgreSQL). Every login and request reads them, so an added,
 * changed or removed account takes effect without a restart. Hash format:
 * `scrypt$N$r$p$salt$key` (base64url parts).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { LEGACY_ACCOUNT, type StaffAccount } from '../staff/access';
import type { StaffAccountRecord, StaffAccountStore } from '../store/staff-accounts';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

const PARAMS = { N: 16_384, r: 8, p: 1, keylen: 64 };
export const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const PASSWORD_MIN = 10;

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

/** The username when the password matches, otherwise undefined. */
export async function authenticate(accounts: StaffAccountStore, username: string, password: string): Promise<string | undefined> {
  const name = username.trim().toLowerCase();
  const user = USERNAME.test(name) ? await accounts.get(name) : undefined;
  if (!user) {
    await verifyPassword(password, await (dummyHash ??= hashPassword('not a real password')));
    return undefined;
  }
  return (await verifyPassword(password, user.hash)) ? name : undefined;
}

const accountOf = (user: string, u: StaffAccountRecord): StaffAccount => ({ user, role: u.role ?? LEGACY_ACCOUNT.role, scope: u.scope ?? LEGACY_ACCOUNT.scope });

/** The account's role and scope, read from the store on each request (changes apply at once). */
export async function staffAccount(accounts: StaffAccountStore, username: string): Promise<StaffAccount | undefined> {
  const u = await accounts.get(username);
  return u ? accountOf(username, u) : undefined;
}

export async function listStaffAccounts(accounts: StaffAccountStore): Promise<StaffAccount[]> {
  return (await accounts.list()).map(({ username, account }) => accountOf(username, account));
}

/** Creates or updates one account: a new password, and the role and scope when given (kept otherwise). */
export async function setStaffPassword(accounts: StaffAccountStore, username: string, password: string, now = new Date(), access?: Omit<StaffAccount, 'user'>): Promise<'created' | 'updated'> {
  if (!USERNAME.test(username)) throw new Error('username must be 2-32 characters: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
  if (password.length < PASSWORD_MIN) throw new Error(`password must be at least ${PASSWORD_MIN} characters`);
  const hash = await hashPassword(password);
  const { created } = await accounts.update(username, (existing) => {
    const role = access?.role ?? existing?.role;
    const scope = access?.scope ?? existing?.scope;
    return { hash, createdAt: existing?.createdAt ?? now.toISOString(), updatedAt: now.toISOString(), ...(role ? { role } : {}), ...(scope ? { scope } : {}) };
  });
  return created ? 'created' : 'updated';
}

/**
 * Removes one account. Its sessions stop working at once (every request and every event of an
 * open stream checks the account) and are dropped with the expired ones.
 */
export async function removeStaffUser(accounts: StaffAccountStore, username: string): Promise<boolean> {
  return accounts.remove(username);
}
