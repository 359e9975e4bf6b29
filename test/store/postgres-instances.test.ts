/**
 * What only a shared database has to get right, with two stores (two instances) on one
 * PostgreSQL database: one holder per chat, a dead holder's chats taken over after its lease,
 * the holder told when another instance wrote to its chat, released leases on close, the case
 * write inside a chat step committing or rolling back with it, and the bus across instances.
 */
import { afterEach, beforeEach, describe, expect, it, inject } from 'vitest';
import { createPostgresStore, type PostgresStore } from '../../src/store/postgres/index';
import type { Case } from '../../src/store/cases';
import type { ChatKey } from '../../src/store/store';
import { createSendBudget } from '../../src/pipeline/send-budget';
import { freshDatabase } from '../helpers/pg-cluster';

const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: PostgreSQL multi-instance store tests SKIPPED\n');

const key: ChatKey = { channel: 'telegram', chatId: '7' };
const LEASE_MS = 300;
const POLL_MS = 50;
const withWork = (store: PostgresStore, k: ChatKey = key) => store.chats.update(k, (r) => (r.inbox.push({ id: `m${r.inbox.length}`, input: { kind: 'text', value: 'x' }, receivedAt: 1 }), { record: r, result: undefined }));
const until = async (ok: () => boolean | Promise<boolean>, ms = 5_000) => {
  // Bounded by attempts, not the wall clock: each attempt waits a poll interval.
  for (let i = 0; i < ms / 20; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
};

describe.skipIf(!adminUrl)('two instances on one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let a: PostgresStore;
  let b: PostgresStore;
  const open = () => createPostgresStore({ url: db.url, poolSize: 4, leaseMs: LEASE_MS, pollMs: POLL_MS });
  beforeEach(async () => {
    db = await freshDatabase(adminUrl);
    [a, b] = await Promise.all([open(), open()]);
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
    await db.drop();
  });

  it('gives a chat to one instance at a time and tells the holder of work written by the other', async () => {
    await withWork(a);
    expect(await a.chats.claim(key)).toBe(true);
    expect(await b.chats.claim(key)).toBe(false);
    expect(await a.chats.claim(key)).toBe(true);
    const told: ChatKey[] = [];
    a.chats.watch((k) => told.push(k));
    await withWork(b); // accepted by b while a holds the chat
    await until(() => told.length > 0);
    expect(told[0]).toEqual(key);
    // The chat's work done: the lease ends with it, so b may take the next message.
    await a.chats.update(key, (r) => ((r.inbox = []), { record: r, result: undefined }));
    expect(await b.chats.claim(key)).toBe(true);
  });

  it('hands a dead instance’s chats to a survivor after the lease, and every chat to one survivor only', async () => {
    const keys = Array.from({ length: 30 }, (_, i): ChatKey => ({ channel: 'web', chatId: `c${i}` }));
    for (const k of keys) {
      await withWork(a, k);
      expect(await a.chats.claim(k)).toBe(true);
    }
    const c = await open();
    // Sets: a holder is reminded of its chats while they still have work (lost notifications).
    const takenByB = new Set<string>();
    const takenByC = new Set<string>();
    b.chats.watch((k) => takenByB.add(k.chatId));
    c.chats.watch((k) => takenByC.add(k.chatId));
    // a dies: no close, no heartbeat (its timers stop, its connections stay as a frozen process's would).
    a.chats.stop();
    await until(() => takenByB.size + takenByC.size >= keys.length);
    expect([...takenByB, ...takenByC].sort()).toEqual(keys.map((k) => k.chatId).sort());
    expect([...takenByB].filter((id) => takenByC.has(id))).toEqual([]);
    for (const k of keys) expect(await (takenByB.has(k.chatId) ? b : c).chats.claim(k)).toBe(true);
    await c.close();
  });

  it('releases its leases on close so the others take over at once', async () => {
    await withWork(a);
    expect(await a.chats.claim(key)).toBe(true);
    const told: ChatKey[] = [];
    b.chats.watch((k) => told.push(k));
    await a.close();
    await until(() => told.length > 0, 1_000);
    expect(await b.chats.claim(key)).toBe(true);
    a = await open();
  });

  it('commits a case written inside a chat step with it, and rolls both back together', async () => {
    const theCase = (id: string): Case => ({ version: 1, id, channel: 'telegram', chatId: '7', status: 'open', reason: 'asked', locale: 'vi', answers: [], transcript: [], messages: [], openedAt: 1, updatedAt: 1 });
    await expect(
      a.chats.update(key, async (r) => {
        await a.cases.create(theCase('rolled-back'));
        r.caseId = 'rolled-back';
        throw new Error('crash before the commit');
      }),
    ).rejects.toThrow('crash');
    expect(await b.cases.get('rolled-back')).toBeUndefined();
    await a.chats.update(key, async (r) => {
      await a.cases.create(theCase('kept'));
      // Not visible to another instance before the step commits.
      expect(await b.cases.get('kept')).toBeUndefined();
      r.caseId = 'kept';
      return { record: r, result: undefined };
    });
    expect((await b.cases.get('kept'))?.id).toBe('kept');
    expect((await b.chats.read(key))?.caseId).toBe('kept');
  });

  it('carries bus messages to the other instance, a step’s only after it committed', async () => {
    const got: string[] = [];
    b.bus.subscribe('case', (p) => got.push(p));
    await new Promise((r) => setTimeout(r, 50));
    await a.chats.update(key, async (r) => {
      await a.bus.publish('case', 'opened');
      await new Promise((res) => setTimeout(res, 100));
      expect(got).toEqual([]);
      return { record: r, result: undefined };
    });
    await a.bus.publish('case', 'outside');
    await until(() => got.length === 2);
    expect(got).toEqual(['opened', 'outside']);
  });

  it('shares counters and named exclusive sections between instances', async () => {
    await a.counters.hit('login:1.2.3.4', 60_000);
    expect((await b.counters.hit('login:1.2.3.4', 60_000)).count).toBe(2);
    let inside = 0;
    let most = 0;
    const section = (s: PostgresStore) =>
      s.docs.exclusive('zalo-oa-refresh', async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 30));
        inside--;
      });
    await Promise.all([section(a), section(b), section(a), section(b)]);
    expect(most).toBe(1);
  });
});

