/**
 * Moving to PostgreSQL keeps the staff accounts: at the first start on a database (and at the
 * first `npm run staff:add` with DATABASE_URL), the accounts of STAFF_USERS_FILE are copied into
 * the store once, under a lock shared by every instance, and a marker document says it was done.
 * An account the database already has is kept as it is (the database is the newer word). After
 * that the file is not read again; the caller logs how many accounts came over.
 */
import { z } from 'zod';
import { readStaffUsersFile } from './lowdb/lowdb-staff-accounts';
import type { StaffAccountStore } from './staff-accounts';
import type { DocStore } from './store';

const MARKER = 'staff-users-file-imported';
const Marker = z.object({ file: z.string(), at: z.number(), accounts: z.number() });

/** The number of accounts copied when this call did the import; undefined when it was done before. */
export async function importStaffUsersFile(deps: { accounts: StaffAccountStore; docs: DocStore; file: string; now: () => number }): Promise<number | undefined> {
  return deps.docs.exclusive(MARKER, async () => {
    if (await deps.docs.get(MARKER, Marker)) return undefined;
    const { users } = await readStaffUsersFile(deps.file);
    let copied = 0;
    for (const [username, account] of Object.entries(users)) {
      const { created } = await deps.accounts.update(username, (current) => current ?? account);
      if (created) copied++;
    }
    await deps.docs.set(MARKER, { file: deps.file, at: deps.now(), accounts: copied });
    return copied;
  });
}
