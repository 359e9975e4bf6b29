/**
 * Runs the phrase bank on the pure engine and judges each conversation by its events and the
 * final session, never by wording: a started flow, a shown card, a handoff, an honest decline,
 * or a question with the right options. Pure apart from the content it is given.
 */
import { newSession, step } from '../engine/step';
import type { Content, EngineEvent, Session } from '../engine/types';
import { messagesOf, type Phrase } from './phrase-bank';

export interface Outcome {
  phrase: Phrase;
  ok: boolean;
  /** What the bot did, in the expect notation ("flow:khai-sinh", "procedure:x", "menu", …). */
  got: string;
  /** A card or flow was given where the bank says the bot must decline or ask. */
  wrongCard: boolean;
  /** A card or flow was given, but not the one the bank expects. */
  otherAnswer: boolean;
}

export interface Report {
  outcomes: Outcome[];
  /** Entries not run, with why (catalogue entries while the content has no catalogue). */
  skipped: Array<{ phrase: Phrase; why: string }>;
  /** Per kind: `other` counts answers with another card or flow than the expected one (see Outcome.otherAnswer). */
  byKind: Array<{ kind: string; total: number; ok: number; other: number }>;
  total: number;
  ok: number;
  accuracy: number;
  wrongCards: number;
  /** Outcomes with another card or flow than the expected one. */
  otherAnswers: number;
}

/** 2026-11-25 09:00 in Vietnam: the evaluation never reads the clock. */
const T0 = Date.parse('2026-11-25T02:00:00Z');

/**
 * True when the content can answer catalogue records. The catalogue work adds them to search as
 * hits of their own kind; until then such entries are skipped and counted, not failed.
 */
export function hasCatalogue(content: Content): boolean {
  return 'catalogue' in content && !!(content as { catalogue?: unknown }).catalogue;
}

export function runPhrase(content: Content, phrase: Phrase): Outcome {
  let session: Session = newSession('vi', T0);
  const events: EngineEvent[] = [];
  const texts: string[] = [];
  let now = T0;
  for (const message of messagesOf(phrase)) {
    now += 10_000;
    const r = step(content, session, { kind: 'text', value: message }, now);
    session = r.session;
    events.push(...r.events);
    texts.push(...r.replies.map((x) => x.text));
  }
  return judge(content, phrase, session, events, texts);
}

function judge(content: Content, phrase: Phrase, session: Session, events: EngineEvent[], texts: string[]): Outcome {
  const flows = events.flatMap((e) => (e.type === 'flow_started' ? [`flow:${e.flow}`] : []));
  // A card is shown when a flow enters a procedure node, or a procedure (record) is answered directly.
  const cards = events.flatMap((e) => {
    if (e.type === 'node_entered') {
      const node = content.flows.get(e.flow)?.nodes[e.node];
      return node?.kind === 'procedure' ? [`procedure:${node.procedure}`] : [];
    }
    return e.type === 'matched' && /^(procedure|record):/.test(e.target) ? [e.target] : [];
  });
  const handoff = events.some((e) => e.type === 'handoff_requested');
  const unmatched = events.some((e) => e.type === 'unmatched');
  const offered = (session.pending?.options ?? []).flatMap((o) => {
    const a = o.action;
    return a.do === 'flow' ? [`flow:${a.flow}`] : a.do === 'procedure' ? [`procedure:${a.procedure}`] : a.do === 'record' && !a.part ? [`record:${a.code}`] : [];
  });
  const got = handoff ? 'handoff' : cards.at(-1) ?? flows.at(-1) ?? (offered.length > 0 ? `ask:${offered.join('|')}` : unmatched ? 'decline' : (session.pending?.kind ?? 'nothing'));
  const gaveSomething = cards.length > 0 || flows.length > 0;
  const e = phrase.expect;
  let ok: boolean;
  if (e === 'handoff') ok = handoff;
  else if (e === 'decline') ok = !gaveSomething && !handoff && unmatched;
  else if (e.startsWith('ask:')) ok = !gaveSomething && e.slice(4).split('|').every((x) => offered.includes(x));
  else if (e.startsWith('flow:')) ok = flows.includes(e);
  else if (e.startsWith('record:')) ok = cards.includes(e) || texts.some((t) => t.includes(e.slice(7)));
  else ok = cards.at(-1) === e;
  if (ok && phrase.lang && session.locale !== phrase.lang) ok = false;
  const wrongCard = (e === 'decline' || e.startsWith('ask:')) && gaveSomething;
  // Another procedure's card or flow where the bank names the right one: as harmful as a wrong card.
  const otherAnswer = !ok && /^(flow|procedure|record):/.test(e) && gaveSomething;
  return { phrase, ok, got: phrase.lang && session.locale !== phrase.lang ? `${got} (in ${session.locale})` : got, wrongCard, otherAnswer };
}