describe.skipIf(!adminUrl)('the send budget shared by two instances', () => {
  it('lets through no more than the rate per window, counted over both', async () => {
    const db = await freshDatabase(adminUrl);
    const clock = { t: 1_750_000_000_000 };
    const stores = await Promise.all([0, 1].map(() => createPostgresStore({ url: db.url, poolSize: 3, now: () => clock.t })));
    try {
      const passed: number[] = [];
      // Sleeping moves the shared clock on, as waiting would: no wall clock in the test.
      const sleep = async (ms: number) => {
        clock.t += ms;
      };
      const budgets = stores.map((s) => createSendBudget(s.counters, () => clock.t, sleep));
      const window = () => Math.floor((clock.t - 1_750_000_000_000) / 1000);
      for (let i = 0; i < 12; i++) {
        await budgets[i % 2]!.take('telegram', 5);
        passed.push(window());
      }
      const perWindow = new Map<number, number>();
      for (const w of passed) perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
      expect([...perWindow.values()].every((n) => n <= 5)).toBe(true);
      expect(perWindow.size).toBeGreaterThanOrEqual(3);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });

  it('takes slots a few at a time at higher rates, still never more than the rate per window, and asks the database less', async () => {
    const db = await freshDatabase(adminUrl);
    const clock = { t: 1_750_000_000_000 };
    const stores = await Promise.all([0, 1].map(() => createPostgresStore({ url: db.url, poolSize: 3, now: () => clock.t })));
    try {
      let asked = 0;
      const counting = stores.map((s) => ({ hit: (...a: Parameters<typeof s.counters.hit>) => (asked++, s.counters.hit(...a)), reset: (k: string) => s.counters.reset(k) }));
      const sleep = async (ms: number) => {
        clock.t += ms;
      };
      const budgets = counting.map((c) => createSendBudget(c, () => clock.t, sleep));
      const passed: number[] = [];
      // 300 sends at 50 per second over both: at least 6 windows; blocks of 5.
      for (let i = 0; i < 300; i++) {
        await budgets[i % 3 === 0 ? 1 : 0]!.take('telegram', 50);
        passed.push(Math.floor((clock.t - 1_750_000_000_000) / 1000));
      }
      const perWindow = new Map<number, number>();
      for (const w of passed) perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
      expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(50);
      expect(perWindow.size).toBeGreaterThanOrEqual(6);
      expect(asked).toBeLessThan(100);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await db.drop();
    }
  });
});

describe.skipIf(!adminUrl)('a lost work notification', () => {
  it('is made up for: the holder is reminded of its chats that still have work', async () => {
    const db = await freshDatabase(adminUrl);
    const open = () => createPostgresStore({ url: db.url, poolSize: 3, leaseMs: LEASE_MS, pollMs: POLL_MS });
    const [a, b] = [await open(), await open()];
    try {
      await withWork(a);
      expect(await a.chats.claim(key)).toBe(true);
      // b writes work into a's chat, but the notification never arrives (a is not listening yet).
      await withWork(b);
      const told: ChatKey[] = [];
      a.chats.watch((k) => told.push(k));
      await until(() => told.length > 0);
      expect(told[0]).toEqual(key);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await db.drop();
    }
  });
});
