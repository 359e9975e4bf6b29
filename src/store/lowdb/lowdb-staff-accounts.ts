/**
 * Staff accounts in the embedded store: the JSON file STAFF_USERS_FILE (default
 * ./data/staff-users.json) in the format it has always had, so existing deployments keep their
 * accounts. Read on every call, so `npm run staff:add` (another process, which opens only this
 * file, never the rest of DATA_DIR) takes effect without a restart. Written whole through a temp
 * file and a rename, readable by the owner only. Changes are serial within one process; two
 * `staff:add` runs at the same instant could still race (as before: one person runs them).
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { KeyedLock } from '../keyed-lock';
import { StaffAccountRecord, type StaffAccountStore } from '../staff-accounts';
import { DIR_MODE, writeJsonAtomic } from './atomic-file';

export const StaffUsersFile = z.object({
  version: z.literal(1),
  users: z.record(z.string(), StaffAccountRecord),
});
export type StaffUsersFile = z.infer<typeof StaffUsersFile>;

/** The users file's accounts; a missing file is no accounts, a file of the wrong shape an error naming it. */
export async function readStaffUsersFile(file: string): Promise<StaffUsersFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, users: {} };
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not a staff users file: ${(e as Error).message}`);
  }
  const parsed = StaffUsersFile.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not a staff users file: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function createLowdbStaffAccounts(file: string): StaffAccountStore {
  const lock = new KeyedLock();
  const write = async (users: StaffUsersFile) => {
    await mkdir(path.dirname(file), { recursive: true, mode: DIR_MODE });
    await writeJsonAtomic(file, users);
  };
  return {
    async get(username) {
      return (await readStaffUsersFile(file)).users[username];
    },
    async list() {
      return Object.entries((await readStaffUsersFile(file)).users).map(([username, account]) => ({ username, account }));
    },
    update: (username, fn) =>
      lock.run('file', async () => {
        const users = await readStaffUsersFile(file);
        const current = users.users[username];
        const account = StaffAccountRecord.parse(fn(current));
        users.users[username] = account;
        await write(users);
        return { created: current === undefined, account };
      }),
    remove: (username) =>
      lock.run('file', async () => {
        const users = await readStaffUsersFile(file);
        if (!users.users[username]) return false;
        delete users.users[username];
        await write(users);
        return true;
      }),
  };
}
