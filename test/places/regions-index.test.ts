/**
 * The unserved provinces' place index of a one-province deployment is built once: on the first
 * message that names no served place, or earlier by `warm()` (npm start calls it right after
 * listening), and the answers are the same either way.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Unit } from '../../src/engine/types';
import { createPlaceIndex } from '../../src/places/place-index';
import { createRegionsIndex } from '../../src/places/regions-index';

const ROOT = path.resolve(import.meta.dirname, '../..');
const unitsOf = (slug: string): Unit[] => (JSON.parse(readFileSync(path.join(ROOT, `content/regions/${slug}/units.json`), 'utf8')) as { units: Unit[] }).units.map((u) => ({ ...u, province: slug }));

describe('a one-province place index', () => {
  const served = unitsOf('thanh-hoa');
  const other = unitsOf('ha-noi');

  function deployment() {
    let builds = 0;
    const index = createRegionsIndex(createPlaceIndex(served), () => {
      builds += 1;
      return createPlaceIndex(other);
    });
    return { index, builds: () => builds };
  }

  it('builds the other provinces’ index once, when warmed, before any message needs it', () => {
    const d = deployment();
    expect(d.builds()).toBe(0);
    d.index.warm?.();
    expect(d.builds()).toBe(1);
    d.index.resolve('phường Hàng Mã cũ');
    d.index.find('con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu');
    expect(d.builds()).toBe(1);
  });

  it('answers the same warmed or not', () => {
    const cold = deployment();
    const warm = deployment();
    warm.index.warm?.();
    for (const q of ['phường Hàng Mã cũ', 'xã Quảng Thịnh', 'đăng ký kết hôn']) expect(warm.index.resolve(q), q).toEqual(cold.index.resolve(q));
    expect(cold.index.resolve('phường Hàng Mã cũ').kind).toBe('outside');
    expect(cold.builds()).toBe(1);
  });
});
