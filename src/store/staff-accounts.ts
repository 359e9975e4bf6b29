/**
 * Staff accounts as the Store port holds them: per username, the scrypt password hash, the role
 * and scope, and when the account was created and last changed. The password logic (hashing,
 * checking, the rules for names) is in handoff/staff-users.ts; this is only what is stored.
 * Adapters: the embedded store keeps the STAFF_USERS_FILE it always had (lowdb/lowdb-staff-accounts.ts),
 * PostgreSQL a `staff_accounts` table (postgres/pg-staff-accounts.ts).
 *
 * Every read goes to the stored data (no cache), so an account added, changed or removed by
 * `npm run staff:add` in another process applies at the next request of every instance.
 */
import { z } from 'zod';
import { StaffRole, StaffScope } from '../staff/access';

export const StaffAccountRecord = z.object({
  /** `scrypt$N$r$p$salt$key` (base64url parts). */
  hash: z.string(),
  /** ISO 8601, as the users file has always kept them. */
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Absent on accounts made before roles: they read as admin with scope all (LEGACY_ACCOUNT). */
  role: StaffRole.optional(),
  scope: StaffScope.optional(),
});
export type StaffAccountRecord = z.infer<typeof StaffAccountRecord>;

export interface StaffAccountStore {
  get(username: string): Promise<StaffAccountRecord | undefined>;
  /** Every account, by username (order not meaningful). */
  list(): Promise<Array<{ username: string; account: StaffAccountRecord }>>;
  /**
   * Creates or replaces one account from what is stored now, atomically and one change per
   * username at a time (two `staff:add` runs never lose each other's change). Returns whether
   * the account is new.
   */
  update(username: string, fn: (current: StaffAccountRecord | undefined) => StaffAccountRecord): Promise<{ created: boolean; account: StaffAccountRecord }>;
  /** Removes one account; false when there was none. */
  remove(username: string): Promise<boolean>;
}
