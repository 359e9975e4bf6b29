/**
 * The handoff cap per address (reliability review D2, issue 11 item 2) counts in the Store
 * port's counters: on the embedded store in memory and a document, on PostgreSQL in the
 * database, where it is also shared by every instance; both survive a restart. Real servers, real HTTP, one address
 * (127.0.0.1); the clock is injected so "the next day" needs no waiting.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshDatabase } from '../helpers/pg-cluster';
import { chat, startTestServer, tempDir, type TestServer } from '../helpers/server';
import { movingClock, WEDNESDAY_10AM } from '../handoff/clock';

const CAPPED = 'Hôm nay đã có nhiều yêu cầu gặp cán bộ từ cùng một kết nối';
const OPENED = 'Tôi đã chuyển cuộc trò chuyện cho cán bộ hỗ trợ';
const DAY_MS = 86_400_000;

async function askForStaff(server: TestServer, chatId: string): Promise<string> {
  const { replies } = await chat(server.url, chatId, { text: 'gặp cán bộ' });
  return replies.map((r) => r.text).join(' ');
}

const servers: TestServer[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.dispose()));
  for (const c of cleanups.splice(0)) await c();
});

describe('handoff cap on the embedded store', () => {
  it('opens the cap of cases from one address, refuses the next (also after a restart), and opens again the next day', async () => {
    const clock = movingClock(WEDNESDAY_10AM);
    const first = await startTestServer({ WEB_CHAT_HANDOFFS_PER_DAY: '2' }, { now: clock.now });
    expect(await askForStaff(first, 'cap-file-1')).toContain(OPENED);
    expect(await askForStaff(first, 'cap-file-2')).toContain(OPENED);
    // The day's count is on disk (DATA_DIR/docs/counters.json): a restart does not reset it.
    const server = await first.restart();
    servers.push(server);
    const third = await askForStaff(server, 'cap-file-3');
    expect(third).toContain(CAPPED);
    expect(third).not.toContain(OPENED);
    expect(await server.handoff.cases.list()).toHaveLength(2);
    clock.advance(DAY_MS);
    expect(await askForStaff(server, 'cap-file-4')).toContain(OPENED);
    expect(await server.handoff.cases.list()).toHaveLength(3);
  });
});

const adminUrl = inject('pgAdminUrl');
if (!adminUrl) process.stdout.write('PostgreSQL not available: handoff cap on PostgreSQL SKIPPED\n');

describe.skipIf(!adminUrl)('handoff cap on PostgreSQL', () => {
  it('is shared by two instances and survives a restart', async () => {
    const db = await freshDatabase(adminUrl);
    const shared = await tempDir('thutuc-cap-');
    cleanups.push(async () => {
      await db.drop();
      await rm(shared, { recursive: true, force: true });
    });
    const clock = movingClock(WEDNESDAY_10AM);
    const env = { DATABASE_URL: db.url, STAFF_USERS_FILE: path.join(shared, 'staff-users.json'), WEB_CHAT_HANDOFFS_PER_DAY: '2' };
    let a = await startTestServer(env, { now: clock.now });
    const b = await startTestServer(env, { now: clock.now });
    servers.push(b);
    expect(await askForStaff(a, 'cap-pg-1')).toContain(OPENED);
    expect(await askForStaff(b, 'cap-pg-2')).toContain(OPENED);
    // A restarted instance still knows today's count.
    a = await a.restart();
    servers.push(a);
    expect(await askForStaff(a, 'cap-pg-3')).toContain(CAPPED);
    expect(await askForStaff(b, 'cap-pg-4')).toContain(CAPPED);
    expect(await a.handoff.cases.list()).toHaveLength(2);
  });
});
