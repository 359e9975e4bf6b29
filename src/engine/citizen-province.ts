/**
 * Whose facts a citizen is told (docs/regional-facts.md): the province of the place they named,
 * or the one province a deployment serves. With several provinces served and no place named yet,
 * nobody's: the card gives the facts in force everywhere and says which provinces have their own.
 */
import { factsIn, provincesWithOwnFacts } from '../content/regional-facts';
import { say, t, type StepContext } from './context';
import type { LocalText, Procedure } from './types';

/** Slug of the citizen's province, or undefined when it is not known yet. */
export function citizenProvince(ctx: StepContext): string | undefined {
  const code = ctx.session.place?.code;
  const unit = code ? ctx.content.places.byCode(code) : undefined;
  if (unit?.province) return unit.province;
  return ctx.content.regions.length === 1 ? ctx.content.regions[0]!.slug : undefined;
}

/** The curated procedure `id` with the facts in force in the citizen's province. */
export function procedureFor(ctx: StepContext, id: string): Procedure | undefined {
  const proc = ctx.content.procedures.get(id);
  return proc && factsIn(proc, citizenProvince(ctx));
}

/**
 * With several provinces served and the citizen's not known, a card that leaves out some
 * province's own facts says so and asks for the place, rather than let it pass for the whole answer.
 */
export function sayOwnFactsHint(ctx: StepContext, id: string): void {
  const proc = ctx.content.procedures.get(id);
  if (!proc || citizenProvince(ctx) !== undefined) return;
  const own = provincesWithOwnFacts(proc, ctx.content.regions.map((r) => r.slug));
  if (own.length === 0) return;
  const names = own.map((slug) => ctx.content.provinces.get(slug)!).map((p) => (ctx.session.locale === 'en' ? p.name : p.full_name.charAt(0).toLowerCase() + p.full_name.slice(1)));
  const list = names.join(', ');
  say(ctx, t(ctx, 'procedure.own_facts_elsewhere', { provinces: list.charAt(0).toUpperCase() + list.slice(1) }));
}

/** What a flow node says to this citizen: their province's own words if it has some, else the node's. */
export function sayOf(ctx: StepContext, node: { say?: LocalText | undefined; regions?: Record<string, { say: LocalText }> | undefined }): LocalText | undefined {
  const slug = citizenProvince(ctx);
  return (slug ? node.regions?.[slug]?.say : undefined) ?? node.say;
}
