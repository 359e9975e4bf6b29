/**
 * The committed catalogue (content/catalogue/catalogue.bin) is what the pinned snapshot compiles
 * to. Compiling all 5,665 records takes a minute on a busy machine, so this checks the snapshot's
 * sha256 and recompiles a spread sample of records (every 40th line) to compare field by field.
 * After changing the importer or the snapshot: npm run content:import -- --catalogue.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_FILE, encodeCatalogue, openCatalogue, RAW_FILE, readCatalogueFile } from '../../src/catalogue/catalogue-file';
import type { CatalogueRecord, QualityReport } from '../../src/catalogue/model';
import { tokens } from '../../src/engine/normalize';
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

  it('stores every name folded as queries are folded (the search index is built from it)', () => {
    const stale = data.entries.filter((e) => data.nameWords(e).join(' ') !== tokens(e.name).join(' ')).map((e) => e.code);
    expect(stale, REGENERATE).toEqual([]);
  });
});

describe('a catalogue file', () => {
  const record = (code: string, name: string) => ({ code, id: code, name, group: 'g', levels: [], subjects: [], updated: '2026-01-01', documents: [], methods: [], steps: [], legal: [] }) as unknown as CatalogueRecord;
  const file = (names: string[]) => encodeCatalogue({ source: { file: 'x', sha256: 'y' }, report: {} as QualityReport, records: names.map((n, i) => record(`1.00000${i}`, n)) });

  it('gives each name folded, read from the file', () => {
    const data = openCatalogue(file(['Đăng ký khai sinh', 'Cấp bản sao trích lục hộ tịch']));
    expect(data.entries.map((e) => data.nameWords(e))).toEqual([['dang', 'ky', 'khai', 'sinh'], ['cap', 'ban', 'sao', 'trich', 'luc', 'ho', 'tich']]);
  });

  it('folds the names again when the stored words are not what folding gives today', () => {
    const bytes = file(['Đăng ký khai sinh']);
    // Rewrite the stored words as an older folding might have left them.
    const headerLen = bytes.readUInt32LE(0);
    const header = JSON.parse(gunzipSync(bytes.subarray(4, 4 + headerLen)).toString('utf8')) as { entries: Array<{ words: string }> };
    header.entries[0]!.words = 'dang ki khai sinh';
    const headerGz = gzipSync(JSON.stringify(header));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(headerGz.length);
    const data = openCatalogue(Buffer.concat([len, headerGz, bytes.subarray(4 + headerLen)]));
    expect(data.nameWords(data.entries[0]!)).toEqual(['dang', 'ky', 'khai', 'sinh']);
    expect(data.decode(data.entries[0]!).name).toBe('Đăng ký khai sinh');
  });
});
