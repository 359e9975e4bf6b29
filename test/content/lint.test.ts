/**
 * The content lint, one failing fixture per rule. Each folder under test/fixtures/content/ is a
 * complete content tree: `valid/` plus exactly one defect. Every test checks that the defect is
 * the only finding, where it points (file:line:col), its rule, and (inline snapshot) its words.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport, type Diagnostic } from '../../src/content/diagnostics';
import { readContentFiles } from '../../src/content/files';
import { lintContent } from '../../src/content/lint';
import { catalogueFor } from '../../src/content/index';
import { ROOT } from '../engine/real-content';

const FIXTURES = path.join(ROOT, 'test/fixtures/content');
/** Fixtures are linted on a fixed day so the review dates in them never age. */
const DAY = '2026-11-25';

async function lintFixture(name: string) {
  return lintContent(await readContentFiles(path.join(FIXTURES, name)), DAY);
}

/** The one finding of a fixture (fails, showing the report, when there are more or none). */
async function only(name: string): Promise<Diagnostic> {
  const { diagnostics } = await lintFixture(name);
  expect(diagnostics, formatReport(diagnostics)).toHaveLength(1);
  return diagnostics[0]!;
}

describe('content lint fixtures', () => {
  it('the base fixture lints clean, so each other fixture fails for its one defect', async () => {
    const { diagnostics, parsed } = await lintFixture('valid');
    expect(diagnostics).toEqual([]);
    expect(parsed?.flows.map((f) => f.flow.id)).toEqual(['giay']);
    expect(parsed?.transcripts.map((t) => t.transcript.name)).toEqual(['cấp mới', 'hỏi cán bộ']);
  });

  it('yaml-syntax: an unclosed { … } block', async () => {
    const d = await only('yaml-syntax');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 3, col: 1, severity: 'error', rule: 'yaml-syntax' });
    expect(d.message).toMatchInlineSnapshot(`"Flow map in block collection must be sufficiently indented and end with a }"`);
  });

  it('unknown-key: a misspelt key, with "did you mean"', async () => {
    const d = await only('unknown-key');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 13, col: 5, severity: 'error', rule: 'unknown-key' });
    expect(d.message).toMatchInlineSnapshot(`"unknown key "ofice" — did you mean "office"?"`);
  });

  it('schema: an invalid enum value, with a suggestion', async () => {
    const d = await only('invalid-enum');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 13, col: 13, severity: 'error', rule: 'schema' });
    expect(d.message).toMatchInlineSnapshot(`""office" must be one of: commune_center, commune_police, province_center, provincial_police, other — did you mean "commune_police"?"`);
  });

  it('unreachable-node: a node no path from start leads to', async () => {
    const d = await only('unreachable-node');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 16, col: 3, severity: 'error', rule: 'unreachable-node' });
    expect(d.message).toMatchInlineSnapshot(`"node "cu" can never be reached from start "hoi""`);
  });

  it('dead-end: a node from which no answer can be reached', async () => {
    const d = await only('dead-end');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 17, col: 3, severity: 'error', rule: 'dead-end' });
    expect(d.message).toMatchInlineSnapshot(`"from node "xem-lai" the conversation can never reach an answer (procedure, office, say without next, or handoff)"`);
  });

  it('missing-node: an option leading to a node that does not exist', async () => {
    const d = await only('missing-node');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 11, col: 34, severity: 'error', rule: 'missing-node' });
    expect(d.message).toMatchInlineSnapshot(`"node "cpa" does not exist — did you mean "cap"?"`);
  });

  it('missing-procedure: a procedure id with no file in content/procedures/', async () => {
    const d = await only('missing-procedure');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 12, col: 16, severity: 'error', rule: 'missing-procedure' });
    expect(d.message).toMatchInlineSnapshot(`"no procedure with id "cap-giayy" in content/procedures/ — did you mean "cap-giay"?"`);
  });

  it('missing-office-kind: an office kind offices.yaml does not list', async () => {
    const d = await only('missing-office-kind');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 13, col: 13, severity: 'error', rule: 'missing-office-kind' });
    expect(d.message).toMatchInlineSnapshot(`"no office of kind "province_center" is listed in offices.yaml"`);
  });

  it('duplicate-id: the same flow id in two files', async () => {
    const d = await only('duplicate-flow-id');
    // Files are read in name order: giay-hai.yaml comes first, so giay.yaml is the duplicate.
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 1, col: 5, severity: 'error', rule: 'duplicate-id' });
    expect(d.message).toMatchInlineSnapshot(`"flow id "giay" is also used in flows/giay-hai.yaml"`);
  });

  it('duplicate-id: the same node key twice in one file', async () => {
    const d = await only('duplicate-node-key');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 16, col: 3, severity: 'error', rule: 'duplicate-id' });
    expect(d.message).toMatchInlineSnapshot(`""cap" appears twice in the same block; each node, option or key needs its own name"`);
  });

  it('link-allowlist: a link outside the official domains', async () => {
    const d = await only('link-allowlist');
    expect(d).toMatchObject({ file: 'flows/giay.yaml', line: 15, col: 16, severity: 'error', rule: 'link-allowlist' });
    expect(d.message).toMatchInlineSnapshot(`"link https://example.com/thu-tuc is not on an official domain; allowed: *.gov.vn (content/settings.yaml)"`);
  });

  it('missing-source: facts without sources', async () => {
    const d = await only('missing-source');
    expect(d).toMatchObject({ file: 'content/procedures/cap-giay.yaml', line: 1, col: 5, severity: 'error', rule: 'missing-source' });
    expect(d.message).toMatchInlineSnapshot(`"procedure states facts (documents, fee, handled_by, online) but has no "sources" — add where each fact comes from"`);
  });

  it('missing-verified: facts without the date they were checked', async () => {
    const d = await only('missing-verified');
    expect(d).toMatchObject({ file: 'content/procedures/cap-giay.yaml', line: 1, col: 5, severity: 'error', rule: 'missing-verified' });
    expect(d.message).toMatchInlineSnapshot(`"procedure has no "verified" date (YYYY-MM-DD: the day the facts were checked against the sources)"`);
  });

  it('missing-review-by: facts without a date to check them again', async () => {
    const d = await only('missing-review-by');
    expect(d).toMatchObject({ file: 'content/procedures/cap-giay.yaml', line: 1, col: 5, severity: 'error', rule: 'missing-review-by' });
    expect(d.message).toMatchInlineSnapshot(`"procedure has no "review_by" date (YYYY-MM-DD: when the facts must be checked again)"`);
  });

  it('review-overdue: facts past their review date are a warning, and the content is still served', async () => {
    const { diagnostics, parsed } = await lintFixture('review-overdue');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: 'content/procedures/cap-giay.yaml', line: 11, col: 12, severity: 'warning', rule: 'review-overdue' });
    expect(diagnostics[0]!.message).toMatchInlineSnapshot(`"facts were due for review on 2026-11-20; check the sources again and update "verified" and "review_by""`);
    expect(parsed).toBeDefined();
  });

  it('locale-key: a key one locale has and the other lacks', async () => {
    const d = await only('locale-key');
    expect(d).toMatchObject({ file: 'content/locales/en.json', line: 2, col: 11, severity: 'error', rule: 'locale-key' });
    expect(d.message).toMatchInlineSnapshot(`"missing key "menu.handoff" (it exists in vi.json)"`);
  });
});

