/**
 * A citizen's whole conversation through POST /api/chat on the real server (real HTTP on
 * loopback, real lowdb files in a temp DATA_DIR), including a server restart in the middle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFileStore } from '../../src/store/lowdb/index';
import { acceptInbound } from '../../src/pipeline/inbox';
import { chat, startTestServer, type TestServer } from '../helpers/server';

type Replies = Awaited<ReturnType<typeof chat>>['replies'];

/** The option whose label contains `label`; fails the test with the labels on offer when absent. */
function optionId(replies: Replies, label: string): string {
  const options = replies.flatMap((r) => r.options ?? []);
  const found = options.find((o) => o.label.includes(label));
  if (!found) throw new Error(`no option containing "${label}" in ${JSON.stringify(options.map((o) => o.label))}`);
  return found.id;
}
const allText = (replies: Replies) => replies.map((r) => r.text).join('\n');

describe('a citizen asking where to get an ID card, over /api/chat', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('walks from the menu to the documents, fee, commune police and the online link', async () => {
    server = await startTestServer();
    const id = 'citizen-whole-flow';

    const menu = await chat(server.url, id);
    expect(menu.replies[0]?.text).toContain('Xin chào');
    expect(menu.replies.at(-1)?.options?.map((o) => o.label)).toContain('Giấy tờ tùy thân');

    // Typed without diacritics, the way many people type on a phone.
    const who = await chat(server.url, id, { text: 'lam can cuoc o dau' });
    expect(who.replies.at(-1)?.text).toBe('Thủ tục: Thẻ căn cước (CCCD).\nBạn làm thẻ căn cước cho ai?');

    // "1" picks the first numbered option…
    const what = await chat(server.url, id, { text: '1' });
    expect(what.replies.at(-1)?.text).toBe('Bạn cần làm gì?');

    // …and a button sends the option id it was given.
    const where = await chat(server.url, id, { choice: optionId(what.replies, 'Làm lần đầu') });
    expect(allText(where.replies)).toContain('xã hoặc phường nào');
    expect(where.replies.at(-1)?.options ?? []).toEqual([]);

    const answer = await chat(server.url, id, { text: 'phuong hac thanh' });
    const text = allText(answer.replies);
    expect(text).toContain('Đơn vị hành chính của bạn: phường Hạc Thành.');
    expect(text).toContain('Giấy tờ cần chuẩn bị:');
    expect(text).toContain('Lệ phí:');
    expect(text).toContain('Thời gian giải quyết:');
    expect(text).toContain('Công an phường Hạc Thành');
    const links = answer.replies.flatMap((r) => r.links ?? []);
    expect(links.some((l) => /^https:\/\/dichvucong\.gov\.vn(\/|$)/.test(l.url))).toBe(true);
    expect(answer.replies.at(-1)?.options?.map((o) => o.id)).toContain('cmd:menu');
  });

  it('continues the same flow after the server restarts on the same data directory', async () => {
    server = await startTestServer();
    const id = 'citizen-restart';
    await chat(server.url, id, { text: 'làm căn cước' });
    await chat(server.url, id, { text: '1' });
    const what = await chat(server.url, id, { text: '3' });
    expect(allText(what.replies)).toContain('xã hoặc phường nào');

    server = await server.restart();

    // The place question asked before the restart is the one answered after it: the lost-card
    // procedure (3 = "Cấp lại") at the typed commune.
    const answer = await chat(server.url, id, { text: 'Hạc Thành' });
    const text = allText(answer.replies);
    expect(text).toContain('Công an phường Hạc Thành');
    expect(text).toMatch(/Cấp lại thẻ căn cước/i);
    const history = (await (await fetch(`${server.url}/api/chat/history?chatId=${id}`)).json()) as { messages: Array<{ from: string; text: string }> };
    expect(history.messages.filter((m) => m.from === 'user').map((m) => m.text)).toEqual(['làm căn cước', '1', '3', 'Hạc Thành']);
  });

  it('answers a message that was accepted just before a crash once the server is back', async () => {
    server = await startTestServer();
    const dataDir = server.dataDir;
    const id = 'citizen-crash';
    await chat(server.url, id, { text: 'đăng ký khai sinh' });
    await server.close();

    // What the crashed process had done: the durable inbox write, not the processing.
    const store = await createFileStore(dataDir);
    const accepted = await acceptInbound(store.chats, { channel: 'web', chatId: id, dedupeKey: 'before-crash', input: { kind: 'text', value: 'menu' }, receivedAt: Date.now() }, Date.now());
    expect(accepted.status).toBe('accepted');
    expect(await store.chats.pending()).toEqual([{ channel: 'web', chatId: id }]);
    await store.close();

    server = await startTestServer({}, { dataDir });
    await server.pipeline.drain();
    const updates = (await (await fetch(`${server.url}/api/chat/updates?chatId=${id}&after=0`)).json()) as { replies: Replies };
    expect(updates.replies.at(-1)?.options?.map((o) => o.label)).toContain('Giấy tờ tùy thân');
    expect(await server.store.chats.pending()).toEqual([]);
  });
});
