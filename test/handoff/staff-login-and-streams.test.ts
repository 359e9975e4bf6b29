/**
 * Reliability review D9 and D10: login limits per account and per address+username (one
 * person's typos don't lock out the office, many addresses don't multiply guesses at one
 * account), failures logged with a username hash, TRUST_PROXY; event streams that end at logout
 * and when the account is removed, and a cap on streams per session.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { usernameHash } from '../../src/handoff/staff-auth';
import { STREAMS_PER_SESSION } from '../../src/handoff/staff-console';
import { removeStaffUser } from '../../src/handoff/staff-users';
import { createLogger } from '../../src/server/logger';
import { chat, startTestServer, type TestServer } from '../helpers/server';
import { sayWhenSkipped, TEST_STORES } from '../helpers/test-stores';
import { movingClock, WEDNESDAY_10AM } from './clock';
import { addStaff, loggedIn, openStream, PASSWORDS, StaffClient } from './staff-client';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

function capture() {
  let out = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  return { logger: createLogger('info', stream), lines: () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

/** A login from a given client address, as the loopback proxy reports it in X-Forwarded-For. */
async function attempt(base: string, from: string, username: string, password: string): Promise<number> {
  const client = new StaffClient(base);
  await client.request('GET', '/staff/login', undefined, { 'x-forwarded-for': from });
  return (await client.request('POST', '/staff/login', { _csrf: client.csrf, username, password }, { 'x-forwarded-for': from })).status;
}

describe('staff login limits', () => {
  it("limits per address and username, so a colleague's typos at the same address do not lock anna out", async () => {
    const log = capture();
    server = await startTestServer({}, { logger: log.logger, loginLimit: { windowMs: 60_000, limit: 3, accountLimit: 100, addressLimit: 100 } });
    await addStaff(server.dataDir, 'anna', 'binh');
    const office = '203.0.113.7';
    const typos: number[] = [];
    for (let i = 0; i < 4; i++) typos.push(await attempt(server.url, office, 'binh', `typo-${i}-password`));
    expect(typos).toEqual([401, 401, 401, 429]);
    expect(await attempt(server.url, office, 'anna', PASSWORDS.anna!)).toBe(303);
    // The failures are logged with a hash of the username, never the name itself.
    const failures = log.lines().filter((l) => l.msg === 'staff login failed');
    expect(failures).toHaveLength(3);
    expect(failures.every((l) => l.userHash === usernameHash('binh'))).toBe(true);
    expect(JSON.stringify(log.lines())).not.toContain('"binh"');
    expect(log.lines().find((l) => l.msg === 'staff login rate limited')).toMatchObject({ limiter: 'address-user', userHash: usernameHash('binh') });
  });

  it('limits wrong passwords per account across addresses', async () => {
    server = await startTestServer({}, { loginLimit: { windowMs: 60_000, limit: 3, accountLimit: 4, addressLimit: 100 } });
    await addStaff(server.dataDir, 'anna', 'binh');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await attempt(server.url, `198.51.100.${i + 1}`, 'anna', `guess-${i}-password`));
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(await attempt(server.url, '198.51.100.99', 'anna', PASSWORDS.anna!)).toBe(429);
    // Other accounts are untouched.
    expect(await attempt(server.url, '198.51.100.1', 'binh', PASSWORDS.binh!)).toBe(303);
  });

  it('limits one address spraying many usernames', async () => {
    server = await startTestServer({}, { loginLimit: { windowMs: 60_000, limit: 3, accountLimit: 100, addressLimit: 4 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await attempt(server.url, '192.0.2.1', `user${i}`, 'some-password-x'));
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it('believes X-Forwarded-For only as TRUST_PROXY says', async () => {
    server = await startTestServer({ TRUST_PROXY: 'false' }, { loginLimit: { windowMs: 60_000, limit: 2, accountLimit: 100, addressLimit: 100 } });
    await addStaff(server.dataDir, 'anna');
    // Without a trusted proxy the forwarded addresses are ignored: all three share the loopback bucket.
    const statuses = [await attempt(server.url, '198.51.100.1', 'anna', 'wrong-password-1'), await attempt(server.url, '198.51.100.2', 'anna', 'wrong-password-2'), await attempt(server.url, '198.51.100.3', 'anna', 'wrong-password-3')];
    expect(statuses).toEqual([401, 401, 429]);
  });
});

sayWhenSkipped('staff event streams');

describe.each(TEST_STORES)('staff event streams on $name', (store) => {
  it.skipIf(!store.available)('end at logout, and a session cannot open more than the cap', async () => {
    server = await store.start({}, { now: movingClock(WEDNESDAY_10AM).now });
    await addStaff(server, 'anna');
    const anna = await loggedIn(server.url, 'anna');
    const streams = [];
    for (let i = 0; i < STREAMS_PER_SESSION; i++) streams.push(await openStream(anna));
    expect(streams.map((s) => s.res.status)).toEqual(Array(STREAMS_PER_SESSION).fill(200));
    const extra = await openStream(anna);
    expect(extra.res.status).toBe(429);
    extra.close();
    expect((await anna.post('/staff/logout')).status).toBe(303);
    for (const s of streams) expect(await s.ended()).toBe(true);
  });

  it.skipIf(!store.available)('end when the account is removed, before the next event is written', async () => {
    server = await store.start({}, { now: movingClock(WEDNESDAY_10AM).now });
    await addStaff(server, 'anna', 'binh');
    const anna = await loggedIn(server.url, 'anna');
    const binh = await loggedIn(server.url, 'binh');
    const [annaStream, binhStream] = [await openStream(anna), await openStream(binh)];
    try {
      expect(await removeStaffUser(server.store.staff, 'anna')).toBe(true);
      await chat(server.url, 'stream-removal-1', { text: 'gặp cán bộ' });
      const [c] = await server.handoff.cases.list();
      await binhStream.next((events) => events.some((e) => e.type === 'opened' && e.caseId === c!.id));
      await expect(annaStream.next((events) => events.length > 0)).rejects.toThrow('stream ended');
      // The session itself is gone, not only hidden: the same name made again does not revive it.
      expect((await anna.get('/staff')).status).toBe(303);
      await addStaff(server, 'anna');
      expect((await anna.get('/staff')).status).toBe(303);
      expect((await loggedIn(server.url, 'anna')).cookies.size).toBeGreaterThan(0);
    } finally {
      annaStream.close();
      binhStream.close();
    }
  });
});
