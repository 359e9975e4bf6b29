/**
 * Runs the scripted conversations of `flows/_tests/*.yaml` against the compiled content and the
 * real engine, and measures which nodes and edges of each flow they walk. Pure: the clock is
 * fixed, the session starts fresh, nothing is read or written. Used by the vitest suite
 * (test/content/transcripts.test.ts) and by `npm run content:coverage`.
 *
 * Semantics (docs/transcripts.md explains them to editors):
 * - a transcript starts a fresh session at TRANSCRIPT_CLOCK in its `locale` (default vi); each
 *   step moves the clock STEP_MS forward, plus `wait_minutes`;
 * - `start` sends the start input, `user` types text, `choose` taps the option of the most recent
 *   reply that had options whose label contains the words (folded: no case, no diacritics); an
 *   exact label wins; no match or several matches is an error in the transcript and ends it;
 * - the checks look at all replies of the turn: `contains` / `not_contains` (case-insensitive,
 *   diacritics significant), `options` (part of some option label), `links` (part of some url),
 *   `event` (an event of that type was emitted), `node` (the flow node after the turn, as
 *   "flow/node" or as a node of the transcript's `flow`).
 */
import { fold } from '../engine/normalize';
import { newSession, step } from '../engine/step';
import type { CompiledFlow, Content, EngineEvent, Input, Reply, ReplyOption, Session } from '../engine/types';
import { successors } from './compile';
import type { Diagnostic } from './diagnostics';
import type { ParsedTranscript } from './lint';
import type { Transcript, TranscriptStep, TRANSCRIPT_EVENTS } from './schema';

/** 2026-11-25 09:00 in Vietnam: the moment every transcript starts. */
export const TRANSCRIPT_CLOCK = Date.parse('2026-11-25T02:00:00Z');
/** Time between two turns when the transcript does not say `wait_minutes`. */
export const STEP_MS = 10_000;

// The schema's list of event types must stay the engine's; this fails to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type EventListsMatch = Assert<Same<EngineEvent['type'], (typeof TRANSCRIPT_EVENTS)[number]>>;

export interface StepOutcome {
  /** 0-based index in `steps`. */
  index: number;
  /** What the citizen did, as written in the transcript: `user: "lam can cuoc"`. */
  action: string;
  replies: Reply[];
  events: EngineEvent[];
  /** "flow/node" after the turn, or undefined outside a flow. */
  node?: string;
  /** Each check that did not hold, in words; empty when the step passed. */
  failures: string[];
  /** False when the step could not be sent (a `choose` that fits no option or several). */
  ran: boolean;
}

export interface TranscriptResult {
  name: string;
  steps: StepOutcome[];
  /** Every step ran and every check held. */
  ok: boolean;
  /** Nodes entered, as "flow/node". */
  nodes: Set<string>;
  /** Transitions taken along the flow's edges, as "flow/from>to" (back, restart and repeats are not edges). */
  edges: Set<string>;
}

export function runTranscript(content: Content, transcript: Transcript): TranscriptResult {
  let session: Session = newSession(transcript.locale ?? 'vi', TRANSCRIPT_CLOCK);
  let now = TRANSCRIPT_CLOCK;
  let lastOptions: ReplyOption[] | undefined;
  const result: TranscriptResult = { name: transcript.name, steps: [], ok: true, nodes: new Set(), edges: new Set() };

  for (const [index, s] of transcript.steps.entries()) {
    now += STEP_MS + (s.wait_minutes ?? 0) * 60_000;
    const action = describeAction(s);
    const input = inputOf(s, lastOptions);
    if ('error' in input) {
      result.steps.push({ index, action, replies: [], events: [], failures: [`${input.error} (the steps after this one were not run)`], ran: false });
      result.ok = false;
      return result;
    }
    const turn = step(content, session, input, now);
    session = turn.session;
    for (const r of turn.replies) if (r.options && r.options.length > 0) lastOptions = r.options;
    record(content, turn.events, result);
    const node = session.flow ? `${session.flow.id}/${session.flow.node}` : undefined;
    const failures = check(s, transcript, turn.replies, turn.events, session);
    if (failures.length > 0) result.ok = false;
    result.steps.push({ index, action, replies: turn.replies, events: turn.events, ...(node ? { node } : {}), failures, ran: true });
  }
  return result;
}

