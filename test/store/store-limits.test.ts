/**
 * What the file store promises about its files and its memory: everything it writes is 0600 in
 * 0700 directories whatever the umask (D11), and a backlog of unwritten changes past its limit
 * refuses new chats with StoreOverloadedError while known chats are still served (D2).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Case } from '../../src/store/cases';
import { createLowdbAnalyticsStore } from '../../src/store/lowdb/lowdb-analytics';
import { createLowdbCaseStore } from '../../src/store/lowdb/lowdb-cases';
import { createLowdbStore, type ChatFiles } from '../../src/store/lowdb/lowdb-store';
import { StoreOverloadedError, type ChatKey } from '../../src/store/store';
import { tempDir } from '../helpers/server';

let store: ChatFiles | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});
const web = (chatId: string): ChatKey => ({ channel: 'web', chatId });
const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe('file modes', () => {
  it('writes chats, markers, documents, cases and analytics 0600 in 0700 directories, even under a permissive umask', async () => {
    const before = process.umask(0o022);
    try {
      dir = path.join(await tempDir('thutuc-modes-'), 'data');
      store = await createLowdbStore(dir);
      await store.chats.update(web('mode-chat'), (r) => ({ record: { ...r, inbox: [{ id: 'i1', input: { kind: 'text', value: 'x' }, receivedAt: 1 }] }, result: undefined }));
      await store.docs.set('staff-session-secret', { secret: 'x'.repeat(40) });
      await store.checkpoint();
      const cases = await createLowdbCaseStore(dir);
      await cases.create({ version: 1, id: 'c-0123456789abcdef0123', channel: 'web', chatId: 'mode-chat', status: 'open', reason: 'asked', locale: 'vi', answers: [], transcript: [], messages: [], openedAt: 1, updatedAt: 1 } as unknown as Case);
      const analytics = await createLowdbAnalyticsStore(dir);
      await analytics.append([{ day: '2026-11-25', at: 1, channel: 'web', chat: 'h', type: 'message' }]);

      expect(await mode(dir)).toBe(0o700);
      for (const d of ['chats', 'chats/web', 'docs', 'journal', 'pending', 'cases', 'analytics']) expect([d, await mode(path.join(dir, d))]).toEqual([d, 0o700]);
      for (const f of ['chats/web/mode-chat.json', 'pending/web~mode-chat', 'docs/staff-session-secret.json', 'cases/c-0123456789abcdef0123.json', 'analytics/2026-11-25.jsonl']) expect([f, await mode(path.join(dir, f))]).toEqual([f, 0o600]);
      // The journal segment the next update opens.
      await store.chats.update(web('mode-chat'), (r) => ({ record: r, result: undefined }));
      const [segment] = await readdir(path.join(dir, 'journal'));
      expect(await mode(path.join(dir, 'journal', segment!))).toBe(0o600);
    } finally {
      process.umask(before);
    }
  });
});

describe('back-pressure', () => {
  it('refuses a new chat with StoreOverloadedError past the backlog limit, keeps serving known chats, and accepts again once checkpointed', async () => {
    dir = await tempDir('thutuc-limits-');
    store = await createLowdbStore(dir, Date.now, { checkpointMs: 3_600_000, maxDirty: 10 });
    for (let i = 0; i < 10; i++) await store.chats.update(web(`known-${i}`), (r) => ({ record: r, result: undefined }));
    expect(store.backlog?.()).toMatchObject({ dirty: 10, overloaded: true });

    const refused = store.chats.update(web('newcomer'), (r) => ({ record: r, result: undefined }));
    await expect(refused).rejects.toBeInstanceOf(StoreOverloadedError);
    await expect(refused).rejects.toMatchObject({ name: 'StoreOverloadedError' });
    expect(await store.chats.read(web('newcomer'))).toBeUndefined();
    // A chat the store already holds is still served.
    await store.chats.update(web('known-3'), (r) => ({ record: { ...r, channelState: { n: 1 } }, result: undefined }));
    expect((await store.chats.read(web('known-3')))?.channelState.n).toBe(1);

    await store.checkpoint();
    expect(store.backlog?.()).toMatchObject({ dirty: 0, overloaded: false });
    await store.chats.update(web('newcomer'), (r) => ({ record: r, result: undefined }));
    expect(await store.chats.read(web('newcomer'))).toBeDefined();
  });

  it('counts journal bytes against their own limit', async () => {
    dir = await tempDir('thutuc-limits-');
    store = await createLowdbStore(dir, Date.now, { checkpointMs: 3_600_000, maxJournalBytes: 4_000 });
    const big = 'x'.repeat(2_500);
    await store.chats.update(web('big-chat-1'), (r) => ({ record: { ...r, channelState: { big } }, result: undefined }));
    await store.chats.update(web('big-chat-2'), (r) => ({ record: { ...r, channelState: { big } }, result: undefined }));
    expect(store.backlog?.().journalBytes).toBeGreaterThan(4_000);
    await expect(store.chats.update(web('big-chat-3'), (r) => ({ record: r, result: undefined }))).rejects.toBeInstanceOf(StoreOverloadedError);
    await store.checkpoint();
    expect(store.backlog?.().journalBytes).toBe(0);
  });
});

describe('the oldest-time index', () => {
  it('remembers what a background walk read, so after a restart keys() leaves out chats holding nothing older than asked', async () => {
    dir = await tempDir('thutuc-oldest-');
    store = await createLowdbStore(dir);
    for (const id of ['recent-chat', 'other-chat']) await store.chats.update(web(id), (r) => ({ record: r, result: undefined }));
    await store.close();
    // As after an upgrade (or a deleted index): nothing known, so the first walk reads every chat…
    await rm(path.join(dir, 'index'), { recursive: true, force: true });
    store = await createLowdbStore(dir);
    const cutoff = Date.now() - 86_400_000;
    const listed = async () => {
      const ids: string[] = [];
      for await (const k of store!.chats.keys({ mayHoldBefore: cutoff })) ids.push(k.chatId);
      return ids.sort();
    };
    expect(await listed()).toEqual(['other-chat', 'recent-chat']); // unknown: must be read once
    for (const id of ['recent-chat', 'other-chat']) await store.chats.update(web(id), () => ({ result: undefined }), { background: true });
    expect(await listed()).toEqual([]);
    // …and what it read (though it changed nothing) is still known after a restart.
    await store.close();
    store = await createLowdbStore(dir);
    expect(await listed()).toEqual([]);
    // Without a cut-off every chat is listed.
    const all: string[] = [];
    for await (const k of store.chats.keys()) all.push(k.chatId);
    expect(all.sort()).toEqual(['other-chat', 'recent-chat']);
  });
});
