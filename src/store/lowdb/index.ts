/**
 * createFileStore: the embedded store (the default, no DATABASE_URL) as the whole Store port —
 * chat and document files (lowdb-store.ts), cases (lowdb-cases.ts), analytics
 * (lowdb-analytics.ts), counters in memory with the long windows also on disk (file-counters.ts),
 * and an in-process bus. One process per DATA_DIR, so a chat
 * is always this process's to run and a named lock is a local one.
 */
import { KeyedLock } from '../keyed-lock';
import { createLocalBus } from '../local-bus';
import { createFileCounters } from './file-counters';
import type { Store } from '../store';
import { createLowdbAnalyticsStore } from './lowdb-analytics';
import { createLowdbCaseStore } from './lowdb-cases';
import { createLowdbStore, type LowdbStoreOptions } from './lowdb-store';

/** The port plus what only files have: the directory and an explicit checkpoint (backups, tests). */
export interface FileStore extends Store {
  readonly kind: 'file';
  readonly dir: string;
  checkpoint(): Promise<void>;
  /** `checkpoint: false` stops as a crash would (tests). */
  close(options?: { checkpoint?: boolean }): Promise<void>;
}

export async function createFileStore(dataDir: string, now: () => number = Date.now, opts: LowdbStoreOptions = {}): Promise<FileStore> {
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
    damage: files.damage,
    backlog: () => files.backlog(),
    checkpoint: () => files.checkpoint(),
    check: () => files.check(),
    close: (options) => files.close(options),
  };
}
