import { afterEach, describe, expect, it } from 'vitest';
import { csvCell } from '../../src/handoff/insights';
import { escapeHtml } from '../../src/handoff/views/html';
import { chat, type TestServer } from '../helpers/server';
import { sayWhenSkipped, TEST_STORES } from '../helpers/test-stores';
import { movingClock, WEDNESDAY_10AM } from './clock';
import { addStaff, loggedIn, openStream } from './staff-client';

sayWhenSkipped('the staff console live updates and insights');

describe.each(TEST_STORES)('on $name', (store) => {
  describe.skipIf(!store.available)('staff console live updates and insights', () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.dispose();
      server = undefined;
    });

    it('streams new cases and new citizen messages to a logged-in console', async () => {
      server = await store.start({}, { now: movingClock(WEDNESDAY_10AM).now });
      await addStaff(server, 'anna');
      const anna = await loggedIn(server.url, 'anna');
      const stream = await openStream(anna);
      try {
        expect(stream.res.headers.get('content-type')).toContain('text/event-stream');
        await chat(server.url, 'live-chat-1', { text: 'gặp nhân viên' });
        const [c] = await server.handoff.cases.list();
        await stream.next((events) => events.some((e) => e.type === 'opened' && e.caseId === c!.id));
        await chat(server.url, 'live-chat-1', { text: 'Alo, có ai không?' });
        await stream.next((events) => events.some((e) => e.type === 'message' && e.caseId === c!.id));
        // The fragment the console script swaps in has the new message, escaped by the server.
        const fragment = await anna.get(`/staff/cases/${c!.id}/fragment`);
        expect(fragment.body).toContain('Alo, có ai không?');
        const list = await anna.get('/staff/fragments/cases');
        expect(list.body).toContain(`data-case="${c!.id}"`);
      } finally {
        stream.close();
      }
    });

    it('shows editors unmatched questions (masked), where flows are abandoned, handoff reasons and messages per channel, with CSV', async () => {
      const clock = movingClock(WEDNESDAY_10AM);
      server = await store.start({}, { now: clock.now });
      await addStaff(server, 'anna');
      await chat(server.url, 'insights-1', { text: 'xyzzy gọi 0912 345 678' });
      await chat(server.url, 'insights-2', { text: 'Xyzzy gọi 0912.345.678' });
      await chat(server.url, 'insights-3', { text: '=HYPERLINK("http://evil.example")' });
      await chat(server.url, 'insights-4', { text: 'làm căn cước' });
      await chat(server.url, 'insights-4', { text: '1' });
      await chat(server.url, 'insights-5', { text: 'gặp cán bộ' });
      // Citizen 4 stops answering; after the idle time the run counts as abandoned where they were.
      const stuck = (await server.store.chats.read({ channel: 'web', chatId: 'insights-4' }))!.session!.flow!;
      const flow = server.content.current().flows.get(stuck.id)!;
      const question = (flow.nodes[stuck.node] as { ask: { vi: string } }).ask.vi;
      clock.advance(31 * 60_000);
      // Analytics hooks run beside delivery; drain waits for them.
      await server.pipeline.drain();

      const anna = await loggedIn(server.url, 'anna');
      const page = await anna.get('/staff/insights');
      expect(page.status).toBe(200);
      expect(page.body).toContain('<td>xyzzy goi 09 78</td>');
      for (const leaked of ['0912 345 678', '0912.345.678', '345 678', '345.678']) expect(page.body).not.toContain(leaked);
      expect(page.body).toContain(escapeHtml(question));
      // Each missed question comes with the line an editor pastes into the phrase bank.
      expect(page.body).toContain(escapeHtml('- { q: "Xyzzy gọi 09••••••78", expect: "?", kind: flow, source: insights 2026-11-25 }'));

      const unmatched = await anna.get('/staff/insights.csv?report=unmatched&days=7');
      expect(unmatched.headers.get('content-type')).toContain('text/csv');
      const rows = unmatched.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(rows[0]).toBe('"query","latest_wording","count","last_seen"');
      expect(rows).toContainEqual(expect.stringMatching(/^"xyzzy goi 09 78","Xyzzy gọi 09••••••78",2,"2026-11-25T/));
      // A cell that a spreadsheet would run as a formula is neutralised.
      expect(rows).toContainEqual(expect.stringContaining(`"'=HYPERLINK(""http://evil.example"")"`));

      const abandon = await anna.get('/staff/insights.csv?report=abandon');
      expect(abandon.body).toContain(`${csvCell(stuck.id)},${csvCell(flow.title.vi)},${csvCell(stuck.node)},${csvCell(question)},1`);
      const handoff = await anna.get('/staff/insights.csv?report=handoff');
      expect(handoff.body).toContain('"asked",1');
      const messages = await anna.get('/staff/insights.csv?report=messages');
      expect(messages.body).toContain('"day","web","telegram","zalo-bot","zalo-oa","total"');
      expect(messages.body).toContain('"2026-11-25",6,0,0,0,6');
      expect((await anna.get('/staff/insights.csv?report=nope')).status).toBe(400);
    });
  });
});
