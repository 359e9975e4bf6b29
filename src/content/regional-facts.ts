/**
 * Facts in force in one province (docs/regional-facts.md). A procedure file states at its top
 * what holds in every province and, under `regions.<slug>`, what holds in one province only
 * (its offices, its fees, its own catalogue record). A citizen is shown the top merged with their
 * province's facts; a citizen whose province is not known yet, or another province's, sees the
 * top alone, so a Thanh Hóa office or fee never reaches a Nghệ An citizen. Pure.
 */
import type { Procedure, RegionalFacts } from './schema';

/**
 * The procedure as a citizen of `slug` is told it: each field the province gives replaces the
 * file's. `slug` undefined (the province is not known): the facts in force everywhere.
 * Returns `proc` itself when nothing changes, so the common case allocates nothing.
 */
export function factsIn(proc: Procedure, slug: string | undefined): Procedure {
  const own = slug ? proc.regions?.[slug] : undefined;
  if (!own) return proc;
  const merged: Procedure = { ...proc };
  for (const [k, v] of Object.entries(own) as Array<[keyof RegionalFacts, unknown]>) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  return merged;
}

/** The provinces among `served` that have facts of their own in this procedure. */
export function provincesWithOwnFacts(proc: Procedure, served: readonly string[]): string[] {
  return served.filter((slug) => proc.regions?.[slug] !== undefined);
}

/**
 * The catalogue codes a deployment serving `served` can show for this procedure: each served
 * province's, and the file's own when a citizen may be answered without a province (several
 * served) or a served province keeps it.
 */
export function servedCodes(proc: Procedure, served: readonly string[]): string[] {
  const codes = new Set<string>();
  for (const slug of served) {
    const code = factsIn(proc, slug).code;
    if (code) codes.add(code);
  }
  if (served.length !== 1 && proc.code) codes.add(proc.code);
  return [...codes];
}
