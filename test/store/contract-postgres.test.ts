/**
 * The Store contract on PostgreSQL: a new database per test on the throwaway cluster that
 * test/setup/postgres.ts started. Skipped, with a line saying so, when PostgreSQL is missing.
 */
import { inject } from 'vitest';
import { createPostgresStore } from '../../src/store/postgres/index';
import { freshDatabase } from '../helpers/pg-cluster';
import { storeContract } from './contract';

const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: Store contract on PostgreSQL SKIPPED\n');

storeContract(
  'PostgreSQL',
  adminUrl
    ? {
        async data() {
          const db = await freshDatabase(adminUrl);
          return { open: (now) => createPostgresStore({ url: db.url, now, poolSize: 5 }), drop: () => db.drop() };
        },
      }
    : undefined,
);
