/**
 * The place index against the data it was built from. Every case is generated: the 166 new
 * units from units.json, the 549 old units from sources/admin-units/thanh-hoa/thanh-hoa-old-to-new.json (a
 * separate file, so the expected answers do not come from the index's own input). Queries are
 * typed the ways citizens type them: with and without "xã/phường/thị trấn", diacritics, the old
 * district, "cũ", and a one-letter typo.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNationalData, readRegionInputs } from '../../src/cli/import';
import { buildRegion } from '../../src/places/build-region';
import { createPlaceIndex } from '../../src/places/place-index';
import { editDistance, fold } from '../../src/engine/normalize';
import type { PlaceMatch, Unit } from '../../src/engine/types';
import { realContent, ROOT } from '../engine/real-content';
import { codes, show } from '../helpers/place-match';

const UNITS_FILE = 'content/regions/thanh-hoa/units.json';
const SHARED = path.join(ROOT, 'sources/admin-units/thanh-hoa');
const unitsFile = JSON.parse(await readFile(path.join(ROOT, UNITS_FILE), 'utf8')) as { units: Unit[] };
const units = unitsFile.units;
interface OldRecord {
  old_code: string;
  old_name: string;
  old_type: string;
  old_district: string;
  new: Array<{ code: string; name: string }>;
  doubtful_old_record?: string;
}
const oldRecords = JSON.parse(await readFile(path.join(SHARED, 'thanh-hoa-old-to-new.json'), 'utf8')) as OldRecord[];
const confirmed = oldRecords.filter((r) => !r.doubtful_old_record);
// The index as the default deployment (REGIONS=thanh-hoa) builds it, with every province's words.
const places = (await realContent()).places;

const describeMatch = show;

/** The one answer an old record should get when the citizen named it unambiguously. */
function isExactAnswer(m: PlaceMatch, r: OldRecord): boolean {
  const want = r.new.map((n) => n.code).sort();
  if (want.length === 1) return m.kind === 'unit' && m.unit.code === want[0];
  return m.kind === 'split' && JSON.stringify(codes(m)) === JSON.stringify(want);
}

/** A question that lists this record (its old district named) among the choices, or the exact answer. */
function includesAnswer(m: PlaceMatch, r: OldRecord): boolean {
  if (isExactAnswer(m, r)) return true;
  if (m.kind !== 'choose') return false;
  const want = new Set(r.new.map((n) => n.code));
  const listed = m.candidates.filter((c) => c.via?.old_district === r.old_district && fold(c.via.name) === fold(r.old_name) && want.has(c.unit.code));
  // A new unit of the same name that the old one went into wholly is the same answer.
  const sameNew = r.new.length === 1 && m.candidates.some((c) => !c.via && c.unit.code === r.new[0]!.code);
  return listed.length === want.size || sameNew;
}


