/**
 * Staff accounts in PostgreSQL (`staff_accounts`, migration 2): one row per username, shared by
 * every instance, so `npm run staff:add` with DATABASE_URL changes them for all at once. A
 * change is one transaction under an advisory lock on the username, so two runs for one account
 * never lose each other's change; a row that no longer parses is an error naming it (as a damaged
 * users file is), not an account that silently vanishes.
 */
import type { Pool } from 'pg';
import { StaffAccountRecord, type StaffAccountStore } from '../staff-accounts';
import type { Tx } from './tx';

interface Row {
  username: string;
  hash: string;
  role: string | null;
  scope: unknown;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'username, hash, role, scope, created_at, updated_at';

function recordOf(row: Row): StaffAccountRecord {
  const parsed = StaffAccountRecord.safeParse({
    hash: row.hash,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...(row.role !== null ? { role: row.role } : {}),
    ...(row.scope !== null ? { scope: row.scope } : {}),
  });
  if (!parsed.success) throw new Error(`staff account ${row.username} is invalid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function createPgStaffAccounts(pool: Pool, tx: Tx): StaffAccountStore {
  return {
    async get(username) {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM staff_accounts WHERE username = $1`, [username]);
      return rows[0] ? recordOf(rows[0]) : undefined;
    },
    async list() {
      const { rows } = await pool.query<Row>(`SELECT ${COLUMNS} FROM staff_accounts ORDER BY username`);
      return rows.map((row) => ({ username: row.username, account: recordOf(row) }));
    },
    update: (username, fn) =>
      tx.run(
        async (client) => {
          const { rows } = await client.query<Row>(`SELECT ${COLUMNS} FROM staff_accounts WHERE username = $1`, [username]);
          const current = rows[0] ? recordOf(rows[0]) : undefined;
          const account = StaffAccountRecord.parse(fn(current));
          await client.query(
            `INSERT INTO staff_accounts (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (username) DO UPDATE SET hash = EXCLUDED.hash, role = EXCLUDED.role, scope = EXCLUDED.scope, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
            [username, account.hash, account.role ?? null, account.scope ? JSON.stringify(account.scope) : null, account.createdAt, account.updatedAt],
          );
          return { created: current === undefined, account };
        },
        { join: false, lock: `staff-account:${username}` },
      ),
    async remove(username) {
      const { rowCount } = await pool.query('DELETE FROM staff_accounts WHERE username = $1', [username]);
      return (rowCount ?? 0) > 0;
    },
  };
}
