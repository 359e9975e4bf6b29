/**
 * How the place tests read a place answer: the units it answers with, and a short line to show
 * in a failure. One copy for every place test.
 */
import type { PlaceMatch } from '../../src/engine/types';

/** The units a match answers with (every part of a split, every candidate of a question). */
export const codes = (m: PlaceMatch): string[] => {
  switch (m.kind) {
    case 'unit':
      return [m.unit.code];
    case 'split':
    case 'district':
      return m.units.map((u) => u.code).sort();
    case 'choose':
      return m.candidates.map((c) => c.unit.code);
    case 'outside':
      return codes(m.match);
    default:
      return [];
  }
};
export const show = (m: PlaceMatch): string => `${m.kind} ${JSON.stringify(m.kind === 'province' ? m.provinces.map((p) => p.slug) : codes(m))}`;

