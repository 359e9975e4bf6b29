/**
 * Two instances of the real program (spawned, compiled as `npm start` runs it) on one PostgreSQL database, the
 * Telegram fake as the Bot API. A burst of Telegram updates and web chat messages is spread over
 * both; one instance is killed with -9 mid-burst. Like Telegram, the test sends a delivery that
 * was not acknowledged again (to the survivor); a web client retries with the same messageId.
 * Then: every acknowledged message was processed exactly once, in order per chat; every reply
 * reached Telegram in order, and at most twice (sendMessage has no idempotency key, so a send
 * cut off by the kill is repeated: see kill-recovery.test.ts); nothing is left pending. The
 * same burst with SIGTERM instead: the stopping instance finishes its in-flight work and gives
 * its chats back, so no reply is repeated.
 */
import { afterEach, describe, expect, it, inject } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createPostgresStore } from '../../src/store/postgres/index';
import { TelegramFake } from '../fakes/telegram-fake';
import { postWebhook } from '../fakes/webhook-client';
import { freshDatabase } from '../helpers/pg-cluster';
import { tempDir } from '../helpers/server';
import { buildOnce, kill9, killGroup, spawnBot, type SpawnedBot } from '../helpers/spawn-bot';

const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: two-instance kill -9 test SKIPPED\n');

const SECRET = 'two-instances_secret';
const TG_CHATS = 12;
const WEB_CHATS = 4;
const LEASE_NOTE = '10 s';
const SCRIPT = ['căn cước', '1', 'menu', 'đăng ký khai sinh', 'menu'];

const children: ChildProcess[] = [];
let fake: TelegramFake | undefined;
let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of children.splice(0)) await kill9(c);
  await fake?.close();
  for (const f of cleanup.reverse()) await f();
  cleanup = [];
});

const update = (id: number, chat: number, text: string) => ({ update_id: id, message: { message_id: id, date: 1764063000, chat: { id: chat, type: 'private' }, from: { id: chat, is_bot: false, first_name: 'Lan' }, text } });

/** Posts to the first live instance of `order`, moving on when one does not answer (killed). */
async function deliver(order: SpawnedBot[], alive: () => SpawnedBot[], send: (bot: SpawnedBot) => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const bot = order.find((b) => alive().includes(b)) ?? alive()[0]!;
    const ok = await send(bot).catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no instance acknowledged the message');
}

describe.skipIf(!adminUrl)('two instances, one stopped mid-burst', { timeout: 180_000 }, () => {
  it('kill -9: answers every acknowledged message once, in order per chat, the survivor finishing the dead one’s work', () => burst('SIGKILL'));
  // A graceful stop finishes its in-flight sends and gives its chats back: no repeats, no lease wait.
  it('SIGTERM: the same with no reply repeated, the other instance taking over at once', () => burst('SIGTERM'));
});

