/**
 * The Store contract: what every adapter (the embedded files, PostgreSQL) must do, run against
 * each by its own test file (contract-file.test.ts, contract-postgres.test.ts). An adapter is
 * given as `open`, which opens the same stored data again each time it is called (a restart),
 * with an injected clock.
 */
import { describe, expect, it } from 'vitest';
import { DEDUPE_TTL_MS, acceptInbound } from '../../src/pipeline/inbox';
import type { AnalyticsRecord } from '../../src/store/analytics';
import type { Case } from '../../src/store/cases';
import type { ChatKey, ChatRecord, Store } from '../../src/store/store';
import type { StaffAccountRecord } from '../../src/store/staff-accounts';
import { createStaffSessions } from '../../src/handoff/staff-sessions';
import { z } from 'zod';

export interface Adapter {
  /** New empty stored data (a temp dir, a database) for one test. */
  data(): Promise<{
    /** Opens the adapter on that data; a second call opens the same data again (a restart). */
    open(now: () => number): Promise<Store>;
    drop(): Promise<void>;
  }>;
}

const web = (chatId: string): ChatKey => ({ channel: 'web', chatId });
const tick = () => new Promise((r) => setTimeout(r, 2));
const counter = (r: ChatRecord) => Number(r.channelState.n ?? 0);
function withCounter(record: ChatRecord, n: number): ChatRecord {
  record.channelState = { ...record.channelState, n };
  return record;
}
const inboxEntry = (id: string) => ({ id, input: { kind: 'text' as const, value: id }, receivedAt: 1 });

function aCase(id: string, openedAt: number, status: Case['status'] = 'open'): Case {
  return { version: 1, id, channel: 'web', chatId: `chat-${id}`, status, reason: 'asked', locale: 'vi', answers: [], transcript: [], messages: [{ id: 'm1', at: openedAt, from: 'user', text: 'xin chào' }], openedAt, updatedAt: openedAt };
}

