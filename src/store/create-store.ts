/**
 * Picks the store adapter from the config: PostgreSQL when DATABASE_URL is set (several
 * instances on one database), otherwise the embedded files under DATA_DIR (the default).
 */
import type { Config } from '../config';
import type { DamageLog } from './damage';
import { createFileStore } from './lowdb/index';
import { createLowdbStaffAccounts } from './lowdb/lowdb-staff-accounts';
import type { StaffAccountStore } from './staff-accounts';
import { importStaffUsersFile } from './staff-users-import';
import type { Store } from './store';

/** Without `staffUsersFile` (benchmarks), the embedded store uses DATA_DIR/staff-users.json and nothing is imported. */
type StoreConfig = Pick<Config, 'dataDir' | 'storeFsync' | 'databaseUrl'> & Partial<Pick<Config, 'staffUsersFile'>>;

/**
 * `damage` records what the embedded store quarantines (PostgreSQL keeps no files to damage).
 * On PostgreSQL the accounts of STAFF_USERS_FILE are copied in at the first start; `onInfo`
 * hears how many.
 */
export async function createStore(config: StoreConfig, now: () => number = Date.now, damage?: DamageLog, onError?: (e: unknown) => void, onInfo?: (message: string, fields: Record<string, unknown>) => void): Promise<Store> {
  if (config.databaseUrl) {
    const { createPostgresStore } = await import('./postgres/index');
    const store = await createPostgresStore({ url: config.databaseUrl, now, synchronousCommit: config.storeFsync, ...(onError ? { onError } : {}) });
    const file = config.staffUsersFile;
    if (file === undefined) return store;
    try {
      const copied = await importStaffUsersFile({ accounts: store.staff, docs: store.docs, file, now });
      if (copied !== undefined) onInfo?.('staff accounts of STAFF_USERS_FILE copied into PostgreSQL (once; the file is no longer read)', { accounts: copied, file });
    } catch (e) {
      await store.close().catch(() => undefined);
      throw new Error(`copying the staff accounts of ${file} into PostgreSQL: ${(e as Error).message}`, { cause: e });
    }
    return store;
  }
  return createFileStore(config.dataDir, now, { fsync: config.storeFsync, ...(config.staffUsersFile ? { staffUsersFile: config.staffUsersFile } : {}), ...(damage ? { damage } : {}) });
}

export interface StaffAccountsHandle {
  accounts: StaffAccountStore;
  /** Where the accounts are, for the command's message: the file, or "PostgreSQL". */
  where: string;
  /** Set when this run copied STAFF_USERS_FILE into PostgreSQL (its first use there). */
  imported?: number;
  close(): Promise<void>;
}

/**
 * Only the staff accounts, for `npm run staff:add` while the server may be running: the users
 * file alone (never the rest of DATA_DIR, which one process owns), or PostgreSQL without taking
 * any chat work.
 */
export async function openStaffAccounts(config: Pick<Config, 'databaseUrl' | 'staffUsersFile'>, now: () => number = Date.now): Promise<StaffAccountsHandle> {
  if (config.databaseUrl) {
    const { openPgStaffAccounts } = await import('./postgres/index');
    const pg = await openPgStaffAccounts(config.databaseUrl);
    try {
      const imported = await importStaffUsersFile({ accounts: pg.accounts, docs: pg.docs, file: config.staffUsersFile, now });
      return { accounts: pg.accounts, where: 'PostgreSQL (DATABASE_URL)', ...(imported !== undefined ? { imported } : {}), close: () => pg.close() };
    } catch (e) {
      await pg.close().catch(() => undefined);
      throw e;
    }
  }
  return { accounts: createLowdbStaffAccounts(config.staffUsersFile), where: config.staffUsersFile, close: async () => undefined };
}
