/**
 * Store scaling: the cost of one session write with 1,000 and with 100,000 chats on disk. Two
 * data directories are filled directly with JSON chat files (a realistic record: a session
 * mid-flow, transcript, mailbox), then `chats.update` is timed on existing chats through freshly
 * opened stores: the first write to a chat also reads it from disk, the next one finds it open.
 * The ratio 100k/1k should stay near 1 (goal ≤ 1.5), which is why the store keeps one file per chat.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadContent } from '../src/content/index';
import { step } from '../src/engine/step';
import type { Session } from '../src/engine/types';
import { appendTranscript } from '../src/pipeline/worker';
import { createLowdbStore, encodeId, type ChatFiles } from '../src/store/lowdb/lowdb-store';
import { emptyRecord, type ChatRecord } from '../src/store/store';
import { CONVERSATIONS } from './engine-step';
import { ms, percentile } from './percentile';
import type { Row } from './section';

export const name = 'store';
export const title = 'store write';

const SAMPLES = 400;
const WARMUP = 100;

/** A chat as the server leaves it after a few turns, built with the real engine. */
async function sampleRecord(): Promise<ChatRecord> {
  const { content } = await loadContent(path.resolve(import.meta.dirname, '..'), { regions: ['thanh-hoa'] });
  if (!content) throw new Error('the content has errors: run npm run content:lint');
  const record = emptyRecord({ channel: 'web', chatId: 'x' }, Date.now());
  let session: Session | undefined;
  let seq = 0;
  const mailbox: unknown[] = [];
  for (const input of CONVERSATIONS[0]!.slice(0, 4)) {
    const out = step(content, session, input, Date.now());
    session = out.session;
    appendTranscript(record, [{ at: Date.now(), from: 'user', text: input.kind === 'text' ? input.value : '/start' }, ...out.replies.map((r) => ({ at: Date.now(), from: 'bot' as const, text: r.text }))]);
    for (const reply of out.replies) mailbox.push({ seq: ++seq, at: Date.now(), from: 'bot', reply });
  }
  record.session = session;
  record.channelState = { mailbox };
  record.seen = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`m${i}`, Date.now()]));
  return record;
}

async function createChats(dir: string, template: ChatRecord, count: number): Promise<void> {
  const folder = path.join(dir, 'chats', 'web');
  await mkdir(folder, { recursive: true });
  let next = 0;
  const to = count;
  const worker = async () => {
    for (let i = next++; i < to; i = next++) {
      const chatId = `bench-chat-${i}`;
      await writeFile(path.join(folder, `${encodeId(chatId)}.json`), JSON.stringify({ ...template, chatId }));
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

async function timedWrite(store: ChatFiles, i: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  await store.chats.update({ channel: 'web', chatId: `bench-chat-${i}` }, (r) => {
    if (!r.session) throw new Error(`bench-chat-${i} was not on disk`);
    r.session = { ...r.session, updatedAt: Date.now() };
    return { record: r, result: undefined };
  });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

function sample(count: number, of: number): number[] {
  const ids = new Set<number>();
  while (ids.size < count) ids.add(Math.floor(Math.random() * of));
  return [...ids];
}

/**
 * Median ms per write in two data directories, measured alternately (one write here, one there)
 * so that whatever else the machine is doing weighs on both the same.
 */
async function compare(small: { dir: string; chats: number }, large: { dir: string; chats: number }) {
  const stores = [await createLowdbStore(small.dir), await createLowdbStore(large.dir)] as const;
  const ids = [sample(SAMPLES + WARMUP, small.chats), sample(SAMPLES + WARMUP, large.chats)] as const;
  const first: [number[], number[]] = [[], []];
  const next: [number[], number[]] = [[], []];
  // Which directory goes first alternates too, so neither always follows the other's write.
  const order = (n: number) => (n % 2 === 0 ? ([0, 1] as const) : ([1, 0] as const));
  for (let n = 0; n < SAMPLES + WARMUP; n++) {
    for (const s of order(n)) {
      const t = await timedWrite(stores[s], ids[s][n]!);
      if (n >= WARMUP) first[s].push(t);
    }
  }
  for (let n = WARMUP; n < SAMPLES + WARMUP; n++) for (const s of order(n)) next[s].push(await timedWrite(stores[s], ids[s][n]!));
  await Promise.all(stores.map((st) => st.close()));
  return { first: first.map((t) => percentile(t, 50)) as [number, number], next: next.map((t) => percentile(t, 50)) as [number, number] };
}

export async function run(): Promise<Row[]> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'thutuc-bench-store-'));
  try {
    const template = await sampleRecord();
    const small = { dir: path.join(root, '1k'), chats: 1_000 };
    const large = { dir: path.join(root, '100k'), chats: 100_000 };
    await createChats(small.dir, template, small.chats);
    const t0 = performance.now();
    await createChats(large.dir, template, large.chats);
    const created = (performance.now() - t0) / 1000;
    const { first, next } = await compare(small, large);
    const rows: Row[] = [{ measure: 'record size', value: `${(JSON.stringify(template).length / 1024).toFixed(1)} KB` }];
    for (const [label, [a, b]] of [['first write (read + write)', first], ['next write (already open)', next]] as const) {
      rows.push(
        { measure: `${label}, 1,000 chats, median`, value: ms(a) },
        { measure: `${label}, 100,000 chats, median`, value: ms(b) },
        { measure: `${label}, ratio 100k / 1k`, value: (b / a).toFixed(2), goal: '≤ 1.5', met: b / a <= 1.5 },
      );
    }
    rows.push({ measure: 'creating 100,000 chat files (setup)', value: `${created.toFixed(1)} s` });
    return rows;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
