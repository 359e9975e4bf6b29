/**
 * npm run db:copy [-- --into postgres|files] — copies a deployment's stored data from the
 * embedded store (DATA_DIR) into PostgreSQL (DATABASE_URL), the default, or back with
 * `--into files`: chats with their sessions, inboxes and transcripts, cases, analytics, the audit
 * log, the staff accounts (STAFF_USERS_FILE on the files side) and the documents (the web chat's
 * signing secret, staff sessions, canned replies, Zalo OA tokens). Stop every thutuc process of
 * the source first: the embedded store belongs to one process, and an OA refresh token copied
 * while a running bot spends it no longer works.
 * Safe to run again (src/store/copy-store.ts). Progress goes to stderr; exit code 0 on success,
 * 1 with a message otherwise.
 */
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig } from '../config';
import { createDocAuditLog } from '../store/audit';
import { copyStore, type CopyEnds } from '../store/copy-store';
import { createFileStore } from '../store/lowdb/index';
import { createLowdbAuditLog } from '../store/lowdb/lowdb-audit';
import { createPostgresStore } from '../store/postgres/index';

const USAGE = 'usage: npm run db:copy [-- --into postgres|files]   (DATA_DIR and DATABASE_URL from the environment)';

function fail(message: string): never {
  process.stderr.write(`db:copy: ${message}\n`);
  process.exit(1);
}

let into: 'postgres' | 'files';
try {
  const { values } = parseArgs({ options: { into: { type: 'string', default: 'postgres' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.into !== 'postgres' && values.into !== 'files') fail(`--into is "postgres" or "files", not "${values.into}"\n${USAGE}`);
  into = values.into;
} catch (e) {
  fail(`${(e as Error).message}\n${USAGE}`);
}

let config;
try {
  config = parseConfig(process.env);
} catch (e) {
  fail(e instanceof ConfigError ? e.message : (e as Error).message);
}
if (!config.databaseUrl) fail('DATABASE_URL is not set: it names the PostgreSQL database to copy into (or from, with --into files)');

let files: CopyEnds | undefined;
let postgres: CopyEnds | undefined;
try {
  const fileStore = await createFileStore(config.dataDir, Date.now, { fsync: true, staffUsersFile: config.staffUsersFile });
  files = { store: fileStore, audit: await createLowdbAuditLog(config.dataDir) };
  const pgStore = await createPostgresStore({ url: config.databaseUrl, poolSize: 4 });
  postgres = { store: pgStore, audit: createDocAuditLog(pgStore.docs) };
  const [from, to] = into === 'postgres' ? [files, postgres] : [postgres, files];
  process.stderr.write(`db:copy: ${into === 'postgres' ? `${config.dataDir} → PostgreSQL` : `PostgreSQL → ${config.dataDir}`}\n`);
  let last = '';
  const report = await copyStore(from, to, (what, done, total) => {
    const line = `  ${what}: ${done.toLocaleString('en')}${total === undefined ? '' : ` of ${total.toLocaleString('en')}`}`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
  });
  const skipped = (days: string[]) => (days.length > 0 ? ` (${days.length} day(s) already there, skipped: ${days.slice(0, 5).join(', ')}${days.length > 5 ? ', …' : ''})` : '');
  process.stdout.write(
    [
      `db:copy: done`,
      `  documents: ${report.docs}`,
      `  staff accounts: ${report.staff}`,
      `  chats: ${report.chats}`,
      `  cases: ${report.cases.copied} copied, ${report.cases.kept} already there (kept)`,
      `  analytics days: ${report.analyticsDays.copied}${skipped(report.analyticsDays.skipped)}`,
      `  audit days: ${report.auditDays.copied}${skipped(report.auditDays.skipped)}`,
      '',
    ].join('\n'),
  );
} catch (e) {
  // The URL may carry a password: say what failed, never echo the URL.
  process.stderr.write(`db:copy: ${(e as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await files?.store.close();
  await postgres?.store.close();
}
