/**
 * A message the handler throws on (a bug for that one input) must not block its chat: it is
 * answered with the error reply, logged, and the next message is handled as usual. Real store
 * on a temp dir, real web channel; the handler is the engine's, with one input made to fail.
 */
import { rm } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { createWebChannel } from '../../src/channels/web/web-channel';
import { loadContent } from '../../src/content/index';
import { Pipeline } from '../../src/pipeline/pipeline';
import { engineHandler, type MessageHandler } from '../../src/pipeline/worker';
import { createLogger } from '../../src/server/logger';
import { createFileStore } from '../../src/store/lowdb/index';
import type { Store } from '../../src/store/store';
import { ROOT, tempDir } from '../helpers/server';

let store: Store | undefined;
let dir: string | undefined;
afterEach(async () => {
  await store?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('answers a message the handler throws on with the error reply and goes on with the next', async () => {
  dir = await tempDir('thutuc-poison-');
  store = await createFileStore(dir);
  const { content } = await loadContent(ROOT, { regions: ['thanh-hoa'] });
  const engine = engineHandler(() => content!, 'vi');
  const handler: MessageHandler = (record, entry, now) => {
    if (entry.input.kind === 'text' && entry.input.value === 'boom') throw new Error('engine bug');
    return engine(record, entry, now);
  };
  const pipeline = new Pipeline({
    store,
    channels: new Map([['web', createWebChannel()]]),
    handler,
    errorReplies: () => [{ text: content!.t('vi', 'error.internal') }],
    logger: createLogger('silent'),
  });
  const key = { channel: 'web' as const, chatId: 'poison-chat' };
  const send = async (text: string, id: string) => {
    const waiter = pipeline.expect(key, 5_000);
    const accepted = await pipeline.accept({ ...key, dedupeKey: id, input: { kind: 'text', value: text }, receivedAt: Date.now() });
    if (accepted.status !== 'accepted') throw new Error(accepted.status);
    return waiter.resolve(accepted.id);
  };

  expect((await send('làm căn cước', 'm1'))[0]?.text).toContain('Bạn làm thẻ căn cước cho ai?');
  expect((await send('boom', 'm2')).map((r) => r.text)).toEqual([content!.t('vi', 'error.internal')]);
  // The session is as it was before the failing message: the question is still the current one.
  expect((await send('1', 'm3'))[0]?.text).toBe('Bạn cần làm gì?');
  const record = await store.chats.read(key);
  expect(record?.inbox).toEqual([]);
  expect(record?.transcript.filter((l) => l.from === 'user').map((l) => l.text)).toEqual(['làm căn cước', 'boom', '1']);
  await pipeline.close();
});