function describeAction(s: TranscriptStep): string {
  if (s.start) return 'start';
  if (s.choose !== undefined) return `choose: ${JSON.stringify(s.choose)}`;
  return `user: ${JSON.stringify(s.user ?? '')}`;
}

function inputOf(s: TranscriptStep, options: readonly ReplyOption[] | undefined): Input | { error: string } {
  if (s.start) return { kind: 'start' };
  if (s.user !== undefined) return { kind: 'text', value: s.user };
  const words = fold(s.choose ?? '');
  if (!options) return { error: `nothing to choose from: no reply so far had options` };
  const exact = options.filter((o) => fold(o.label) === words);
  const containing = exact.length > 0 ? exact : options.filter((o) => ` ${fold(o.label)} `.includes(` ${words} `));
  const offered = options.map((o) => `"${o.label}"`).join(', ');
  if (containing.length === 1) return { kind: 'choice', value: containing[0]!.id };
  if (containing.length === 0) return { error: `no option contains ${JSON.stringify(s.choose)}; the options were ${offered}` };
  return { error: `${containing.length} options contain ${JSON.stringify(s.choose)} (${containing.map((o) => `"${o.label}"`).join(', ')}); use more of the label` };
}

/** Texts are compared in NFC so a transcript typed with combining marks still matches. */
function lower(s: string): string {
  return s.normalize('NFC').toLowerCase();
}

function check(s: TranscriptStep, transcript: Transcript, replies: readonly Reply[], events: readonly EngineEvent[], session: Session): string[] {
  const failures: string[] = [];
  const said = lower(replies.map((r) => r.text).join('\n'));
  const labels = replies.flatMap((r) => r.options ?? []).map((o) => o.label);
  const urls = replies.flatMap((r) => r.links ?? []).map((l) => l.url);

  for (const want of s.contains ?? []) if (!said.includes(lower(want))) failures.push(`expected the reply to contain ${JSON.stringify(want)}`);
  for (const unwanted of s.not_contains ?? []) if (said.includes(lower(unwanted))) failures.push(`expected the reply not to contain ${JSON.stringify(unwanted)}`);
  for (const want of s.options ?? []) {
    if (!labels.some((l) => lower(l).includes(lower(want)))) failures.push(`expected an option containing ${JSON.stringify(want)}; the options were ${labels.length > 0 ? labels.map((l) => `"${l}"`).join(', ') : '(none)'}`);
  }
  for (const want of s.links ?? []) {
    if (!urls.some((u) => u.includes(want))) failures.push(`expected a link containing ${JSON.stringify(want)}; the links were ${urls.length > 0 ? urls.join(', ') : '(none)'}`);
  }
  if (s.event !== undefined && !events.some((e) => e.type === s.event)) {
    failures.push(`expected a "${s.event}" event; the events were ${events.length > 0 ? events.map((e) => e.type).join(', ') : '(none)'}`);
  }
  if (s.node !== undefined) {
    const flow = session.flow;
    const here = flow ? `${flow.id}/${flow.node}` : '(no flow)';
    const want = expectedNode(s.node, transcript.flow);
    const wrongFlow = want.flow !== undefined && flow?.id !== want.flow;
    if (!flow || flow.node !== want.node || wrongFlow) failures.push(`expected to be at node "${want.flow ? `${want.flow}/` : ''}${want.node}"; the conversation is at ${here}`);
  }
  return failures;
}

