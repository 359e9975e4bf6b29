import { afterEach, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/handoff/views/html';
import { engineHandler } from '../../src/pipeline/worker';
import { chat, webToken, type TestServer } from '../helpers/server';
import { sayWhenSkipped, TEST_STORES } from '../helpers/test-stores';
import { FRIDAY_6PM, movingClock, WEDNESDAY_10AM } from './clock';
import { addStaff, caseIds, loggedIn } from './staff-client';

async function updates(base: string, chatId: string): Promise<Array<{ text: string; from: string }>> {
  const res = await fetch(`${base}/api/chat/updates?after=0`, { headers: { 'x-chat-id': webToken(chatId) } });
  return ((await res.json()) as { replies: Array<{ text: string; from: string }> }).replies;
}

sayWhenSkipped('the handoff case lifecycle');

describe.each(TEST_STORES)('on $name', (store) => {
  describe.skipIf(!store.available)('handoff case lifecycle through the web chat', () => {
    let server: TestServer | undefined;
    afterEach(async () => {
      await server?.dispose();
      server = undefined;
    });

    it('opens a case with the answers so far, routes the citizen to staff, delivers the reply and gives the chat back on close', async () => {
      const clock = movingClock(WEDNESDAY_10AM);
      server = await store.start({}, { now: clock.now });
      await addStaff(server, 'anna');
      const chatId = 'lifecycle-chat-1';

      await chat(server.url, chatId, { text: 'làm căn cước' });
      await chat(server.url, chatId, { text: '1' });
      const asked = await chat(server.url, chatId, { text: 'gặp cán bộ' });
      expect(asked.replies.map((r) => r.text)).toEqual([
        'Tôi đã chuyển cuộc trò chuyện cho cán bộ hỗ trợ. Cán bộ sẽ trả lời bạn ngay tại đây. Gõ "quay lại bot" nếu bạn muốn tiếp tục với trợ lý tự động.',
        'Bạn đang ở vị trí số 1 trong hàng chờ. Cán bộ sẽ trả lời bạn trong ít phút.',
      ]);

      const [opened] = await server.handoff.cases.list();
      const c = await server.handoff.cases.get(opened!.id);
      expect(c).toMatchObject({ status: 'open', channel: 'web', chatId, reason: 'asked', flow: { id: 'can-cuoc' } });
      // What staff must see is what the flow asked and what the citizen picked (read from the content).
      const flow = server.content.current().flows.get('can-cuoc')!;
      const firstQuestion = flow.nodes[flow.start] as { ask: { vi: string }; options: Array<{ label: { vi: string } }> };
      expect(c!.answers).toEqual([{ node: flow.start, question: firstQuestion.ask.vi, answer: firstQuestion.options[0]!.label.vi }]);
      expect(c!.transcript.map((l) => l.text)).toContain('làm căn cước');
      expect((await server.store.chats.read({ channel: 'web', chatId }))?.caseId).toBe(opened!.id);

      // While the case is open the engine stays silent; the first message gets an acknowledgement.
      const first = await chat(server.url, chatId, { text: 'Tôi mất thẻ cũ rồi, cần mang gì?' });
      expect(first.replies.map((r) => r.text)).toEqual(['Cán bộ hỗ trợ đã nhận được tin nhắn của bạn và sẽ trả lời ngay tại đây.']);
      const second = await chat(server.url, chatId, { text: 'menu đâu rồi nhỉ 1' });
      expect(second.replies).toEqual([]);

      const anna = await loggedIn(server.url, 'anna');
      const list = await anna.get('/staff');
      expect(caseIds(list.body)).toEqual([opened!.id]);
      expect(list.body).toContain(escapeHtml(flow.title.vi));

      expect((await anna.post(`/staff/cases/${opened!.id}/claim`)).status).toBe(303);
      const page = await anna.get(`/staff/cases/${opened!.id}`);
      expect(page.body).toContain('anna đang xử lý');
      expect(page.body).toContain('Tôi mất thẻ cũ rồi, cần mang gì?');
      expect(page.body).toContain(escapeHtml(firstQuestion.options[0]!.label.vi));

      const replied = await anna.post(`/staff/cases/${opened!.id}/reply`, { text: 'Chào bạn, bạn mang theo giấy khai sinh nhé.' });
      expect(replied).toMatchObject({ status: 303, location: `/staff/cases/${opened!.id}` });
      await server.pipeline.drain();
      expect((await updates(server.url, chatId)).filter((r) => r.from === 'staff').map((r) => r.text)).toEqual(['Chào bạn, bạn mang theo giấy khai sinh nhé.']);
      expect((await server.handoff.cases.get(opened!.id))?.waitingSince).toBeUndefined();

      expect((await anna.post(`/staff/cases/${opened!.id}/close`)).status).toBe(303);
      await server.pipeline.drain();
      const after = await updates(server.url, chatId);
      expect(after.at(-2)).toMatchObject({ from: 'system', text: expect.stringContaining('Cán bộ hỗ trợ đã kết thúc cuộc trò chuyện') });
      // Then the rating question with five buttons; the chat points at the closed case until it is answered or ignored.
      expect(after.at(-1)).toMatchObject({ from: 'system', text: expect.stringContaining('đánh giá') });
      const record = await server.store.chats.read({ channel: 'web', chatId });
      expect(record?.caseId).toBe(opened!.id);
      expect(record?.session?.handoff).toBeUndefined();
      expect(await server.handoff.cases.get(opened!.id)).toMatchObject({ status: 'closed', closedBy: { kind: 'staff', user: 'anna' } });

      // Back with the bot: the engine answers again.
      const back = await chat(server.url, chatId, { text: 'làm căn cước' });
      expect(back.replies.at(-1)?.options?.length).toBeGreaterThan(0);
      expect(back.replies.map((r) => r.text).join('\n')).not.toContain('Cán bộ hỗ trợ đã nhận');
      expect(await server.handoff.cases.list()).toHaveLength(1);
      expect((await server.handoff.cases.get(opened!.id))?.rating).toBeUndefined();
      expect((await server.store.chats.read({ channel: 'web', chatId }))?.caseId).toBeUndefined();
    });

    it('tells a citizen outside office hours when the office opens', async () => {
      server = await store.start({}, { now: movingClock(FRIDAY_6PM).now });
      const asked = await chat(server.url, 'after-hours-1', { text: 'nói chuyện với người thật' });
      expect(asked.replies.at(-1)?.text).toBe('Bạn đang ở vị trí số 1 trong hàng chờ. Hiện đang ngoài giờ làm việc. Cán bộ sẽ trả lời bạn khi văn phòng mở cửa lúc 7:30 thứ Hai.');
    });

    it('ends the handoff when the citizen types "quay lại bot" and marks the case closed by the citizen', async () => {
      server = await store.start({}, { now: movingClock(WEDNESDAY_10AM).now });
      await chat(server.url, 'citizen-ends-1', { text: 'gap can bo' });
      const [c] = await server.handoff.cases.list();
      const back = await chat(server.url, 'citizen-ends-1', { text: 'Quay lai bot' });
      expect(back.replies[0]?.text).toBe('Bạn đã quay lại với trợ lý tự động.');
      expect(back.replies[1]?.options?.length).toBeGreaterThan(0);
      expect(await server.handoff.cases.get(c!.id)).toMatchObject({ status: 'closed', closedBy: { kind: 'citizen' } });
      expect((await server.store.chats.read({ channel: 'web', chatId: 'citizen-ends-1' }))?.session?.handoff).toBeUndefined();
    });

    it('records "misses" as the reason when the citizen accepts the offer made after repeated misses', async () => {
      server = await store.start({}, { now: movingClock(WEDNESDAY_10AM).now });
      const chatId = 'misses-chat-1';
      let last = await chat(server.url, chatId, { text: 'xyzzy plugh' });
      for (const text of ['qwerty asdf', 'zxcv bnm']) last = await chat(server.url, chatId, { text });
      const offer = last.replies.at(-1)!;
      const accept = offer.options!.find((o) => o.id === 'cmd:handoff')!;
      await chat(server.url, chatId, { choice: accept.id });
      const [c] = await server.handoff.cases.list();
      expect(c).toMatchObject({ reason: 'misses', status: 'open' });
    });

    it('keeps one case when the same inbox entry is handled again after a crash before the chat commit', async () => {
      server = await store.start({}, { now: movingClock(WEDNESDAY_10AM).now });
      const chatId = 'replay-chat-1';
      await chat(server.url, chatId, { text: 'làm khai sinh' });
      const stored = (await server.store.chats.read({ channel: 'web', chatId }))!;
      const handler = server.handoff.wrap(engineHandler(() => server!.content.current(), 'vi'));
      const opened: string[] = [];
      server.handoff.events.subscribe((e) => e.type === 'opened' && opened.push(e.caseId));
      const entry = { id: 'entry-replayed-1', input: { kind: 'text' as const, value: 'gặp cán bộ' }, receivedAt: Date.now() };

      const firstRun = structuredClone(stored);
      const first = await handler(firstRun, entry, Date.now());
      // The crash: firstRun is never committed, so the replay starts from the stored record again.
      const replay = structuredClone(stored);
      const second = await handler(replay, entry, Date.now());

      const cases = await server.handoff.cases.list();
      expect(cases).toHaveLength(1);
      expect(replay.caseId).toBe(cases[0]!.id);
      expect(second.session?.handoff?.caseId).toBe(first.session?.handoff?.caseId);
      expect(second.replies.map((r) => r.text)).toEqual(first.replies.map((r) => r.text));
      // On PostgreSQL live events come back over LISTEN/NOTIFY, after the handler returned: wait
      // (bounded by attempts) for the opening and for a marker sent after both runs.
      const marks: string[] = [];
      server.handoff.events.subscribe((e) => e.caseId === 'marker-after-replay' && marks.push(e.caseId));
      server.handoff.events.emit({ type: 'message', caseId: 'marker-after-replay', at: 0 });
      for (let i = 0; i < 500 && (opened.length === 0 || marks.length === 0); i++) await new Promise((r) => setTimeout(r, 10));
      expect(opened).toEqual([cases[0]!.id]);
    });
  });
});
