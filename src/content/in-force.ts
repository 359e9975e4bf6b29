/**
 * Facts in force on a day (docs/catalogue.md "Dated facts"). Pure: the day comes from the
 * engine's injected clock, so a card changes on the date its facts change, with no edit and
 * without any test reading the wall clock.
 */
import type { Fact, FactItem, LocalText, Variant } from './schema';

export function isVariant(x: unknown): x is Variant {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'value' in x;
}

function inForce(v: Variant, day: string): boolean {
  return (!v.from || v.from <= day) && (!v.until || day <= v.until);
}

/** The text of a fact on `day`; undefined when no variant is in force (the card says it does not know). */
export function factOn(fact: Fact | FactItem | undefined, day: string): LocalText | undefined {
  if (fact === undefined) return undefined;
  if (Array.isArray(fact)) return fact.find((v) => inForce(v, day))?.value;
  if (isVariant(fact)) return inForce(fact, day) ? fact.value : undefined;
  return fact;
}

/** The items of a list in force on `day` (an item with no variant in force that day is left out). */
export function itemsOn(items: readonly FactItem[] | undefined, day: string): LocalText[] | undefined {
  if (!items) return undefined;
  return items.map((i) => factOn(i, day)).filter((t): t is LocalText => t !== undefined);
}

/** The variants of a fact, for the lint and content:review (a plain text is one open-ended variant). */
export function variantsOf(fact: Fact | FactItem): Variant[] {
  if (Array.isArray(fact)) return fact;
  if (isVariant(fact)) return [fact];
  return [{ value: fact }];
}

/** Two variants of one fact in force on a common day. */
export function overlapping(vs: readonly Variant[]): [number, number] | undefined {
  for (let i = 0; i < vs.length; i++)
    for (let j = i + 1; j < vs.length; j++) {
      const a = vs[i]!;
      const b = vs[j]!;
      if ((!a.from || !b.until || a.from <= b.until) && (!b.from || !a.until || b.from <= a.until)) return [i, j];
    }
  return undefined;
}

/** YYYY-MM-DD of an epoch-ms instant (UTC, as `verified` and `review_by` are calendar days). */
export function dayOf(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}
