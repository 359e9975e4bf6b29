/**
 * Transactions and the chat step's transaction context. A chat step (`chats.update`) runs its
 * function inside one transaction; stores used from inside it (cases, bus) find that
 * transaction here and join it, so the handoff's case write commits or rolls back with the chat.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Pool, PoolClient } from 'pg';

const current = new AsyncLocalStorage<PoolClient>();

/** The transaction of the running chat step, if any. */
export function activeClient(): PoolClient | undefined {
  return current.getStore();
}

/** Runs `fn` in a transaction: the running chat step's if there is one, else a new one. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>, opts: { join?: boolean } = {}): Promise<T> {
  const joined = opts.join === false ? undefined : activeClient();
  if (joined) return fn(joined);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await current.run(client, () => fn(client));
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** A 64-bit advisory lock key for a name, computed by the server. */
export const LOCK_KEY = 'hashtextextended($1, 0)';
