/**
 * The transcript runner itself: a transcript that expects the wrong thing must fail, with a
 * message an editor can act on. (If the runner passed everything, the transcript tests would
 * prove nothing.) Runs on the real settings and locales with one small flow of its own, so
 * editing the shipped flows does not change these tests.
 */
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileContent } from '../../src/content/compile';
import { formatDiagnostic } from '../../src/content/diagnostics';
import { readContentFiles } from '../../src/content/files';
import { lintContent } from '../../src/content/lint';
import { Transcript } from '../../src/content/schema';
import { runTranscript, STEP_MS, TRANSCRIPT_CLOCK, transcriptDiagnostics, type TranscriptResult } from '../../src/content/transcripts';
import type { Content } from '../../src/engine/types';
import { contentWith, ROOT } from '../engine/real-content';

const FLOW = `id: thu
title: { vi: Giấy thử nghiệm, en: Test paper }
topic: giay-to
match: [giấy thử nghiệm, test paper]
start: who
nodes:
  who:
    ask: { vi: Giấy cho ai?, en: Who is it for? }
    options:
      - { label: { vi: Cho tôi (từ đủ 14 tuổi), en: Me (14 or older) }, next: case }
      - { label: { vi: Cho con dưới 14 tuổi, en: My child under 14 }, next: child }
  case:
    ask: { vi: Bạn cần làm gì?, en: What do you need? }
    options:
      - { label: Làm lần đầu, next: where }
      - { label: Đổi giấy, next: renew }
      - { label: Đổi giấy cũ, next: renew }
  where: { ask_place: true, next: first }
  child: { say: Trẻ em làm cùng cha mẹ. }
  first: { say: Lần đầu mang tờ khai. }
  renew: { say: Đổi giấy mang giấy cũ. }
`;

let content: Content;
beforeAll(async () => {
  content = await contentWith({ 'flows/thu.yaml': FLOW }, { onlyTheseFlows: true });
});

function run(yaml: string): TranscriptResult {
  return runTranscript(content, Transcript.parse(parse(yaml)));
}
const failures = (r: TranscriptResult) => r.steps.flatMap((s) => s.failures.map((f) => `step ${s.index + 1}: ${f}`));

