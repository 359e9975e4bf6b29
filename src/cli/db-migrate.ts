/**
 * npm run db:migrate — applies the PostgreSQL migrations DATABASE_URL's database lacks, then
 * exits (the server also does this at start; run it first to migrate before rolling out). Exit
 * code 0 on success, 1 with a message otherwise. Without DATABASE_URL there is nothing to do.
 */
import pg from 'pg';
import { ConfigError, parseConfig } from '../config';
import { migrate, MIGRATIONS } from '../store/postgres/migrations';

try {
  const config = parseConfig(process.env);
  if (!config.databaseUrl) {
    process.stdout.write('db:migrate: DATABASE_URL is not set; the embedded store (DATA_DIR) needs no migration\n');
    process.exit(0);
  }
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 1 });
  try {
    const applied = await migrate(pool);
    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    process.stdout.write(applied.length > 0 ? `db:migrate: applied ${applied.join(', ')}; the schema is at version ${latest}\n` : `db:migrate: up to date (version ${latest})\n`);
  } finally {
    await pool.end();
  }
} catch (e) {
  // The URL may carry a password: say what failed, never echo the URL.
  process.stderr.write(`db:migrate: ${e instanceof ConfigError ? e.message : (e as Error).message}\n`);
  process.exit(1);
}
