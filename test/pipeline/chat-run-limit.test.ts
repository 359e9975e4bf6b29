/**
 * A store with a limit on chats run at once (PostgreSQL: its connection pool) gets at most that
 * many, the rest waiting in turn, while accepting new messages — what acknowledges a webhook —
 * never waits for a slot. Real embedded store in a temp dir, given a limit as PostgreSQL has.
 */
import { rm } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { createWebChannel } from '../../src/channels/web/web-channel';
import { Pipeline } from '../../src/pipeline/pipeline';
import type { MessageHandler } from '../../src/pipeline/worker';
import { createLogger } from '../../src/server/logger';
import { createFileStore, type FileStore } from '../../src/store/lowdb/index';
import { tempDir } from '../helpers/server';

let store: FileStore | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('runs no more chats at once than the store allows, accepts every message meanwhile, and runs the others in turn', async () => {
  dir = await tempDir('thutuc-run-limit-');
  store = await createFileStore(dir);
  let inside = 0;
  let most = 0;
  const started: string[] = [];
  const gates: Array<() => void> = [];
  const handler: MessageHandler = async (record) => {
    started.push(record.chatId);
    most = Math.max(most, ++inside);
    await new Promise<void>((resolve) => gates.push(resolve));
    inside--;
    return { session: record.session, replies: [{ text: `ok ${record.chatId}` }], events: [] };
  };
  const pipeline = new Pipeline({ store: { ...store, chatRunLimit: 2 }, channels: new Map([['web', createWebChannel()]]), handler, logger: createLogger('silent') });
  const chats = ['limit-chat-1', 'limit-chat-2', 'limit-chat-3', 'limit-chat-4', 'limit-chat-5'];
  const accepted = await Promise.all(chats.map((chatId, i) => pipeline.accept({ channel: 'web', chatId, dedupeKey: `m${i}`, input: { kind: 'text', value: 'x' }, receivedAt: 1 })));
  expect(accepted.map((a) => a.status)).toEqual(chats.map(() => 'accepted'));
  // A second message to a waiting chat is accepted too, and joins that chat's run.
  expect((await pipeline.accept({ channel: 'web', chatId: 'limit-chat-5', dedupeKey: 'm9', input: { kind: 'text', value: 'y' }, receivedAt: 2 })).status).toBe('accepted');

  // Bounded by attempts, not the wall clock.
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 2_000 && !ok(); i++) await new Promise((r) => setTimeout(r, 1));
    expect(ok()).toBe(true);
  };
  await until(() => started.length === 2);
  expect(started).toEqual(['limit-chat-1', 'limit-chat-2']);
  // Each released handler frees its slot for the next chat, in the order they were scheduled.
  for (let released = 0; released < 6; released++) {
    await until(() => gates.length > 0);
    expect(inside).toBeLessThanOrEqual(2);
    gates.shift()!();
  }
  await pipeline.drain();
  expect(most).toBe(2);
  expect(started).toEqual([...chats, 'limit-chat-5']);
  for (const chatId of chats) expect((await store.chats.read({ channel: 'web', chatId }))!.inbox).toEqual([]);
  await pipeline.close();
});
