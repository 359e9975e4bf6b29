/**
 * Issue 14 over real HTTP: cases routed to the citizen's commune or the province, officers who
 * see and act only within their scope, a supervisor who sees the province and reassigns, live
 * events per scope, canned replies with placeholders, private notes, transfer, the rating at
 * close, waiting-time alerts, the audit log and the staff insights.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chat, webToken, type TestServer } from '../helpers/server';
import { sayWhenSkipped, TEST_STORES, type TestStore } from '../helpers/test-stores';
import { TelegramFake } from '../fakes/telegram-fake';
import { movingClock, WEDNESDAY_10AM } from './clock';
import { addStaffAs, caseIds, loggedIn, openStream } from './staff-client';

const HAC_THANH = '14797';
const HAM_RONG = '14758';

sayWhenSkipped('the staff console (offices, agent tools, ratings, audit log, insights)');

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

async function updates(base: string, chatId: string): Promise<Array<{ text: string; from: string; options?: Array<{ id: string; label: string }> }>> {
  const res = await fetch(`${base}/api/chat/updates?after=0`, { headers: { 'x-chat-id': webToken(chatId) } });
  return ((await res.json()) as { replies: Array<{ text: string; from: string }> }).replies;
}

async function office(store: TestStore, clock = movingClock(WEDNESDAY_10AM), env: Record<string, string> = {}, opts: Record<string, unknown> = {}) {
  server = await store.start(env, { now: clock.now, ...opts });
  await addStaffAs(server, 'lan', 'officer', `communes:${HAC_THANH}`);
  await addStaffAs(server, 'binh', 'officer', `communes:${HAM_RONG}`);
  await addStaffAs(server, 'tinh', 'officer', 'province');
  await addStaffAs(server, 'minh', 'supervisor', 'province');
  await addStaffAs(server, 'quan', 'admin', 'all');
  return { server, clock };
}

describe.each(TEST_STORES)('on $name', (store) => {
  describe.skipIf(!store.available)('routing cases to offices', () => {
    it('routes by place, lets officers see and act only in scope, streams only in-scope events, and lets a supervisor reassign', async () => {
      const { server } = await office(store);
      const [lan, binh, tinh, minh] = [await loggedIn(server.url, 'lan'), await loggedIn(server.url, 'binh'), await loggedIn(server.url, 'tinh'), await loggedIn(server.url, 'minh')];
      const streams = { lan: await openStream(lan), binh: await openStream(binh), minh: await openStream(minh) };
      try {
        await chat(server.url, 'citizen-hac-thanh', { text: 'tôi ở phường Hạc Thành, muốn đăng ký thường trú' });
        const asked = await chat(server.url, 'citizen-hac-thanh', { text: 'gặp cán bộ' });
        expect(asked.replies.at(-1)?.text).toContain('Bạn đang ở vị trí số 1 trong hàng chờ.');
        await chat(server.url, 'citizen-no-place', { text: 'gặp cán bộ' });
        const all = await server.handoff.cases.list();
        const a = all.find((c) => c.chatId === 'citizen-hac-thanh')!;
        const p = all.find((c) => c.chatId === 'citizen-no-place')!;
        expect(a).toMatchObject({ queue: HAC_THANH, place: { code: HAC_THANH }, office: 'commune_police' });
        expect(p.queue).toBe('province');

        // Live: lan and the supervisor hear about A; binh hears nothing about it.
        await streams.lan.next((ev) => ev.some((e) => e.type === 'opened' && e.caseId === a.id));
        await streams.minh.next((ev) => ev.some((e) => e.caseId === a.id) && ev.some((e) => e.caseId === p.id));
        await chat(server.url, 'citizen-ham-rong', { text: 'tôi ở phường Hàm Rồng, muốn đăng ký thường trú' });
        await chat(server.url, 'citizen-ham-rong', { text: 'gặp cán bộ' });
        const b = (await server.handoff.cases.list()).find((c) => c.chatId === 'citizen-ham-rong')!;
        const binhEvents = await streams.binh.next((ev) => ev.some((e) => e.caseId === b.id));
        expect(binhEvents.map((e) => e.caseId)).toEqual([b.id]);

        // Lists per scope.
        expect(caseIds((await lan.get('/staff')).body)).toEqual([a.id]);
        expect(caseIds((await binh.get('/staff')).body)).toEqual([b.id]);
        expect(caseIds((await tinh.get('/staff')).body)).toEqual([p.id]);
        expect(new Set(caseIds((await minh.get('/staff')).body))).toEqual(new Set([a.id, b.id, p.id]));

        // Out of scope: not found, and nothing changes.
        expect((await binh.get(`/staff/cases/${a.id}`)).status).toBe(404);
        expect((await binh.post(`/staff/cases/${a.id}/claim`)).status).toBe(404);
        expect((await binh.get(`/staff/cases/${a.id}/fragment`)).status).toBe(404);
        expect((await binh.get(`/staff/fragments/cases/${a.id}/row`)).status).toBe(204);
        expect((await server.handoff.cases.get(a.id))?.status).toBe('open');

        // lan claims A and hands it to the province; the supervisor gives it back.
        expect((await lan.post(`/staff/cases/${a.id}/claim`)).status).toBe(303);
        expect((await lan.post(`/staff/cases/${a.id}/transfer`, { queue: 'province' })).status).toBe(303);
        expect(await server.handoff.cases.get(a.id)).toMatchObject({ queue: 'province', status: 'open' });
        expect(caseIds((await lan.get('/staff')).body)).toEqual([]);
        expect(caseIds((await tinh.get('/staff')).body)).toContain(a.id);
        expect((await minh.post(`/staff/cases/${a.id}/transfer`, { queue: 'nowhere' })).status).toBe(400);
        expect((await minh.post(`/staff/cases/${a.id}/transfer`, { queue: HAC_THANH })).status).toBe(303);
        expect(caseIds((await lan.get('/staff')).body)).toEqual([a.id]);
        const page = await lan.get(`/staff/cases/${a.id}`);
        expect(page.body).toContain('lan chuyển hồ sơ từ Phường Hạc Thành sang Cấp tỉnh.');
        expect(page.body).toContain('minh chuyển hồ sơ từ Cấp tỉnh sang Phường Hạc Thành.');

        // The supervisor gives it to a named officer who may see it; officers can't assign.
        expect((await minh.post(`/staff/cases/${a.id}/assign`, { user: 'binh' })).status).toBe(400);
        expect((await lan.post(`/staff/cases/${a.id}/assign`, { user: 'lan' })).status).toBe(404);
        expect((await minh.post(`/staff/cases/${a.id}/assign`, { user: 'lan' })).status).toBe(303);
        expect(await server.handoff.cases.get(a.id)).toMatchObject({ status: 'claimed', claimedBy: 'lan' });
        expect((await lan.get(`/staff/cases/${a.id}`)).body).toContain('minh giao hồ sơ cho lan.');
      } finally {
        for (const s of Object.values(streams)) s.close();
      }
    });

    it('pages the list (newest 50 with counts) and searches by text, commune, procedure, state and date', async () => {
      const { server } = await office(store);
      const base = { version: 1 as const, channel: 'web' as const, status: 'open' as const, reason: 'asked' as const, locale: 'vi' as const, answers: [], transcript: [], messages: [], notes: [] };
      const t0 = Date.parse(WEDNESDAY_10AM) - 3600_000;
      for (let i = 0; i < 60; i++) {
        const id = `c-${i.toString(16).padStart(20, '0')}`;
        await server.handoff.cases.create({ ...base, id, chatId: `paged-${i}`, queue: HAC_THANH, place: { code: HAC_THANH, name: 'Phường Hạc Thành' }, openedAt: t0 + i * 1000, updatedAt: t0 + i * 1000, waitingSince: t0 + i * 1000, transcript: [{ id: 't0', at: t0, from: 'user', text: i === 7 ? 'Tôi cần hỏi về giấy khai sinh cho con' : 'xin chào' }] });
      }
      const lan = await loggedIn(server.url, 'lan');
      const first = await lan.get('/staff');
      const ids = caseIds(first.body);
      expect(ids).toHaveLength(50);
      expect(ids[0]).toBe(`c-${(59).toString(16).padStart(20, '0')}`);
      expect(first.body).toContain('Trang 1/2 (60 hồ sơ)');
      expect(first.body).toContain('Chưa nhận: 60');
      expect(caseIds((await lan.get('/staff?page=2')).body)).toHaveLength(10);
      // Text search folds diacritics.
      expect(caseIds((await lan.get('/staff?q=khai+sinh')).body)).toEqual([`c-${(7).toString(16).padStart(20, '0')}`]);
      expect(caseIds((await lan.get(`/staff?commune=${HAM_RONG}`)).body)).toEqual([]);
      expect(caseIds((await lan.get('/staff?state=closed')).body)).toEqual([]);
      expect(caseIds((await lan.get('/staff?from=2030-01-01')).body)).toEqual([]);
      expect(caseIds((await lan.get('/staff?flow=khai-sinh')).body)).toEqual([]);
      // A row on its own, for console.js.
      const row = await lan.get(`/staff/fragments/cases/${ids[0]}/row`);
      expect(row.body).toMatch(/^<tr data-case="c-0+3b"/);
    });
  });

  describe.skipIf(!store.available)('agent tools and closing', () => {
    it('shows the Zalo OA window before a reply: free, billed (only with the officer’s confirmation), then impossible with the send button off and refused by the server', async () => {
      const clock = movingClock(WEDNESDAY_10AM);
      const { server } = await office(store, clock);
      const at = clock.now();
      const id = 'c-00000000000000000a10';
      await server.handoff.cases.create({ version: 1, id, channel: 'zalo-oa', chatId: '5550001', status: 'open', reason: 'asked', locale: 'vi', answers: [], transcript: [{ id: 't0', at, from: 'user', text: 'gặp cán bộ' }], messages: [], notes: [], queue: HAC_THANH, place: { code: HAC_THANH, name: 'Phường Hạc Thành' }, openedAt: at, updatedAt: at, waitingSince: at });
      // Days pass: log in afresh each time (sessions last 12 hours).
      const badge = async () => /<p id="zalo-window"><span class="badge ([a-z-]+)">([^<]+)<\/span>/.exec((await (await loggedIn(server.url, 'lan')).get(`/staff/cases/${id}`)).body)?.slice(1);
      expect(await badge()).toEqual(['free', expect.stringContaining('miễn phí')]);
      clock.advance(3 * 24 * 3600_000);
      expect(await badge()).toEqual(['billed', expect.stringContaining('có tính phí')]);
      // A billed reply needs the officer's confirmation, on the page and on the server.
      const lan = await loggedIn(server.url, 'lan');
      expect((await lan.get(`/staff/cases/${id}`)).body).toContain('name="billed_ok" value="1" required');
      const unconfirmed = await lan.post(`/staff/cases/${id}/reply`, { text: 'Hồ sơ của bạn đã có kết quả.' });
      expect(unconfirmed.status).toBe(400);
      expect(unconfirmed.body).toContain('Chưa gửi: tin này bị Zalo tính phí cho OA.');
      expect(unconfirmed.body).toContain('Hồ sơ của bạn đã có kết quả.</textarea>');
      expect((await server.handoff.cases.get(id))?.messages).toEqual([]);
      expect((await lan.post(`/staff/cases/${id}/reply`, { text: 'Hồ sơ của bạn đã có kết quả.', billed_ok: '1' })).status).toBe(303);
      expect((await server.handoff.cases.get(id))?.messages.map((m) => [m.from, m.text])).toEqual([['staff', 'Hồ sơ của bạn đã có kết quả.']]);
      clock.advance(5 * 24 * 3600_000);
      expect(await badge()).toEqual(['closed-window', expect.stringContaining('không gửi được')]);
      const late = await loggedIn(server.url, 'lan');
      expect((await late.get(`/staff/cases/${id}`)).body).toMatch(/<button type="submit" disabled>Gửi trả lời<\/button>/);
      // Past 7 days the server refuses too (a form posted from an old page, a script).
      expect((await late.post(`/staff/cases/${id}/reply`, { text: 'Bạn còn cần hỗ trợ không?', billed_ok: '1' })).status).toBe(409);
      expect((await server.handoff.cases.get(id))?.messages).toHaveLength(1);
    });

    it('fills canned replies, keeps notes private, asks for a rating at close, and shows it in the audit log and insights', async () => {
      const { server } = await office(store);
      await chat(server.url, 'citizen-rating-1', { text: 'tôi ở phường Hạc Thành, muốn đăng ký thường trú' });
      await chat(server.url, 'citizen-rating-1', { text: 'gặp cán bộ' });
      const [a] = await server.handoff.cases.list();

      // Only admins edit canned replies.
      const lan = await loggedIn(server.url, 'lan');
      expect((await lan.post('/staff/canned', { office: HAC_THANH, title: 'Lịch hẹn', text: 'x' })).status).toBe(403);
      const quan = await loggedIn(server.url, 'quan');
      await quan.get('/staff/canned');
      expect((await quan.post('/staff/canned', { office: HAC_THANH, title: 'Hẹn nộp hồ sơ', text: 'Chào {ten}, mời anh/chị mang hồ sơ {thu_tuc} đến Công an {xa}. Mã hồ sơ: {ma_ho_so}.' })).status).toBe(303);
      expect((await quan.post('/staff/canned', { office: 'nowhere', title: 'x', text: 'y' })).status).toBe(400);
      const [reply] = await server.handoff.canned.list(HAC_THANH);

      const casePage = await lan.get(`/staff/cases/${a!.id}?canned=${reply!.id}`);
      const draft = /<textarea id="reply"[^>]*>([^<]*)<\/textarea>/.exec(casePage.body)?.[1];
      expect(draft).toBe(`Chào anh/chị, mời anh/chị mang hồ sơ Đăng ký cư trú (thường trú, tạm trú) đến Công an Phường Hạc Thành. Mã hồ sơ: ${a!.id}.`);
      expect((await lan.post(`/staff/cases/${a!.id}/reply`, { text: draft! })).status).toBe(303);
      expect((await lan.post(`/staff/cases/${a!.id}/note`, { text: 'Đã gọi điện xác nhận, chờ bổ sung giấy tờ.' })).status).toBe(303);
      expect((await lan.post(`/staff/cases/${a!.id}/note`, { text: '   ' })).status).toBe(400);
      expect((await lan.get(`/staff/cases/${a!.id}`)).body).toContain('Đã gọi điện xác nhận, chờ bổ sung giấy tờ.');
      expect((await lan.post(`/staff/cases/${a!.id}/close`)).status).toBe(303);
      await server.pipeline.drain();

      const seen = await updates(server.url, 'citizen-rating-1');
      expect(seen.map((r) => r.text).join('\n')).not.toContain('Đã gọi điện xác nhận');
      expect(seen.filter((r) => r.from === 'staff').map((r) => r.text)).toEqual([draft]);
      const question = seen.at(-1)!;
      expect(question.text).toContain('đánh giá');
      expect(question.options?.map((o) => o.id)).toEqual(['rate:1', 'rate:2', 'rate:3', 'rate:4', 'rate:5']);

      const rated = await chat(server.url, 'citizen-rating-1', { choice: 'rate:5' });
      expect(rated.replies[0]?.text).toContain('Cảm ơn anh/chị đã đánh giá');
      const commented = await chat(server.url, 'citizen-rating-1', { text: 'Cán bộ trả lời nhanh, dễ hiểu' });
      expect(commented.replies[0]?.text).toContain('Cảm ơn anh/chị');
      expect((await server.handoff.cases.get(a!.id))?.rating).toMatchObject({ score: 5, comment: 'Cán bộ trả lời nhanh, dễ hiểu' });
      // The chat is the bot's again.
      expect((await chat(server.url, 'citizen-rating-1', { text: 'menu' })).replies.at(-1)?.options?.length).toBeGreaterThan(0);

      // Audit log: supervisors only; every action with who and which case.
      expect((await lan.get('/staff/audit')).status).toBe(404);
      expect((await lan.get('/staff/audit.csv')).status).toBe(403);
      const minh = await loggedIn(server.url, 'minh');
      const audit = await minh.get('/staff/audit');
      expect(audit.status).toBe(200);
      const actions = [...audit.body.matchAll(/<tr data-action="([a-z_]+)">/g)].map((m) => m[1]);
      for (const action of ['login', 'canned_save', 'reply', 'note', 'close']) expect(actions).toContain(action);
      const csv = await minh.get('/staff/audit.csv?days=7');
      const rows = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(rows[0]).toBe('"at","by","action","case","detail"');
      expect(rows).toContainEqual(expect.stringMatching(new RegExp(`^"[^"]+","lan","close","${a!.id}",""$`)));
      expect((await minh.get('/staff/audit')).body).toContain('<td>Tải dữ liệu</td>');

      // Insights: satisfaction per office and week, response times, CSV.
      const insights = await minh.get('/staff/insights?days=7');
      expect(insights.body).toMatch(/<td>Phường Hạc Thành<\/td><td>2026-W48<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">5\.00<\/td>/);
      const staffCsv = await minh.get('/staff/insights.csv?report=staff&days=7');
      expect(staffCsv.body).toContain(`"${HAC_THANH}","Phường Hạc Thành","2026-W48",1,1,5`);
      expect(staffCsv.body).toMatch(/"first_reply",1,\d/);
    });

    it('highlights and alerts a case waiting past CASE_SLA_MINUTES, again each period, and tells a staff Telegram group', async () => {
      const fake = await TelegramFake.start();
      try {
        const clock = movingClock(WEDNESDAY_10AM);
        const { server } = await office(store, clock, { CASE_SLA_MINUTES: '10', TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_WEBHOOK_SECRET: 'staff-alerts_secret-1_0123456789abcdef', TELEGRAM_API_ROOT: fake.url, STAFF_TELEGRAM_CHAT_ID: '-1001234567' }, { retry: { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 20, maxRetryAfterMs: 1000 } });
        const lan = await loggedIn(server.url, 'lan');
        const stream = await openStream(lan);
        try {
          await chat(server.url, 'citizen-sla-1', { text: 'tôi ở phường Hạc Thành, muốn đăng ký thường trú' });
          await chat(server.url, 'citizen-sla-1', { text: 'gặp cán bộ' });
          const [a] = await server.handoff.cases.list();
          // The group message is queued right after the case event; wait for it to go out.
          await vi.waitFor(async () => {
            await server.pipeline.drain();
            expect(fake.sent('-1001234567').map((m) => m.text)).toEqual([expect.stringContaining(`Hồ sơ mới ${a!.id} — Phường Hạc Thành`)]);
          }, { timeout: 10_000 });
          // The group line names the office and topic, never the citizen's words.
          expect(fake.sent('-1001234567')[0]!.text).not.toContain('muốn đăng ký');

          expect(await server.handoff.alerts.check()).toEqual([]);
          clock.advance(11 * 60_000);
          expect(await server.handoff.alerts.check()).toEqual([a!.id]);
          await stream.next((ev) => ev.some((e) => e.type === 'sla' && e.caseId === a!.id));
          expect(await server.handoff.alerts.check()).toEqual([]);
          expect((await lan.get('/staff')).body).toMatch(new RegExp(`<tr data-case="${a!.id}" data-status="open" class="overdue">`));
          clock.advance(10 * 60_000);
          expect(await server.handoff.alerts.check()).toEqual([a!.id]);
          await vi.waitFor(async () => {
            await server.pipeline.drain();
            expect(fake.sent('-1001234567').filter((m) => m.text.includes('chờ quá hạn'))).toHaveLength(2);
          }, { timeout: 10_000 });
          // Answered: no more alerts.
          await lan.post(`/staff/cases/${a!.id}/reply`, { text: 'Chào anh/chị' });
          clock.advance(30 * 60_000);
          expect(await server.handoff.alerts.check()).toEqual([]);
        } finally {
          stream.close();
        }
      } finally {
        await server?.dispose();
        server = undefined;
        await fake.close();
      }
    });
  });
});