/** `node: "can-cuoc/who"` names the flow too; a bare `node: who` is in the transcript's `flow`, if any. */
export function expectedNode(node: string, transcriptFlow: string | undefined): { flow?: string; node: string } {
  const slash = node.indexOf('/');
  if (slash > 0) return { flow: node.slice(0, slash), node: node.slice(slash + 1) };
  return transcriptFlow === undefined ? { node } : { flow: transcriptFlow, node };
}

function record(content: Content, events: readonly EngineEvent[], result: TranscriptResult): void {
  for (const e of events) {
    if (e.type !== 'node_entered') continue;
    result.nodes.add(`${e.flow}/${e.node}`);
    const flow = content.flows.get(e.flow);
    const from = e.from !== undefined ? flow?.nodes[e.from] : undefined;
    if (from && successors(from).includes(e.node)) result.edges.add(`${e.flow}/${e.from}>${e.node}`);
  }
}

// ---------- reports ----------

const MAX_SAID = 1200;

/** A failed run as diagnostics at the failing steps, for the lint-style report and the tests. */
export function transcriptDiagnostics({ src, path }: ParsedTranscript, result: TranscriptResult): Diagnostic[] {
  return result.steps
    .filter((o) => o.failures.length > 0)
    .map((o) => {
      const lines = [`"${result.name}" step ${o.index + 1} (${o.action}):`, ...o.failures.map((f) => `  - ${f}`)];
      if (o.ran) lines.push(describeTurn(o));
      return src.at([...path, 'steps', o.index], 'error', 'transcript', lines.join('\n'));
    });
}

/** What the bot said and did in a turn, indented, for failure messages. */
export function describeTurn(o: StepOutcome): string {
  const lines: string[] = [];
  for (const r of o.replies) {
    const text = r.text.length > MAX_SAID ? `${r.text.slice(0, MAX_SAID)}…` : r.text;
    lines.push(...text.split('\n').map((l) => `    | ${l}`));
    if (r.options?.length) lines.push(`    options: ${r.options.map((x) => `[${x.label}]`).join(' ')}`);
    if (r.links?.length) lines.push(`    links: ${r.links.map((x) => x.url).join(' ')}`);
  }
  if (o.replies.length === 0) lines.push('    (no reply)');
  lines.push(`    events: ${o.events.map((e) => e.type).join(', ') || '(none)'}; at: ${o.node ?? '(no flow)'}`);
  return `  the bot said:\n${lines.join('\n')}`;
}

// ---------- coverage ----------

export interface FlowCoverage {
  flow: string;
  file: string;
  nodes: { total: number; entered: number; missing: string[] };
  edges: { total: number; taken: number; missing: string[] };
}

/** Edges of a flow as "from>to", each pair once (two options leading to the same node are one edge). */
export function flowEdges(flow: CompiledFlow): string[] {
  return [...new Set(Object.entries(flow.nodes).flatMap(([id, node]) => successors(node).filter((to) => flow.nodes[to]).map((to) => `${id}>${to}`)))];
}

/** Node and edge coverage of every flow by the given runs, flows in id order. */
export function coverage(content: Content, results: readonly TranscriptResult[]): FlowCoverage[] {
  const nodes = new Set(results.flatMap((r) => [...r.nodes]));
  const edges = new Set(results.flatMap((r) => [...r.edges]));
  return [...content.flows.values()]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((flow) => {
      const ids = Object.keys(flow.nodes);
      const missingNodes = ids.filter((id) => !nodes.has(`${flow.id}/${id}`));
      const all = flowEdges(flow);
      const missingEdges = all.filter((e) => !edges.has(`${flow.id}/${e}`));
      return {
        flow: flow.id,
        file: flow.file,
        nodes: { total: ids.length, entered: ids.length - missingNodes.length, missing: missingNodes },
        edges: { total: all.length, taken: all.length - missingEdges.length, missing: missingEdges },
      };
    });
}
