/**
 * Every place in the settings a deployment may choose besides the whole country and the default:
 * two neighbouring provinces (REGIONS=thanh-hoa,nghe-an) and one far away (REGIONS=ho-chi-minh).
 * Generated from the national data (sources/admin-units/national/, not the index's input), on the
 * index directly: every old record and today's unit of the served provinces resolves to its
 * unit(s); every old record of the other provinces, named with its province, is answered as
 * outside the deployment in its own province and never as a served unit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../src/engine/normalize';
import type { Content, PlaceMatch } from '../../src/engine/types';
import { converse, realContent, textOf } from '../engine/real-content';
import { districtWords, exact, failures, listed, lowerFirst, nationalUnits, newProvince, provinceOf, real, records, slugOf, type OldRecord } from '../helpers/national-places';
import { codes, show } from '../helpers/place-match';

const SETTINGS = [
  { regions: ['thanh-hoa', 'nghe-an'], served: 'tỉnh Thanh Hóa, tỉnh Nghệ An', units: 296 },
  { regions: ['ho-chi-minh'], served: 'thành phố Hồ Chí Minh', units: 168 },
] as const;

const contents = new Map<string, Content>();
beforeAll(async () => {
  for (const s of SETTINGS) contents.set(s.regions.join(','), await realContent(s.regions));
}, 120_000);

const slugsOf = (r: OldRecord) => r.new.map((n) => slugOf.get(n.province_code)!);
const named = (r: OldRecord) => `${r.old_type} ${r.old_name}, ${districtWords(r)}, ${lowerFirst(newProvince(r).full_name)}`;

describe.each(SETTINGS)('REGIONS=$regions', ({ regions, served, units }) => {
  const content = () => contents.get(regions.join(','))!;
  const isServed = (slug: string) => (regions as readonly string[]).includes(slug);
  const inside = records.filter((r) => slugsOf(r).every(isServed));
  const outside = real.filter((r) => slugsOf(r).every((s) => !isServed(s)));

  it('serves its provinces and nothing else', () => {
    expect(content().regions.map((r) => r.slug)).toEqual(regions);
    expect(content().places.size).toBe(units);
    expect(nationalUnits.filter((u) => isServed(slugOf.get(u.province_code)!))).toHaveLength(units);
  });

  it('every old record of the served provinces, with type, old district and province: exactly its unit(s)', () => {
    expect(inside.length).toBeGreaterThan(regions.length === 2 ? 800 : 150);
    expect(failures(inside.map((r) => ({ q: named(r), ok: (m: PlaceMatch) => exact(m, r) })), content).slice(0, 20)).toEqual([]);
    expect(failures(inside.map((r) => ({ q: fold(named(r)), ok: (m: PlaceMatch) => exact(m, r) })), content).slice(0, 20)).toEqual([]);
  });

  it('every old record of the served provinces with its old province ("…, tỉnh Hà Nam cũ"), or by name and province only (then listed if its province has the name twice)', () => {
    const confirmed = inside.filter((r) => r.old_type !== 'huyện');
    expect(failures(confirmed.map((r) => ({ q: `${r.old_type} ${r.old_name}, ${districtWords(r)}, ${lowerFirst(r.old_province)} cũ`, ok: (m: PlaceMatch) => exact(m, r) })), content).slice(0, 20)).toEqual([]);
    expect(failures(confirmed.map((r) => ({ q: `${r.old_name} cũ ở ${lowerFirst(newProvince(r).full_name)}`, ok: (m: PlaceMatch) => listed(m, r) })), content).slice(0, 20)).toEqual([]);
  });

  it('every unit of the served provinces: "<type> <name> mới, <province>" is exactly that unit', () => {
    const bad: string[] = [];
    for (const u of nationalUnits.filter((x) => isServed(slugOf.get(x.province_code)!))) {
      const q = `${u.type} ${u.name} mới, ${lowerFirst(provinceOf.get(u.province_code)!.full_name)}`;
      const m = content().places.resolve(q);
      if (!(m.kind === 'unit' && m.unit.code === u.code)) bad.push(`${q} → ${show(m)}`);
    }
    expect(bad).toEqual([]);
  });

  it('every old record of the other provinces, named with its province: outside, in its own province, never a served unit', () => {
    expect(outside.length).toBeGreaterThan(8000);
    const bad: string[] = [];
    for (const r of outside) {
      const m = content().places.resolve(named(r));
      const servedUnit = m.kind !== 'outside' && codes(m).some((c) => content().places.byCode(c) !== undefined);
      const ok = m.kind === 'outside' && m.provinces.every((p) => slugsOf(r).includes(p.slug) && !isServed(p.slug)) && exact(m.match, r);
      if (!ok || servedUnit) bad.push(`${named(r)} → ${show(m)}`);
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it('the citizen is told the place is elsewhere and which provinces this bot serves', () => {
    const other = outside.find((r) => r.status === 'confirmed' && r.new.length === 1)!;
    const text = textOf(converse(content(), [`${named(other)} giờ là xã nào`]).last);
    expect(text).toContain(`thuộc ${lowerFirst(newProvince(other).full_name)}`);
    expect(text).toContain(`Bot này phục vụ ${served}`);
  });
});
