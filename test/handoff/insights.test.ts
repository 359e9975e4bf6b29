import { describe, expect, it } from 'vitest';
import { computeInsights, csvCell, insightsCsv } from '../../src/handoff/insights';
import { escapeHtml, html } from '../../src/handoff/views/html';
import type { AnalyticsRecord } from '../../src/store/analytics';

const T0 = Date.parse('2026-11-25T03:00:00Z');
const MIN = 60_000;
let n = 0;
const rec = (chat: string, type: AnalyticsRecord['type'], extra: Partial<AnalyticsRecord> = {}, at = T0 + n++ * 1000): AnalyticsRecord => ({ at, day: '2026-11-25', channel: 'web', chat, type, ...extra });

describe('computeInsights', () => {
  it('groups unmatched questions by their folded form, counts them and keeps the latest wording', () => {
    const out = computeInsights(
      [rec('a', 'unmatched', { query: 'Làm hộ chiếu ở đâu?' }), rec('b', 'unmatched', { query: 'lam ho chieu o dau' }), rec('c', 'unmatched', { query: 'xin visa' }), rec('d', 'unmatched', { query: '  ' })],
      { now: T0 + 10 * MIN, idleMs: 30 * MIN },
    );
    expect(out.unmatched.map(({ query, example, count }) => ({ query, example, count }))).toEqual([
      { query: 'lam ho chieu o dau', example: 'lam ho chieu o dau', count: 2 },
      { query: 'xin visa', example: 'xin visa', count: 1 },
    ]);
  });

  it('counts a run as abandoned at the last node reached when it never completes and the citizen went quiet or started another flow', () => {
    const records = [
      // a: starts can-cuoc, reaches "case", then starts khai-sinh (abandons can-cuoc at "case"), completes it.
      rec('a', 'flow_started', { flow: 'can-cuoc' }),
      rec('a', 'node_entered', { flow: 'can-cuoc', node: 'who' }),
      rec('a', 'node_entered', { flow: 'can-cuoc', node: 'case' }),
      rec('a', 'flow_started', { flow: 'khai-sinh' }),
      rec('a', 'node_entered', { flow: 'khai-sinh', node: 'start' }),
      rec('a', 'flow_completed', { flow: 'khai-sinh', node: 'result' }),
      // b: reaches "who" long ago and stops.
      rec('b', 'flow_started', { flow: 'can-cuoc' }),
      rec('b', 'node_entered', { flow: 'can-cuoc', node: 'who' }),
      // c: still answering (recent activity): not abandoned yet.
      rec('c', 'flow_started', { flow: 'can-cuoc' }, T0 + 55 * MIN),
      rec('c', 'node_entered', { flow: 'can-cuoc', node: 'who' }, T0 + 55 * MIN),
    ];
    const out = computeInsights(records, { now: T0 + 60 * MIN, idleMs: 30 * MIN });
    expect(out.abandon).toEqual([
      { flow: 'can-cuoc', node: 'case', count: 1 },
      { flow: 'can-cuoc', node: 'who', count: 1 },
    ]);
    expect(out.flows).toEqual([
      { flow: 'can-cuoc', started: 3, completed: 0, abandoned: 2 },
      { flow: 'khai-sinh', started: 1, completed: 1, abandoned: 0 },
    ]);
  });

  it('counts handoff reasons and messages per channel per day, newest day first', () => {
    const out = computeInsights(
      [
        rec('a', 'handoff_requested', { reason: 'asked' }),
        rec('b', 'handoff_requested', { reason: 'misses' }),
        rec('b', 'handoff_requested', { reason: 'misses' }),
        rec('a', 'message'),
        { ...rec('t', 'message'), channel: 'telegram' },
        { ...rec('t', 'message'), channel: 'telegram', day: '2026-11-26' },
      ],
      { now: T0, idleMs: 30 * MIN },
    );
    expect(out.handoff).toEqual({ asked: 1, flow: 0, misses: 2 });
    expect(out.messages.map((m) => [m.day, m.counts.web, m.counts.telegram, m.total])).toEqual([
      ['2026-11-26', 0, 1, 1],
      ['2026-11-25', 1, 1, 2],
    ]);
  });
});

describe('CSV and HTML output', () => {
  it('quotes every text cell and neutralises formulas in every form a spreadsheet runs', () => {
    expect(csvCell('plain')).toBe('"plain"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell(-3)).toBe('-3');
    const formulas = ['=1+2', '@SUM(A1)', '+1', '-1+1', '|cmd', ' =1+2', '\u00A0=1', '\u3000=1', '\t=1', '＝1+2', '＋1', '－1', '＠SUM(A1)', 'a;=1+2', 'a, =1', 'a;\u00A0@x', 'x,＝1', '\tabc', '=HYPERLINK("x")'];
    for (const f of formulas) expect({ f, cell: csvCell(f) }).toEqual({ f, cell: `"'${f.replace(/"/g, '""')}"` });
    for (const safe of ['a-b', 'e-mail: a@b.vn', 'a; b', '1,5 ngày', 'Hỏi: 2+2?']) expect({ safe, cell: csvCell(safe) }).toEqual({ safe, cell: `"${safe}"` });
  });

  it('writes the handoff report as CSV rows', () => {
    const csv = insightsCsv({ unmatched: [], abandon: [], flows: [], handoff: { asked: 2, flow: 1, misses: 0 }, messages: [] }, 'handoff', (f) => ({ flow: f }), (at) => String(at));
    expect(csv).toBe('"reason","count"\r\n"asked",2\r\n"flow",1\r\n"misses",0\r\n');
  });

  it('escapes every interpolated value unless it is already HTML from the template', () => {
    const evil = '<script>alert("x")</script>\'&`';
    expect(html`<p>${evil}</p>`.value).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;&#96;</p>');
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.value).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
    expect(escapeHtml('"\'')).toBe('&quot;&#39;');
  });
});
