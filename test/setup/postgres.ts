/**
 * vitest globalSetup: provides `pgAdminUrl` to the PostgreSQL tests. THUTUC_TEST_DATABASE_URL (a
 * superuser URL of an existing server) is used as is; otherwise a throwaway cluster is started
 * (test/helpers/pg-cluster.ts). Without PostgreSQL the tests that need it skip, and say so.
 */
import type { TestProject } from 'vitest/node';
import { findPgBin, startCluster } from '../helpers/pg-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Empty when PostgreSQL is not available. */
    pgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.THUTUC_TEST_DATABASE_URL;
  if (given) {
    project.provide('pgAdminUrl', given);
    return undefined;
  }
  if (!findPgBin()) {
    // CI (.ci/run) installs PostgreSQL and sets this: there a missing server is a failure, not a skip.
    if (process.env.THUTUC_REQUIRE_POSTGRES === '1') throw new Error('THUTUC_REQUIRE_POSTGRES=1 but PostgreSQL is not installed (apt-get install -y postgresql)');
    process.stdout.write('\n  PostgreSQL not found: the PostgreSQL store tests are SKIPPED (apt-get install -y postgresql, or bash .ci/run, provides it)\n\n');
    project.provide('pgAdminUrl', '');
    return undefined;
  }
  let cluster;
  try {
    cluster = await startCluster();
  } catch (e) {
    // A cluster that will not start must not take the rest of the suite down with it (CI: it does).
    if (process.env.THUTUC_REQUIRE_POSTGRES === '1') throw e;
    process.stdout.write(`\n  PostgreSQL did not start (${(e as Error).message.split('\n')[0]}): the PostgreSQL store tests are SKIPPED\n\n`);
    project.provide('pgAdminUrl', '');
    return undefined;
  }
  project.provide('pgAdminUrl', cluster.adminUrl);
  return () => cluster.stop();
}
