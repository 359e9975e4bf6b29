/**
 * npm run content:import — builds content/regions/<slug>/units.json for every province that has a
 * content/regions/<slug>/region.yaml, from the national admin-unit data pinned in
 * sources/admin-units/national (see sources/README.md) plus each region's aliases.yaml.
 * Deterministic: the same input gives the same bytes, and every units.json records the SHA-256
 * of each file read, so a reviewer can tell which version of the data it came from.
 * `npm run content:import -- --seed` first writes a region.yaml for each province that has none.
 * The pure part is src/places/build-region.ts; a test checks every units.json is up to date.
 */
import { readdir, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { z } from 'zod';
import { buildRegion, DistrictsBefore, NationalOldRecord, NationalUnit, seedRegion, sha256, type NationalData, type RegionInputs } from '../places/build-region';
import { RegionFile } from '../places/region';
import { importCatalogue } from './import-catalogue';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SOURCE_DIR = 'sources/admin-units/national';
export const REGIONS_DIR = 'content/regions';

/** Reads and checks the national files; `files` gets the sha256 of the bytes as stored. */
export async function readNationalData(root = ROOT): Promise<NationalData> {
  const dir = path.join(root, SOURCE_DIR);
  const [unitsGz, oldGz, provenance, districts] = await Promise.all([
    readFile(path.join(dir, 'units-34.json.gz')),
    readFile(path.join(dir, 'old-to-new-34.json.gz')),
    readFile(path.join(dir, 'PROVENANCE.md'), 'utf8'),
    readFile(path.join(dir, 'districts-before-2025.json'), 'utf8').catch(() => undefined),
  ]);
  return {
    ...(districts !== undefined ? { districtsBefore: { data: DistrictsBefore.parse(JSON.parse(districts)), sha256: sha256(districts) } } : {}),
    units: z.array(NationalUnit).parse(JSON.parse(gunzipSync(unitsGz).toString('utf8'))),
    old: z.array(NationalOldRecord).parse(JSON.parse(gunzipSync(oldGz).toString('utf8'))),
    files: { 'units-34.json.gz': sha256(unitsGz), 'old-to-new-34.json.gz': sha256(oldGz), 'PROVENANCE.md': sha256(provenance) },
    commits: [...new Set(provenance.match(/\b[0-9a-f]{40}\b/g) ?? [])].sort(),
  };
}

/** The slugs that have a region.yaml, sorted. */
export async function regionSlugs(root = ROOT): Promise<string[]> {
  const entries = await readdir(path.join(root, REGIONS_DIR), { withFileTypes: true });
  const slugs: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const ok = await readFile(path.join(root, REGIONS_DIR, e.name, 'region.yaml'), 'utf8').then(() => true, () => false);
    if (ok) slugs.push(e.name);
  }
  return slugs.sort();
}

export async function readRegionInputs(slug: string, root = ROOT): Promise<RegionInputs> {
  const dir = path.join(root, REGIONS_DIR, slug);
  const regionRaw = await readFile(path.join(dir, 'region.yaml'), 'utf8');
  const region = RegionFile.parse(parseYaml(regionRaw));
  if (region.slug !== slug) throw new Error(`${REGIONS_DIR}/${slug}/region.yaml: slug is "${region.slug}", the folder is "${slug}"`);
  const aliasesRaw = await readFile(path.join(dir, 'aliases.yaml'), 'utf8').catch(() => undefined);
  return { region, regionRaw, ...(aliasesRaw !== undefined ? { aliasesRaw } : {}) };
}

async function seed(root: string, national: NationalData): Promise<void> {
  const provinces = JSON.parse(await readFile(path.join(root, SOURCE_DIR, 'provinces-34.json'), 'utf8')) as Array<Parameters<typeof seedRegion>[0]>;
  for (const p of provinces) {
    const region = seedRegion(p, national);
    const file = path.join(root, REGIONS_DIR, region.slug, 'region.yaml');
    if (await readFile(file).then(() => true, () => false)) continue;
    await mkdir(path.dirname(file), { recursive: true });
    const header = `# ${region.full_name}: the words and counts particular to this province (see docs/regions.md).\n# Seeded from sources/admin-units/national/provinces-34.json; edit other_names and common_phrases.\n`;
    await writeFile(file, header + stringifyYaml(region));
    process.stdout.write(`seeded ${path.relative(root, file)}\n`);
  }
}

async function main(): Promise<void> {
  // `-- --catalogue`: only the national procedure catalogue (docs/catalogue.md).
  await importCatalogue(ROOT, (line) => process.stdout.write(line + '\n'));
  if (process.argv.includes('--catalogue')) return;
  const started = Date.now();
  const national = await readNationalData();
  process.stdout.write(`read ${SOURCE_DIR}: ${national.units.length} units, ${national.old.length} old records\n`);
  if (process.argv.includes('--seed')) await seed(ROOT, national);
  const slugs = await regionSlugs();
  let i = 0;
  for (const slug of slugs) {
    const { json, summary } = buildRegion(national, await readRegionInputs(slug));
    const out = `${REGIONS_DIR}/${slug}/units.json`;
    await writeFile(path.join(ROOT, out), json);
    process.stdout.write(`[${String(++i).padStart(2)}/${slugs.length}] wrote ${out}: ${summary}\n`);
  }
  process.stdout.write(`done: ${slugs.length} regions in ${Date.now() - started} ms\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    const message = e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : e instanceof Error ? e.message : String(e);
    process.stderr.write(`content:import failed: ${message}\n`);
    process.exit(1);
  });
}
