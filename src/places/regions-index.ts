/**
 * The place index of a deployment: the served regions first; a place found only in a province
 * the deployment does not serve is answered as `outside` (the bot says which province it is in
 * and which it serves) instead of "not found", and a province the citizen named that is not
 * served is never silently replaced by a served one.
 */
import type { PlaceIndex, PlaceMatch, PlaceMention, ProvinceRef } from '../engine/types';

type Found = Exclude<PlaceMatch, { kind: 'none' | 'outside' }>;

function provincesOf(m: Found, ref: (slug: string) => ProvinceRef | undefined): ProvinceRef[] {
  const slugs = new Set<string>();
  switch (m.kind) {
    case 'unit':
      slugs.add(m.unit.province ?? '');
      break;
    case 'choose':
      for (const c of m.candidates) slugs.add(c.unit.province ?? '');
      break;
    case 'split':
    case 'district':
      for (const u of m.units) slugs.add(u.province ?? '');
      break;
    case 'province':
      return m.provinces;
    case 'old_province':
      return [m.province];
    case 'unconfirmed':
      break;
  }
  return [...slugs].map(ref).filter((p): p is ProvinceRef => p !== undefined);
}

export function createRegionsIndex(served: PlaceIndex, outsideIndex: () => PlaceIndex | undefined): PlaceIndex {
  let outside: PlaceIndex | undefined | null = null;
  const other = (): PlaceIndex | undefined => (outside === null ? (outside = outsideIndex()) : outside);
  const toOutside = (m: Found, index: PlaceIndex): PlaceMatch => ({ kind: 'outside', match: m, provinces: provincesOf(m, (slug) => index.province(slug)) });
  return {
    size: served.size,
    resolve(text) {
      const m = served.resolve(text);
      if (m.kind !== 'none') return m;
      // Another province's place only when named clearly ("xã …", "… cũ", an old district, its
      // province): a bare word that is a commune somewhere among 13,000 names is no answer.
      const index = other();
      const o = index?.locate(text, true);
      return o && o.clear && o.match.kind !== 'outside' ? toOutside(o.match, index!) : m;
    },
    find(text): PlaceMention | undefined {
      const m = served.find(text);
      if (m) return m;
      const index = other();
      const o = index?.find(text);
      // Inside a sentence only a clearly named place ("xã …", "… cũ", with its province).
      if (!o || !o.clear || o.match.kind === 'outside') return undefined;
      return { ...o, match: toOutside(o.match, index!) as Exclude<PlaceMatch, { kind: 'none' }> };
    },
    locate: (text, whole) => served.locate(text, whole),
    byCode: (code) => served.byCode(code),
    province: (slug) => served.province(slug),
    warm: () => void other(),
  };
}
