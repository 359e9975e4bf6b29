/**
 * The pure part of `npm run content:import`: from the national admin-unit data (already parsed)
 * and one province's region.yaml and aliases.yaml, the text of content/regions/<slug>/units.json.
 * Deterministic: the same inputs give the same bytes. Throws with a readable message when the
 * data disagrees with the counts region.yaml expects, or an alias names a code that does not exist.
 */
import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { RegionFile } from './region';
import { districtKey } from './scan';

export const NationalUnit = z.object({
  code: z.string(),
  name: z.string(),
  type: z.enum(['xã', 'phường', 'đặc khu']),
  full_name: z.string(),
  province_code: z.string(),
  resolution: z.string(),
  merged_from: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['xã', 'phường', 'thị trấn', 'huyện']),
      old_district: z.string(),
      old_code: z.string(),
      old_province: z.string(),
      portion: z.enum(['full', 'partial']),
      name_in_resolution: z.string().optional(),
    }),
  ),
});
export type NationalUnit = z.infer<typeof NationalUnit>;

export const NationalOldRecord = z.object({
  old_code: z.string(),
  old_name: z.string(),
  old_type: z.string(),
  old_district: z.string(),
  old_province: z.string(),
  new: z.array(z.object({ code: z.string(), province_code: z.string() })),
  status: z.enum(['confirmed', 'one_source_only', 'doubtful_old_record']),
  doubtful_old_record: z.string().optional(),
});
export type NationalOldRecord = z.infer<typeof NationalOldRecord>;

/** aliases.yaml: extra names for a new unit (`unit`) or an old one (`old_code`). */
const AliasesFile = z.strictObject({
  aliases: z
    .array(
      z
        .strictObject({
          unit: z.string().regex(/^\d{5}$/, 'unit is the 5-digit code of a new commune or ward (see units.json)').optional(),
          old_code: z.string().regex(/^\d{5}$/, 'old_code is the 5-digit code of a pre-2025 unit (see units.json)').optional(),
          names: z.array(z.string().trim().min(1)).min(1),
          note: z.string().optional(),
        })
        .refine((a) => (a.unit === undefined) !== (a.old_code === undefined), { message: 'give either unit or old_code, not both' }),
    )
    .nullish()
    .transform((a) => a ?? []),
});

/** sources/admin-units/national/districts-before-2025.json (built by districts-before-2025.py). */
export const DistrictsBefore = z.object({
  districts: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      province: z.string(),
      later_districts: z.array(z.string()),
      communes: z.array(z.object({ code: z.string(), name: z.string(), later_district: z.string() })),
      untraced: z.array(z.object({ code: z.string(), name: z.string() })),
    }),
  ),
});
export type DistrictsBefore = z.infer<typeof DistrictsBefore>;

export interface NationalData {
  units: NationalUnit[];
  old: NationalOldRecord[];
  /** Districts dissolved or renamed before the 2025 reform, with the sha256 of their file. */
  districtsBefore?: { data: DistrictsBefore; sha256: string };
  /** sha256 of every file read, by name, recorded in each units.json. */
  files: Record<string, string>;
  /** The source commits PROVENANCE.md names. */
  commits: string[];
}

export interface RegionInputs {
  region: RegionFile;
  /** Text of the region's aliases.yaml; absent means no aliases. */
  aliasesRaw?: string;
  regionRaw: string;
}

