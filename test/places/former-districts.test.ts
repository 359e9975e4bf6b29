/**
 * Districts gone before the 2025 reform ("huyện Đông Sơn cũ", merged into thành phố Thanh Hóa),
 * generated from sources/admin-units/national/districts-before-2025.json (GSO's lists of
 * v20250101 and 01/03/2025, by commune code): the expected units come from the old records of
 * old-to-new-34.json.gz, not from the units.json the index reads.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { districtKey } from '../../src/places/scan';
import type { Content } from '../../src/engine/types';
import { converse, realContent, ROOT, textOf } from '../engine/real-content';
import { lowerFirst, provinceOf, provinces, records, slugOf } from '../helpers/national-places';
import { show } from '../helpers/place-match';

interface Table {
  districts: Array<{ name: string; province: string; later_districts: string[]; communes: Array<{ code: string }>; untraced: Array<{ code: string }> }>;
}
const table = JSON.parse(await readFile(path.join(ROOT, 'sources/admin-units/national/districts-before-2025.json'), 'utf8')) as Table;
const byOld = new Map(records.map((r) => [r.old_code, r]));
/** Every name a province goes by, as district keys: such a district stays the province's name. */
const provinceKeys = new Set(
  provinces.flatMap((p) => [p.name, ...(p as unknown as { merged_from: Array<{ name: string }> }).merged_from.map((m) => m.name)]).map((n) => districtKey(n.replace(/^Tỉnh\s+/u, ''))),
);

let all: Content;
let thanhHoa: Content;
beforeAll(async () => {
  [all, thanhHoa] = await Promise.all([realContent('all'), realContent()]);
}, 60_000);

describe('districts gone before the 2025 reform', () => {
  const answered = table.districts.filter((d) => !d.later_districts.some((l) => districtKey(l) === districtKey(d.name)) && !provinceKeys.has(districtKey(d.name)) && d.communes.length > 0);

  it('the table holds the districts the GSO lists lost between v20250101 and 01/03/2025', () => {
    expect(table.districts.map((d) => d.name)).toEqual(expect.arrayContaining(['Huyện Đông Sơn', 'Thị xã Cửa Lò', 'Huyện Lộc Hà', 'Huyện Nam Đông', 'Huyện Yên Dũng', 'Huyện Nông Sơn', 'Huyện Đạ Tẻh']));
    expect(answered.length).toBe(7);
  });

  it('"<district> cũ, <today’s province>": every unit its traced communes went into, and where they were by 2025', () => {
    const bad: string[] = [];
    for (const d of answered) {
      const olds = d.communes.map((c) => byOld.get(c.code)!).filter(Boolean);
      const province = provinceOf.get(olds[0]!.new[0]!.province_code)!;
      const want = [...new Set(olds.flatMap((o) => o.new.map((n) => n.code)))].sort();
      const q = `${lowerFirst(d.name)} cũ, ${lowerFirst(province.full_name)}`;
      const m = all.places.resolve(q);
      const ok = m.kind === 'district' && JSON.stringify(m.units.map((u) => u.code).sort()) === JSON.stringify(want) && JSON.stringify(m.before?.later) === JSON.stringify(d.later_districts) && m.before?.untraced === d.untraced.length && m.units.every((u) => u.province === slugOf.get(province.code));
      if (!ok) bad.push(`${q} → ${show(m)} ${JSON.stringify(m.kind === 'district' ? m.before : undefined)}`);
    }
    expect(bad).toEqual([]);
  });

  it('"huyện Đông Sơn cũ" in the default deployment: where it went and today’s three wards', () => {
    const c = converse(thanhHoa, ['huyện Đông Sơn cũ giờ là xã nào']);
    const text = textOf(c.last);
    expect(text).toContain('Đến ngày 01/3/2025, các xã, phường của huyện Đông Sơn cũ đã thuộc thành phố Thanh Hóa (theo danh mục đơn vị hành chính của Tổng cục Thống kê).');
    expect(c.last.replies.flatMap((r) => r.options ?? []).map((o) => o.label)).toEqual(['Phường Đông Quang', 'Phường Đông Sơn', 'Phường Đông Tiến', 'Tôi không rõ, hỏi cán bộ']);
  });

  it('communes the later list no longer has are counted, not guessed', () => {
    const c = converse(all, ['huyện Nông Sơn cũ']);
    expect(textOf(c.last)).toContain('1 xã, phường cũ của huyện không còn trong danh mục đó, nên tôi không biết nay chúng thuộc đâu.');
  });

  it('a district named like a province stays the province ("thành phố Huế" is today’s Huế, not the old city district)', () => {
    expect(all.places.resolve('thành phố Huế').kind).not.toBe('district');
    expect(thanhHoa.places.resolve('phường Đông Sơn')).toMatchObject({ kind: 'choose' });
  });
});
