/**
 * Review D4 and D3 through the real server: a truncated chat, case, staff-session-secret and
 * staff-sessions file and a damaged journal line. The server starts, moves what it cannot read
 * aside (`*.damaged`, journal/damaged/), counts it in /readyz and the metrics, serves everything
 * else, and the citizen whose chat file was damaged simply continues.
 */
import type { FileStore } from '../../src/store/lowdb/index';
import { mkdir, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { Logger } from '../../src/server/logger';
import { frame } from '../../src/store/lowdb/journal';
import { chat, startTestServer, type TestServer } from '../helpers/server';
import { movingClock, WEDNESDAY_10AM } from '../handoff/clock';
import { addStaff, loggedIn } from '../handoff/staff-client';

describe('damaged files in DATA_DIR', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('are quarantined, counted and logged by name while the server serves everything else', async () => {
    server = await startTestServer();
    await addStaff(server.dataDir, 'anna');
    await chat(server.url, 'damaged-chat', { text: 'làm căn cước' });
    await chat(server.url, 'healthy-chat', { text: 'làm căn cước' });
    await chat(server.url, 'case-chat', { text: 'gặp cán bộ' });
    await loggedIn(server.url, 'anna'); // writes staff-sessions.json
    await server.pipeline.drain();
    const dir = server.dataDir;
    await server.close();

    // Cut each file in half, as a disk or an editor might.
    const chatFile = path.join(dir, 'chats', 'web', 'damaged-chat.json');
    const [caseName] = await readdir(path.join(dir, 'cases'));
    const caseFile = path.join(dir, 'cases', caseName!);
    const docs = ['staff-session-secret.json', 'staff-sessions.json'].map((n) => path.join(dir, 'docs', n));
    for (const f of [chatFile, caseFile, ...docs]) await truncate(f, Math.floor((await stat(f)).size / 2));
    // And a journal segment whose first line is damaged and second valid.
    const valid = frame(JSON.stringify({ k: { channel: 'web', chatId: 'from-journal' }, r: null }));
    await writeFile(path.join(dir, 'journal', '0000000999.log'), `7\t00000000\tdamaged\n${valid}`);

    const logs: string[] = [];
    server = await startTestServer({ LOG_LEVEL: 'error' }, { dataDir: dir, logger: captureLogger(logs) });

    // Staff log in again (sessions and secret started over) and the healthy chat goes on.
    await loggedIn(server.url, 'anna');
    expect((await chat(server.url, 'healthy-chat', { text: 'menu' })).replies.length).toBeGreaterThan(0);
    // The citizen whose file was damaged continues with a fresh record.
    const again = await chat(server.url, 'damaged-chat', { text: 'menu' });
    expect(again.replies.at(-1)?.options?.length).toBeGreaterThan(0);
    expect((await server.store.chats.read({ channel: 'web', chatId: 'damaged-chat' }))?.transcript.map((l) => l.text)).toContain('menu');

    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { status: string; store: { damaged: Record<string, number> } };
    expect(ready.status).toBe('ready');
    expect(ready.store.damaged).toEqual({ journal: 1, chat: 1, case: 1, doc: 2 });
    expect(JSON.stringify(ready)).not.toContain(dir); // names are for the log, not a public probe
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('thutuc_store_damaged_files{kind="chat"} 1');
    expect(metrics).toContain('thutuc_store_damaged_files{kind="doc"} 2');

    // The damaged bytes are kept for a person, next to where they were.
    for (const f of [chatFile, caseFile, ...docs]) expect((await stat(`${f}.damaged`)).isFile()).toBe(true);
    expect(await readFile(path.join(dir, 'journal', 'damaged', '0000000999.log'), 'utf8')).toContain('damaged');
    // Each is logged with its file name (and never its content).
    for (const f of [chatFile, caseFile, ...docs, path.join(dir, 'journal', '0000000999.log')]) expect(logs.some((l) => l.includes(f))).toBe(true);
    expect(logs.join('\n')).not.toContain('căn cước');
  });

  it('a staff sessions document or session secret of the wrong shape means everyone logs in again, not a failed start or failed logins', async () => {
    server = await startTestServer();
    await addStaff(server.dataDir, 'anna');
    const dir = server.dataDir;
    await server.close();
    await writeFile(path.join(dir, 'docs', 'staff-sessions.json'), '{"version":2,"sessions":[]}');
    await writeFile(path.join(dir, 'docs', 'staff-session-secret.json'), '{"secret":"too short"}');
    server = await startTestServer({}, { dataDir: dir });
    await loggedIn(server.url, 'anna');
    const sessions = JSON.parse(await readFile(path.join(dir, 'docs', 'staff-sessions.json'), 'utf8')) as { version: number; sessions: object };
    expect(sessions.version).toBe(1);
    expect(Object.keys(sessions.sessions)).toHaveLength(1);
  });

  it('a chat file the sweep cannot read is counted and skipped; the other chats are still swept', async () => {
    const clock = movingClock(WEDNESDAY_10AM);
    server = await startTestServer({ RETENTION_DAYS: '30' }, { now: clock.now });
    await chat(server.url, 'swept-chat-1', { text: 'menu' });
    await (server.store as FileStore).checkpoint();
    // Not damage but an I/O error (a directory where a file should be): reported, not moved.
    await mkdir(path.join(server.dataDir, 'chats', 'web', 'unreadable.json'));
    clock.advance(31 * 86_400_000);
    server = await server.restart();
    const report = await server.handoff.retention.run();
    expect(report).toMatchObject({ failures: 1, visited: 2, chats: 1 });
    expect(await server.store.chats.read({ channel: 'web', chatId: 'swept-chat-1' })).toBeUndefined();
    expect(await (await fetch(`${server.url}/metrics`)).text()).toContain('thutuc_retention_failures_total 1');
  });
});

/** A pino logger writing its JSON lines into `lines`, to check what the operator sees. */
function captureLogger(lines: string[]): Logger {
  return pino({ level: 'error' }, { write: (s: string) => lines.push(s) }) as unknown as Logger;
}