export function storeContract(name: string, adapter: Adapter | undefined): void {
  describe.skipIf(!adapter)(`Store contract: ${name}`, () => {
    // One store per test, closed at its end, even when the test fails.
    async function withStore<T>(fn: (store: Store, clock: { t: number }) => Promise<T>): Promise<T> {
      const clock = { t: 1_750_000_000_000 };
      const data = await adapter!.data();
      const store = await data.open(() => clock.t);
      try {
        return await fn(store, clock);
      } finally {
        await store.close();
        await data.drop();
      }
    }

    it('runs updates of one chat one at a time, in call order, each seeing the previous write', () =>
      withStore(async (store) => {
        let inside = 0;
        let most = 0;
        const order: number[] = [];
        await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            store.chats.update(web('serial'), async (record) => {
              inside++;
              most = Math.max(most, inside);
              const n = counter(record);
              await tick();
              order.push(i);
              inside--;
              return { record: withCounter(record, n + 1), result: undefined };
            }),
          ),
        );
        expect(most).toBe(1);
        expect(order).toEqual(Array.from({ length: 25 }, (_, i) => i));
        expect(counter((await store.chats.read(web('serial')))!)).toBe(25);
      }));

    it('writes all or nothing: a throwing update or one returning no record leaves the stored record as it was', () =>
      withStore(async (store) => {
        await store.chats.update(web('atomic'), (r) => ({ record: withCounter(r, 1), result: undefined }));
        await expect(
          store.chats.update(web('atomic'), (r) => {
            withCounter(r, 99);
            r.inbox.push(inboxEntry('lost'));
            throw new Error('handler bug');
          }),
        ).rejects.toThrow('handler bug');
        await store.chats.update(web('atomic'), (r) => {
          withCounter(r, 50);
          return { result: undefined };
        });
        const stored = (await store.chats.read(web('atomic')))!;
        expect(counter(stored)).toBe(1);
        expect(stored.inbox).toEqual([]);
        expect(await store.chats.read(web('never-written'))).toBeUndefined();
      }));

    it('runs updates of different chats concurrently', () =>
      withStore(async (store) => {
        // Chat A waits for chat B to start: with one global lock this would never finish.
        let bStarted!: () => void;
        const started = new Promise<void>((r) => (bStarted = r));
        const a = store.chats.update(web('conc-a'), async (r) => {
          await started;
          return { record: withCounter(r, 1), result: 'a' };
        });
        await tick();
        const b = store.chats.update(web('conc-b'), async (r) => {
          bStarted();
          return { record: withCounter(r, 2), result: 'b' };
        });
        expect(await Promise.all([a, b])).toEqual(['a', 'b']);
      }));

    it('accepts a platform delivery once, and again after the dedupe window', () =>
      withStore(async (store, clock) => {
        const msg = { channel: 'telegram' as const, chatId: '42', dedupeKey: 'u1', input: { kind: 'text' as const, value: 'xin chào' }, receivedAt: clock.t };
        expect((await acceptInbound(store.chats, msg, clock.t)).status).toBe('accepted');
        expect((await acceptInbound(store.chats, msg, clock.t + 1000)).status).toBe('duplicate');
        clock.t += DEDUPE_TTL_MS + 1;
        // Another message prunes the expired key; the old delivery counts as new again.
        expect((await acceptInbound(store.chats, { ...msg, dedupeKey: 'u2' }, clock.t)).status).toBe('accepted');
        expect((await acceptInbound(store.chats, msg, clock.t)).status).toBe('accepted');
        const record = (await store.chats.read({ channel: 'telegram', chatId: '42' }))!;
        expect(record.inbox.map((e) => e.input)).toEqual([msg.input, msg.input, msg.input]);
      }));

    it('lists chats with unfinished work after a restart, and not once the work is done', async () => {
      const clock = { t: 1_750_000_000_000 };
      const data = await adapter!.data();
      const first = await data.open(() => clock.t);
      try {
        await first.chats.update(web('pending-in'), (r) => (r.inbox.push(inboxEntry('x')), { record: r, result: undefined }));
        await first.chats.update(web('pending-out'), (r) => (r.outbox.push({ id: 'o', reply: { text: 'hi' }, from: 'bot', createdAt: 1, attempts: 0 }), { record: r, result: undefined }));
        await first.chats.update(web('idle'), (r) => ({ record: r, result: undefined }));
      } finally {
        await first.close();
      }
      const second = await data.open(() => clock.t);
      try {
        const keys = (await second.chats.pending()).map((k) => k.chatId).sort();
        expect(keys).toEqual(['pending-in', 'pending-out']);
        expect(await second.chats.claim(web('pending-in'))).toBe(true);
        await second.chats.update(web('pending-in'), (r) => (r.inbox.shift(), { record: r, result: undefined }));
        expect((await second.chats.pending()).map((k) => k.chatId)).toEqual(['pending-out']);
      } finally {
        await second.close();
        await data.drop();
      }
    });

    it('deletes a chat for retention, inside an update or directly, and forgets its key', () =>
      withStore(async (store) => {
        for (const id of ['keep', 'drop-1', 'drop-2']) await store.chats.update(web(id), (r) => ({ record: r, result: undefined }));
        expect(await store.chats.count()).toBe(3);
        await store.chats.update(web('drop-1'), () => ({ remove: true, result: undefined }));
        await store.chats.remove(web('drop-2'));
        expect(await store.chats.read(web('drop-1'))).toBeUndefined();
        expect(await store.chats.read(web('drop-2'))).toBeUndefined();
        const keys: string[] = [];
        for await (const k of store.chats.keys()) keys.push(k.chatId);
        expect(keys).toEqual(['keep']);
        expect(await store.chats.count()).toBe(1);
      }));

    it('keeps chat ids of any shape apart (unicode, slashes, dots)', () =>
      withStore(async (store) => {
        const ids = ['a/b', 'a~2fb', '../x', 'Nguyễn Văn A', '.', 'a.b', "o'brien", 'back\\slash', '$j1$'];
        for (const [i, id] of ids.entries()) await store.chats.update(web(id), (r) => ({ record: withCounter(r, i), result: undefined }));
        for (const [i, id] of ids.entries()) expect(counter((await store.chats.read(web(id)))!)).toBe(i);
      }));

    it('keeps any text in a record exactly: quotes, backslashes, dollar signs, emoji, control characters', () =>
      withStore(async (store) => {
        const texts = ["it's", 'C:\\thu muc\\ho so', '$$ $j$ $jabc$ $1', '"quoted" \\"', 'Xã Nga An 🏠', 'tab\there\nnewline', "';DROP TABLE chats;--"];
        await store.chats.update(web('texts-1'), (r) => {
          r.transcript = texts.map((text, i) => ({ at: i, from: 'user' as const, text }));
          return { record: r, result: undefined };
        });
        expect((await store.chats.read(web('texts-1')))!.transcript.map((l) => l.text)).toEqual(texts);
      }));

    it('stores cases: idempotent opening, serial updates, newest-first summaries by status, removal', () =>
      withStore(async (store) => {
        expect((await store.cases.create(aCase('c1', 100))).created).toBe(true);
        const again = await store.cases.create({ ...aCase('c1', 999), reason: 'misses' });
        expect(again).toMatchObject({ created: false, case: { openedAt: 100, reason: 'asked' } });
        await store.cases.create(aCase('c2', 200));
        await store.cases.create(aCase('c3', 300, 'closed'));
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.cases.update('c1', (c) => {
              c!.messages.push({ id: `s${i}`, at: 100 + i, from: 'staff', text: `trả lời ${i}` });
              return { case: c!, result: undefined };
            }),
          ),
        );
        expect((await store.cases.get('c1'))!.messages).toHaveLength(11);
        expect(await store.cases.update('missing', (c) => ({ result: c === undefined }))).toBe(true);
        expect((await store.cases.list()).map((c) => c.id)).toEqual(['c3', 'c2', 'c1']);
        const open = await store.cases.list({ status: ['open', 'claimed'] });
        expect(open.map((c) => [c.id, c.messageCount])).toEqual([
          ['c2', 1],
          ['c1', 11],
        ]);
        expect(open[0]).not.toHaveProperty('messages');
        await store.cases.remove('c2');
        expect(await store.cases.get('c2')).toBeUndefined();
        expect((await store.cases.list()).map((c) => c.id)).toEqual(['c3', 'c1']);
      }));

    it('appends analytics per day in order, lists days, removes a day', () =>
      withStore(async (store) => {
        const rec = (day: string, n: number): AnalyticsRecord => ({ at: n, day, channel: 'web', chat: 'ref', type: 'message' });
        await store.analytics.append([rec('2026-01-02', 1), rec('2026-01-01', 2)]);
        await Promise.all([store.analytics.append([rec('2026-01-02', 3)]), store.analytics.append([])]);
        await store.analytics.append([rec('2026-01-02', 4)]);
        expect(await store.analytics.days()).toEqual(['2026-01-01', '2026-01-02']);
        expect((await store.analytics.read(['2026-01-02'])).map((r) => r.at)).toEqual([1, 3, 4]);
        expect((await store.analytics.read(['2026-01-01', '2026-01-02'])).map((r) => r.at)).toEqual([2, 1, 3, 4]);
        await store.analytics.removeDay('2026-01-02');
        expect(await store.analytics.days()).toEqual(['2026-01-01']);
        expect(await store.analytics.read(['2026-01-02'])).toEqual([]);
      }));

    it('stores every one of many concurrent analytics appends, in call order, each resolved once stored', () =>
      withStore(async (store) => {
        const rec = (n: number): AnalyticsRecord => ({ at: n, day: '2026-01-03', channel: 'telegram', chat: `ref-${n}`, type: 'message' });
        const stored: number[] = [];
        await Promise.all(Array.from({ length: 60 }, (_, i) => store.analytics.append(i % 3 === 0 ? [rec(i), rec(i + 1000)] : [rec(i)]).then(() => stored.push(i))));
        expect(stored).toHaveLength(60);
        const expected = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? [i, i + 1000] : [i])).flat();
        expect((await store.analytics.read(['2026-01-03'])).map((r) => r.at)).toEqual(expected);
      }));

    it('keeps documents: get, set, serial read-modify-write, an invalid one read as absent, named exclusive sections', () =>
      withStore(async (store) => {
        const Doc = z.object({ n: z.number() });
        expect(await store.docs.get('counter', Doc)).toBeUndefined();
        await store.docs.set('counter', { n: 1 });
        await Promise.all(Array.from({ length: 20 }, () => store.docs.update('counter', Doc, (d) => ({ n: (d?.n ?? 0) + 1 }))));
        expect(await store.docs.get('counter', Doc)).toEqual({ n: 21 });
        await store.docs.set('zalo-oa-tokens/Ồ 1', { n: 2 });
        expect(await store.docs.names()).toEqual(['counter', 'zalo-oa-tokens/Ồ 1']);
        // A document that no longer parses is not served: it reads as absent (the embedded store
        // quarantines its file), so the bot goes on, e.g. with a new session secret.
        await store.docs.set('bad', { n: 'x' });
        expect(await store.docs.get('bad', Doc)).toBeUndefined();
        let inside = 0;
        let most = 0;
        await Promise.all(
          Array.from({ length: 5 }, () =>
            store.docs.exclusive('refresh', async () => {
              most = Math.max(most, ++inside);
              await tick();
              inside--;
            }),
          ),
        );
        expect(most).toBe(1);
      }));

    it('counts hits in fixed windows and forgets a key on reset', () =>
      withStore(async (store, clock) => {
        expect((await store.counters.hit('login:ip', 60_000)).count).toBe(1);
        const second = await store.counters.hit('login:ip', 60_000);
        expect(second).toEqual({ count: 2, resetAt: clock.t + 60_000 });
        expect((await store.counters.hit('login:other', 60_000)).count).toBe(1);
        clock.t += 60_000;
        expect((await store.counters.hit('login:ip', 60_000)).count).toBe(1);
        expect((await store.counters.hit('login:ip', 60_000, -1)).count).toBe(0);
        await store.counters.reset('login:ip');
        expect((await store.counters.hit('login:ip', 60_000)).count).toBe(1);
      }));

    it('keeps counter windows of an hour or more across a restart (the handoff cap per day)', async () => {
      const clock = { t: 1_750_000_000_000 };
      const data = await adapter!.data();
      const first = await data.open(() => clock.t);
      try {
        await first.counters.hit('handoff:addr:1', 86_400_000);
        expect((await first.counters.hit('handoff:addr:1', 86_400_000)).count).toBe(2);
      } finally {
        await first.close();
      }
      clock.t += 3_600_000;
      const second = await data.open(() => clock.t);
      try {
        expect(await second.counters.hit('handoff:addr:1', 86_400_000)).toEqual({ count: 3, resetAt: 1_750_000_000_000 + 86_400_000 });
        expect((await second.counters.hit('handoff:addr:2', 86_400_000)).count).toBe(1);
        clock.t += 86_400_000;
        expect((await second.counters.hit('handoff:addr:1', 86_400_000)).count).toBe(1);
      } finally {
        await second.close();
        await data.drop();
      }
    });

    it('delivers bus messages to subscribers of the topic', () =>
      withStore(async (store) => {
        const got: string[] = [];
        const arrived = new Promise<void>((resolve) => {
          const off = store.bus.subscribe('case', (p) => {
            got.push(p);
            if (got.length === 2) {
              off();
              resolve();
            }
          });
        });
        store.bus.subscribe('other', (p) => got.push(`other:${p}`));
        await tick();
        await store.bus.publish('case', 'one');
        await store.bus.publish('case', 'two');
        await arrived;
        expect(got).toEqual(['one', 'two']);
      }));

    const account = (hash: string, at: string, access: Partial<StaffAccountRecord> = {}): StaffAccountRecord => ({ hash, createdAt: at, updatedAt: at, ...access });

    it('keeps staff accounts across a restart: create, replace, role and scope, legacy accounts without them, list, remove', async () => {
      const clock = { t: 1_750_000_000_000 };
      const data = await adapter!.data();
      const first = await data.open(() => clock.t);
      try {
        expect(await first.staff.get('lan')).toBeUndefined();
        expect(await first.staff.list()).toEqual([]);
        const lan = account('scrypt$1', '2025-07-01T08:00:00.000Z', { role: 'officer', scope: { kind: 'communes', codes: ['14797', '14758'] } });
        expect(await first.staff.update('lan', (current) => current ?? lan)).toEqual({ created: true, account: lan });
        expect(await first.staff.update('old', () => account('scrypt$0', '2025-01-02T03:04:05.678Z'))).toMatchObject({ created: true });
        const changed = await first.staff.update('lan', (current) => ({ ...current!, hash: 'scrypt$2', updatedAt: '2025-07-02T09:00:00.000Z' }));
        expect(changed).toEqual({ created: false, account: { ...lan, hash: 'scrypt$2', updatedAt: '2025-07-02T09:00:00.000Z' } });
      } finally {
        await first.close();
      }
      const second = await data.open(() => clock.t);
      try {
        expect(await second.staff.get('lan')).toEqual({ hash: 'scrypt$2', createdAt: '2025-07-01T08:00:00.000Z', updatedAt: '2025-07-02T09:00:00.000Z', role: 'officer', scope: { kind: 'communes', codes: ['14797', '14758'] } });
        // An account from before roles has neither (read as admin, scope all, by staff-users.ts).
        expect(await second.staff.get('old')).toEqual(account('scrypt$0', '2025-01-02T03:04:05.678Z'));
        expect((await second.staff.list()).map((a) => a.username).sort()).toEqual(['lan', 'old']);
        expect(await second.staff.remove('old')).toBe(true);
        expect(await second.staff.remove('old')).toBe(false);
        expect(await second.staff.get('old')).toBeUndefined();
        expect((await second.staff.list()).map((a) => a.username)).toEqual(['lan']);
      } finally {
        await second.close();
        await data.drop();
      }
    });

    it('changes one staff account one call at a time, each seeing the previous change', () =>
      withStore(async (store) => {
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.staff.update('anna', (current) => account(`${current?.hash ?? 'h'}.${i}`, '2025-07-01T08:00:00.000Z'))));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        expect((await store.staff.get('anna'))!.hash.split('.').length).toBe(11);
        // A change that throws changes nothing.
        await expect(store.staff.update('anna', () => { throw new Error('no'); })).rejects.toThrow('no');
        await expect(store.staff.update('anna', () => ({ hash: 'x' }) as StaffAccountRecord)).rejects.toThrow();
        expect((await store.staff.get('anna'))!.hash.split('.').length).toBe(11);
      }));

    it('keeps staff sessions across a restart until logout or expiry', async () => {
      const clock = { t: 1_750_000_000_000 };
      const data = await adapter!.data();
      const first = await data.open(() => clock.t);
      let ids: string[];
      try {
        const sessions = createStaffSessions({ docs: first.docs, now: () => clock.t, ttlMs: 60_000 });
        ids = await Promise.all(['anna', 'binh', 'lan'].map(async (u) => (await sessions.create(u)).id));
      } finally {
        await first.close();
      }
      const second = await data.open(() => clock.t);
      try {
        const sessions = createStaffSessions({ docs: second.docs, now: () => clock.t, ttlMs: 60_000 });
        expect((await Promise.all(ids.map((id) => sessions.get(id)))).map((s) => s?.user)).toEqual(['anna', 'binh', 'lan']);
        await sessions.remove(ids[1]!);
        expect(await sessions.get(ids[1]!)).toBeUndefined();
        expect(await sessions.get('not-a-session-id')).toBeUndefined();
        clock.t += 60_000;
        expect(await sessions.get(ids[0]!)).toBeUndefined();
        expect(await sessions.purge()).toBe(2);
      } finally {
        await second.close();
        await data.drop();
      }
    });

    it('answers check() while it can take writes', () => withStore((store) => store.check()));
  });
}