describe('transcript runner', () => {
  it('passes a transcript whose checks hold', () => {
    const r = run(`
name: ok
flow: thu
steps:
  - user: giay thu nghiem
    contains: Giấy cho ai
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
flow: thu
steps:
  - user: giay thu nghiem
    contains: [cho ai, khai sinh]
    not_contains: giấy cho ai
    options: Cho bà
    links: dichvucong.gov.vn
    event: handoff_requested
    node: case
`);
    expect(r.ok).toBe(false);
    expect(failures(r)).toMatchInlineSnapshot(`
      [
        "step 1: expected the reply to contain "khai sinh"",
        "step 1: expected the reply not to contain "giấy cho ai"",
        "step 1: expected an option containing "Cho bà"; the options were "Cho tôi (từ đủ 14 tuổi)", "Cho con dưới 14 tuổi"",
        "step 1: expected a link containing "dichvucong.gov.vn"; the links were (none)",
        "step 1: expected a "handoff_requested" event; the events were matched, flow_started, node_entered",
        "step 1: expected to be at node "thu/case"; the conversation is at thu/who",
      ]
    `);
  });

  it('compares contains with diacritics significant but case and Unicode form ignored', () => {
    const nfd = 'GIẤY CHO AI'.normalize('NFD');
    const r = run(`
name: forms
steps:
  - user: giay thu nghiem
    contains: "${nfd}"
    not_contains: giay cho ai
`);
    expect(failures(r)).toEqual([]);
  });

  it('taps the one option whose label contains the words, ignoring case and diacritics', () => {
    const r = run(`
name: choose
steps:
  - user: giay thu nghiem
  - choose: CHO CON DUOI 14
    node: child
`);
    expect(failures(r)).toEqual([]);
  });

  it('prefers an exact label over labels that merely contain the words', () => {
    const r = run(`
name: exact
steps:
  - user: giay thu nghiem
  - choose: cho tôi
  - choose: đổi giấy
    node: renew
    contains: Đổi giấy mang giấy cũ
`);
    expect(failures(r)).toEqual([]);
  });

  it('stops at a choose that fits several options, naming them', () => {
    const r = run(`
name: ambiguous
steps:
  - user: giay thu nghiem
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
  - user: giay thu nghiem
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

  it('taps a button of an earlier question when the last message had none (a stale tap)', () => {
    const r = run(`
name: stale
steps:
  - user: giay thu nghiem
  - choose: cho tôi
  - choose: làm lần đầu
    node: where
  - choose: đổi giấy cũ
    event: stale_choice
    node: where
`);
    expect(failures(r)).toEqual([]);
  });

  it('lets the clock run 10 s per step plus wait_minutes, so idle expiry can be tested', () => {
    const idle = content.settings.idle_minutes;
    const justBefore = run(`
name: short pause
steps:
  - user: giay thu nghiem
  - user: "1"
    wait_minutes: ${idle - 1}
    node: case
`);
    expect(failures(justBefore)).toEqual([]);
    const after = run(`
name: long pause
steps:
  - user: giay thu nghiem
  - user: "1"
    wait_minutes: ${idle}
    contains: "${content.t('vi', 'resume.welcome_back')}"
    node: who
`);
    expect(failures(after)).toEqual([]);
    expect(TRANSCRIPT_CLOCK).toBe(Date.parse('2026-11-25T02:00:00Z'));
    expect(STEP_MS).toBe(10_000);
  });

  it('checks a node named with its flow ("thu/case") and refuses the right node of another flow', () => {
    const ok = run(`
name: qualified
steps:
  - user: giay thu nghiem
  - user: "1"
    node: thu/case
`);
    expect(failures(ok)).toEqual([]);
    const wrong = run(`
name: other flow
steps:
  - user: giay thu nghiem
  - user: "1"
    node: khac/case
`);
    expect(failures(wrong)).toEqual(['step 2: expected to be at node "khac/case"; the conversation is at thu/case']);
  });

  it('starts in the transcript locale', () => {
    const r = run(`
name: english
locale: en
steps:
  - user: test paper
    contains: Who is it for?
`);
    expect(failures(r)).toEqual([]);
  });

  it('counts nodes entered and only the edges of the flow that were followed', () => {
    const r = run(`
name: walk
steps:
  - user: giay thu nghiem
  - user: "1"
  - user: quay lại
  - user: "2"
`);
    expect([...r.nodes].sort()).toEqual(['thu/case', 'thu/child', 'thu/who']);
    // "quay lại" re-entered who from case: not an edge of the flow.
    expect([...r.edges].sort()).toEqual(['thu/who>case', 'thu/who>child']);
  });

  it('reports failures as diagnostics at the failing step, with what the bot said', async () => {
    const files = new Map([...(await readContentFiles(ROOT))].filter(([k]) => !k.startsWith('flows/')));
    files.set('flows/thu.yaml', FLOW);
    files.set('flows/_tests/zz-runner.yaml', ['- name: wrong place', '  steps:', '    - user: giay thu nghiem', '    - user: "1"', '      node: who', ''].join('\n'));
    const { parsed } = lintContent(files, '2026-11-25');
    const t = parsed!.transcripts[0]!;
    const [d, ...rest] = transcriptDiagnostics(t, runTranscript(compileContent(parsed!, files), t.transcript));
    expect(rest).toEqual([]);
    expect(formatDiagnostic(d!)).toMatchInlineSnapshot(`
      "flows/_tests/zz-runner.yaml:4:7 error [transcript] "wrong place" step 2 (user: "1"):
        - expected to be at node "who"; the conversation is at thu/case
        the bot said:
          | Bạn cần làm gì?
          options: [Làm lần đầu] [Đổi giấy] [Đổi giấy cũ]
          events: node_entered; at: thu/case"
    `);
  });
});
