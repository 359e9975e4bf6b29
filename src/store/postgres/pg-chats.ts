/**
 * Chat records in PostgreSQL. One row per chat (the record as jsonb, as the embedded store keeps
 * one JSON file per chat). `update` is one transaction under a transaction-scoped advisory lock
 * on the chat (it also covers chats that have no row yet), so two instances never run a step of
 * the same chat at once; in-process calls queue on a KeyedLock first so a burst on one chat
 * holds one connection, not one each.
 *
 * Leases: the instance whose pipeline runs a chat holds `lease_owner` until `lease_until`; a
 * heartbeat renews its leases every LEASE_MS / 3, so a live holder never loses one and a dead
 * one's lapse LEASE_MS after its last heartbeat. A poller takes over lapsed leases (and busy
 * chats nobody claimed: the acceptor died between accepting and claiming) with
 * FOR UPDATE SKIP LOCKED, so several survivors split the work instead of waiting on each other.
 * When a step leaves work in a chat another live instance holds, it NOTIFYs that instance.
 */
import type { Pool, PoolClient, QueryResult } from 'pg';
import { KeyedLock } from '../keyed-lock';
import { ChatRecord, emptyRecord, keyString, type ChannelName, type ChatKey, type ChatStore } from '../store';
import type { Tx } from './tx';

/** How long a chat stays with an instance that stopped renewing (crashed, cut off). */
export const LEASE_MS = 10_000;
/** How often lapsed leases are looked for. */
export const TAKEOVER_POLL_MS = 2_000;
export const WORK_CHANNEL = 'thutuc_work';
const TAKEOVER_BATCH = 200;

export interface PgChatsDeps {
  pool: Pool;
  tx: Tx;
  /** This instance's name in lease_owner. */
  owner: string;
  now: () => number;
  leaseMs?: number;
  pollMs?: number;
  /** Subscribes to WORK_CHANNEL notifications (the store's one listening connection). */
  listen: (channel: string, fn: (payload: string) => void) => () => void;
}

export interface PgChats extends ChatStore {
  /** Gives back every lease this instance holds, so others take its chats at once (shutdown). */
  release(): Promise<void>;
  stop(): void;
}

const isBusy = (r: ChatRecord) => r.inbox.length > 0 || r.outbox.length > 0;

