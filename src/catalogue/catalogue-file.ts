/**
 * The compiled catalogue on disk (content/catalogue/catalogue.bin) and in memory.
 *
 * Why a container and not one JSON: the whole catalogue is 35 MB of JSON text; parsing it at
 * start takes ~0.5 s and leaves ~250 MB of RSS behind. Here only a small index (code, name,
 * level…) is parsed at start; each record's detail is its own deflate blob, decoded (~0.4 ms)
 * when a card is shown. A shared preset dictionary, cut from sample records, brings the blobs to
 * the size of the whole file compressed at once.
 *
 * Layout: u32 length + gzip(JSON header) · u32 length + dictionary · blobs. The header holds the
 * source (file, sha256), the data-quality report and per record its entry fields, its name's
 * folded words (`words`, what the search index is built from: folding 5,000 names took ~0.3 s of
 * every start) and the [offset, length] of its blob. A test checks the file decodes to what the
 * snapshot compiles to.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateRawSync, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { tokens } from '../engine/normalize';
import { compileCatalogue } from './compile-catalogue';
import { ENTRY_FIELDS, type CatalogueEntry, type CatalogueRecord, type CatalogueSource, type QualityReport } from './model';

export const RAW_FILE = 'sources/dvc/procedures-raw.jsonl.gz';
export const CATALOGUE_FILE = 'content/catalogue/catalogue.bin';
export const REPORT_FILE = 'content/catalogue/quality-report.json';
const FORMAT = 1;
const DICTIONARY_BYTES = 32 * 1024;

export interface CompiledCatalogue {
  source: CatalogueSource;
  report: QualityReport;
  records: CatalogueRecord[];
}

interface Header {
  format: number;
  source: CatalogueSource;
  report: QualityReport;
  /** `words`: tokens(name) joined by spaces; absent in files written before it existed. */
  entries: Array<CatalogueEntry & { at: [number, number]; words?: string }>;
}

/** An opened catalogue file: entries in memory, details decoded on demand. */
export interface CatalogueData {
  source: CatalogueSource;
  report: QualityReport;
  entries: readonly CatalogueEntry[];
  /** The full record of an entry of `entries`. */
  decode(entry: CatalogueEntry): CatalogueRecord;
  /** The folded words of an entry's name (`tokens(entry.name)`), as the file stores them. */
  nameWords(entry: CatalogueEntry): readonly string[];
}

/** Entries whose stored words are compared with a fresh fold at open (a sample, spread over the file). */
const WORDS_SAMPLE = 16;

/** Builds the catalogue from the raw snapshot's gzip bytes. */
export function buildCatalogue(rawGz: Buffer): CompiledCatalogue {
  const { records, report } = compileCatalogue(gunzipSync(rawGz).toString('utf8'));
  return { source: { file: RAW_FILE, sha256: createHash('sha256').update(rawGz).digest('hex') }, report, records };
}

function split(r: CatalogueRecord): { entry: CatalogueEntry; detail: Record<string, unknown> } {
  const entry: Record<string, unknown> = {};
  const detail: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) ((ENTRY_FIELDS as readonly string[]).includes(k) ? entry : detail)[k] = v;
  return { entry: entry as unknown as CatalogueEntry, detail };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

export function encodeCatalogue(c: CompiledCatalogue): Buffer {
  const parts = c.records.map(split);
  const details = parts.map((p) => Buffer.from(JSON.stringify(p.detail)));
  // Sample every 97th record: deterministic and spread over all the portal's groups.
  const dictionary = Buffer.concat(details.filter((_, i) => i % 97 === 0)).subarray(-DICTIONARY_BYTES);
  const blobs = details.map((d) => deflateRawSync(d, { level: 9, dictionary }));
  let offset = 0;
  const entries = parts.map((p, i) => {
    const at: [number, number] = [offset, blobs[i]!.length];
    offset += blobs[i]!.length;
    return { ...p.entry, at, words: tokens(p.entry.name).join(' ') };
  });
  const header: Header = { format: FORMAT, source: c.source, report: c.report, entries };
  const headerGz = gzipSync(Buffer.from(JSON.stringify(header)), { level: 9 });
  return Buffer.concat([u32(headerGz.length), headerGz, u32(dictionary.length), dictionary, ...blobs]);
}

export function openCatalogue(buf: Buffer): CatalogueData {
  const headerLen = buf.readUInt32LE(0);
  const header = JSON.parse(gunzipSync(buf.subarray(4, 4 + headerLen)).toString('utf8')) as Header;
  if (header.format !== FORMAT) throw new Error(`catalogue file format ${header.format}, expected ${FORMAT}: run npm run content:import -- --catalogue`);
  const dictStart = 8 + headerLen;
  const dictionary = buf.subarray(dictStart, dictStart + buf.readUInt32LE(4 + headerLen));
  const blobStart = dictStart + dictionary.length;
  const at = new Map<CatalogueEntry, [number, number]>();
  const stored = new Map<CatalogueEntry, string>();
  const entries = header.entries.map(({ at: pos, words, ...entry }) => {
    at.set(entry, pos);
    if (words !== undefined) stored.set(entry, words);
    return entry;
  });
  // Words folded by an older normalize.ts would make the index disagree with how queries are
  // folded: a sample that does not fold the same drops the stored words (each name is folded
  // when asked, as before), until the next import writes them again.
  const step = Math.max(1, Math.floor(entries.length / WORDS_SAMPLE));
  for (let i = 0; i < entries.length && stored.size > 0; i += step) {
    const e = entries[i]!;
    if (stored.get(e) !== tokens(e.name).join(' ')) stored.clear();
  }
  return {
    source: header.source,
    report: header.report,
    entries,
    decode(entry) {
      const pos = at.get(entry);
      if (!pos) throw new Error(`not an entry of this catalogue: ${entry.code}`);
      const blob = buf.subarray(blobStart + pos[0], blobStart + pos[0] + pos[1]);
      const detail = JSON.parse(inflateRawSync(blob, { dictionary }).toString('utf8')) as Omit<CatalogueRecord, (typeof ENTRY_FIELDS)[number]>;
      return { ...entry, ...detail };
    },
    nameWords(entry) {
      const words = stored.get(entry);
      return words === undefined ? tokens(entry.name) : words ? words.split(' ') : [];
    },
  };
}

/** The catalogue file at `file`, or undefined when the deployment has none. */
export function readCatalogueFile(file: string): CatalogueData | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return openCatalogue(buf);
}
