/**
 * Zalo OA customer-service ("tư vấn") messaging window, 2026 rules (docs/refs/zalo-2026.md §4.2,
 * from the official "điều kiện gửi tin tư vấn" page): since 1 Jan 2026 a CS message within 48 h
 * of the citizen's last interaction is free and unlimited; from 48 h to 7 days it is still
 * delivered but billed to the OA; after 7 days it is refused (-230/-232) and only a paid ZBS
 * template can reach the citizen. Pure, so the staff case page can show it before a reply.
 */
import type { ChatRecord } from '../../store/store';

export const FREE_WINDOW_MS = 48 * 3600_000;
export const BILLED_WINDOW_MS = 7 * 24 * 3600_000;

export type ZaloWindowState = 'free' | 'billed' | 'impossible';

export interface ZaloWindow {
  state: ZaloWindowState;
  /** Vietnamese, for the staff case page. */
  reason: string;
  /** When the state changes next (ms), if it does. */
  until?: number;
}

export function zaloWindow(lastCitizenMessageAt: number | undefined, now: number): ZaloWindow {
  if (lastCitizenMessageAt === undefined) return { state: 'impossible', reason: 'Người dân chưa nhắn tin cho OA, nên không gửi được tin tư vấn.' };
  const age = now - lastCitizenMessageAt;
  if (age < FREE_WINDOW_MS) return { state: 'free', reason: 'Trong 48 giờ kể từ tin nhắn cuối của người dân: gửi miễn phí.', until: lastCitizenMessageAt + FREE_WINDOW_MS };
  if (age < BILLED_WINDOW_MS) return { state: 'billed', reason: 'Đã quá 48 giờ (chưa quá 7 ngày) từ tin nhắn cuối của người dân: tin vẫn gửi được nhưng OA bị tính phí.', until: lastCitizenMessageAt + BILLED_WINDOW_MS };
  return { state: 'impossible', reason: 'Đã quá 7 ngày từ tin nhắn cuối của người dân: Zalo không cho gửi tin tư vấn (chỉ gửi được tin mẫu ZBS có trả phí).' };
}

/**
 * When the citizen last wrote, from the chat record: the newest citizen line of the transcript
 * (a staff echo from the OA chat tool is a staff line, so it does not reopen the window), or a
 * message still waiting in the inbox.
 */
export function lastCitizenMessageAt(record: Pick<ChatRecord, 'transcript' | 'inbox'>): number | undefined {
  const waiting = record.inbox.filter((e) => e.meta?.staffEcho === undefined).map((e) => e.receivedAt);
  const said = record.transcript.filter((l) => l.from === 'user').map((l) => l.at);
  const all = [...waiting, ...said];
  return all.length > 0 ? Math.max(...all) : undefined;
}
