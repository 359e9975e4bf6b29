/**
 * Compiles linted content into the immutable, indexed object the engine reads. Runs once per
 * (re)load; nothing here is recomputed per message.
 */
import { createHash } from 'node:crypto';
import { EMPTY_CATALOGUE, type Catalogue } from '../catalogue/catalogue';
import { createIntentMatcher } from '../engine/intents';
import { fold } from '../engine/normalize';
import type { CompiledFlow, Content, FlowNode } from '../engine/types';
import { createTranslate } from './i18n';
import type { ContentFiles, ParsedContent } from './lint';
import { createOfficeDirectory } from '../places/office-directory';
import { createRegionsIndex } from '../places/regions-index';
import { placeExamples, type PlaceExamples } from '../places/place-examples';
import { servedCodes } from './regional-facts';
import type { Flow, FormerDistrict } from './schema';
import { createSearchIndex } from './search';
import { createPlaceIndex } from '../places/place-index';
import type { Locale, ProvinceRef, Region, Translate, Unit } from '../engine/types';

/** Settings an operator may override from the environment. */
export interface ContentOverrides {
  idleMinutes?: number;
  /** REGIONS: the regions (content/regions/<slug>) served; absent: every region on disk. */
  regions?: readonly string[] | 'all';
}

export function compileContent(parsed: ParsedContent, files: ContentFiles, overrides: ContentOverrides = {}, catalogue: Catalogue = EMPTY_CATALOGUE): Content {
  const settings = { ...parsed.settings, ...(overrides.idleMinutes ? { idle_minutes: overrides.idleMinutes } : {}) };
  const flows = new Map<string, CompiledFlow>(parsed.flows.map(({ flow, src }) => [flow.id, Object.freeze({ ...flow, file: src.file, progress: progressOf(flow) })]));
  const procedures = new Map(parsed.procedures.map(({ procedure }) => [procedure.id, procedure]));
  const lexicon = { provinces: parsed.allProvinces };
  const provinces = new Map<string, ProvinceRef>(parsed.allProvinces.map((p) => [p.slug, { slug: p.slug, name: p.name, full_name: p.full_name }]));
  const regions: Region[] = parsed.regions.map((r) => ({ ...provinces.get(r.slug)!, units: r.units.length, ...(r.words.resolution ? { resolution: r.words.resolution } : {}) }));
  // The provinces not served are indexed only on the first message that names no served place,
  // so a one-province deployment starts as fast as before.
  const outside = (): ReturnType<typeof createPlaceIndex> | undefined => {
    if (parsed.unservedUnits.length === 0) return undefined;
    const read = parsed.unservedUnits.map(({ slug, path }) => ({ slug, file: JSON.parse(files.get(path)!) as { units: Unit[]; districts_before_2025?: FormerDistrict[] } }));
    const units = read.flatMap(({ slug, file }) => file.units.map((u) => ({ ...u, province: slug })));
    return createPlaceIndex(units, lexicon, read.flatMap(({ slug, file }) => (file.districts_before_2025 ?? []).map((d) => ({ ...d, province: slug }))));
  };
  const served = parsed.regions.map((r) => r.slug);
  const formerDistricts = parsed.regions.flatMap((r) => (r.formerDistricts ?? []).map((d) => ({ ...d, province: r.slug })));
  const places = createRegionsIndex(createPlaceIndex(parsed.units, lexicon, formerDistricts), outside);
  const search = createSearchIndex(
    parsed.flows.map((f) => f.flow),
    parsed.procedures.map((p) => p.procedure),
    settings,
    places,
    catalogue,
    served,
  );
  // Every code a served province's facts name leads to its procedure (docs/regional-facts.md).
  const curatedByCode = new Map(parsed.procedures.flatMap(({ procedure: p }) => servedCodes(p, served).map((code) => [code, p.id] as const)));
  const hash = createHash('sha256');
  for (const key of [...files.keys()].sort()) hash.update(key).update('\0').update(files.get(key)!).update('\0');
  return Object.freeze({
    version: hash.digest('hex').slice(0, 12),
    flows,
    procedures,
    settings,
    stopwords: new Set(settings.stopwords.map(fold)),
    places,
    regions,
    provinces,
    offices: createOfficeDirectory(
      parsed.regions.map((r) => ({ slug: r.slug, province: provinces.get(r.slug)!, ...(r.offices ? { offices: r.offices } : {}) })),
      parsed.nationalOffices,
      places,
    ),
    catalogue,
    curatedByCode,
    search: (q: string) => search.search(q),
    intents: createIntentMatcher(settings),
    t: withServed(createTranslate(parsed.locales), regions, parsed.regions[0] ? placeExamples(parsed.regions[0].units, parsed.regions[0].words.examples) : undefined),
  });
}

