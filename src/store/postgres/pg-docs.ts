/**
 * Named documents (OA tokens, staff sessions, the session secret) and shared counters in
 * PostgreSQL. `update` is one transaction under an advisory lock on the name; `exclusive` holds
 * a session advisory lock on its own connection for the whole async `fn`, so the Zalo OA token
 * refresh runs once across every instance.
 */
import type { Pool } from 'pg';
import type { z } from 'zod';
import { KeyedLock } from '../keyed-lock';
import type { CounterStore, DocStore } from '../store';
import { LOCK_KEY, type Tx } from './tx';

export function createPgDocs(pool: Pool, tx: Tx, onInvalid: (name: string, reason: string) => void = () => undefined): DocStore {
  const local = new KeyedLock();
  // A document that no longer parses reads as absent, as the embedded store quarantines its
  // file: the caller starts over (a new session secret, the tokens from the environment).
  const parse = <T>(name: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      onInvalid(name, parsed.error.issues[0]?.message ?? 'invalid');
      return undefined;
    }
    return parsed.data;
  };
  const upsert = 'INSERT INTO docs (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = clock_timestamp()';
  return {
    async get(name, schema) {
      const { rows } = await pool.query<{ value: unknown }>('SELECT value FROM docs WHERE name = $1', [name]);
      return rows[0] ? parse(name, schema, rows[0].value) : undefined;
    },
    async set(name, value) {
      await pool.query(upsert, [name, JSON.stringify(value)]);
    },
    update: (name, schema, fn) =>
      local.run(name, () =>
        tx.run(
          async (client) => {
            const { rows } = await client.query<{ value: unknown }>('SELECT value FROM docs WHERE name = $1', [name]);
            const next = fn(rows[0] ? parse(name, schema, rows[0].value) : undefined);
            await client.query(upsert, [name, JSON.stringify(next)]);
            return next;
          },
          { join: false, lock: `doc:${name}` },
        ),
      ),
    async names() {
      const { rows } = await pool.query<{ name: string }>('SELECT name FROM docs ORDER BY name COLLATE "C"');
      return rows.map((r) => r.name);
    },
    exclusive: (name, fn) =>
      local.run(`x:${name}`, async () => {
        const client = await pool.connect();
        try {
          await client.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, [`exclusive:${name}`]);
          try {
            return await fn();
          } finally {
            await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [`exclusive:${name}`]);
          }
        } finally {
          client.release();
        }
      }),
  };
}

export function createPgCounters(pool: Pool, now: () => number): CounterStore {
  return {
    async hit(key, windowMs, amount = 1) {
      const at = now();
      const { rows } = await pool.query<{ count: number; reset_at: string }>(
        `INSERT INTO counters (key, count, reset_at) VALUES ($1, $4, $2::bigint + $3::bigint)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN counters.reset_at <= $2 THEN $4 ELSE counters.count + $4 END,
           reset_at = CASE WHEN counters.reset_at <= $2 THEN $2::bigint + $3::bigint ELSE counters.reset_at END
         RETURNING count, reset_at`,
        [key, at, windowMs, amount],
      );
      return { count: rows[0]!.count, resetAt: Number(rows[0]!.reset_at) };
    },
    async reset(key) {
      await pool.query('DELETE FROM counters WHERE key = $1', [key]);
    },
  };
}
