/**
 * createFileStore: the embedded store (the default, no DATABASE_URL) as the whole Store port —
 * chat and document files (lowdb-store.ts), cases (lowdb-cases.ts), analytics
 * (lowdb-analytics.ts), staff accounts (the STAFF_USERS_FILE, lowdb-staff-accounts.ts), counters
 * in memory with the long windows also on disk (file-counters.ts), and an in-process bus. One
 * process per DATA_DIR, so a chat
 * is always this process's to run and a named lock is a local one.
 */
import { KeyedLock } from '../keyed-lock';
import { createLocalBus } from '../local-bus';
import { createFileCounters } from './file-counters';
import type { Store } from '../store';
import { createLowdbAnalyticsStore } from './lowdb-analytics';
import { createLowdbCaseStore } from './lowdb-cases';
import { createLowdbStaffAccounts } from './lowdb-staff-accounts';
import { createLowdbStore, type LowdbStoreOptions } from './lowdb-store';
import path from 'node:path';

/** The port plus what only files have: the directory and an explicit checkpoint (backups, tests). */
export interface FileStore extends Store {
  readonly kind: 'file';
  readonly dir: string;
  checkpoint(): Promise<void>;
  /** `checkpoint: false` stops as a crash would (tests). */
  close(options?: { checkpoint?: boolean }): Promise<void>;
}

export interface FileStoreOptions extends LowdbStoreOptions {
  /** STAFF_USERS_FILE; default `staff-users.json` in the data directory (where ./data/staff-users.json has always been). */
  staffUsersFile?: string;
}

export async function createFileStore(dataDir: string, now: () => number = Date.now, opts: FileStoreOptions = {}): Promise<FileStore> {
  const files = await createLowdbStore(dataDir, now, opts);
  const [cases, analytics] = await Promise.all([createLowdbCaseStore(dataDir, files.damage), createLowdbAnalyticsStore(dataDir)]);
  const named = new KeyedLock();
  return {
    kind: 'file',
    dir: dataDir,
    chats: { ...files.chats, claim: async () => true, watch: () => () => undefined },
    docs: { ...files.docs, exclusive: (name, fn) => named.run(name, fn) },
    cases,
    analytics,
    counters: await createFileCounters(files.docs, now),
    bus: createLocalBus(),
    staff: createLowdbStaffAccounts(opts.staffUsersFile ?? path.join(dataDir, 'staff-users.json')),
    damage: files.damage,
    backlog: () => files.backlog(),
    checkpoint: () => files.checkpoint(),
    check: () => files.check(),
    close: (options) => files.close(options),
  };
}