describe('locale keys', () => {
  it('matches plural forms of one key across locales, and names any other missing key in full', async () => {
    const files = new Map(await readContentFiles(path.join(FIXTURES, 'valid')));
    const menu = { prompt: 'p', handoff: 'h' };
    files.set('content/locales/vi.json', JSON.stringify({ menu, n: { days_other: '{{count}} ngày', claimed_by_other: 'người khác' } }, null, 2));
    files.set('content/locales/en.json', JSON.stringify({ menu, n: { days_one: 'one day', days_other: '{{count}} days' } }, null, 2));
    const { diagnostics } = lintContent(files, DAY);
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`)).toEqual(['content/locales/en.json:6:8 missing key "n.claimed_by_other" (it exists in vi.json)']);
  });
});

describe('transcript lint fixtures', () => {
  it('unknown-key in a transcript step, with "did you mean"', async () => {
    const d = await only('transcript-unknown-key');
    expect(d).toMatchObject({ file: 'flows/_tests/giay.yaml', line: 5, col: 7, severity: 'error', rule: 'unknown-key' });
    expect(d.message).toMatchInlineSnapshot(`"unknown key "nod" — did you mean "node"?"`);
  });

  it('a step that both types and taps', async () => {
    const d = await only('transcript-two-actions');
    expect(d).toMatchObject({ file: 'flows/_tests/giay.yaml', line: 6, col: 7, severity: 'error', rule: 'schema' });
    expect(d.message).toMatchInlineSnapshot(`"item 2 of "steps": each step needs exactly one of: user, choose, start"`);
  });

  it('missing-flow: a transcript for a flow that does not exist', async () => {
    const d = await only('transcript-missing-flow');
    expect(d).toMatchObject({ file: 'flows/_tests/giay.yaml', line: 2, col: 9, severity: 'error', rule: 'missing-flow' });
    expect(d.message).toMatchInlineSnapshot(`"no flow with id "giayy" — did you mean "giay"?"`);
  });

  it('missing-node: a step expecting a node the flow does not have', async () => {
    const d = await only('transcript-missing-node');
    expect(d).toMatchObject({ file: 'flows/_tests/giay.yaml', line: 7, col: 13, severity: 'error', rule: 'missing-node' });
    expect(d.message).toMatchInlineSnapshot(`"node "cpa" does not exist in flow "giay" — did you mean "cap"?"`);
  });

  it('an event type the engine never emits, with a suggestion', async () => {
    const d = await only('transcript-event');
    expect(d).toMatchObject({ file: 'flows/_tests/giay.yaml', line: 8, col: 14, severity: 'error', rule: 'schema' });
    expect(d.message).toMatchInlineSnapshot(`""event" must be one of: matched, unmatched, flow_started, node_entered, flow_completed, place_resolved, handoff_requested, handoff_ended, stale_choice — did you mean "flow_completed"?"`);
  });
});

describe('transcript node names', () => {
  it('accepts "flow/node" and checks both parts', async () => {
    const files = new Map(await readContentFiles(path.join(FIXTURES, 'valid')));
    const steps = ['giay/hoi', 'giayy/hoi', 'giay/hoii'].map((node) => `    - { user: giấy thử, node: ${node} }`);
    files.set('flows/_tests/giay.yaml', ['- name: qualified', '  steps:', ...steps, ''].join('\n'));
    const { diagnostics } = lintContent(files, DAY);
    expect(diagnostics.map((d) => `${d.line}:${d.col} [${d.rule}] ${d.message}`)).toEqual([
      '4:31 [missing-flow] no flow with id "giayy" — did you mean "giay"?',
      '5:31 [missing-node] node "hoii" does not exist in flow "giay" — did you mean "hoi"?',
    ]);
  });
});

describe('the shipped content', () => {
  // On a fixed day, with the catalogue: the suite must not start failing on a date with no
  // change to the code. What falls due is listed by npm run content:review (test/cli/review.test.ts).
  it('lints with no errors and no warnings on a fixed day', async () => {
    const { diagnostics } = lintContent(await readContentFiles(ROOT), DAY, ['thanh-hoa'], catalogueFor(ROOT, ['Thanh Hóa']));
    expect(formatReport(diagnostics)).toBe('0 errors, 0 warnings');
  });
});
