/**
 * The national place data as the generated place tests read it (sources/admin-units/national/,
 * a separate file from the units.json the index is built from), and what counts as the right
 * answer for an old record. Shared by every generated place test, whatever REGIONS it runs with.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { fold } from '../../src/engine/normalize';
import type { Content, PlaceMatch } from '../../src/engine/types';
import { codes, show } from './place-match';
import { ROOT } from '../engine/real-content';

const DIR = path.join(ROOT, 'sources/admin-units/national');
export interface OldRecord {
  old_code: string;
  old_name: string;
  old_type: string;
  old_district: string;
  old_province: string;
  new: Array<{ code: string; province_code: string }>;
  status: 'confirmed' | 'one_source_only' | 'doubtful_old_record';
}
export interface NationalUnit {
  code: string;
  name: string;
  type: string;
  province_code: string;
  province: string;
}
export interface Province {
  code: string;
  name: string;
  full_name: string;
  ascii: string;
}
const gz = async <T>(name: string): Promise<T> => JSON.parse(gunzipSync(await readFile(path.join(DIR, name))).toString('utf8')) as T;
export const records = await gz<OldRecord[]>('old-to-new-34.json.gz');
export const nationalUnits = await gz<NationalUnit[]>('units-34.json.gz');
export const provinces = JSON.parse(await readFile(path.join(DIR, 'provinces-34.json'), 'utf8')) as Province[];
export const slugOf = new Map(provinces.map((p) => [p.code, p.ascii.replace(/\s+/g, '-')]));
export const provinceOf = new Map(provinces.map((p) => [p.code, p]));
export const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** Same name and old district, same province today (of any type: "xã" never hides a "thị trấn"). */
const twinKey = (r: OldRecord) => `${fold(r.old_name)}|${r.old_district}|${r.new[0]!.province_code}`;
const twins = new Map<string, OldRecord[]>();
for (const r of records) twins.set(twinKey(r), [...(twins.get(twinKey(r)) ?? []), r]);

/**
 * The exact answer: the unit, or every part of a split unit. A doubtful record: "unconfirmed",
 * or the answer of the real unit it duplicates. Where two old units share name, district and
 * province (both huyện Châu Thành of Bến Tre and Trà Vinh are in Vĩnh Long now; a xã and a thị
 * trấn Mường Tè), a question listing it.
 */
export function exact(m: PlaceMatch, r: OldRecord): boolean {
  const others = (twins.get(twinKey(r)) ?? []).filter((x) => x !== r);
  // A doubtful record named like today's unit ("xã Quế Phước", Đà Nẵng) gets today's unit.
  if (r.status === 'doubtful_old_record') return m.kind === 'unconfirmed' || others.some((x) => x.status !== 'doubtful_old_record' && exact(m, x)) || (m.kind === 'unit' && !m.via && fold(m.unit.name) === fold(r.old_name));
  if (others.length > 0 && m.kind === 'choose' && m.candidates.some((c) => r.new.some((n) => n.code === c.unit.code))) return true;
  const want = r.new.map((n) => n.code).sort();
  if (r.old_type === 'huyện') return (m.kind === 'district' || m.kind === 'unit') && JSON.stringify(codes(m).sort()) === JSON.stringify(want);
  if (want.length === 1) return m.kind === 'unit' && m.unit.code === want[0] && (r.status !== 'one_source_only' || m.via?.single_source === true);
  return m.kind === 'split' && JSON.stringify(codes(m)) === JSON.stringify(want);
}

/** Exact, or a question that lists this record (named with its old district) among the choices. */
export function listed(m: PlaceMatch, r: OldRecord): boolean {
  if (exact(m, r)) return true;
  if (m.kind !== 'choose') return false;
  const want = new Set(r.new.map((n) => n.code));
  const hits = m.candidates.filter((c) => want.has(c.unit.code) && (!c.via || (c.via.old_district === r.old_district && fold(c.via.name) === fold(r.old_name))));
  return hits.length >= 1;
}

export const newProvince = (r: OldRecord) => provinceOf.get(r.new[0]!.province_code)!;
export const districtWords = (r: OldRecord) => lowerFirst(r.old_district);
export const real = records.filter((r) => r.old_type !== 'huyện');


/** The queries whose answer `ok` refuses, as "query → answer" (the first ones are enough to read). */
export function failures(qs: Array<{ q: string; ok: (m: PlaceMatch) => boolean }>, content: () => Content): string[] {
  const bad: string[] = [];
  for (const { q, ok } of qs) {
    const m = content().places.resolve(q);
    if (!ok(m)) bad.push(`${q} → ${show(m)}`);
  }
  return bad;
}
