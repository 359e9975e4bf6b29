/**
 * The two Store adapters for tests that must hold on both (the staff console on the embedded
 * files and on PostgreSQL): `describe.each(TEST_STORES)` with `describe.skipIf(!store.available)`,
 * then `store.start(env, opts)` instead of `startTestServer`. On PostgreSQL each server gets a
 * new database on the throwaway cluster (test/setup/postgres.ts), dropped by `dispose`; a
 * `restart` keeps it. Without PostgreSQL those tests skip, and a line says so.
 */
import { inject } from 'vitest';
import { freshDatabase } from './pg-cluster';
import { startTestServer, type TestServer } from './server';

type StartOptions = Parameters<typeof startTestServer>[1];

export interface TestStore {
  name: 'embedded files' | 'PostgreSQL';
  available: boolean;
  start(env?: Record<string, string>, opts?: StartOptions): Promise<TestServer>;
}

/** The server's dispose and restart, and those of every server a restart returns, also drop the database. */
function dropping(server: TestServer, drop: () => Promise<void>): TestServer {
  return {
    ...server,
    async restart() {
      return dropping(await server.restart(), drop);
    },
    async dispose() {
      try {
        await server.dispose();
      } finally {
        await drop();
      }
    },
  };
}

const adminUrl = inject('pgAdminUrl');

export const TEST_STORES: readonly TestStore[] = [
  { name: 'embedded files', available: true, start: (env = {}, opts = {}) => startTestServer(env, opts) },
  {
    name: 'PostgreSQL',
    available: Boolean(adminUrl),
    async start(env = {}, opts = {}) {
      const db = await freshDatabase(adminUrl);
      try {
        const server = dropping(await startTestServer({ ...env, DATABASE_URL: db.url }, opts), () => db.drop());
        // A test "on PostgreSQL" that ran on files would prove nothing.
        if (server.store.kind !== 'postgres') {
          await server.dispose();
          throw new Error(`DATABASE_URL was set but the server runs on the ${server.store.kind} store`);
        }
        return server;
      } catch (e) {
        await db.drop();
        throw e;
      }
    },
  },
];

/** Prints, once per test file, that the PostgreSQL half of `what` is skipped. */
export function sayWhenSkipped(what: string): void {
  if (!adminUrl) process.stdout.write(`PostgreSQL not available: ${what} on PostgreSQL SKIPPED\n`);
}
