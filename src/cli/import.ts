/**
 * npm run content:import — builds content/regions/thanh-hoa/units.json from the verified data in
 * sources/admin-units/thanh-hoa (a pinned copy of the verified data, see sources/README.md) plus the editors' place aliases in
 * content/regions/thanh-hoa/aliases.yaml. Deterministic: the same input gives the same bytes,
 * and the output records every input file's SHA-256 so a reviewer can tell which version of the
 * data it came from. `buildUnitsFile` is the pure part; a test checks units.json is up to date.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { importCatalogue } from './import-catalogue';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const UNITS_FILE = 'content/regions/thanh-hoa/units.json';
export const ALIASES_FILE = 'content/regions/thanh-hoa/aliases.yaml';

const SharedUnit = z.object({
  code: z.string(),
  name: z.string(),
  type: z.enum(['xã', 'phường']),
  full_name: z.string(),
  merged_from: z.array(
    z.object({
      name: z.string(),
      type: z.enum(['xã', 'phường', 'thị trấn']),
      old_district: z.string(),
      old_code: z.string(),
      portion: z.enum(['full', 'partial']),
      name_in_resolution: z.string().optional(),
    }),
  ),
});

const OldRecord = z
  .object({
    old_code: z.string(),
    old_name: z.string(),
    old_type: z.string(),
    old_district: z.string(),
    new: z.array(z.object({ code: z.string() })),
    doubtful_old_record: z.string().optional(),
  })
  .passthrough();

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

export interface ImportInputs {
  unitsRaw: string;
  oldRaw: string;
  provenance: string;
  /** Text of aliases.yaml; absent means no aliases. */
  aliasesRaw?: string;
}

export interface ImportResult {
  json: string;
  summary: string;
}

/** Builds the text of units.json. Throws with a readable message when an input is inconsistent. */
export function buildUnitsFile(inputs: ImportInputs): ImportResult {
  const units = z.array(SharedUnit).parse(JSON.parse(inputs.unitsRaw));
  const oldUnits = z.array(OldRecord).parse(JSON.parse(inputs.oldRaw));
  const aliases = AliasesFile.parse(parseYaml(inputs.aliasesRaw ?? 'aliases: []') ?? { aliases: [] }).aliases;

  const counts = { units: units.length, xa: units.filter((u) => u.type === 'xã').length, phuong: units.filter((u) => u.type === 'phường').length };
  if (counts.units !== 166 || counts.xa !== 147 || counts.phuong !== 19) throw new Error(`unexpected unit counts ${JSON.stringify(counts)} in thanh-hoa-units.json`);
  const linked = new Set(units.flatMap((u) => u.merged_from.map((m) => m.old_code)));
  const doubtful = oldUnits.filter((o) => o.doubtful_old_record);
  const unlinked = oldUnits.filter((o) => !linked.has(o.old_code) && !o.doubtful_old_record).map((o) => o.old_code);
  if (unlinked.length > 0) throw new Error(`old units without a new unit: ${unlinked.join(', ')}`);

  const codes = new Set(units.map((u) => u.code));
  const unitAliases = new Map<string, string[]>();
  const oldAliases = new Map<string, string[]>();
  for (const a of aliases) {
    if (a.unit !== undefined && !codes.has(a.unit)) throw new Error(`${ALIASES_FILE}: no new unit with code ${a.unit}`);
    if (a.old_code !== undefined && !linked.has(a.old_code)) throw new Error(`${ALIASES_FILE}: no old unit with code ${a.old_code}`);
    const map = a.unit !== undefined ? unitAliases : oldAliases;
    const key = (a.unit ?? a.old_code)!;
    map.set(key, [...(map.get(key) ?? []), ...a.names]);
  }

  const uniqueSorted = (names: string[]): string[] | undefined => (names.length > 0 ? [...new Set(names)].sort() : undefined);
  const out = {
    source: {
      description:
        'Built by `npm run content:import` from sources/admin-units/thanh-hoa (see its PROVENANCE.md): GSO 1027/CTK-CSCL and Resolution 1686/NQ-UBTVQH15 via dvhcvn/20250701, old districts via daohoangson/dvhcvn v20250301 (GPL-3.0); aliases from content/regions/thanh-hoa/aliases.yaml.',
      resolution: 'Nghị quyết 1686/NQ-UBTVQH15 (16/6/2025)',
      effective: '2025-07-01',
      files: {
        'thanh-hoa-units.json': sha256(inputs.unitsRaw),
        'thanh-hoa-old-to-new.json': sha256(inputs.oldRaw),
        'PROVENANCE.md': sha256(inputs.provenance),
        'aliases.yaml': sha256(inputs.aliasesRaw ?? ''),
      },
      commits: [...new Set(inputs.provenance.match(/\b[0-9a-f]{40}\b/g) ?? [])].sort(),
      doubtful_old_records_left_out: doubtful.map((o) => o.old_code).sort(),
    },
    province: 'Thanh Hóa',
    units: [...units]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((u) => {
        const unconfirmed = doubtful
          .filter((o) => o.new.some((n) => n.code === u.code))
          .sort((a, b) => a.old_code.localeCompare(b.old_code))
          .map((o) => ({ name: o.old_name, type: o.old_type, old_district: o.old_district, old_code: o.old_code, note: o.doubtful_old_record! }));
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
              return { name: m.name, type: m.type, old_district: m.old_district, old_code: m.old_code, portion: m.portion, ...(alt ? { aliases: alt } : {}) };
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
    summary: `${counts.units} units (${counts.xa} xã, ${counts.phuong} phường), ${links} links from old units (${partial} partial), ${doubtful.length} doubtful old records kept apart, ${aliasCount} editor aliases`,
  };
}

export const SOURCE_DIR = 'sources/admin-units/thanh-hoa';

/** Reads the inputs from disk: the pinned source data and the editors' aliases file, both in the repo. */
export async function readImportInputs(root = ROOT, dataDir = path.join(root, SOURCE_DIR)): Promise<ImportInputs> {
  const [unitsRaw, oldRaw, provenance, aliasesRaw] = await Promise.all([
    readFile(path.join(dataDir, 'thanh-hoa-units.json'), 'utf8'),
    readFile(path.join(dataDir, 'thanh-hoa-old-to-new.json'), 'utf8'),
    readFile(path.join(dataDir, 'PROVENANCE.md'), 'utf8'),
    readFile(path.join(root, ALIASES_FILE), 'utf8').catch(() => undefined),
  ]);
  return { unitsRaw, oldRaw, provenance, ...(aliasesRaw !== undefined ? { aliasesRaw } : {}) };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function main(): Promise<void> {
  // `-- --catalogue`: only the national procedure catalogue (docs/catalogue.md).
  await importCatalogue(ROOT, (line) => process.stdout.write(line + '\n'));
  if (process.argv.includes('--catalogue')) return;
  const { json, summary } = buildUnitsFile(await readImportInputs());
  const outFile = path.join(ROOT, UNITS_FILE);
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, json);
  process.stdout.write(`wrote ${UNITS_FILE}: ${summary}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    const message = e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : e instanceof Error ? e.message : String(e);
    process.stderr.write(`content:import failed: ${message}\n`);
    process.exit(1);
  });
}
