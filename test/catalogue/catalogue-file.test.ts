/**
 * The committed catalogue (content/catalogue/catalogue.bin) is what the pinned snapshot compiles
 * to. Compiling all 5,665 records takes a minute on a busy machine, so this checks the snapshot's
 * sha256 and recompiles a spread sample of records (every 40th line) to compare field by field.
 * After changing the importer or the snapshot: npm run content:import -- --catalogue.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_FILE, RAW_FILE, readCatalogueFile } from '../../src/catalogue/catalogue-file';
import { compileRecord } from '../../src/catalogue/compile-catalogue';
import { RawLine } from '../../src/catalogue/raw-record';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REGENERATE = 'stale: run npm run content:import -- --catalogue';

describe('the committed catalogue', () => {
  const raw = readFileSync(path.join(ROOT, RAW_FILE));
  const data = readCatalogueFile(path.join(ROOT, CATALOGUE_FILE))!;

  it('was compiled from the pinned snapshot', () => {
    expect(data.source.sha256, REGENERATE).toBe(createHash('sha256').update(raw).digest('hex'));
  });

  it('holds every record of the snapshot, national and local apart', () => {
    expect(data.report).toMatchObject({ records: 5664, national: 4747, local: 917 });
    expect(data.report.byProvince['Thanh Hóa']).toBe(72);
    expect(data.entries).toHaveLength(5664);
  });

  it('decodes a spread sample of records to what the importer makes of them', () => {
    const lines = gunzipSync(raw).toString('utf8').split('\n').filter(Boolean);
    const byCode = new Map(data.entries.map((e) => [e.code, e]));
    let checked = 0;
    for (let i = 0; i < lines.length; i += 40) {
      const parsed = RawLine.parse(JSON.parse(lines[i]!));
      const fresh = compileRecord(parsed.group, parsed.raw.detail, { cleaned: 0 });
      const entry = byCode.get(fresh.code)!;
      // " 1.014325" and "1.014325" are one code: the later update is kept (compile-catalogue.test.ts).
      if (entry.id !== fresh.id) continue;
      const { keywords, ...stored } = data.decode(entry);
      expect(keywords?.length ?? 0).toBeGreaterThan(0);
      expect(stored, `${fresh.code}: ${REGENERATE}`).toEqual(fresh);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });
});
