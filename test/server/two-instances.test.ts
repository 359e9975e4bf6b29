/**
 * Two real servers (in this process, each with its own store, pipeline and HTTP port) on one
 * PostgreSQL database, as two instances behind a load balancer: a web chat whose messages
 * alternate between them is answered in order, and a case opened through one shows live on a
 * staff console served by the other. (The crash case, with spawned processes and kill -9, is
 * test/channels/two-instances-kill.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it, inject } from 'vitest';
import { chat, startTestServer, tempDir, type TestServer } from '../helpers/server';
import { freshDatabase } from '../helpers/pg-cluster';
import { movingClock, WEDNESDAY_10AM } from '../handoff/clock';
import { addStaff, loggedIn, openStream, StaffClient } from '../handoff/staff-client';
import path from 'node:path';
import { rm } from 'node:fs/promises';

const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: two-instance server tests SKIPPED\n');

describe.skipIf(!adminUrl)('two instances on one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let shared: string;
  let a: TestServer;
  let b: TestServer;
  beforeEach(async () => {
    db = await freshDatabase(adminUrl);
    shared = await tempDir('thutuc-two-');
    const clock = movingClock(WEDNESDAY_10AM);
    // Everything is in the database, staff accounts too (a STAFF_USERS_FILE is only copied in at the first start).
    const env = { DATABASE_URL: db.url, STAFF_USERS_FILE: path.join(shared, 'staff-users.json') };
    const loginLimit = { windowMs: 60_000, limit: 3 };
    a = await startTestServer(env, { now: clock.now, loginLimit });
    b = await startTestServer(env, { now: clock.now, loginLimit });
  });
  afterEach(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await db.drop();
    await rm(shared, { recursive: true, force: true });
  });

  it('reports the PostgreSQL store on /readyz', async () => {
    const body = (await (await fetch(`${a.url}/readyz`)).json()) as { status: string; store: { kind: string } };
    expect(body).toMatchObject({ status: 'ready', store: { kind: 'postgres' } });
  });

  it('answers a web chat whose messages alternate between the instances, in order', async () => {
    const texts = ['làm căn cước', 'menu', 'đăng ký khai sinh', 'menu', 'làm căn cước', 'menu'];
    for (const [i, text] of texts.entries()) {
      const { replies } = await chat((i % 2 === 0 ? a : b).url, 'alternating-chat-1', { text });
      expect(replies.length, `reply to message ${i} (${text})`).toBeGreaterThan(0);
    }
    const record = await b.store.chats.read({ channel: 'web', chatId: 'alternating-chat-1' });
    expect(record!.transcript.filter((l) => l.from === 'user').map((l) => l.text)).toEqual(texts);
    expect(record!.inbox).toEqual([]);
    expect(record!.outbox).toEqual([]);
  });

  it('counts wrong staff passwords across both instances', async () => {
    await addStaff(a, 'anna');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const client = new StaffClient((i % 2 === 0 ? a : b).url);
      await client.get('/staff/login');
      statuses.push((await client.post('/staff/login', { username: 'anna', password: `wrong-password-${i}` })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('shows a case opened through one instance live on a console served by the other', async () => {
    await addStaff(a, 'anna');
    const anna = await loggedIn(b.url, 'anna');
    const stream = await openStream(anna);
    try {
      await chat(a.url, 'handoff-across-1', { text: 'gặp nhân viên' });
      const [c] = await a.handoff.cases.list();
      expect(c).toBeDefined();
      await stream.next((events) => events.some((e) => e.type === 'opened' && e.caseId === c!.id));
      const list = await anna.get('/staff/fragments/cases');
      expect(list.body).toContain(`data-case="${c!.id}"`);
      await chat(a.url, 'handoff-across-1', { text: 'Alo, có ai không?' });
      await stream.next((events) => events.some((e) => e.type === 'message' && e.caseId === c!.id));
      expect((await anna.get(`/staff/cases/${c!.id}/fragment`)).body).toContain('Alo, có ai không?');
    } finally {
      stream.close();
    }
  });
});
