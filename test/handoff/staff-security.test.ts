import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, startTestServer, type TestServer } from '../helpers/server';
import { movingClock, WEDNESDAY_10AM } from './clock';
import { addStaff, loggedIn, PASSWORDS, StaffClient } from './staff-client';

describe('staff console security', () => {
  let server: TestServer;
  let caseId: string;

  beforeAll(async () => {
    server = await startTestServer({}, { now: movingClock(WEDNESDAY_10AM).now, loginLimit: { windowMs: 60_000, limit: 3 } });
    await addStaff(server.dataDir, 'anna', 'binh');
    await chat(server.url, 'security-chat-1', { text: 'gặp cán bộ' });
    await chat(server.url, 'security-chat-1', { text: '<script>alert("xss")</script> & <img src=x onerror=alert(1)>' });
    caseId = (await server.handoff.cases.list())[0]!.id;
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('redirects every page without a session to the login page and answers 401 to the stream, fragments, script and CSV', async () => {
    const stranger = new StaffClient(server.url);
    const pages = ['/staff', `/staff/cases/${caseId}`, '/staff/insights', '/staff/insights?days=7', '/staff/canned', '/staff/audit', '/staff/no-such-page'];
    for (const url of pages) {
      const res = await stranger.get(url);
      expect({ url, status: res.status, location: res.location?.split('?')[0] }).toEqual({ url, status: 303, location: '/staff/login' });
    }
    const posts = [`/staff/cases/${caseId}/claim`, `/staff/cases/${caseId}/reply`, `/staff/cases/${caseId}/close`, `/staff/cases/${caseId}/note`, `/staff/cases/${caseId}/transfer`, `/staff/cases/${caseId}/assign`, '/staff/canned', '/staff/canned/r-abcdef123456/delete', '/staff/logout'];
    for (const url of posts) {
      const res = await stranger.request('POST', url, { text: 'hello' });
      expect({ url, status: res.status, location: res.location }).toEqual({ url, status: 303, location: '/staff/login' });
    }
    const apis = ['/staff/events', '/staff/fragments/cases', '/staff/fragments/counts', `/staff/fragments/cases/${caseId}/row`, `/staff/cases/${caseId}/fragment`, '/staff/console.js', '/staff/insights.csv', '/staff/audit.csv'];
    for (const url of apis) expect({ url, status: (await stranger.get(url)).status }).toEqual({ url, status: 401 });
    // Nothing happened to the case.
    expect(await server.handoff.cases.get(caseId)).toMatchObject({ status: 'open', messages: [expect.objectContaining({ from: 'user' })] });
  });

  it('refuses a POST without a valid CSRF token with 403, including the login form', async () => {
    const anna = await loggedIn(server.url, 'anna');
    const noToken = await anna.post(`/staff/cases/${caseId}/claim`, { _csrf: '' });
    expect(noToken.status).toBe(403);
    expect(noToken.body).toContain('Biểu mẫu đã hết hạn');
    const forged = await anna.post(`/staff/cases/${caseId}/reply`, { _csrf: 'forged.token', text: 'hi' });
    expect(forged.status).toBe(403);
    // A token from another session does not work either.
    const binh = await loggedIn(server.url, 'binh');
    const crossed = await anna.post(`/staff/cases/${caseId}/close`, { _csrf: binh.csrf });
    expect(crossed.status).toBe(403);
    for (const url of [`/staff/cases/${caseId}/note`, `/staff/cases/${caseId}/transfer`, `/staff/cases/${caseId}/assign`, '/staff/canned']) expect({ url, status: (await anna.post(url, { _csrf: '', text: 'x', queue: 'province', user: 'binh', office: '*', title: 'x' })).status }).toEqual({ url, status: 403 });
    expect(await server.handoff.canned.list()).toEqual([]);
    expect(await server.handoff.cases.get(caseId)).toMatchObject({ status: 'open' });

    const stranger = new StaffClient(server.url);
    await stranger.get('/staff/login');
    expect((await stranger.post('/staff/login', { _csrf: '', username: 'anna', password: PASSWORDS.anna! })).status).toBe(403);
  });

  it('shows citizen text escaped on the case page', async () => {
    const anna = await loggedIn(server.url, 'anna');
    const page = await anna.get(`/staff/cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;');
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src=x');
    const fragment = await anna.get(`/staff/cases/${caseId}/fragment`);
    expect(fragment.body).toContain('&lt;script&gt;alert(&quot;xss&quot;)');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('does not let a second officer reply to or close a claimed case without taking it over', async () => {
    const anna = await loggedIn(server.url, 'anna');
    const binh = await loggedIn(server.url, 'binh');
    expect((await anna.post(`/staff/cases/${caseId}/claim`)).status).toBe(303);

    await binh.get(`/staff/cases/${caseId}`);
    const refused = await binh.post(`/staff/cases/${caseId}/reply`, { text: 'Binh trả lời' });
    expect(refused.status).toBe(409);
    expect(refused.body).toContain('Hồ sơ này do anna đang xử lý');
    expect((await binh.post(`/staff/cases/${caseId}/close`)).status).toBe(409);
    const record = await server.store.chats.read({ channel: 'web', chatId: 'security-chat-1' });
    expect(record?.transcript.some((l) => l.text === 'Binh trả lời')).toBe(false);

    expect((await binh.post(`/staff/cases/${caseId}/claim`, { takeover: '1' })).status).toBe(303);
    expect((await binh.post(`/staff/cases/${caseId}/reply`, { text: 'Binh trả lời' })).status).toBe(303);
    expect((await anna.post(`/staff/cases/${caseId}/reply`, { text: 'Anna trả lời' })).status).toBe(409);
    const c = await server.handoff.cases.get(caseId);
    expect(c).toMatchObject({ status: 'claimed', claimedBy: 'binh' });
    expect(c!.messages.filter((m) => m.from === 'staff').map((m) => [m.by, m.text])).toEqual([['binh', 'Binh trả lời']]);
    expect((await binh.get(`/staff/cases/${caseId}`)).body).toContain('binh nhận thay anna.');
  });

  it('sets an HttpOnly SameSite session cookie and forgets the session at logout', async () => {
    const anna = new StaffClient(server.url);
    await anna.get('/staff/login');
    const res = await anna.request('POST', '/staff/login', { _csrf: anna.csrf, username: 'anna', password: PASSWORDS.anna! });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('thutuc-staff='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const stolen = anna.cookies.get('thutuc-staff')!;
    await anna.get('/staff');
    expect((await anna.post('/staff/logout')).location).toBe('/staff/login');
    const replay = new StaffClient(server.url);
    replay.cookies.set('thutuc-staff', stolen);
    expect((await replay.get('/staff')).status).toBe(303);
  });

  it('rate limits wrong passwords and then refuses even the right one', async () => {
    const client = new StaffClient(server.url);
    await client.get('/staff/login');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await client.post('/staff/login', { username: 'anna', password: `wrong-password-${i}` })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const right = await client.post('/staff/login', { username: 'anna', password: PASSWORDS.anna! });
    expect(right.status).toBe(429);
    expect(right.body).toContain('Đăng nhập sai quá nhiều lần');
  });
});

describe('staff cookies behind https', () => {
  it('marks the session cookie Secure with the __Host- prefix when PUBLIC_URL is https', async () => {
    const server = await startTestServer({ PUBLIC_URL: 'https://thutuc.example.vn' });
    try {
      await addStaff(server.dataDir, 'anna');
      const client = new StaffClient(server.url);
      await client.get('/staff/login');
      const res = await client.post('/staff/login', { username: 'anna', password: PASSWORDS.anna! });
      expect(res.status).toBe(303);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-thutuc-staff='));
      expect(cookie).toMatch(/; Secure/i);
      expect(cookie).toMatch(/; Path=\//i);
    } finally {
      await server.dispose();
    }
  });
});