async function burst(signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
  {
    fake = await TelegramFake.start();
    const db = await freshDatabase(adminUrl);
    const dir = await tempDir('thutuc-two-kill-');
    cleanup.push(() => db.drop(), () => rm(dir, { recursive: true, force: true }));
    const env = {
      DATABASE_URL: db.url,
      DATA_DIR: dir,
      STAFF_USERS_FILE: path.join(dir, 'staff-users.json'),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_SEND_RATE: '1000',
    };
    // The compiled server, as `npm start` and the Dockerfile run it.
    buildOnce();
    const [a, b] = await Promise.all([spawnBot(env, { compiled: true }), spawnBot(env, { compiled: true })]);
    children.push(a.child, b.child);
    let dead: SpawnedBot | undefined;
    const alive = () => [a, b].filter((x) => x !== dead);

    let acked = 0;
    let killedAt = 0;
    const total = (TG_CHATS + WEB_CHATS) * SCRIPT.length;
    const killAt = Math.floor(total / 3);
    const killing = (async () => {
      while (acked < killAt) await new Promise((r) => setTimeout(r, 5));
      dead = a;
      killedAt = Date.now();
      if (signal === 'SIGKILL') await kill9(a.child);
      else await stopGracefully(a.child);
    })();

    // Each chat sends its script in order (the next message after the last one's ack), chats at once.
    const tg = Array.from({ length: TG_CHATS }, async (_, i) => {
      const chat = 5_000 + i;
      for (const [j, text] of SCRIPT.entries()) {
        const order = (i + j) % 2 === 0 ? [a, b] : [b, a];
        await deliver(order, alive, async (bot) => (await postWebhook(`${bot.url}/webhooks/telegram`, update(chat * 100 + j, chat, text), { 'x-telegram-bot-api-secret-token': SECRET })).status === 200);
        acked++;
      }
    });
    const web = Array.from({ length: WEB_CHATS }, async (_, i) => {
      const chatId = `web-two-kill-${i}`;
      for (const [j, text] of SCRIPT.entries()) {
        const order = (i + j) % 2 === 0 ? [b, a] : [a, b];
        await deliver(order, alive, async (bot) => {
          const res = await fetch(`${bot.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chatId, text, messageId: `m${j}` }) });
          // 409: an earlier try was accepted before its instance died; 503: accepted, answer later.
          return res.status === 200 || res.status === 409 || res.status === 503;
        });
        acked++;
      }
    });
    await Promise.all([...tg, ...web, killing]);
    expect(dead).toBe(a);

    // Read the outcome straight from the database, as a third instance would.
    const store = await createPostgresStore({ url: db.url, poolSize: 2 });
    try {
      // (pending() would not do: it leaves out chats another instance holds, such as the dead one's until its lease lapses.)
      const unfinished = async () => {
        const left: string[] = [];
        for await (const k of store.chats.keys()) {
          const r = (await store.chats.read(k))!;
          if (r.inbox.length > 0 || r.outbox.length > 0) left.push(`${k.channel}:${k.chatId}`);
        }
        return left;
      };
      const settledAll = async () => {
        for (let i = 0; i < 60 * 10; i++) {
          if ((await count(store)) === TG_CHATS + WEB_CHATS && (await unfinished()).length === 0) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`still unfinished: ${JSON.stringify(await unfinished())}`);
      };
      await settledAll();
      process.stdout.write(`two-instances-kill (${signal}): the survivor finished the dead instance's work ${Date.now() - killedAt} ms after the kill (lease ${LEASE_NOTE})\n`);
      let duplicates = 0;
      for (let i = 0; i < TG_CHATS; i++) {
        const chat = String(5_000 + i);
        const record = (await store.chats.read({ channel: 'telegram', chatId: chat }))!;
        expect(record.transcript.filter((l) => l.from === 'user').map((l) => l.text), `telegram chat ${chat}`).toEqual(SCRIPT);
        const expected = record.transcript.filter((l) => l.from === 'bot').map((l) => l.text);
        const sent = fake.sent(chat).map((m) => m.text);
        const repeats = inOrderWithRepeats(sent, expected, `telegram chat ${chat}`);
        // A chat has one send in flight at a time: only that one, cut off by the kill, may repeat.
        expect(repeats, `repeated replies in telegram chat ${chat}`).toBeLessThanOrEqual(signal === 'SIGKILL' ? 1 : 0);
        duplicates += repeats;
      }
      process.stdout.write(`two-instances-kill (${signal}): ${duplicates} of ${TG_CHATS} Telegram chats got one reply twice (the send in flight at the kill)\n`);
      for (let i = 0; i < WEB_CHATS; i++) {
        const record = (await store.chats.read({ channel: 'web', chatId: `web-two-kill-${i}` }))!;
        expect(record.transcript.filter((l) => l.from === 'user').map((l) => l.text), `web chat ${i}`).toEqual(SCRIPT);
      }
    } finally {
      await store.close();
    }
  }
}

async function stopGracefully(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  await exited;
}

async function count(store: Awaited<ReturnType<typeof createPostgresStore>>): Promise<number> {
  return store.chats.count();
}

/**
 * Checks that `sent` is `expected` in order, where a reply may appear a second time right after
 * itself (a repeated send). Returns the number of repeats.
 */
function inOrderWithRepeats(sent: string[], expected: string[], what: string): number {
  let i = 0;
  let repeats = 0;
  for (const s of sent) {
    if (s === expected[i]) i++;
    else if (i > 0 && s === expected[i - 1]) repeats++;
    else throw new Error(`${what}: unexpected "${s}" after ${i} of ${expected.length} replies; sent ${JSON.stringify(sent)}, expected ${JSON.stringify(expected)}`);
  }
  if (i !== expected.length) throw new Error(`${what}: ${expected.length - i} replies never sent; sent ${JSON.stringify(sent)}`);
  return repeats;
}
