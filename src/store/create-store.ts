/**
 * Picks the store adapter from the config: PostgreSQL when DATABASE_URL is set (several
 * instances on one database), otherwise the embedded files under DATA_DIR (the default).
 */
import type { Config } from '../config';
import type { DamageLog } from './damage';
import { createFileStore } from './lowdb/index';
import type { Store } from './store';

/** `damage` records what the embedded store quarantines (PostgreSQL keeps no files to damage). */
export async function createStore(config: Pick<Config, 'dataDir' | 'storeFsync' | 'databaseUrl'>, now: () => number = Date.now, damage?: DamageLog): Promise<Store> {
  if (config.databaseUrl) {
    const { createPostgresStore } = await import('./postgres/index');
    return createPostgresStore({ url: config.databaseUrl, now, synchronousCommit: config.storeFsync });
  }
  return createFileStore(config.dataDir, now, { fsync: config.storeFsync, ...(damage ? { damage } : {}) });
}