describe('units.json', () => {
  it('is exactly what npm run content:import builds from the national data and aliases.yaml', async () => {
    const built = buildRegion(await readNationalData(ROOT), await readRegionInputs('thanh-hoa', ROOT));
    const onDisk = await readFile(path.join(ROOT, UNITS_FILE), 'utf8');
    expect(onDisk === built.json, 'units.json is stale: run npm run content:import').toBe(true);
  });

  it('built from the national data, is the Thanh Hóa-only build: the same 166 units and the same links', async () => {
    // sources/admin-units/thanh-hoa is the first, Thanh Hóa-only build: an independent file.
    const alone = JSON.parse(await readFile(path.join(SHARED, 'thanh-hoa-units.json'), 'utf8')) as Array<Unit & { merged_from: Array<{ old_code: string }> }>;
    const shape = (list: Unit[]) =>
      [...list]
        .sort((a, b) => a.code.localeCompare(b.code))
        .map((u) => ({ code: u.code, name: u.name, type: u.type, full_name: u.full_name, links: [...u.merged_from].sort((a, b) => a.old_code.localeCompare(b.old_code)).map((m) => [m.old_code, m.name, m.type, m.old_district, m.portion].join('|')) }));
    expect(shape(units)).toEqual(shape(alone));
    const left = units.flatMap((u) => (u.unconfirmed_from ?? []).map((m) => `${m.old_code}→${u.code}`)).sort();
    expect(left).toEqual(oldRecords.filter((r) => r.doubtful_old_record).map((r) => `${r.old_code}→${r.new[0]!.code}`).sort());
  });

  it('has the 166 units (147 xã, 19 phường) and links every confirmed old unit', () => {
    expect(units).toHaveLength(166);
    expect(units.filter((u) => u.type === 'xã')).toHaveLength(147);
    expect(units.filter((u) => u.type === 'phường')).toHaveLength(19);
    const linked = new Set(units.flatMap((u) => u.merged_from.map((m) => m.old_code)));
    expect(confirmed.filter((r) => !linked.has(r.old_code)).map((r) => r.old_code)).toEqual([]);
    expect(oldRecords).toHaveLength(549);
  });

  it('bakes an alias from aliases.yaml into the unit, and rejects an alias for a code that does not exist', async () => {
    const national = await readNationalData(ROOT);
    const inputs = await readRegionInputs('thanh-hoa', ROOT);
    const withAlias = buildRegion(national, { ...inputs, aliasesRaw: 'aliases:\n  - unit: "14797"\n    names: [Phố Cổ Hạc]\n' });
    const baked = (JSON.parse(withAlias.json) as { units: Unit[] }).units;
    expect(baked.find((u) => u.code === '14797')?.aliases).toEqual(['Phố Cổ Hạc']);
    expect(createPlaceIndex(baked).resolve('pho co hac')).toMatchObject({ kind: 'unit', unit: { code: '14797' } });
    expect(() => buildRegion(national, { ...inputs, aliasesRaw: 'aliases:\n  - unit: "99999"\n    names: [X]\n' })).toThrow(/no new unit with code 99999/);
  });

  it('stops the import when the data does not have the counts region.yaml expects', async () => {
    const inputs = await readRegionInputs('thanh-hoa', ROOT);
    expect(() => buildRegion({ units: [], old: [], files: {}, commits: [] }, inputs)).toThrow(/region\.yaml expects .*"units":166/);
  });
});

describe('resolving today’s names (all 166 units)', () => {
  for (const u of units) {
    it(`${u.full_name}`, () => {
      const variants = [`${u.type} ${u.name}`, fold(`${u.type} ${u.name}`), u.name, fold(u.name), `${u.type} ${u.name} mới`];
      for (const q of variants.slice(0, 4)) {
        const m = places.resolve(q);
        // Today's name wins, unless another place had the same name (an old unit elsewhere, or
        // Đông Tiến / Đồng Tiến without diacritics): then the bot asks, today's units first.
        const fresh = m.kind === 'choose' ? m.candidates.filter((c) => !c.via) : [];
        const firstOld = m.kind === 'choose' ? m.candidates.findIndex((c) => c.via) : -1;
        const ok =
          (m.kind === 'unit' && m.unit.code === u.code && !m.via) ||
          (m.kind === 'choose' && fresh.some((c) => c.unit.code === u.code) && (firstOld === -1 || firstOld >= fresh.length));
        expect(ok, `${q} → ${describeMatch(m)}`).toBe(true);
      }
      expect(places.resolve(variants[4]!), `${variants[4]} → exactly today's unit`).toMatchObject({ kind: 'unit', unit: { code: u.code } });
    });
  }
});

