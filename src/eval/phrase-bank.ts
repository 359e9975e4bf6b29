/**
 * The phrase bank (eval/phrases.yaml): realistic citizen questions, one a line, each with the
 * answer the bot must reach. Editors grow it from the staff insights; `npm run eval` and the
 * vitest gate run it on the engine. The schema is the type (zod), so a bad line names itself.
 */
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * What the bot must do:
 * - `flow:<id>`       start that flow (or answer it in one go)
 * - `procedure:<id>`  show that procedure's card
 * - `record:<code>`   show the national catalogue record with that code (kind `catalogue`)
 * - `handoff`         hand the chat to a person
 * - `decline`         no card, no flow: say plainly it is not covered, offer the portal and a person
 * - `ask:<a>|<b>`     ask which one, offering at least these targets (`flow:x`, `procedure:y`, `record:1.014171`;
 *                     one target alone: ask, with at least that one offered), no card
 */
const Expect = z.string().regex(/^(flow:[a-z0-9-]+|procedure:[a-z0-9-]+|record:[0-9.a-zA-Z-]+|handoff|decline|ask:[a-z]+:[a-z0-9.-]+(\|[a-z]+:[a-z0-9.-]+)*)$/, 'flow:<id>, procedure:<id>, record:<code>, handoff, decline or ask:<a>|<b>');

export const Phrase = z.strictObject({
  /** The citizen's message, or up to three messages in order. */
  q: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(3)]),
  expect: Expect,
  /** The group accuracy is reported by: flow, procedure, catalogue, handoff, decline, english, teencode, negation, correction, skip, story, ambiguous, entry, place. */
  kind: z.string().regex(/^[a-z-]+$/),
  /** The chat language after the conversation, when it matters (`en` for English questions). */
  lang: z.enum(['vi', 'en']).optional(),
  /** Where the wording came from: a public page's URL, "written", or "insights <date>". */
  source: z.string().min(1).default('written'),
});
export type Phrase = z.infer<typeof Phrase>;

export const PhraseBank = z.array(Phrase);

/** Parses the YAML; throws with the line index and the field when a line is wrong. */
export function parsePhraseBank(source: string): Phrase[] {
  const result = PhraseBank.safeParse(parse(source) ?? []);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 5).map((i) => `entry ${String(i.path[0] ?? '?')} ${i.path.slice(1).join('.')}: ${i.message}`);
  throw new Error(`eval/phrases.yaml is not valid:\n${lines.join('\n')}`);
}

export function messagesOf(p: Phrase): string[] {
  return typeof p.q === 'string' ? [p.q] : p.q;
}
