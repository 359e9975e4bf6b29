/**
 * Fills a data directory with chat files directly (no store, no server), fast enough for tens
 * of thousands: the no-freeze test and `npm run bench -- sweep` use it. Each record is valid
 * (ChatRecord) and sized like a real one after a few turns (~2 KB of transcript and mailbox).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeId } from '../../src/store/lowdb/lowdb-store';
import { emptyRecord, type ChatRecord } from '../../src/store/store';

export interface SyntheticChats {
  count: number;
  /** Time of every item in chat i (old ones trigger retention). */
  at(i: number): number;
  prefix?: string;
}

export function syntheticRecord(chatId: string, at: number): ChatRecord {
  const record = emptyRecord({ channel: 'web', chatId }, at);
  for (let t = 0; t < 6; t++) record.transcript.push({ at: at + t, from: t % 2 ? 'bot' : 'user', text: t % 2 ? 'Để làm căn cước, bạn cần chuẩn bị giấy tờ sau đây…' : 'làm căn cước ở đâu' });
  record.channelState = { mailbox: Array.from({ length: 3 }, (_, s) => ({ seq: s + 1, at: at + s, from: 'bot', reply: { text: 'Bạn muốn làm thủ tục nào?', options: [{ id: 'a', label: 'Căn cước' }] } })) };
  record.seen = { [`m-${chatId}`]: at };
  return record;
}

export async function writeSyntheticChats(dataDir: string, spec: SyntheticChats): Promise<void> {
  const folder = path.join(dataDir, 'chats', 'web');
  await mkdir(folder, { recursive: true });
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < spec.count; i = next++) {
      const chatId = `${spec.prefix ?? 'synthetic'}-${i}`;
      await writeFile(path.join(folder, `${encodeId(chatId)}.json`), JSON.stringify(syntheticRecord(chatId, spec.at(i))));
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}
