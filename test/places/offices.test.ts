/**
 * Offices in a deployment serving two provinces: each place gets its own province's offices;
 * Thanh Hóa keeps the facts its offices.yaml states, Nghệ An gets the national two-level
 * offices named for it, with nothing but the name (the bot then says the address is unknown).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../src/engine/types';
import { converse, realContent, textOf } from '../engine/real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent(['thanh-hoa', 'nghe-an']);
});

const unitIn = (slug: string) => {
  const found = [...Array(100000).keys()].map((n) => String(n).padStart(5, '0')).map((c) => content.places.byCode(c)).find((u) => u?.province === slug);
  if (!found) throw new Error(`no unit of ${slug}`);
  return found;
};

describe('offices per province (REGIONS=thanh-hoa,nghe-an)', () => {
  it('names the province centre and police of the place’s own province', () => {
    const na = unitIn('nghe-an');
    const th = unitIn('thanh-hoa');
    expect(content.regions.map((r) => r.slug)).toEqual(['thanh-hoa', 'nghe-an']);
    const naCenter = content.offices.find('province_center', na.code);
    expect(naCenter.map((o) => o.name.vi)).toEqual(['Trung tâm Phục vụ hành chính công tỉnh Nghệ An']);
    expect(naCenter[0]!.address).toBeUndefined();
    expect(content.offices.find('provincial_police', na.code).map((o) => o.name.vi)).toEqual(['Công an tỉnh Nghệ An']);
    expect(content.offices.find('commune_police', na.code).map((o) => o.name.vi)).toEqual([`Công an ${na.type} ${na.name}`]);
    const thCenter = content.offices.find('province_center', th.code);
    expect(thCenter.map((o) => o.id)).toEqual(['thanh-hoa-province-center']);
    expect(thCenter[0]!.note?.vi).toContain('58/2025/QĐ-UBND');
  });

  it('the place question names the provinces served', () => {
    expect(content.t('vi', 'place.ask')).toContain('của tỉnh Thanh Hóa, tỉnh Nghệ An?');
    expect(content.t('en', 'place.ask')).toContain('of Thanh Hóa province, Nghệ An province');
    expect(content.t('vi', 'place.not_found')).toContain('296 xã, phường của tỉnh Thanh Hóa, tỉnh Nghệ An');
  });

  it('without a place, names no province’s office (the province is not known)', () => {
    expect(content.offices.find('province_center', undefined)).toEqual([]);
  });

  it('a place named with its province is remembered, and said with its province', () => {
    const c = converse(content, ['xã Diễn Châu mới, tỉnh Nghệ An']);
    expect(textOf(c.last)).toContain('xã Diễn Châu, tỉnh Nghệ An');
    expect(content.places.byCode(c.session.place!.code)?.province).toBe('nghe-an');
  });
});
