/**
 * The lowdb store on real files in a temp directory: per-chat serial updates, concurrency across
 * chats, pending markers, file names for odd chat ids, the journal replay after a crash, and what
 * a crash mid-write leaves behind.
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DamageLog } from '../../src/store/damage';
import { frame } from '../../src/store/lowdb/journal';
import { createLowdbStore, decodeId, encodeId, type ChatFiles } from '../../src/store/lowdb/lowdb-store';
import type { ChatKey, ChatRecord } from '../../src/store/store';
import { tempDir } from '../helpers/server';

let dir: string;
let store: ChatFiles;
beforeEach(async () => {
  dir = await tempDir('thutuc-store-');
  store = await createLowdbStore(dir);
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

const web = (chatId: string): ChatKey => ({ channel: 'web', chatId });
const tick = () => new Promise((r) => setTimeout(r, 1));

/** Sets record.channelState.n; the record is otherwise the store's. */
function withCounter(record: ChatRecord, n: number): ChatRecord {
  record.channelState = { ...record.channelState, n };
  return record;
}

describe('updates of one chat', () => {
  it('run one at a time in call order, each seeing the previous one’s write', async () => {
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.chats.update(web('serial-chat'), async (record) => {
          inside++;
          most = Math.max(most, inside);
          const n = Number(record.channelState.n ?? 0);
          await tick(); // a read-modify-write that yields: lost updates would show here
          order.push(i);
          inside--;
          return { record: withCounter(record, n + 1), result: undefined };
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect((await store.chats.read(web('serial-chat')))?.channelState.n).toBe(30);
  });

  it('leave the stored record untouched when the update throws or returns no record', async () => {
    await store.chats.update(web('untouched'), (r) => ({ record: withCounter(r, 1), result: undefined }));
    await expect(
      store.chats.update(web('untouched'), (r) => {
        withCounter(r, 99);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    await store.chats.update(web('untouched'), (r) => {
      withCounter(r, 42); // changed in memory only: no record returned
      return { result: undefined };
    });
    expect((await store.chats.read(web('untouched')))?.channelState.n).toBe(1);
    await store.close();
    const reopened = (store = await createLowdbStore(dir));
    expect((await reopened.chats.read(web('untouched')))?.channelState.n).toBe(1);
  });
});

describe('updates of different chats', () => {
  it('do not wait for each other', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = store.chats.update(web('slow-chat'), async (record) => {
      await gate;
      return { record, result: 'slow done' };
    });
    // While slow-chat is held inside its update, other chats complete whole updates.
    for (const id of ['fast-chat-1', 'fast-chat-2', 'fast-chat-3']) {
      await store.chats.update(web(id), (r) => ({ record: withCounter(r, 1), result: undefined }));
      expect((await store.chats.read(web(id)))?.channelState.n).toBe(1);
    }
    // The same chat on another channel is another chat.
    await store.chats.update({ channel: 'telegram', chatId: 'slow-chat' }, (r) => ({ record: r, result: undefined }));
    release();
    expect(await slow).toBe('slow done');
  });
});

describe('pending()', () => {
  it('lists exactly the chats with an inbox or outbox entry left, across a reopen', async () => {
    const entry = { id: 'in-1', input: { kind: 'text' as const, value: 'menu' }, receivedAt: 1 };
    await store.chats.update(web('busy-web'), (r) => ({ record: { ...r, inbox: [entry] }, result: undefined }));
    await store.chats.update({ channel: 'telegram', chatId: '-1001234567890' }, (r) => ({
      record: { ...r, outbox: [{ id: 'out-1', reply: { text: 'Xin chào' }, from: 'bot' as const, createdAt: 1, attempts: 0 }] },
      result: undefined,
    }));
    await store.chats.update(web('idle-web'), (r) => ({ record: r, result: undefined }));

    const sort = (keys: ChatKey[]) => [...keys].sort((a, b) => `${a.channel}${a.chatId}`.localeCompare(`${b.channel}${b.chatId}`));
    const expected = sort([web('busy-web'), { channel: 'telegram', chatId: '-1001234567890' }]);
    expect(sort(await store.chats.pending())).toEqual(expected);
    // After a clean stop (markers written) and after a crash (journal replayed) alike.
    await store.close();
    store = await createLowdbStore(dir);
    expect(sort(await store.chats.pending())).toEqual(expected);
    await store.close({ checkpoint: false });
    store = await createLowdbStore(dir);
    expect(sort(await store.chats.pending())).toEqual(expected);

    // Finishing the work removes the marker.
    await store.chats.update(web('busy-web'), (r) => ({ record: { ...r, inbox: [] }, result: undefined }));
    expect(await store.chats.pending()).toEqual([{ channel: 'telegram', chatId: '-1001234567890' }]);
  });

  it('clears a marker left by a previous process once that chat’s work is done', async () => {
    const entry = { id: 'in-1', input: { kind: 'start' as const }, receivedAt: 1 };
    await store.chats.update(web('left-over'), (r) => ({ record: { ...r, inbox: [entry] }, result: undefined }));
    await store.close();
    expect(await readdir(path.join(dir, 'pending'))).toEqual(['web~left-over']);
    const next = (store = await createLowdbStore(dir)); // the restarted process
    await next.chats.update(web('left-over'), (r) => ({ record: { ...r, inbox: [entry, { ...entry, id: 'in-2' }] }, result: undefined }));
    expect(await next.chats.pending()).toEqual([web('left-over')]);
    await next.chats.update(web('left-over'), (r) => ({ record: { ...r, inbox: [] }, result: undefined }));
    expect(await next.chats.pending()).toEqual([]);
    await next.checkpoint();
    expect(await readdir(path.join(dir, 'pending'))).toEqual([]);
  });
});

describe('chat ids as file names', () => {
  const oddIds: ChatKey[] = [
    { channel: 'telegram', chatId: '-1001234567890' }, // Telegram supergroup ids are negative
    { channel: 'telegram', chatId: '123456789' },
    { channel: 'zalo-oa', chatId: '8412345678901234567' },
    { channel: 'zalo-bot', chatId: 'Nguyễn Thị Ánh ✓' }, // unicode, spaces
    { channel: 'web', chatId: '../../etc/passwd' }, // must not escape the chats folder
    { channel: 'web', chatId: 'a~b.c%20d' }, // the escape character itself
    { channel: 'web', chatId: 'CON' }, // reserved on some file systems, harmless here
  ];

  it('round-trip through encodeId/decodeId to file-name-safe strings', () => {
    for (const { chatId } of oddIds) {
      const encoded = encodeId(chatId);
      expect(encoded).toMatch(/^[A-Za-z0-9_~-]+$/);
      expect(decodeId(encoded)).toBe(chatId);
    }
    // Different ids never share a file.
    expect(new Set(oddIds.map((k) => encodeId(k.chatId))).size).toBe(oddIds.length);
  });

  it('are stored under their channel folder and listed back by keys() and count() after a reopen', async () => {
    for (const key of oddIds) await store.chats.update(key, (r) => ({ record: withCounter(r, key.chatId.length), result: undefined }));

    await store.close();
    const reopened = (store = await createLowdbStore(dir));
    const keys: ChatKey[] = [];
    for await (const k of reopened.chats.keys()) keys.push(k);
    const byString = (k: ChatKey) => `${k.channel}:${k.chatId}`;
    expect(keys.map(byString).sort()).toEqual(oddIds.map(byString).sort());
    expect(await reopened.chats.count()).toBe(oddIds.length);
    for (const key of oddIds) {
      const record = await reopened.chats.read(key);
      expect(record).toMatchObject({ channel: key.channel, chatId: key.chatId, channelState: { n: key.chatId.length } });
    }
    // Nothing was written outside DATA_DIR/chats/<channel>/.
    expect((await readdir(dir)).sort()).toEqual(['chats', 'docs', 'index', 'journal', 'pending']);
    expect((await readdir(path.join(dir, 'chats'))).sort()).toEqual(['telegram', 'web', 'zalo-bot', 'zalo-oa']);
  });
});

describe('a write interrupted by a crash', () => {
  it('leaves the last complete record readable and the half-written temp file ignored', async () => {
    await store.chats.update(web('crashed-chat'), (r) => ({ record: withCounter(r, 7), result: undefined }));
    await store.close();
    const file = path.join(dir, 'chats', 'web', 'crashed-chat.json');
    const whole = await readFile(file, 'utf8');
    // The temp file steno writes before its rename, cut off mid-way as a crash would leave it.
    await writeFile(path.join(dir, 'chats', 'web', '.crashed-chat.json.tmp'), whole.slice(0, whole.length / 2));
    // And a chat whose very first write never got renamed into place.
    await writeFile(path.join(dir, 'chats', 'web', '.never-written.json.tmp'), '{"version":1,"chan');

    const reopened = (store = await createLowdbStore(dir));
    expect((await reopened.chats.read(web('crashed-chat')))?.channelState.n).toBe(7);
    expect(await reopened.chats.read(web('never-written'))).toBeUndefined();
    const keys: string[] = [];
    for await (const k of reopened.chats.keys()) keys.push(k.chatId);
    expect(keys).toEqual(['crashed-chat']);
    expect(await reopened.chats.count()).toBe(1);

    // The next update replaces the leftover temp file with a whole record.
    await reopened.chats.update(web('crashed-chat'), (r) => ({ record: withCounter(r, 8), result: undefined }));
    await reopened.checkpoint();
    expect(JSON.parse(await readFile(file, 'utf8')).channelState.n).toBe(8);
    expect((await readdir(path.join(dir, 'chats', 'web'))).filter((n) => n.startsWith('.crashed-chat'))).toEqual([]);
  });

  it('quarantines a record that is not valid JSON as *.damaged, names it, and lets the citizen start over', async () => {
    await mkdir(path.join(dir, 'chats', 'web'), { recursive: true });
    await writeFile(path.join(dir, 'chats', 'web', 'broken-chat.json'), '{"version":1,');
    await store.close();
    const logged: string[] = [];
    store = await createLowdbStore(dir, Date.now, { damage: new DamageLog((d) => logged.push(`${d.kind} ${d.file}`)) });
    expect(await store.chats.read(web('broken-chat'))).toBeUndefined();
    expect(logged).toEqual([`chat ${path.join(dir, 'chats', 'web', 'broken-chat.json')}`]);
    expect(store.damage?.counts().chat).toBe(1);
    // The damaged bytes are kept for staff; the citizen's next message starts a fresh record.
    expect(await readFile(path.join(dir, 'chats', 'web', 'broken-chat.json.damaged'), 'utf8')).toBe('{"version":1,');
    await store.chats.update(web('broken-chat'), (r) => ({ record: withCounter(r, 1), result: undefined }));
    await store.close();
    store = await createLowdbStore(dir);
    expect((await store.chats.read(web('broken-chat')))?.channelState.n).toBe(1);
    expect(store.damage?.total).toBe(0);
  });
});

describe('the journal', () => {
  it('makes an update durable before its file is written: a crash right after is replayed on the next start', async () => {
    await store.chats.update(web('journaled'), (r) => ({ record: withCounter(r, 1), result: undefined }));
    await store.chats.update(web('journaled'), (r) => ({ record: { ...withCounter(r, 2), inbox: [{ id: 'in-1', input: { kind: 'text', value: 'menu' }, receivedAt: 1 }] }, result: undefined }));
    await store.chats.update(web('removed'), (r) => ({ record: withCounter(r, 5), result: undefined }));
    await store.checkpoint();
    await store.chats.remove(web('removed'));
    await store.close({ checkpoint: false }); // killed: the last changes exist only in the journal
    expect(JSON.parse(await readFile(path.join(dir, 'chats', 'web', 'journaled.json'), 'utf8')).channelState.n).toBe(2);

    await store.chats.update(web('journaled'), (r) => ({ record: r, result: undefined })).catch(() => undefined); // a closed store refuses
    store = await createLowdbStore(dir);
    expect((await store.chats.read(web('journaled')))?.channelState.n).toBe(2);
    expect(await store.chats.pending()).toEqual([web('journaled')]);
    expect(await store.chats.read(web('removed'))).toBeUndefined();
    // The replay was checkpointed at start: files and markers match, old segments are gone.
    expect(await readdir(path.join(dir, 'chats', 'web'))).toEqual(['journaled.json']);
    expect(await readdir(path.join(dir, 'pending'))).toEqual(['web~journaled']);
    expect(await readdir(path.join(dir, 'journal'))).toEqual([]);
  });

  it('ignores a last line cut off by a crash and reports a damaged line in the middle', async () => {
    await store.chats.update(web('whole'), (r) => ({ record: withCounter(r, 3), result: undefined }));
    await store.close({ checkpoint: false });
    const [segment] = await readdir(path.join(dir, 'journal'));
    const file = path.join(dir, 'journal', segment!);
    const whole = await readFile(file, 'utf8');
    await writeFile(file, `${whole}{"k":{"channel":"web","chatId":"torn"},"r":{"vers`);
    store = await createLowdbStore(dir);
    expect((await store.chats.read(web('whole')))?.channelState.n).toBe(3);
    expect(await store.chats.read(web('torn'))).toBeUndefined();
    await store.close();

    // A damaged line in the middle: the rest of the segment is replayed, the segment is moved to
    // journal/damaged/ and the damage is recorded with its segment and line.
    const payload = whole.trimEnd().split('\t').slice(2).join('\t');
    const second = frame(payload.replace('"n":3', '"n":4'));
    await writeFile(path.join(dir, 'journal', '0000000090.log'), `not json\n${second}`);
    store = await createLowdbStore(dir);
    expect((await store.chats.read(web('whole')))?.channelState.n).toBe(4);
    expect(store.damage?.recent()).toEqual([{ kind: 'journal', file: path.join(dir, 'journal', '0000000090.log'), movedTo: path.join(dir, 'journal', 'damaged', '0000000090.log'), line: 1, reason: 'not a journal line' }]);
    expect(await readFile(path.join(dir, 'journal', 'damaged', '0000000090.log'), 'utf8')).toBe(`not json\n${second}`);
  });

  it('keeps many concurrent updates across chats, each readable after a restart', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => web(`many-${i}`));
    await Promise.all(ids.map((k, i) => store.chats.update(k, (r) => ({ record: withCounter(r, i), result: undefined }))));
    await store.close({ checkpoint: false });
    store = await createLowdbStore(dir);
    const values = await Promise.all(ids.map(async (k) => (await store.chats.read(k))?.channelState.n));
    expect(values).toEqual(ids.map((_, i) => i));
    expect(await store.chats.count()).toBe(300);
  });
});

describe('check()', () => {
  it('fails when the data directory is gone', async () => {
    await expect(store.check()).resolves.toBeUndefined();
    await rm(dir, { recursive: true, force: true });
    await writeFile(dir, 'a file where the directory was');
    await expect(store.check()).rejects.toThrow();
  });
});
