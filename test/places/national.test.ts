/**
 * Every place of the country, generated from the national data: the 3,321 units of today and the
 * 10,052 old records of sources/admin-units/national/old-to-new-34.json.gz (a separate file from
 * the units.json the index is built from, so the expected answers are not the index's input).
 * Run on the index directly (no HTTP), with REGIONS=all and with the default REGIONS=thanh-hoa.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../src/engine/normalize';
import type { Content, PlaceMatch, Unit } from '../../src/engine/types';
import { realContent } from '../engine/real-content';
import { districtWords, exact, failures, listed, lowerFirst, nationalUnits, newProvince, provinceOf, provinces, real, records, slugOf, type Province } from '../helpers/national-places';
import { codes, show } from '../helpers/place-match';

let all: Content;
let thanhHoa: Content;
beforeAll(async () => {
  [all, thanhHoa] = await Promise.all([realContent('all'), realContent()]);
}, 60_000);

describe('every old record of the 34 provinces (REGIONS=all)', () => {
  it('has the national figures', () => {
    expect(records).toHaveLength(10052);
    expect(nationalUnits).toHaveLength(3321);
    expect(all.places.size).toBe(3321);
    expect(all.regions).toHaveLength(34);
  });

  it('type, name, old district and today’s province: exactly its unit(s), doubtful ones unconfirmed', () => {
    const qs = records.map((r) => ({ q: `${r.old_type} ${r.old_name}, ${districtWords(r)}, ${lowerFirst(newProvince(r).full_name)}`, ok: (m: PlaceMatch) => exact(m, r) }));
    expect(failures(qs, () => all).slice(0, 20)).toEqual([]);
  });

  it('the same without diacritics', () => {
    const qs = records.map((r) => ({ q: fold(`${r.old_type} ${r.old_name} ${districtWords(r)} ${newProvince(r).full_name}`), ok: (m: PlaceMatch) => exact(m, r) }));
    expect(failures(qs, () => all).slice(0, 20)).toEqual([]);
  });

  it('with the old province instead of today’s ("xã …, huyện …, tỉnh Hà Nam cũ")', () => {
    const qs = real.map((r) => ({ q: `${r.old_type} ${r.old_name}, ${districtWords(r)}, ${lowerFirst(r.old_province)} cũ`, ok: (m: PlaceMatch) => exact(m, r) }));
    expect(failures(qs, () => all).slice(0, 20)).toEqual([]);
  });

  it('name and province only, no type word: its unit(s), or a question that lists it with its old district', () => {
    const qs = real.map((r) => ({ q: `${r.old_name} cũ ở ${lowerFirst(newProvince(r).full_name)}`, ok: (m: PlaceMatch) => listed(m, r) }));
    expect(failures(qs, () => all).slice(0, 20)).toEqual([]);
  });

  it('a name that recurs in several provinces, without a province: asks the province, listing this one', () => {
    const byName = new Map<string, Set<string>>();
    for (const r of real.filter((x) => x.status !== 'doubtful_old_record')) {
      const k = `${r.old_type} ${r.old_name}`.normalize('NFC').toLowerCase();
      const set = byName.get(k) ?? new Set();
      for (const n of r.new) set.add(n.province_code);
      byName.set(k, set);
    }
    const shared = real.filter((r) => r.status !== 'doubtful_old_record' && byName.get(`${r.old_type} ${r.old_name}`.normalize('NFC').toLowerCase())!.size > 1);
    expect(shared.length).toBeGreaterThan(1000);
    const qs = shared.map((r) => ({
      q: `${r.old_type} ${r.old_name} cũ`,
      ok: (m: PlaceMatch) => m.kind === 'province' && r.new.every((n) => m.provinces.some((p) => p.slug === slugOf.get(n.province_code))),
    }));
    expect(failures(qs, () => all).slice(0, 20)).toEqual([]);
  });

  it('with one letter doubled in the name (after its type word, in its province): exactly its unit(s), or no guess', () => {
    let guessedWrong = 0;
    let found = 0;
    let tried = 0;
    const wrong: string[] = [];
    for (const r of real) {
      const name = fold(r.old_name);
      // The last letter of the last word of four letters or more, doubled ("phu thongg").
      const m0 = /[a-z]{4,}(?!.*[a-z]{4,})/.exec(name);
      if (!m0) continue;
      tried++;
      const at = m0.index + m0[0].length;
      const typo = `${name.slice(0, at)}${name[at - 1]}${name.slice(at)}`;
      const m = all.places.resolve(`${r.old_type} ${typo} ${districtWords(r)} ${lowerFirst(newProvince(r).full_name)}`);
      if (exact(m, r)) found++;
      else if (m.kind !== 'none' && m.kind !== 'choose' && m.kind !== 'district') {
        guessedWrong++;
        wrong.push(`${typo} → ${show(m)}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(guessedWrong).toBe(0);
    // The rest are asked (a xã and a thị trấn of one name) or left unanswered (the typo is one
    // letter from two names of the province): never a wrong answer.
    expect(tried).toBeGreaterThan(7000);
    expect(found).toBeGreaterThan(tried * 0.98);
  });
});

describe('today’s 3,321 units (REGIONS=all)', () => {
  it('"<type> <name> mới, <province>": exactly the unit, with and without diacritics', () => {
    const bad: string[] = [];
    const folded = new Map<string, number>();
    for (const u of nationalUnits) folded.set(`${u.province_code} ${fold(u.name)}`, (folded.get(`${u.province_code} ${fold(u.name)}`) ?? 0) + 1);
    for (const u of nationalUnits) {
      const p = provinceOf.get(u.province_code)!;
      for (const q of [`${u.type} ${u.name} mới, ${lowerFirst(p.full_name)}`, fold(`${u.type} ${u.name} mới ${p.full_name}`)]) {
        const m = all.places.resolve(q);
        // Without diacritics "Vạn Lang" and "Văn Lang" (both in Thái Nguyên) are one word: ask.
        const twin = folded.get(`${u.province_code} ${fold(u.name)}`)! > 1 && q === fold(q) && m.kind === 'choose' && m.candidates.some((c) => c.unit.code === u.code);
        if (!(m.kind === 'unit' && m.unit.code === u.code) && !twin) bad.push(`${q} → ${show(m)}`);
      }
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });

  it('"<type> <name> mới" alone: the unit, or asks the province among those that have the name', () => {
    const bad: string[] = [];
    for (const u of nationalUnits) {
      const m = all.places.resolve(`${u.type} ${u.name} mới`);
      const ok = (m.kind === 'unit' && m.unit.code === u.code) || (m.kind === 'province' && m.provinces.some((p) => p.slug === slugOf.get(u.province_code)));
      if (!ok) bad.push(`${u.type} ${u.name} → ${show(m)}`);
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

describe('the default deployment (REGIONS=thanh-hoa) and the other 33 provinces', () => {
  it('a place elsewhere, named clearly, is said to be outside, in its own province', () => {
    const others = real.filter((r) => r.new.every((n) => n.province_code !== '38'));
    const bad: string[] = [];
    for (const r of others) {
      const q = `${r.old_type} ${r.old_name}, ${districtWords(r)}, ${lowerFirst(newProvince(r).full_name)}`;
      const m = thanhHoa.places.resolve(q);
      const ok = m.kind === 'outside' && m.provinces.every((p) => r.new.some((n) => slugOf.get(n.province_code) === p.slug)) && exact(m.match, r);
      if (!ok) bad.push(`${q} → ${show(m)}`);
    }
    expect(bad.slice(0, 20)).toEqual([]);
  });
});

describe('old districts and old provinces named alone', () => {
  it('"tỉnh Hà Nam cũ" → what it became, for every old province that was merged', () => {
    const bad: string[] = [];
    const raw = provinces as Array<Province & { merged_from: Array<{ name: string }> }>;
    for (const p of raw) {
      for (const old of p.merged_from) {
        const m = all.places.resolve(`${lowerFirst(old.name)} cũ`);
        const ok = m.kind === 'old_province' && m.province.slug === slugOf.get(p.code);
        if (!ok) bad.push(`${old.name} → ${show(m)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('"<old district> cũ, <province>" → today’s units covering it', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    for (const r of real) {
      const p = newProvince(r);
      const key = `${r.old_district}|${p.code}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const m = all.places.resolve(`${districtWords(r)} cũ ${lowerFirst(p.full_name)}`);
      const want = new Set(real.filter((x) => x.old_district === r.old_district && newProvince(x).code === p.code && x.old_province === r.old_province).flatMap((x) => x.new.map((n) => n.code)));
      const ok = m.kind === 'district' && [...want].every((c) => m.units.some((u: Unit) => u.code === c));
      if (!ok) bad.push(`${r.old_district} (${p.name}) → ${show(m)}`);
    }
    expect(seen.size).toBeGreaterThan(650);
    expect(bad.slice(0, 20)).toEqual([]);
  });
});
