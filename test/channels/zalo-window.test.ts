/** The 2026 Zalo OA messaging window (docs/refs/zalo-2026.md §4.2): free < 48 h, billed < 7 days, then impossible. */
import { describe, expect, it } from 'vitest';
import { lastCitizenMessageAt, zaloWindow } from '../../src/channels/zalo-oa/messaging-window';

const H = 3600_000;
const LAST = 1_764_063_000_000;

describe('zaloWindow', () => {
  it.each([
    [0, 'free'],
    [48 * H - 1, 'free'],
    [48 * H, 'billed'],
    [7 * 24 * H - 1, 'billed'],
    [7 * 24 * H, 'impossible'],
    [30 * 24 * H, 'impossible'],
  ] as const)('%d ms after the citizen’s last message: %s', (age, state) => {
    expect(zaloWindow(LAST, LAST + age).state).toBe(state);
  });

  it('says when the state changes and why, in Vietnamese', () => {
    expect(zaloWindow(LAST, LAST + H)).toMatchObject({ state: 'free', until: LAST + 48 * H, reason: expect.stringContaining('miễn phí') });
    expect(zaloWindow(LAST, LAST + 50 * H)).toMatchObject({ state: 'billed', until: LAST + 7 * 24 * H, reason: expect.stringContaining('tính phí') });
    expect(zaloWindow(undefined, LAST)).toMatchObject({ state: 'impossible' });
  });

  it('takes the last citizen message from the record, not staff lines', () => {
    const transcript = [
      { at: LAST - 5 * H, from: 'user' as const, text: 'căn cước' },
      { at: LAST, from: 'user' as const, text: '1' },
      { at: LAST + H, from: 'staff' as const, text: 'Cán bộ trả lời' },
    ];
    expect(lastCitizenMessageAt({ transcript, inbox: [] })).toBe(LAST);
    expect(lastCitizenMessageAt({ transcript: [], inbox: [] })).toBeUndefined();
    expect(lastCitizenMessageAt({ transcript, inbox: [{ id: 'x', input: { kind: 'text', value: 'hi' }, receivedAt: LAST + 2 * H }] })).toBe(LAST + 2 * H);
  });
});