/**
 * Every text may say which provinces the bot serves ("{{served}}": "tỉnh Thanh Hóa", or
 * "34 tỉnh, thành phố") and how many units ("{{units}}"), and the served province's own example
 * places ("{{example_new}}", "{{example_old}}", "{{example_old_with_district}}", from the first
 * province served), so no locale string names a province or its wards.
 */
function withServed(t: Translate, regions: readonly Region[], examples?: PlaceExamples): Translate {
  const units = regions.reduce((n, r) => n + r.units, 0);
  const label = (locale: Locale): string => {
    if (regions.length > 3) return t(locale, 'place.served_many', { count: regions.length });
    if (locale === 'en') return regions.map((r) => `${r.name} ${r.full_name.startsWith('Thành phố') ? 'city' : 'province'}`).join(', ');
    return regions.map((r) => r.full_name.charAt(0).toLowerCase() + r.full_name.slice(1)).join(', ');
  };
  const served = new Map<Locale, string>();
  return (locale, key, params) => {
    let s = served.get(locale);
    if (s === undefined) served.set(locale, (s = label(locale)));
    return t(locale, key, { served: s, units, ...(examples ? { example_new: examples.new, example_old: examples.old, example_old_with_district: examples.old_with_district } : {}), ...params });
  };
}

/** The nodes a node leads to along the flow's edges (what lint, progress and coverage walk). */
export function successors(node: FlowNode): string[] {
  switch (node.kind) {
    case 'ask':
      return node.options.map((o) => o.next);
    case 'goto':
      return [node.goto];
    case 'ask_place':
      return [node.next];
    case 'handoff':
      return [];
    default:
      return node.next ? [node.next] : [];
  }
}

/** Questions and answers count as steps; say and goto are transitions. */
function counts(node: FlowNode): number {
  return node.kind === 'say' || node.kind === 'goto' ? 0 : 1;
}

/**
 * Per node: its step number and the total number of steps on the longest path through it, for
 * "Bạn đang ở bước 2/4". Back edges (a loop to an earlier question) are ignored.
 */
export function progressOf(flow: Flow): CompiledFlow['progress'] {
  const before = new Map<string, number>();
  const after = new Map<string, number>();
  const onPath = new Set<string>();

  const walkBefore = (id: string, depth: number): void => {
    const node = flow.nodes[id];
    if (!node || onPath.has(id)) return;
    const here = depth + counts(node);
    if ((before.get(id) ?? -1) >= here) return;
    before.set(id, here);
    onPath.add(id);
    for (const n of successors(node)) walkBefore(n, here);
    onPath.delete(id);
  };
  walkBefore(flow.start, 0);
  const progress: CompiledFlow['progress'] = {};
  for (const id of Object.keys(flow.nodes)) {
    const step = before.get(id);
    if (step === undefined) continue;
    const node = flow.nodes[id]!;
    const remaining = Math.max(0, ...successors(node).map((n) => lengthFrom(n)));
    progress[id] = { step: Math.max(step, 1), total: Math.max(step, 1) + remaining };
  }
  return progress;

  function lengthFrom(id: string): number {
    const node = flow.nodes[id];
    if (!node || onPath.has(id)) return 0;
    const known = after.get(id);
    if (known !== undefined) return known;
    onPath.add(id);
    const value = counts(node) + Math.max(0, ...successors(node).map(lengthFrom));
    onPath.delete(id);
    after.set(id, value);
    return value;
  }
}