export function createPgChats(deps: PgChatsDeps): PgChats {
  const { pool, owner, now } = deps;
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const lease = `${leaseMs} milliseconds`;
  const lock = new KeyedLock();
  /** Chats this instance's last write to them left it holding, and when (monotonic ms). */
  const held = new Map<string, number>();
  const listeners = new Set<(key: ChatKey) => void>();
  const tell = (key: ChatKey) => {
    for (const l of listeners) l(key);
  };

  const unlisten = deps.listen(WORK_CHANNEL, (payload) => {
    try {
      const msg = JSON.parse(payload) as { owner: string; channel: ChannelName; chatId: string };
      if (msg.owner === owner) tell({ channel: msg.channel, chatId: msg.chatId });
    } catch {
      // not a message of ours
    }
  });

  async function takeOver(): Promise<ChatKey[]> {
    const { rows } = await pool.query<{ channel: ChannelName; chat_id: string }>(
      `UPDATE chats SET lease_owner = $1, lease_until = clock_timestamp() + $2::interval
        WHERE (channel, chat_id) IN (
          SELECT channel, chat_id FROM chats
           WHERE busy AND ((lease_owner IS NOT NULL AND lease_owner <> $1 AND lease_until < clock_timestamp())
                        OR (lease_owner IS NULL AND touched_at < clock_timestamp() - $2::interval))
           LIMIT ${TAKEOVER_BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING channel, chat_id`,
      [owner, lease],
    );
    return rows.map((r) => ({ channel: r.channel, chatId: r.chat_id }));
  }

  /**
   * Chats this instance holds that still have work and saw no write for a poll interval: a
   * notification may have been lost (the listening connection dropped), so they are run again
   * (a chat already running just runs once more).
   */
  async function stalled(): Promise<ChatKey[]> {
    const { rows } = await pool.query<{ channel: ChannelName; chat_id: string }>(
      `SELECT channel, chat_id FROM chats WHERE lease_owner = $1 AND busy AND touched_at < clock_timestamp() - $2::interval LIMIT 500`,
      [owner, `${deps.pollMs ?? TAKEOVER_POLL_MS} milliseconds`],
    );
    return rows.map((r) => ({ channel: r.channel, chatId: r.chat_id }));
  }

  const heartbeat = setInterval(() => {
    void pool.query('UPDATE chats SET lease_until = clock_timestamp() + $2::interval WHERE lease_owner = $1', [owner, lease]).catch(() => undefined);
  }, Math.max(50, Math.floor(leaseMs / 3)));
  heartbeat.unref();
  let polling = false;
  const poller = setInterval(() => {
    if (polling || listeners.size === 0) return;
    polling = true;
    (async () => {
      // A full batch means more may be waiting: take the next one at once.
      for (let keys = await takeOver(); ; keys = await takeOver()) {
        keys.forEach(tell);
        if (keys.length < TAKEOVER_BATCH) break;
      }
      (await stalled()).forEach(tell);
    })()
      .catch(() => undefined)
      .finally(() => {
        polling = false;
      });
  }, deps.pollMs ?? TAKEOVER_POLL_MS);
  poller.unref();

  async function readRow(client: Pool | PoolClient, key: ChatKey): Promise<ChatRecord | undefined> {
    const { rows } = await client.query<{ record: unknown }>('SELECT record FROM chats WHERE channel = $1 AND chat_id = $2', [key.channel, key.chatId]);
    return rows[0] ? parseRecord(rows[0].record, keyString(key)) : undefined;
  }

  /**
   * The chat's row written (the record as a dollar-quoted literal: no escaping of its bytes) with
   * its lease: the writer of work takes the chat when nobody live holds it (saves claim() a round
   * trip), an idle chat is nobody's (its lease ends with its work, in the same commit). When
   * another live instance holds a chat left with work, that instance is NOTIFYed, in the same
   * statement, so it leaves with the commit.
   */
  function writeSql(client: PoolClient, key: ChatKey, record: ChatRecord, busy: boolean): string {
    const lit = (v: string) => client.escapeLiteral(v);
    const channel = lit(key.channel);
    const chatId = lit(key.chatId);
    const me = lit(owner);
    return `WITH up AS (
        INSERT INTO chats (channel, chat_id, record, busy, lease_owner, lease_until)
          VALUES (${channel}, ${chatId}, ${jsonLiteral(client, JSON.stringify(record))}::jsonb, ${busy}, ${busy ? me : 'NULL'}, ${busy ? `clock_timestamp() + ${lit(lease)}::interval` : 'NULL'})
        ON CONFLICT (channel, chat_id) DO UPDATE SET record = EXCLUDED.record, busy = EXCLUDED.busy, touched_at = clock_timestamp(),
          lease_owner = CASE WHEN NOT EXCLUDED.busy THEN NULL
                             WHEN chats.lease_owner IS NULL OR chats.lease_owner = ${me} OR chats.lease_until < clock_timestamp() THEN ${me}
                             ELSE chats.lease_owner END,
          lease_until = CASE WHEN NOT EXCLUDED.busy THEN NULL
                             WHEN chats.lease_owner IS NULL OR chats.lease_owner = ${me} OR chats.lease_until < clock_timestamp() THEN clock_timestamp() + ${lit(lease)}::interval
                             ELSE chats.lease_until END
        RETURNING lease_owner, coalesce(lease_until > clock_timestamp(), false) AS live),
      told AS (
        SELECT pg_notify(${lit(WORK_CHANNEL)}, json_build_object('owner', lease_owner, 'channel', ${channel}::text, 'chatId', ${chatId}::text)::text)
          FROM up WHERE ${busy} AND lease_owner IS NOT NULL AND lease_owner <> ${me} AND live)
      SELECT lease_owner, (SELECT count(*) FROM told) AS told FROM up`;
  }

  const chats: PgChats = {
    update(key, fn) {
      const k = keyString(key);
      // Whether this instance holds the chat after the write; known only once it committed.
      let mine = false;
      const step = async () => {
        const client = await pool.connect();
        try {
          // Round trip 1: BEGIN, the chat's advisory lock and the read (literals: a simple query
          // carries several statements, parameters need one each).
          const first = (await client.query(
            `BEGIN; SELECT pg_advisory_xact_lock(hashtextextended(${client.escapeLiteral(`chat:${k}`)}, 0)); SELECT record FROM chats WHERE channel = ${client.escapeLiteral(key.channel)} AND chat_id = ${client.escapeLiteral(key.chatId)}`,
          )) as unknown as Array<QueryResult<{ record: unknown }>>;
          const row = first[2]!.rows[0];
          const stored = row ? parseRecord(row.record, k) : undefined;
          // Case writes and bus messages made by fn find this transaction and join it.
          const { record, remove, result } = await deps.tx.enter(client, async () => fn(stored ?? emptyRecord(key, now())));
          // Round trip 2: the write and COMMIT (a failing write skips the COMMIT: rolled back below).
          if (remove) {
            await client.query(stored ? `DELETE FROM chats WHERE channel = ${client.escapeLiteral(key.channel)} AND chat_id = ${client.escapeLiteral(key.chatId)}; COMMIT` : 'COMMIT');
          } else if (record) {
            record.updatedAt = now();
            const busy = isBusy(record);
            const results = (await client.query(`${writeSql(client, key, record, busy)}; COMMIT`)) as unknown as Array<QueryResult<{ lease_owner: string | null }>>;
            mine = results[0]!.rows[0]!.lease_owner === owner;
          } else {
            await client.query('COMMIT');
          }
          return result;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        } finally {
          client.release();
        }
      };
      return lock.run(k, async () => {
        mine = false;
        const result = await step();
        if (mine) {
          held.set(k, performance.now());
          if (held.size > 10_000) for (const [h, at] of held) if (performance.now() - at > leaseMs) held.delete(h);
        } else held.delete(k);
        return result;
      });
    },
    read: (key) => readRow(pool, key),
    async remove(key) {
      await lock.run(keyString(key), () => pool.query('DELETE FROM chats WHERE channel = $1 AND chat_id = $2', [key.channel, key.chatId]));
    },
    async pending() {
      const { rows } = await pool.query<{ channel: ChannelName; chat_id: string }>(
        `SELECT channel, chat_id FROM chats WHERE busy AND (lease_owner IS NULL OR lease_owner = $1 OR lease_until < clock_timestamp())`,
        [owner],
      );
      return rows.map((r) => ({ channel: r.channel, chatId: r.chat_id }));
    },
    async claim(key) {
      // Taken or renewed by this instance's own write moments ago: no need to ask the database.
      const at = held.get(keyString(key));
      if (at !== undefined && performance.now() - at < leaseMs / 2) return true;
      const taken = await pool.query(
        `UPDATE chats SET lease_owner = $3, lease_until = clock_timestamp() + $4::interval
          WHERE channel = $1 AND chat_id = $2 AND (lease_owner IS NULL OR lease_owner = $3 OR lease_until < clock_timestamp())`,
        [key.channel, key.chatId, owner, lease],
      );
      if (taken.rowCount === 1) return true;
      // No row: nothing stored, nothing to run, nobody to collide with.
      const { rowCount } = await pool.query('SELECT 1 FROM chats WHERE channel = $1 AND chat_id = $2', [key.channel, key.chatId]);
      return rowCount === 0;
    },
    watch(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async *keys() {
      // Pages in key order, so a sweep over many chats never holds them all in memory.
      let after: [string, string] = ['', ''];
      for (;;) {
        const { rows } = await pool.query<{ channel: ChannelName; chat_id: string }>('SELECT channel, chat_id FROM chats WHERE (channel, chat_id) > ($1, $2) ORDER BY channel, chat_id LIMIT 500', after);
        for (const r of rows) yield { channel: r.channel, chatId: r.chat_id };
        if (rows.length < 500) return;
        const last = rows[rows.length - 1]!;
        after = [last.channel, last.chat_id];
      }
    },
    async count() {
      const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM chats');
      return Number(rows[0]!.n);
    },
    async release() {
      held.clear();
      // touched_at in the past: the others' poller takes these chats on its next round.
      await pool.query(`UPDATE chats SET lease_owner = NULL, lease_until = NULL, touched_at = '-infinity' WHERE lease_owner = $1`, [owner]);
    },
    stop() {
      clearInterval(heartbeat);
      clearInterval(poller);
      unlisten();
      listeners.clear();
    },
  };
  return chats;
}

function parseRecord(data: unknown, where: string): ChatRecord {
  const parsed = ChatRecord.safeParse(data);
  if (!parsed.success) throw new Error(`chat record ${where} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data as ChatRecord;
}

/**
 * A JSON text as an SQL literal: dollar-quoted with a tag the text does not contain, so its
 * bytes go as they are (a chat record is tens of kilobytes; quoting it character by character
 * costs more than sending it), else escaped.
 */
function jsonLiteral(client: PoolClient, json: string): string {
  for (let n = 0; n < 4; n++) {
    const tag = `$j${Math.random().toString(36).slice(2, 10)}$`;
    if (!json.includes(tag)) return `${tag}${json}${tag}`;
  }
  return client.escapeLiteral(json);
}
