/**
 * Many messages at once: two chats sending ten messages each, all in flight together. Each chat's
 * messages must be handled in arrival order with its replies kept together, each HTTP answer
 * must carry the replies to its own message, and the chat files must be whole JSON on disk.
 */
import type { FileStore } from '../../src/store/lowdb/index';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailboxOf } from '../../src/channels/web/web-channel';
import { ChatRecord } from '../../src/store/store';
import { startTestServer, type TestServer } from '../helpers/server';

// Distinct things a citizen might type, so each line of the transcript names its message.
const MESSAGES = ['xin chào', 'làm căn cước', '1', 'quay lại', 'đăng ký khai sinh', 'trợ giúp', 'tạm trú', 'menu', '2', 'English'];
const CHATS = ['parallel-chat-a', 'parallel-chat-b'];

interface Sent {
  chatId: string;
  messageId: string;
  text: string;
  status: number;
  replies: Array<{ text: string }>;
}

let server: TestServer;
let sent: Sent[];

beforeAll(async () => {
  server = await startTestServer();
  // All twenty requests are in flight at the same time (one connection each).
  sent = await Promise.all(
    CHATS.flatMap((chatId) =>
      MESSAGES.map(async (text, i): Promise<Sent> => {
        const messageId = `m${String(i).padStart(2, '0')}`;
        const res = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chatId, text, messageId }) });
        const body = (await res.json()) as { replies?: Array<{ text: string }> };
        return { chatId, messageId, text, status: res.status, replies: body.replies ?? [] };
      }),
    ),
  );
});
afterAll(async () => {
  await server.dispose();
});

async function storedRecord(chatId: string): Promise<ChatRecord> {
  await (server.store as FileStore).checkpoint();
  const raw = await readFile(path.join(server.dataDir, 'chats', 'web', `${chatId}.json`), 'utf8');
  return ChatRecord.parse(JSON.parse(raw)) as ChatRecord;
}

describe('two chats sending ten messages each at the same time', () => {
  it('answers every message with 200 and at least one reply', () => {
    expect(sent.map((s) => s.status)).toEqual(sent.map(() => 200));
    for (const s of sent) expect(s.replies.length, `${s.chatId} "${s.text}"`).toBeGreaterThan(0);
  });

  it.each(CHATS)('handles the messages of %s one at a time, in the order they arrived', async (chatId) => {
    const record = await storedRecord(chatId);
    const users = record.transcript.filter((l) => l.from === 'user');
    expect(users.map((l) => l.text).sort()).toEqual([...MESSAGES].sort());
    // The transcript holds each message's arrival time; processing order must not go back in time.
    const arrivals = users.map((l) => l.at);
    expect(arrivals).toEqual([...arrivals].sort((a, b) => a - b));
    expect(record.inbox).toEqual([]);
    expect(record.outbox).toEqual([]);
  });

  it.each(CHATS)('keeps the replies of each message of %s together and gives each request its own replies', async (chatId) => {
    const record = await storedRecord(chatId);
    const box = mailboxOf(record.channelState);
    expect(box.map((m) => m.seq)).toEqual(box.map((_, i) => box[0]!.seq + i));
    // Mailbox items name the message they answer; a message's replies must form one run.
    const runs: string[] = [];
    for (const item of box) if (runs.at(-1) !== item.inboundId) runs.push(item.inboundId ?? '');
    expect(new Set(runs).size).toBe(runs.length);
    expect(runs).toHaveLength(MESSAGES.length);

    // The order of the runs is the order of the transcript, and each HTTP answer is its run.
    const transcriptOrder = record.transcript.filter((l) => l.from === 'user').map((l) => l.text);
    const byMessageId = new Map(sent.filter((s) => s.chatId === chatId).map((s) => [s.messageId, s]));
    const runTexts = runs.map((inboundId) => byMessageId.get(inboundId.slice(inboundId.lastIndexOf('-') + 1))?.text);
    expect(runTexts).toEqual(transcriptOrder);
    for (const inboundId of runs) {
      const request = byMessageId.get(inboundId.slice(inboundId.lastIndexOf('-') + 1))!;
      expect(request.replies.map((r) => r.text)).toEqual(box.filter((m) => m.inboundId === inboundId).map((m) => m.reply.text));
    }
  });

  it('keeps each chat in its own file under DATA_DIR/chats/web with no temporary files left', async () => {
    const names = await readdir(path.join(server.dataDir, 'chats', 'web'));
    expect(names.sort()).toEqual(CHATS.map((c) => `${c}.json`).sort());
    for (const chatId of CHATS) {
      const record = await storedRecord(chatId);
      expect(record).toMatchObject({ version: 1, channel: 'web', chatId });
      expect(record.session?.version).toBe(1);
    }
    const pending = await readdir(path.join(server.dataDir, 'pending'));
    expect(pending).toEqual([]);
  });
});
