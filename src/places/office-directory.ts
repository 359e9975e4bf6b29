/**
 * The office directory: which office of a given kind serves a unit. Every province has the same
 * two levels since 1/7/2025 — the commune's Public Administration Service Centre and police, the
 * province's centre and police — so a region without its own offices.yaml gets the national
 * templates (content/offices-national.yaml) named for it: names only, every other field unknown.
 * Facts a region's own offices.yaml states (Thanh Hóa's) stay that region's.
 */
import type { Office, Offices } from '../content/schema';
import type { OfficeDirectory, PlaceIndex, ProvinceRef } from '../engine/types';

export interface RegionOffices {
  slug: string;
  province: ProvinceRef;
  offices?: Offices;
}

function fill(text: string, province: ProvinceRef): string {
  return text.replaceAll('{province}', province.full_name.charAt(0).toLowerCase() + province.full_name.slice(1)).replaceAll('{Province}', province.full_name).replaceAll('{province_name}', province.name);
}

/** The national templates made concrete for one province (ids prefixed with its slug). */
function forProvince(national: Offices, r: RegionOffices): Offices {
  return {
    per_unit: national.per_unit,
    offices: national.offices.map((o) => ({
      ...o,
      id: `${r.slug}-${o.id}`,
      name: { vi: fill(o.name.vi, r.province), ...(o.name.en ? { en: fill(o.name.en, r.province) } : {}) },
    })),
  };
}

export function createOfficeDirectory(regions: readonly RegionOffices[], national: Offices | undefined, places: PlaceIndex): OfficeDirectory {
  const bySlug = new Map(regions.map((r) => [r.slug, r.offices ?? (national ? forProvince(national, r) : { per_unit: [], offices: [] })]));
  // Without a place the province is known only when the deployment serves one.
  const only = regions.length === 1 ? bySlug.get(regions[0]!.slug) : undefined;
  return {
    find(kind, unitCode) {
      const unit = unitCode ? places.byCode(unitCode) : undefined;
      const offices = unit ? bySlug.get(unit.province ?? '') ?? only : only;
      if (!offices) return [];
      const found: Office[] = [];
      if (unit) {
        found.push(...offices.offices.filter((o) => o.kind === kind && o.unit === unit.code));
        if (found.length === 0) {
          const unitName = `${unit.type} ${unit.name}`;
          for (const tpl of offices.per_unit.filter((p) => p.kind === kind)) {
            found.push({
              id: `${kind}:${unit.code}`,
              kind,
              unit: unit.code,
              name: { vi: tpl.name.vi.replaceAll('{unit}', unitName), ...(tpl.name.en ? { en: tpl.name.en.replaceAll('{unit}', `${unit.name} ${unit.type === 'xã' ? 'commune' : unit.type === 'đặc khu' ? 'special zone' : 'ward'}`) } : {}) },
              ...(tpl.hours ? { hours: tpl.hours } : {}),
              ...(tpl.note ? { note: tpl.note } : {}),
              sources: tpl.sources,
              verified: tpl.verified,
            });
          }
        }
      }
      found.push(...offices.offices.filter((o) => o.kind === kind && !o.unit));
      return found;
    },
  };
}