describe('resolving every pre-2025 name (549 old units, 26 old districts)', () => {
  it('with its type and old district, with diacritics: exactly the new unit (or every part of a split one)', () => {
    const wrong = confirmed
      .map((r) => ({ r, q: `${r.old_type} ${r.old_name} ${r.old_district}` }))
      .map(({ r, q }) => ({ q, m: places.resolve(q), r }))
      .filter(({ m, r }) => !isExactAnswer(m, r))
      .map(({ q, m }) => `${q} → ${describeMatch(m)}`);
    expect(wrong).toEqual([]);
  });

  it('as "Xuân Lộc, Hậu Lộc" (name, comma, old district, no type words)', () => {
    const wrong = confirmed
      .map((r) => ({ r, q: `${r.old_name}, ${r.old_district.replace(/^(Huyện|Thành phố|Thị xã) /u, '')}` }))
      .map(({ r, q }) => ({ q, m: places.resolve(q), r }))
      .filter(({ m, r }) => !isExactAnswer(m, r))
      .map(({ q, m }) => `${q} → ${describeMatch(m)}`);
    expect(wrong).toEqual([]);
  });

  it('without diacritics, with type and old district: the answer, or a question listing it when two old names differ only in diacritics', () => {
    const wrong = confirmed
      .map((r) => ({ r, q: fold(`${r.old_type} ${r.old_name} ${r.old_district}`) }))
      .map(({ r, q }) => ({ q, m: places.resolve(q), r }))
      .filter(({ m, r }) => !includesAnswer(m, r))
      .map(({ q, m }) => `${q} → ${describeMatch(m)}`);
    expect(wrong).toEqual([]);
    // Only names that really collide without diacritics in one district may ask.
    const asked = confirmed.filter((r) => places.resolve(fold(`${r.old_type} ${r.old_name} ${r.old_district}`)).kind === 'choose');
    for (const r of asked) {
      const twins = confirmed.filter((o) => o !== r && o.old_district === r.old_district && fold(o.old_name) === fold(r.old_name));
      expect(twins.length, `${r.old_name} (${r.old_district}) asks without a twin`).toBeGreaterThan(0);
    }
  });

  it('as "xã … cũ" without a district: the answer when the name is unique, else a question naming each old district', () => {
    const wrong: string[] = [];
    for (const r of confirmed) {
      for (const q of [`${r.old_type} ${r.old_name} cũ`, fold(`${r.old_type} ${r.old_name} cu`)]) {
        const m = places.resolve(q);
        if (!includesAnswer(m, r)) wrong.push(`${q} → ${describeMatch(m)}`);
        if (m.kind === 'choose') {
          const districts = new Set(m.candidates.map((c) => c.via?.old_district));
          expect(districts.has(r.old_district), `${q}: the question names ${r.old_district}`).toBe(true);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('never asks when the old name (with its diacritics and type) is unique in the province', () => {
    const wrong: string[] = [];
    for (const r of confirmed) {
      const same = confirmed.filter((o) => o.old_name.toLowerCase() === r.old_name.toLowerCase() || fold(o.old_name) === fold(r.old_name));
      const otherAnswers = new Set(same.flatMap((o) => o.new.map((n) => n.code)));
      if (same.length > 1 || otherAnswers.size !== r.new.length) continue;
      const q = `${r.old_type} ${r.old_name} cũ`;
      const m = places.resolve(q);
      if (!isExactAnswer(m, r)) wrong.push(`${q} → ${describeMatch(m)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('names every new unit for the ten split old units', () => {
    const split = confirmed.filter((r) => r.new.length > 1);
    expect(split).toHaveLength(10);
    for (const r of split) {
      const m = places.resolve(`${r.old_type} ${r.old_name} ${r.old_district} cũ`);
      expect(m.kind, r.old_name).toBe('split');
      expect(codes(m)).toEqual(r.new.map((n) => n.code).sort());
    }
  });

  it('says the two doubtful old records are not confirmed instead of placing them', () => {
    const doubtful = oldRecords.filter((r) => r.doubtful_old_record);
    expect(doubtful.map((r) => r.old_code).sort()).toEqual(['16387', '16411']);
    // 16411 Đông Xuân exists only in the doubtful record; 16387 duplicates the real Đông Khê.
    expect(places.resolve('xã Đông Xuân cũ')).toMatchObject({ kind: 'unconfirmed', old: { name: 'Đông Xuân' } });
    const dongKhe = confirmed.find((r) => r.old_name === 'Đông Khê')!;
    expect(places.resolve('xã Đông Khê cũ')).toMatchObject({ kind: 'unit', unit: { code: dongKhe.new[0]!.code } });
  });

  it('accepts the Resolution’s spelling of the two names GSO spells differently', () => {
    expect(places.resolve('xã Vân Sơn cũ')).toMatchObject({ kind: 'unit', via: { name: 'Văn Sơn' } });
    expect(places.resolve('xã Vân Am cũ')).toMatchObject({ kind: 'unit', via: { name: 'Vân Âm' } });
  });
});

describe('typos and odd typing', () => {
  /** Every folded name, to tell which typos are one edit from another name as well. */
  const allNames = [...new Set([...units.map((u) => fold(u.name)), ...confirmed.map((r) => fold(r.old_name))])];

  it('finds today’s unit from its name with one letter doubled, dropped or swapped for a neighbour key', () => {
    const typos = (name: string): string[] => {
      const f = fold(name);
      const last = f.length - 1;
      return [f + f[last], f.slice(0, last) + (f[last] === 'n' ? 'm' : 'n'), f.slice(0, 2) + f.slice(3)];
    };
    const wrong: string[] = [];
    let checked = 0;
    for (const u of units) {
      for (const typo of typos(u.name)) {
        // A typo that is also one edit from another name is a real ambiguity; the bot must not guess.
        const near = allNames.filter((n) => editDistance(n, typo, 1) <= 1);
        if (near.length !== 1 || typo.replaceAll(' ', '').length < 5) continue;
        checked++;
        const m = places.resolve(`${u.type} ${typo}`);
        const ok = (m.kind === 'unit' && m.unit.code === u.code) || (m.kind === 'choose' && m.candidates.some((c) => c.unit.code === u.code));
        if (!ok) wrong.push(`${u.type} ${typo} → ${describeMatch(m)}`);
      }
    }
    expect(checked).toBeGreaterThan(300);
    expect(wrong).toEqual([]);
  });

  it('does not guess when a typo is one letter from two names', () => {
    // Two names of one length that differ in two letters; taking one letter from each gives a
    // word one edit from both ("dong tho" / "dong thu" style).
    const ambiguous: string[] = [];
    for (const a of allNames) {
      for (const b of allNames) {
        if (a >= b || a.length !== b.length || a.length < 6 || editDistance(a, b, 2) !== 2) continue;
        const diff = [...a].flatMap((ch, i) => (ch !== b[i] ? [i] : []));
        if (diff.length !== 2) continue;
        const mid = a.slice(0, diff[0]) + b[diff[0]!] + a.slice(diff[0]! + 1);
        if (!allNames.includes(mid)) ambiguous.push(mid);
      }
    }
    expect(ambiguous.length).toBeGreaterThan(20);
    for (const q of ambiguous) {
      const m = places.resolve(`xã ${q}`);
      // A real commune of that exact name in another province ("xã Thi Sơn", Hà Nam) is said
      // to be outside the province served; a guess between Thanh Hóa's names never happens.
      if (m.kind === 'outside') {
        const inner = m.match;
        const names = inner.kind === 'unit' ? [inner.via?.name ?? inner.unit.name] : inner.kind === 'choose' ? inner.candidates.map((c) => c.via?.name ?? c.unit.name) : inner.kind === 'split' ? [inner.old.name] : [];
        if (inner.kind === 'province') expect(fold(inner.query), q).toBe(`xa ${q}`);
        else expect(names.map(fold), q).toContain(q);
      } else expect(m.kind, q).toBe('none');
    }
  });

  it('reads Telex leftovers, abbreviations and a name typed without spaces', () => {
    expect(places.resolve('P. Hạc Thành')).toMatchObject({ kind: 'unit', unit: { name: 'Hạc Thành' } });
    expect(places.resolve('phuowngf hacj thanhf')).toMatchObject({ kind: 'unit', unit: { name: 'Hạc Thành' } });
    expect(places.resolve('hacthanh')).toMatchObject({ kind: 'unit', unit: { name: 'Hạc Thành' } });
    expect(places.resolve('TT Bút Sơn')).toMatchObject({ kind: 'unit', via: { name: 'Bút Sơn' } });
    expect(places.resolve('x. Xuân Lộc h. Hậu Lộc')).toMatchObject({ kind: 'unit', via: { name: 'Xuân Lộc', old_district: 'Huyện Hậu Lộc' } });
  });

  it('tells Đông Tiến (phường) from Đồng Tiến (xã) by the diacritics typed, and asks when there are none', () => {
    expect(places.resolve('Đông Tiến')).toMatchObject({ kind: 'unit', unit: { type: 'phường', name: 'Đông Tiến' } });
    expect(places.resolve('Đồng Tiến')).toMatchObject({ kind: 'unit', unit: { type: 'xã', name: 'Đồng Tiến' } });
    expect(places.resolve('dong tien').kind).toBe('choose');
  });

  it('lists today’s units for an old district named alone', () => {
    for (const district of new Set(confirmed.map((r) => r.old_district))) {
      const m = places.resolve(`${district} cũ`);
      const want = [...new Set(confirmed.filter((r) => r.old_district === district).flatMap((r) => r.new.map((n) => n.code)))].sort();
      expect(m.kind, district).toBe('district');
      expect(codes(m), district).toEqual(want);
    }
  });

  it('answers nothing for the province or words that are no place', () => {
    for (const q of ['Thanh Hóa', 'tỉnh Thanh Hóa', 'không biết', 'abc', 'làm căn cước ở đâu', '']) expect(places.resolve(q).kind, q).toBe('none');
  });
});

describe('places inside a sentence (find)', () => {
  it('finds the place and leaves the rest of the sentence for the search', () => {
    const f = places.find('tôi ở phường Hạc Thành, muốn đăng ký thường trú');
    expect(f?.match).toMatchObject({ kind: 'unit', unit: { name: 'Hạc Thành' } });
    expect(fold(f!.rest)).toBe('toi o muon dang ky thuong tru');
    expect(f?.asksWhere).toBe(false);
  });

  it('knows a question about an old name ("… cũ giờ là xã nào")', () => {
    for (const r of confirmed.filter((x) => x.new.length === 1)) {
      const f = places.find(`xa ${r.old_name} ${fold(r.old_district)} cu gio la xa nao`);
      expect(f?.asksWhere, r.old_name).toBe(true);
      // A name with no diacritics at all ("Nga Thanh") cannot be told from its twin ("Nga Thành").
      const plain = r.old_name.toLowerCase() === fold(r.old_name);
      const ok = f && (plain ? includesAnswer(f.match, r) : isExactAnswer(f.match, r));
      expect(ok, `${r.old_name} (${r.old_district}) → ${f ? describeMatch(f.match) : 'nothing'}`).toBe(true);
    }
  });

  it('finds "nha toi o xa hoang quy" and asks which Hoằng Quý/Quỳ', () => {
    const f = places.find('nha toi o xa hoang quy');
    expect(f?.match.kind).toBe('choose');
    if (f?.match.kind === 'choose') expect(f.match.candidates.map((c) => c.via?.name).sort()).toEqual(['Hoằng Quý', 'Hoằng Quỳ']);
  });

  it('finds no place in requests that name none', () => {
    const requests = [
      'làm căn cước ở đâu',
      'dang ky khai sinh cho con',
      'đăng ký cư trú cho người thuê trọ',
      'đăng ký kết hôn cần giấy tờ gì',
      'tôi muốn đổi bằng lái xe',
      'xin phiếu lý lịch tư pháp ở đâu',
      'sang tên sổ đỏ mất bao lâu',
      'đăng ký hộ kinh doanh',
      'chứng thực bản sao giấy tờ',
      'xác nhận tình trạng hôn nhân',
      'làm hộ chiếu ở thanh hóa',
      'tôi ở thanh hóa muốn làm căn cước',
    ];
    for (const q of requests) expect(places.find(q), q).toBeUndefined();
  });
});
