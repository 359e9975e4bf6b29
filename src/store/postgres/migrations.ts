/**
 * The PostgreSQL schema, as versioned migrations applied in order at start and by
 * `npm run db:migrate`. Applied versions are recorded in `thutuc_migrations`; a migration is
 * never edited once released — a change is a new entry. Two instances starting together take
 * turns through a transaction-scoped advisory lock, so each migration runs once.
 */
import type { Pool } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'chats, docs, cases, analytics, counters',
    sql: `
      CREATE TABLE chats (
        channel     text NOT NULL,
        chat_id     text NOT NULL,
        record      jsonb NOT NULL,
        -- inbox or outbox not empty: work a process must finish
        busy        boolean NOT NULL,
        -- the instance running this chat's worker and sender, until lease_until (renewed while alive)
        lease_owner text,
        lease_until timestamptz,
        -- last write, database clock: an unleased busy chat older than a lease is taken over
        touched_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (channel, chat_id)
      );
      CREATE INDEX chats_busy ON chats (lease_until) WHERE busy;
      CREATE INDEX chats_lease_owner ON chats (lease_owner) WHERE lease_owner IS NOT NULL;

      CREATE TABLE docs (
        name       text PRIMARY KEY,
        value      jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );

      CREATE TABLE cases (
        id        text PRIMARY KEY,
        status    text NOT NULL,
        opened_at bigint NOT NULL,
        body      jsonb NOT NULL,
        summary   jsonb NOT NULL
      );
      CREATE INDEX cases_opened ON cases (opened_at DESC, id);

      CREATE TABLE analytics (
        seq    bigserial PRIMARY KEY,
        day    text NOT NULL,
        record jsonb NOT NULL
      );
      CREATE INDEX analytics_day ON analytics (day, seq);

      CREATE TABLE counters (
        key      text PRIMARY KEY,
        count    integer NOT NULL,
        reset_at bigint NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'staff accounts',
    // Until now the accounts were only the STAFF_USERS_FILE; create-store.ts imports that file
    // once into this table (see staff-users-import.ts). role and scope are null on accounts made
    // before roles (read as admin, scope all), as in the file.
    sql: `
      CREATE TABLE staff_accounts (
        username   text PRIMARY KEY,
        hash       text NOT NULL,
        role       text CHECK (role IN ('officer', 'supervisor', 'admin')),
        scope      jsonb,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      );
    `,
  },
];

/** Applies the migrations not yet applied; returns the versions it applied. */
export async function migrate(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // One migrator at a time across instances (the key is arbitrary but fixed: "thutuc" in ASCII).
    await client.query('SELECT pg_advisory_xact_lock(7416869117117099)');
    await client.query('CREATE TABLE IF NOT EXISTS thutuc_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM thutuc_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO thutuc_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
