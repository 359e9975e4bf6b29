import type { FileStore } from '../../src/store/lowdb/index';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chat, startTestServer, type TestServer } from '../helpers/server';
import { movingClock, WEDNESDAY_10AM } from './clock';
import { addStaff, loggedIn } from './staff-client';

const DAY = 86_400_000;

describe('personal data retention', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('on start after RETENTION_DAYS, deletes old cases, transcripts, sessions and analytics days but keeps recent chats', async () => {
    const clock = movingClock(WEDNESDAY_10AM);
    server = await startTestServer({ RETENTION_DAYS: '30' }, { now: clock.now });
    await addStaff(server.dataDir, 'anna');

    // An old conversation handed to staff and closed, and one left open and forgotten.
    await chat(server.url, 'old-closed-1', { text: 'làm căn cước' });
    await chat(server.url, 'old-closed-1', { text: 'gặp cán bộ' });
    await chat(server.url, 'old-closed-1', { text: 'Tôi tên Nguyễn Văn A, số 0912345678' });
    await chat(server.url, 'old-open-1', { text: 'gặp cán bộ' });
    const [open, closed] = await server.handoff.cases.list();
    const anna = await loggedIn(server.url, 'anna');
    await anna.post(`/staff/cases/${closed!.id}/close`);
    await server.pipeline.drain();
    const oldDay = (await server.handoff.analytics.days())[0]!;

    // 31 days later someone else writes; then the bot restarts and sweeps soon after.
    clock.advance(31 * DAY);
    await chat(server.url, 'recent-1', { text: 'làm khai sinh' });
    server = await server.restart();
    const report = await server.handoff.retention.run();
    expect(report.failures).toBe(0);

    expect(await server.handoff.cases.list()).toEqual([]);
    expect(await readdir(path.join(server.dataDir, 'cases'))).toEqual([]);
    expect(open).toBeDefined();

    // Chats silent for longer than RETENTION_DAYS are deleted, file and all.
    expect(await server.store.chats.read({ channel: 'web', chatId: 'old-closed-1' })).toBeUndefined();
    expect(await server.store.chats.read({ channel: 'web', chatId: 'old-open-1' })).toBeUndefined();
    await (server.store as FileStore).checkpoint();
    const files = await readdir(path.join(server.dataDir, 'chats', 'web'));
    expect(files.filter((f) => f.startsWith('old-'))).toEqual([]);
    const dir = path.join(server.dataDir, 'chats', 'web');
    const onDisk = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('\n');
    expect(onDisk).not.toContain('Nguyễn Văn A');
    expect(onDisk).not.toContain('0912345678');

    const recent = await server.store.chats.read({ channel: 'web', chatId: 'recent-1' });
    expect(recent?.transcript.map((l) => l.text)).toContain('làm khai sinh');

    const days = await server.handoff.analytics.days();
    expect(days).not.toContain(oldDay);
    expect(days).toHaveLength(1);

    // The staff session of a month ago is gone from the data directory too.
    expect(anna.cookies.get('thutuc-staff')).toBeDefined();
    const sessions = JSON.parse(await readFile(path.join(server.dataDir, 'docs', 'staff-sessions.json'), 'utf8')) as { sessions: object };
    expect(sessions.sessions).toEqual({});

    // The citizen whose open case was removed simply talks to the bot again.
    const again = await chat(server.url, 'old-open-1', { text: 'menu' });
    expect(again.replies.at(-1)?.options?.length).toBeGreaterThan(0);
  });
});
