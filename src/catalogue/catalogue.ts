/**
 * The catalogue the bot serves: every national record plus the served provinces' own records
 * (a record published by UBND tỉnh X applies only in X). Another province's record is kept apart
 * so the bot can say it does not apply here rather than pretend not to know it.
 */
import type { CatalogueData } from './catalogue-file';
import type { CatalogueEntry, CatalogueRecord } from './model';

export interface Catalogue {
  /** Served records (national + the served provinces' own), sorted by code. */
  entries: readonly CatalogueEntry[];
  /** A served record's entry by its code. */
  entry(code: string): CatalogueEntry | undefined;
  /** A record another province published for itself (not served here). */
  elsewhere(code: string): CatalogueEntry | undefined;
  /** The full record of a served code (decoded on demand, recent ones cached). */
  record(code: string): CatalogueRecord | undefined;
  /** A served record's name as folded words (tokens(name)), read from the file rather than folded again. */
  nameWords(code: string): readonly string[];
  /** The snapshot's file and sha256, for the source line. */
  source: CatalogueData['source'];
}

const CACHE = 64;

/** Folded for comparing province names ("Thanh Hóa" / "Thanh Hoá"). */
function key(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase().trim();
}

export function createCatalogue(data: CatalogueData, provinces: readonly string[]): Catalogue {
  const served = new Set(provinces.map(key));
  const entries: CatalogueEntry[] = [];
  const byCode = new Map<string, CatalogueEntry>();
  const other = new Map<string, CatalogueEntry>();
  for (const e of data.entries) {
    if (!e.province || served.has(key(e.province))) {
      entries.push(e);
      byCode.set(e.code, e);
    } else other.set(e.code, e);
  }
  const cache = new Map<string, CatalogueRecord>();
  return {
    entries,
    entry: (code) => byCode.get(code.trim()),
    elsewhere: (code) => other.get(code.trim()),
    record(code) {
      const c = code.trim();
      const hit = cache.get(c);
      if (hit) {
        // Refresh its place in the (insertion-ordered) cache.
        cache.delete(c);
        cache.set(c, hit);
        return hit;
      }
      const e = byCode.get(c);
      if (!e) return undefined;
      const rec = data.decode(e);
      cache.set(c, rec);
      if (cache.size > CACHE) cache.delete(cache.keys().next().value!);
      return rec;
    },
    nameWords(code) {
      const e = byCode.get(code.trim());
      return e ? data.nameWords(e) : [];
    },
    source: data.source,
  };
}

/** An empty catalogue, for content trees without content/catalogue/ (test fixtures). */
export const EMPTY_CATALOGUE: Catalogue = {
  entries: [],
  entry: () => undefined,
  elsewhere: () => undefined,
  record: () => undefined,
  nameWords: () => [],
  source: { file: '', sha256: '' },
};
