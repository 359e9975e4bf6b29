/**
 * The Zalo OA messaging window of 2026 (pure), shown on the staff case page before a reply:
 * within 48 h of the citizen's last message a customer-service reply is free, from 48 h to 7 days
 * it is billed (not blocked), after 7 days Zalo refuses it (-230/-232). Source: Zalo OA
 * documentation as checked in docs (zalo-2026 §4.3, item 6).
 *
 * A stand-in: the "inbound" work adds `zaloWindow(lastCitizenMessageAt, now)` under
 * src/channels/zalo-oa/; when it is on main this file re-exports it.
 */
export type ZaloWindow = 'free' | 'billed' | 'impossible';

export const FREE_MS = 48 * 3600_000;
export const BILLED_MS = 7 * 24 * 3600_000;

export function zaloWindow(lastCitizenMessageAt: number, now: number): ZaloWindow {
  const age = now - lastCitizenMessageAt;
  if (age < FREE_MS) return 'free';
  if (age < BILLED_MS) return 'billed';
  return 'impossible';
}
