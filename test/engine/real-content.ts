/**
 * The real content (flows/ and content/ of this repository), loaded once per test file, and a
 * small driver that feeds a conversation to the pure engine. No mocks: what the tests see is
 * what the bot serves.
 */
import path from 'node:path';
import { compileContent } from '../../src/content/compile';
import { formatReport } from '../../src/content/diagnostics';
import { readContentFiles } from '../../src/content/files';
import { loadContent } from '../../src/content/index';
import { lintContent } from '../../src/content/lint';
import { newSession, step } from '../../src/engine/step';
import type { Content, Input, Locale, Session, StepResult } from '../../src/engine/types';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** 2026-11-25 09:00 in Vietnam. */
export const T0 = Date.parse('2026-11-25T02:00:00Z');

/** What the bot serves by default (REGIONS=thanh-hoa). */
export const DEFAULT_REGIONS = ['thanh-hoa'] as const;

const cached = new Map<string, Promise<Content>>();
/** The real content as a deployment with these REGIONS serves it (default: Thanh Hóa). */
export function realContent(regions: readonly string[] | 'all' = DEFAULT_REGIONS): Promise<Content> {
  const key = regions === 'all' ? 'all' : regions.join(',');
  let c = cached.get(key);
  if (!c) {
    c = loadContent(ROOT, { regions }).then((r) => {
      if (!r.content) throw new Error(`the real content does not load:\n${formatReport(r.diagnostics)}`);
      return r.content;
    });
    cached.set(key, c);
  }
  return c;
}

/**
 * The real content plus (or with replaced) files, compiled in memory. `onlyTheseFlows` drops
 * the shipped flows and transcripts first, for tests about the engine rather than the content.
 */
export async function contentWith(extra: Record<string, string>, { onlyTheseFlows = false } = {}): Promise<Content> {
  const files = new Map(await readContentFiles(ROOT));
  if (onlyTheseFlows) for (const k of [...files.keys()]) if (k.startsWith('flows/')) files.delete(k);
  for (const [k, v] of Object.entries(extra)) files.set(k, v);
  const { parsed, diagnostics } = lintContent(files, '2026-11-25', DEFAULT_REGIONS);
  if (!parsed) throw new Error(formatReport(diagnostics));
  return compileContent(parsed, files);
}

/** "#p2.1" taps an option id, "!start" opens the chat, anything else is typed. */
export function inputOf(s: string | Input): Input {
  if (typeof s !== 'string') return s;
  if (s === '!start') return { kind: 'start' };
  if (s.startsWith('#')) return { kind: 'choice', value: s.slice(1) };
  return { kind: 'text', value: s };
}

export interface Conversation {
  session: Session;
  now: number;
  last: StepResult;
  /** Send one more message, `minutes` after the previous one (default: 10 seconds). */
  say(input: string | Input, minutes?: number): StepResult;
}

/** Starts a fresh conversation and sends `inputs`, 10 seconds apart. */
export function converse(content: Content, inputs: Array<string | Input> = [], locale: Locale = 'vi'): Conversation {
  const c: Conversation = {
    session: newSession(locale, T0),
    now: T0,
    last: { session: newSession(locale, T0), replies: [], events: [] },
    say(input, minutes) {
      c.now += minutes === undefined ? 10_000 : minutes * 60_000;
      c.last = step(content, c.session, inputOf(input), c.now);
      c.session = c.last.session;
      return c.last;
    },
  };
  for (const i of inputs) c.say(i);
  return c;
}

/** All reply texts of a turn, joined. */
export function textOf(r: StepResult): string {
  return r.replies.map((x) => x.text).join('\n');
}

/** Option labels of a turn. */
export function labelsOf(r: StepResult): string[] {
  return r.replies.flatMap((x) => x.options ?? []).map((o) => o.label);
}

/** The id of the option labelled exactly `label` in the turn. */
export function optionId(r: StepResult, label: string): string {
  const o = r.replies.flatMap((x) => x.options ?? []).find((x) => x.label === label);
  if (!o) throw new Error(`no option "${label}" in ${JSON.stringify(labelsOf(r))}`);
  return o.id;
}
