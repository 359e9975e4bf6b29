/** A clock that runs at real speed from a chosen instant and can jump ahead (retention, office hours). */
export function movingClock(startIso: string): { now: () => number; advance(ms: number): void } {
  const realStart = Date.now();
  let offset = Date.parse(startIso) - realStart;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}

/** Wednesday 25 November 2026, 10:00 in Thanh Hóa (UTC+7): inside office hours. */
export const WEDNESDAY_10AM = '2026-11-25T03:00:00Z';
/** Friday 27 November 2026, 18:00 in Thanh Hóa: the office opens again Monday 7:30. */
export const FRIDAY_6PM = '2026-11-27T11:00:00Z';
