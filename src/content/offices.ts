/**
 * The office directory: which office of a given kind serves a unit. Unit-level offices come
 * from `per_unit` templates ("Công an {unit}") or explicit entries; province-wide ones apply to
 * every unit. Only what offices.yaml states is shown; unknown fields stay empty.
 */
import type { Office, Offices } from './schema';
import type { OfficeDirectory, PlaceIndex } from '../engine/types';

export function createOfficeDirectory(offices: Offices, places: PlaceIndex): OfficeDirectory {
  return {
    find(kind, unitCode) {
      const unit = unitCode ? places.byCode(unitCode) : undefined;
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
              name: { vi: tpl.name.vi.replaceAll('{unit}', unitName), ...(tpl.name.en ? { en: tpl.name.en.replaceAll('{unit}', `${unit.name} ${unit.type === 'xã' ? 'commune' : 'ward'}`) } : {}) },
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
