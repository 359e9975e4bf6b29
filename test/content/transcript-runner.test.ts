/**
 * The transcript runner itself: a transcript that expects the wrong thing must fail, with a
 * message an editor can act on. (If the runner passed everything, the transcript tests would
 * prove nothing.) Runs against the real content.
 */
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/content/diagnostics';
import { readContentFiles } from '../../src/content/files';
import { lintContent } from '../../src/content/lint';
import { Transcript } from '../../src/content/schema';
import { runTranscript, STEP_MS, TRANSCRIPT_CLOCK, transcriptDiagnostics, type TranscriptResult } from '../../src/content/transcripts';
import type { Content } from '../../src/engine/types';
import { contentWith, realContent, ROOT } from '../engine/real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent();
});

function run(yaml: string): TranscriptResult {
  return runTranscript(content, Transcript.parse(parse(yaml)));
}
const failures = (r: TranscriptResult) => r.steps.flatMap((s) => s.failures.map((f) => `step ${s.index + 1}: ${f}`));

describe('transcript runner', () => {
  it('passes a transcript whose checks hold', () => {
    const r = run(`
name: ok
steps:
  - user: lam can cuoc
    contains: Bạn làm thẻ căn cước
    options: [cho tôi, CHO CON]
    event: flow_started
    node: who
`);
    expect(failures(r)).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('fails each check that does not hold and says what the bot did instead', () => {
    const r = run(`
name: wrong
flow: can-cuoc
steps:
  - user: lam can cuoc
    contains: [căn cước, khai sinh]
    not_contains: thẻ căn cước
    options: Cho bà
    links: dichvucong.gov.vn
    event: handoff_requested
    node: case
`);
    expect(r.ok).toBe(false);
    expect(failures(r)).toMatchInlineSnapshot(`
      [
        "step 1: expected the reply to contain "khai sinh"",
        "step 1: expected the reply not to contain "thẻ căn cước"",
        "step 1: expected an option containing "Cho bà"; the options were "Cho tôi (từ đủ 14 tuổi)", "Cho con dưới 14 tuổi"",
        "step 1: expected a link containing "dichvucong.gov.vn"; the links were (none)",
        "step 1: expected a "handoff_requested" event; the events were matched, flow_started, node_entered",
        "step 1: expected to be at node "can-cuoc/case"; the conversation is at can-cuoc/who",
      ]
    `);
  });

  it('compares contains with diacritics significant but case and Unicode form ignored', () => {
    const nfd = 'BẠN LÀM THẺ CĂN CƯỚC'.normalize('NFD');
    const r = run(`
name: forms
steps:
  - user: lam can cuoc
    contains: "${nfd}"
    not_contains: ban lam the can cuoc
`);
    expect(failures(r)).toEqual([]);
  });

  it('taps the one option whose label contains the words, ignoring case and diacritics', () => {
    const r = run(`
name: choose
steps:
  - user: lam can cuoc
  - choose: CHO CON DUOI 14
    node: child-where
`);
    expect(failures(r)).toEqual([]);
  });

  it('prefers an exact label over labels that merely contain the words', async () => {
    const withFlow = await contentWith({
      'flows/zz-exact.yaml': [
        'id: zz-exact',
        'title: Kiểm thử nhãn trùng',
        'match: [kiểm thử nhãn trùng]',
        'start: q',
        'nodes:',
        '  q:',
        '    ask: Chọn một',
        '    options:',
        '      - { label: Đổi thẻ căn cước, next: long }',
        '      - { label: Đổi thẻ, next: short }',
        '  long: { say: dài }',
        '  short: { say: ngắn }',
        '',
      ].join('\n'),
    });
    const r = runTranscript(withFlow, Transcript.parse(parse(`
name: exact
steps:
  - user: kiểm thử nhãn trùng
    node: q
  - choose: đổi thẻ
    node: short
`)));
    expect(failures(r)).toEqual([]);
  });

  it('stops at a choose that fits several options, naming them', () => {
    const r = run(`
name: ambiguous
steps:
  - user: lam can cuoc
  - choose: cho
  - user: never sent
`);
    expect(r.ok).toBe(false);
    expect(r.steps).toHaveLength(2);
    expect(r.steps[1]!.ran).toBe(false);
    expect(r.steps[1]!.failures).toEqual([
      '2 options contain "cho" ("Cho tôi (từ đủ 14 tuổi)", "Cho con dưới 14 tuổi"); use more of the label (the steps after this one were not run)',
    ]);
  });

  it('stops at a choose that fits no option, listing the options', () => {
    const r = run(`
name: none
steps:
  - user: lam can cuoc
  - choose: cho bà ngoại
`);
    expect(r.steps[1]!.failures[0]).toBe('no option contains "cho bà ngoại"; the options were "Cho tôi (từ đủ 14 tuổi)", "Cho con dưới 14 tuổi" (the steps after this one were not run)');
  });

  it('cannot choose before any reply had options', () => {
    const r = run(`
name: too early
steps:
  - choose: cho tôi
`);
    expect(r.steps[0]!.failures[0]).toMatch(/^nothing to choose from/);
  });

  it('lets the clock run 10 s per step plus wait_minutes, so idle expiry can be tested', () => {
    const idle = content.settings.idle_minutes;
    const justBefore = run(`
name: short pause
steps:
  - user: lam can cuoc
  - user: "1"
    wait_minutes: ${idle - 1}
    node: case
`);
    expect(failures(justBefore)).toEqual([]);
    const after = run(`
name: long pause
steps:
  - user: lam can cuoc
  - user: "1"
    wait_minutes: ${idle}
    contains: Bạn đang ở bước 1/
    node: who
`);
    expect(failures(after)).toEqual([]);
    expect(TRANSCRIPT_CLOCK).toBe(Date.parse('2026-11-25T02:00:00Z'));
    expect(STEP_MS).toBe(10_000);
  });

  it('starts in the transcript locale', () => {
    const r = run(`
name: english
locale: en
steps:
  - user: id card
    contains: Who is the ID card for?
`);
    expect(failures(r)).toEqual([]);
  });

  it('counts nodes entered and only the edges of the flow that were followed', () => {
    const r = run(`
name: walk
steps:
  - user: lam can cuoc
  - user: "1"
  - user: quay lại
  - user: "2"
`);
    expect([...r.nodes].sort()).toEqual(['can-cuoc/case', 'can-cuoc/child-where', 'can-cuoc/who']);
    // "quay lại" re-entered who from case: not an edge of the flow.
    expect([...r.edges].sort()).toEqual(['can-cuoc/who>case', 'can-cuoc/who>child-where']);
  });

  it('reports failures as diagnostics at the failing step, with what the bot said', async () => {
    const files = new Map(await readContentFiles(ROOT));
    files.set('flows/_tests/zz-runner.yaml', ['- name: wrong place', '  steps:', '    - user: lam can cuoc', '    - user: "1"', '      node: who', ''].join('\n'));
    const { parsed } = lintContent(files, '2026-11-25');
    const t = parsed!.transcripts.find((x) => x.src.file === 'flows/_tests/zz-runner.yaml')!;
    const [d, ...rest] = transcriptDiagnostics(t, runTranscript(content, t.transcript));
    expect(rest).toEqual([]);
    expect(formatDiagnostic(d!)).toMatchInlineSnapshot(`
      "flows/_tests/zz-runner.yaml:4:7 error [transcript] "wrong place" step 2 (user: "1"):
        - expected to be at node "who"; the conversation is at can-cuoc/case
        the bot said:
          | Bạn cần làm gì?
          options: [Làm lần đầu (hoặc đổi từ CCCD/CMND cũ sang thẻ căn cước)] [Cấp đổi (đủ 25/40/60 tuổi, đổi thông tin, thẻ sai sót)] [Cấp lại (bị mất, hư hỏng)]
          events: node_entered; at: can-cuoc/case"
    `);
  });
});