export interface RegionResult {
  json: string;
  summary: string;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function buildRegion(national: NationalData, inputs: RegionInputs): RegionResult {
  const { region } = inputs;
  const file = `content/regions/${region.slug}`;
  const units = national.units.filter((u) => u.province_code === region.code);
  const records = national.old.filter((o) => o.new.some((n) => n.province_code === region.code));
  const aliases = AliasesFile.parse(parseYaml(inputs.aliasesRaw ?? 'aliases: []') ?? { aliases: [] }).aliases;

  const counts = {
    units: units.length,
    xa: units.filter((u) => u.type === 'xã').length,
    phuong: units.filter((u) => u.type === 'phường').length,
    dac_khu: units.filter((u) => u.type === 'đặc khu').length,
    old_records: records.length,
  };
  if (JSON.stringify(counts) !== JSON.stringify(region.expected))
    throw new Error(`${file}/region.yaml expects ${JSON.stringify(region.expected)} but the national data has ${JSON.stringify(counts)}`);

  const linked = new Set(units.flatMap((u) => u.merged_from.map((m) => m.old_code)));
  const doubtful = records.filter((o) => o.status === 'doubtful_old_record');
  const singleSource = new Set(records.filter((o) => o.status === 'one_source_only').map((o) => o.old_code));
  const unlinked = records.filter((o) => o.status !== 'doubtful_old_record' && !o.new.some((n) => n.province_code === region.code && units.some((u) => u.code === n.code && u.merged_from.some((m) => m.old_code === o.old_code))));
  if (unlinked.length > 0) throw new Error(`${file}: old units without a new unit: ${unlinked.map((o) => o.old_code).join(', ')}`);

  const codes = new Set(units.map((u) => u.code));
  const unitAliases = new Map<string, string[]>();
  const oldAliases = new Map<string, string[]>();
  for (const a of aliases) {
    if (a.unit !== undefined && !codes.has(a.unit)) throw new Error(`${file}/aliases.yaml: no new unit with code ${a.unit}`);
    if (a.old_code !== undefined && !linked.has(a.old_code)) throw new Error(`${file}/aliases.yaml: no old unit with code ${a.old_code}`);
    const map = a.unit !== undefined ? unitAliases : oldAliases;
    const key = (a.unit ?? a.old_code)!;
    map.set(key, [...(map.get(key) ?? []), ...a.names]);
  }
  // The old province is written only where the province was formed from several, so a
  // province that was not merged (Thanh Hóa) keeps the shape its units.json always had.
  const merged = region.old_provinces.length > 1;

  const former = formerDistricts(national, region.code);
  const uniqueSorted = (names: string[]): string[] | undefined => (names.length > 0 ? [...new Set(names)].sort() : undefined);
  const out = {
    source: {
      description: `Built by \`npm run content:import\` from sources/admin-units/national (see its PROVENANCE.md): GSO 1027/CTK-CSCL and Resolution ${region.resolution} via dvhcvn/20250701, checked against sapnhap.bando; old districts via daohoangson/dvhcvn v20250301 (GPL-3.0); aliases from ${file}/aliases.yaml.`,
      resolution: `Nghị quyết ${region.resolution} (16/6/2025)`,
      effective: '2025-07-01',
      files: {
        ...national.files,
        // Only the provinces that had such a district read the file, so the others' units.json stay as they were.
        ...(former.length > 0 && national.districtsBefore ? { 'districts-before-2025.json': national.districtsBefore.sha256 } : {}),
        'region.yaml': sha256(inputs.regionRaw),
        'aliases.yaml': sha256(inputs.aliasesRaw ?? ''),
      },
      commits: national.commits,
      doubtful_old_records_left_out: doubtful.map((o) => o.old_code).sort(),
    },
    province: region.name,
    ...(former.length > 0 ? { districts_before_2025: former } : {}),
    units: [...units]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((u) => {
        const unconfirmed = doubtful
          .filter((o) => o.new.some((n) => n.code === u.code))
          .sort((a, b) => a.old_code.localeCompare(b.old_code))
          .map((o) => ({ name: o.old_name, type: o.old_type, old_district: o.old_district, old_code: o.old_code, note: o.doubtful_old_record ?? 'doubtful old record', ...(merged ? { old_province: o.old_province } : {}) }));
        const names = uniqueSorted(unitAliases.get(u.code) ?? []);
        return {
          code: u.code,
          name: u.name,
          type: u.type,
          full_name: u.full_name,
          merged_from: [...u.merged_from]
            .sort((a, b) => a.old_code.localeCompare(b.old_code))
            .map((m) => {
              const alt = uniqueSorted([...(m.name_in_resolution ? [m.name_in_resolution] : []), ...(oldAliases.get(m.old_code) ?? [])]);
              return {
                name: m.name,
                type: m.type,
                old_district: m.old_district,
                old_code: m.old_code,
                portion: m.portion,
                ...(alt ? { aliases: alt } : {}),
                ...(merged ? { old_province: m.old_province } : {}),
                ...(singleSource.has(m.old_code) ? { single_source: true } : {}),
              };
            }),
          ...(names ? { aliases: names } : {}),
          ...(unconfirmed.length > 0 ? { unconfirmed_from: unconfirmed } : {}),
        };
      }),
  };
  const links = out.units.reduce((n, u) => n + u.merged_from.length, 0);
  const partial = out.units.reduce((n, u) => n + u.merged_from.filter((m) => m.portion === 'partial').length, 0);
  const aliasCount = aliases.reduce((n, a) => n + a.names.length, 0);
  return {
    json: `${JSON.stringify(out, null, 1)}\n`,
    summary: `${counts.units} units (${counts.xa} xã, ${counts.phuong} phường, ${counts.dac_khu} đặc khu), ${links} links from old units (${partial} partial), ${doubtful.length} doubtful old records kept apart, ${singleSource.size} single-source links, ${aliasCount} editor aliases`,
  };
}

/**
 * The districts of this province that were gone by 01/03/2025, with today's units their communes
 * went into (through the old records, by GSO code). A district whose later name is the same
 * (only its type changed: "huyện Mộc Châu" → "thị xã Mộc Châu") is left out: the old list
 * already answers to that name.
 */
function formerDistricts(national: NationalData, provinceCode: string): Array<{ name: string; old_province: string; later_districts: string[]; units: string[]; untraced: string[] }> {
  const byOld = new Map(national.old.map((o) => [o.old_code, o]));
  const out = [];
  for (const d of national.districtsBefore?.data.districts ?? []) {
    if (d.later_districts.some((l) => districtKey(l) === districtKey(d.name))) continue;
    const records = d.communes.map((c) => byOld.get(c.code));
    const here = records.flatMap((o) => (o ? o.new.filter((n) => n.province_code === provinceCode).map((n) => n.code) : []));
    if (here.length === 0) continue;
    const untraced = [...d.untraced.map((c) => c.name), ...d.communes.filter((c) => !byOld.has(c.code)).map((c) => c.name)];
    out.push({ name: d.name, old_province: d.province, later_districts: d.later_districts, units: [...new Set(here)].sort(), untraced: untraced.sort() });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A region.yaml for a province that has none yet, from provinces-34.json: the editors then add
 * other names and common phrases. Used by `npm run content:import -- --seed`.
 */
export function seedRegion(p: { code: string; name: string; full_name: string; ascii: string; resolution: string; merged_from: Array<{ name: string }> }, national: NationalData): RegionFile {
  const units = national.units.filter((u) => u.province_code === p.code);
  return {
    slug: p.ascii.trim().replace(/\s+/g, '-'),
    code: p.code,
    name: p.name,
    full_name: p.full_name,
    other_names: [],
    old_provinces: p.merged_from.map((m) => m.name),
    common_phrases: [],
    resolution: p.resolution,
    expected: {
      units: units.length,
      xa: units.filter((u) => u.type === 'xã').length,
      phuong: units.filter((u) => u.type === 'phường').length,
      dac_khu: units.filter((u) => u.type === 'đặc khu').length,
      old_records: national.old.filter((o) => o.new.some((n) => n.province_code === p.code)).length,
    },
  };
}
