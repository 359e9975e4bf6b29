/**
 * Transactions and the chat step's transaction context. A chat step (`chats.update`) runs its
 * function inside one transaction; stores used from inside it (cases, bus) find that
 * transaction here and join it, so the handoff's case write commits or rolls back with the chat.
 * One context per store instance: two stores in one process (tests) never share a transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';

export interface Tx {
  /** The transaction of the running chat step, if any. */
  active(): PoolClient | undefined;
  /**
   * Runs `fn` in a transaction: the running chat step's if there is one (unless `join: false`),
   * else a new one, holding the advisory lock named `lock` (if given) from its start.
   */
  run<T>(fn: (client: PoolClient) => Promise<T>, opts?: { join?: boolean; lock?: string }): Promise<T>;
  /** The step's transaction if any, else the pool: for single statements. */
  db(): Pool | PoolClient;
  /**
   * Runs `fn` as inside the transaction open on `client` (begun and ended by the caller), so
   * stores used from `fn` join it: for a chat step, which sends its own BEGIN and COMMIT
   * together with its first and last statements (pg-chats.ts).
   */
  enter<T>(client: PoolClient, fn: () => Promise<T>): Promise<T>;
}

export function createTx(pool: Pool): Tx {
  const current = new AsyncLocalStorage<PoolClient>();
  return {
    active: () => current.getStore(),
    db: () => current.getStore() ?? pool,
    enter: (client, fn) => current.run(client, fn),
    async run(fn, opts = {}) {
      const joined = opts.join === false ? undefined : current.getStore();
      if (joined) return fn(joined);
      const client = await pool.connect();
      try {
        // With a lock name, BEGIN and the transaction's advisory lock go in one round trip.
        await client.query(opts.lock === undefined ? 'BEGIN' : `BEGIN; SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(opts.lock)}, 0))`);
        const result = await current.run(client, () => fn(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
  };
}

/** A 64-bit advisory lock key for a name, computed by the server. */
export const LOCK_KEY = 'hashtextextended($1, 0)';
