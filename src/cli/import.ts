/**
 * npm run content:import — builds content/regions/thanh-hoa/units.json from the verified data in
 * ../shared/data (override with SHARED_DATA_DIR). Deterministic: the same input gives the same
 * bytes, and the output records the input files' SHA-256 so a reviewer can tell which version
 * of the data it came from.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = path.resolve(root, process.env.SHARED_DATA_DIR ?? '../shared/data');
const outFile = path.join(root, 'content/regions/thanh-hoa/units.json');

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
    }),
  ),
});

async function main(): Promise<void> {
  const unitsPath = path.join(dataDir, 'thanh-hoa-units.json');
  const oldPath = path.join(dataDir, 'thanh-hoa-old-to-new.json');
  const [unitsRaw, oldRaw, provenance] = await Promise.all([readFile(unitsPath, 'utf8'), readFile(oldPath, 'utf8'), readFile(path.join(dataDir, 'PROVENANCE.md'), 'utf8')]);
  const units = z.array(SharedUnit).parse(JSON.parse(unitsRaw));
  const oldUnits = z.array(z.object({ old_code: z.string(), doubtful_old_record: z.string().optional() }).passthrough()).parse(JSON.parse(oldRaw));

  const counts = { units: units.length, xa: units.filter((u) => u.type === 'xã').length, phuong: units.filter((u) => u.type === 'phường').length };
  if (counts.units !== 166 || counts.xa !== 147 || counts.phuong !== 19) throw new Error(`unexpected unit counts ${JSON.stringify(counts)} in ${unitsPath}`);
  const linked = new Set(units.flatMap((u) => u.merged_from.map((m) => m.old_code)));
  const doubtful = oldUnits.filter((o) => o.doubtful_old_record).map((o) => o.old_code);
  const unlinked = oldUnits.filter((o) => !linked.has(o.old_code) && !o.doubtful_old_record).map((o) => o.old_code);
  if (unlinked.length > 0) throw new Error(`old units without a new unit: ${unlinked.join(', ')}`);

  const out = {
    source: {
      description: 'Built by `npm run content:import` from ../shared/data (see its PROVENANCE.md): GSO 1027/CTK-CSCL and Resolution 1686/NQ-UBTVQH15 via dvhcvn/20250701, old districts via daohoangson/dvhcvn v20250301 (GPL-3.0).',
      resolution: 'Nghị quyết 1686/NQ-UBTVQH15 (16/6/2025)',
      effective: '2025-07-01',
      files: {
        'thanh-hoa-units.json': sha256(unitsRaw),
        'thanh-hoa-old-to-new.json': sha256(oldRaw),
        'PROVENANCE.md': sha256(provenance),
      },
      commits: [...new Set(provenance.match(/\b[0-9a-f]{40}\b/g) ?? [])].sort(),
      doubtful_old_records_left_out: doubtful.sort(),
    },
    province: 'Thanh Hóa',
    units: [...units]
      .sort((a, b) => a.code.localeCompare(b.code))
      .map((u) => ({
        code: u.code,
        name: u.name,
        type: u.type,
        full_name: u.full_name,
        merged_from: [...u.merged_from]
          .sort((a, b) => a.old_code.localeCompare(b.old_code))
          .map((m) => ({ name: m.name, type: m.type, old_district: m.old_district, old_code: m.old_code, portion: m.portion })),
      })),
  };
  await mkdir(path.dirname(outFile), { recursive: true });
  await writeFile(outFile, `${JSON.stringify(out, null, 1)}\n`);
  const links = out.units.reduce((n, u) => n + u.merged_from.length, 0);
  const partial = out.units.reduce((n, u) => n + u.merged_from.filter((m) => m.portion === 'partial').length, 0);
  process.stdout.write(`wrote ${path.relative(root, outFile)}: ${counts.units} units (${counts.xa} xã, ${counts.phuong} phường), ${links} links from old units (${partial} partial), ${doubtful.length} doubtful old records left out\n`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

main().catch((e: unknown) => {
  process.stderr.write(`content:import failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
