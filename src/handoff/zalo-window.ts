/**
 * The Zalo OA messaging window as the staff case page shows it: only the state, from the one
 * rule in src/channels/zalo-oa/messaging-window.ts (48 h free, then billed up to 7 days, then
 * refused), so the console and the channel never disagree.
 */
import { zaloWindow as oaWindow, FREE_WINDOW_MS, BILLED_WINDOW_MS, type ZaloWindowState } from '../channels/zalo-oa/messaging-window';

export type ZaloWindow = ZaloWindowState;
export const FREE_MS = FREE_WINDOW_MS;
export const BILLED_MS = BILLED_WINDOW_MS;

export function zaloWindow(lastCitizenMessageAt: number, now: number): ZaloWindow {
  return oaWindow(lastCitizenMessageAt, now).state;
}
