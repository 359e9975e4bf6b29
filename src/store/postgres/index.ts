/**
 * createPostgresStore: the Store port on PostgreSQL (DATABASE_URL), for several instances on one
 * database. Migrations run first; every instance has a name (lease owner) and one listening
 * connection. Plain SQL through `pg`; no ORM, no queue library, no Redis.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import type { StaffAccountStore } from '../staff-accounts';
import type { Bus, DocStore, Store } from '../store';
import { createPgAnalytics } from './pg-analytics';
import { createPgCases } from './pg-cases';
import { createPgChats, WORK_CHANNEL, type PgChats } from './pg-chats';
import { createPgCounters, createPgDocs } from './pg-docs';
import { createListener } from './pg-listener';
import { createPgStaffAccounts } from './pg-staff-accounts';
import { migrate } from './migrations';
import { createTx } from './tx';

export interface PostgresStoreOptions {
  url: string;
  now?: () => number;
  /** Connections in this instance's pool. Default 20. */
  poolSize?: number;
  leaseMs?: number;
  pollMs?: number;
  onError?: (e: unknown) => void;
  /**
   * Wait for the commit to reach the database's disk before answering (STORE_FSYNC=true).
   * Default false, as the embedded store: an acknowledged message survives any instance dying
   * (the database has it), but a crash of the database server itself may lose the last few
   * hundred milliseconds of commits (PostgreSQL's `synchronous_commit = off`, never corruption).
   */
  synchronousCommit?: boolean;
}

export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  readonly owner: string;
  readonly chats: PgChats;
}

const BUS_CHANNEL = 'thutuc_bus';

export async function createPostgresStore(opts: PostgresStoreOptions): Promise<PostgresStore> {
  const now = opts.now ?? Date.now;
  const onError = opts.onError ?? (() => undefined);
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 20, ...(opts.synchronousCommit ? {} : { options: '-c synchronous_commit=off' }) });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', onError);
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`PostgreSQL store: ${(e as Error).message}`, { cause: e });
  }
  const listener = await createListener(opts.url, onError, [BUS_CHANNEL, WORK_CHANNEL]);
  const owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const tx = createTx(pool);
  const chats = createPgChats({ pool, tx, owner, now, listen: (c, fn) => listener.on(c, fn), ...(opts.leaseMs ? { leaseMs: opts.leaseMs } : {}), ...(opts.pollMs ? { pollMs: opts.pollMs } : {}) });

  const bus: Bus = {
    async publish(topic, payload) {
      // Inside a chat step, the notification leaves with its commit (and not at all on rollback).
      await tx.db().query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, JSON.stringify({ topic, payload })]);
    },
    subscribe(topic, fn) {
      return listener.on(BUS_CHANNEL, (raw) => {
        try {
          const msg = JSON.parse(raw) as { topic: string; payload: string };
          if (msg.topic === topic) fn(msg.payload);
        } catch {
          // not ours
        }
      });
    },
  };

  let closed = false;
  const poolSize = opts.poolSize ?? 20;
  return {
    kind: 'postgres',
    // Chat runs beyond this would only queue for a connection, in the same queue as the inbox
    // writes that acknowledge webhooks: a third of the pool stays free for those.
    chatRunLimit: Math.max(1, Math.floor((poolSize * 2) / 3)),
    owner,
    chats,
    docs: createPgDocs(pool, tx, (name, reason) => onError(new Error(`stored document ${name} is invalid (${reason}); read as absent`))),
    cases: createPgCases(tx),
    analytics: createPgAnalytics(pool),
    counters: createPgCounters(pool, now),
    bus,
    staff: createPgStaffAccounts(pool, tx),
    async check() {
      await pool.query('SELECT 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      chats.stop();
      await chats.release().catch(onError);
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * Only the staff accounts (and the documents, for the one-time file import), for
 * `npm run staff:add`: migrations run, but no listener, leases or chat polling — a command
 * line run must never take chats over from the running instances.
 */
export async function openPgStaffAccounts(url: string): Promise<{ accounts: StaffAccountStore; docs: DocStore; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new Error(`PostgreSQL store: ${(e as Error).message}`, { cause: e });
  }
  const tx = createTx(pool);
  return { accounts: createPgStaffAccounts(pool, tx), docs: createPgDocs(pool, tx), close: () => pool.end() };
}
