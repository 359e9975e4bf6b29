/**
 * The phrase bank gate: the same evaluator as `npm run eval`, on the real engine and content.
 * It fails below EVAL_GATE, and on any card or flow given where the bank says the bot must
 * decline — a wrong card is worse than "I don't know".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, formatReport } from '../../src/eval/evaluate';
import { EVAL_GATE, PHRASES_FILE } from '../../src/eval/gate';
import { messagesOf, parsePhraseBank } from '../../src/eval/phrase-bank';
import { realContent, ROOT } from '../engine/real-content';

const phrases = parsePhraseBank(readFileSync(path.join(ROOT, PHRASES_FILE), 'utf8'));

describe('the phrase bank', () => {
  it('holds at least 400 questions, about half of them without diacritics, covering every flow and kind', async () => {
    const content = await realContent();
    expect(phrases.length).toBeGreaterThanOrEqual(400);
    const plain = phrases.filter((p) => messagesOf(p).every((m) => m.normalize('NFD') === m.normalize('NFD').replace(/[\u0300-\u036f]/g, '') && !/[đĐ]/.test(m)));
    expect(plain.length / phrases.length).toBeGreaterThan(0.4);
    const expected = new Set(phrases.map((p) => p.expect));
    for (const id of content.flows.keys()) expect(expected, `no question expects flow:${id}`).toContain(`flow:${id}`);
    const kinds = new Set(phrases.map((p) => p.kind));
    for (const k of ['flow', 'handoff', 'decline', 'english', 'teencode', 'negation', 'correction', 'skip', 'ambiguous', 'catalogue']) expect(kinds).toContain(k);
    expect(phrases.filter((p) => p.expect === 'handoff').length).toBeGreaterThanOrEqual(40);
  });

  it(`reaches the right answer for at least ${EVAL_GATE * 100}% and gives no card where it must decline`, async () => {
    const report = evaluate(await realContent(), phrases);
    const summary = formatReport(report);
    expect(report.accuracy, summary).toBeGreaterThanOrEqual(EVAL_GATE);
    expect(report.outcomes.filter((o) => o.phrase.expect === 'decline' && o.wrongCard).map((o) => o.phrase.q), summary).toEqual([]);
  });

  it('counts catalogue entries as skipped while the content has no catalogue, and runs all others', async () => {
    const content = await realContent();
    const report = evaluate(content, phrases);
    expect(report.total + report.skipped.length).toBe(phrases.length);
    for (const s of report.skipped) expect(s.phrase.kind).toBe('catalogue');
  });

  it('names the entry and the field when a line of the bank is wrong', () => {
    expect(() => parsePhraseBank('- { q: "làm căn cước", expect: flow-can-cuoc, kind: flow }')).toThrowErrorMatchingInlineSnapshot(`
      [Error: eval/phrases.yaml is not valid:
      entry 0 expect: flow:<id>, procedure:<id>, record:<code>, handoff, decline or ask:<a>|<b>]
    `);
  });
});