export function evaluate(content: Content, phrases: readonly Phrase[]): Report {
  const catalogue = hasCatalogue(content);
  const skipped: Report['skipped'] = [];
  const outcomes: Outcome[] = [];
  for (const p of phrases) {
    if (p.kind === 'catalogue' && !catalogue) {
      skipped.push({ phrase: p, why: 'the content has no national catalogue yet' });
      continue;
    }
    outcomes.push(runPhrase(content, p));
  }
  const kinds = new Map<string, { kind: string; total: number; ok: number; other: number }>();
  for (const o of outcomes) {
    const k = kinds.get(o.phrase.kind) ?? { kind: o.phrase.kind, total: 0, ok: 0, other: 0 };
    k.total += 1;
    if (o.ok) k.ok += 1;
    if (o.otherAnswer) k.other += 1;
    kinds.set(k.kind, k);
  }
  const ok = outcomes.filter((o) => o.ok).length;
  return {
    outcomes,
    skipped,
    byKind: [...kinds.values()].sort((a, b) => a.kind.localeCompare(b.kind)),
    total: outcomes.length,
    ok,
    accuracy: outcomes.length === 0 ? 1 : ok / outcomes.length,
    wrongCards: outcomes.filter((o) => o.wrongCard).length,
    otherAnswers: outcomes.filter((o) => o.otherAnswer).length,
  };
}

/** The report as the terminal shows it: per kind, then every miss with what the bot did. */
export function formatReport(report: Report): string {
  const pct = (a: number, b: number) => `${b === 0 ? 100 : ((a / b) * 100).toFixed(1)}%`;
  const lines = ['kind            ok / total   accuracy  other answer'];
  for (const k of report.byKind) lines.push(`${k.kind.padEnd(15)} ${String(k.ok).padStart(4)} / ${String(k.total).padEnd(6)} ${pct(k.ok, k.total).padEnd(9)} ${k.other}`);
  lines.push(`${'all'.padEnd(15)} ${String(report.ok).padStart(4)} / ${String(report.total).padEnd(6)} ${pct(report.ok, report.total).padEnd(9)} ${report.otherAnswers}`);
  lines.push(`wrong cards where the bot had to decline or ask: ${report.wrongCards}`);
  lines.push(`another card or flow than the expected one: ${report.otherAnswers}`);
  if (report.skipped.length > 0) lines.push(`skipped: ${report.skipped.length} (${[...new Set(report.skipped.map((s) => s.why))].join('; ')})`);
  const misses = report.outcomes.filter((o) => !o.ok);
  if (misses.length > 0) {
    lines.push('', `misses (${misses.length}):`);
    for (const m of misses) lines.push(`  [${m.phrase.kind}] ${JSON.stringify(m.phrase.q)} → expected ${m.phrase.expect}, got ${m.got}${m.wrongCard ? '  ← WRONG CARD' : m.otherAnswer ? '  ← OTHER ANSWER' : ''}`);
  }
  return lines.join('\n');
}
