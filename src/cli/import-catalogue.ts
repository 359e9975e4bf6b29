/**
 * npm run content:import -- --catalogue — compiles sources/dvc/procedures-raw.jsonl.gz into
 * content/catalogue/catalogue.bin (see src/catalogue/catalogue-file.ts) and writes the data-quality report next to it
 * (quality-report.json), printing progress and the report. Deterministic.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildCatalogue, CATALOGUE_FILE, encodeCatalogue, RAW_FILE, REPORT_FILE } from '../catalogue/catalogue-file';
import type { QualityReport } from '../catalogue/model';

export function formatQualityReport(r: QualityReport): string {
  const provinces = Object.entries(r.byProvince)
    .map(([p, n]) => `${p} ${n}`)
    .join(', ');
  return [
    `records: ${r.records} (national ${r.national}, provinces' own ${r.local})`,
    `documents parsed: ${r.documentItems} items in ${r.documentGroups} groups`,
    `records with no fee stated: ${r.noFee}`,
    `records with a method lacking a time unit: ${r.noTimeUnit}`,
    `records with no documents: ${r.noDocuments}`,
    `texts cleaned: ${r.textsCleaned}`,
    `skipped lines: ${r.skipped.length}`,
    `provinces' own records: ${provinces}`,
  ].join('\n');
}

export async function importCatalogue(root: string, log: (line: string) => void): Promise<QualityReport> {
  const started = performance.now();
  log(`reading ${RAW_FILE}`);
  const raw = await readFile(path.join(root, RAW_FILE));
  log('compiling records');
  const file = buildCatalogue(raw);
  log(`encoding ${file.records.length} records`);
  const out = path.join(root, CATALOGUE_FILE);
  await mkdir(path.dirname(out), { recursive: true });
  const bytes = encodeCatalogue(file);
  await writeFile(out, bytes);
  await writeFile(path.join(root, REPORT_FILE), JSON.stringify(file.report, null, 2) + '\n');
  log(`wrote ${CATALOGUE_FILE} (${(bytes.length / 1e6).toFixed(1)} MB) and ${REPORT_FILE} in ${Math.round(performance.now() - started)} ms`);
  log(formatQualityReport(file.report));
  return file.report;
}
