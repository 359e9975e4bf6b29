/**
 * The places the bot gives as examples when it asks for one ("ví dụ «phường Hạc Thành» hoặc
 * «xã Đông Lĩnh cũ»"): the served province's own, so a Nghệ An citizen is not shown Thanh Hóa's
 * wards. region.yaml may choose them (`examples`); otherwise they are taken from the data: the
 * first unit by code, and the first old unit (by code) merged whole into a unit of another name
 * whose name no other old unit of the province has.
 */
import type { Unit } from '../content/schema';

export interface PlaceExamples {
  /** Today's name: "phường Hạc Thành". */
  new: string;
  /** A pre-2025 name: "xã Đông Lĩnh cũ". */
  old: string;
  /** A pre-2025 name with its old district: "xã Xuân Lộc huyện Hậu Lộc". */
  old_with_district: string;
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

export function placeExamples(units: readonly Unit[], chosen?: Partial<PlaceExamples>): PlaceExamples | undefined {
  const first = [...units].sort((a, b) => a.code.localeCompare(b.code))[0];
  if (!first) return undefined;
  const olds = units.flatMap((u) => u.merged_from.map((m) => ({ m, u })));
  const count = new Map<string, number>();
  for (const { m } of olds) count.set(m.name, (count.get(m.name) ?? 0) + 1);
  const old = olds
    .filter(({ m, u }) => m.portion === 'full' && m.type !== 'huyện' && m.name !== u.name && count.get(m.name) === 1)
    .sort((a, b) => a.m.old_code.localeCompare(b.m.old_code))[0]?.m;
  return {
    new: chosen?.new ?? `${first.type} ${first.name}`,
    old: chosen?.old ?? (old ? `${old.type} ${old.name} cũ` : `${first.type} ${first.name}`),
    old_with_district: chosen?.old_with_district ?? (old ? `${old.type} ${old.name} ${lowerFirst(old.old_district)}` : `${first.type} ${first.name}`),
  };
}
