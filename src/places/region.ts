/**
 * region.yaml: what is particular to one province, kept as data so that src/ names no province.
 * The importer checks the counts against what it builds; the place index reads the names (to
 * recognise "ở Thanh Hóa", "tỉnh Hà Nam cũ") and the common phrases (two-word names that are
 * also everyday words, which inside a sentence need "xã/phường" or "ở" before them).
 */
import { z } from 'zod';

const nonEmpty = z.string().trim().min(1);

export const RegionFile = z.strictObject({
  /** The folder name under content/regions/ and the value REGIONS uses ("thanh-hoa"). */
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'slug is lowercase ASCII words joined by "-"'),
  /** GSO province code ("38"). */
  code: z.string().regex(/^\d{2}$/, 'code is the 2-digit GSO province code'),
  /** "Thanh Hóa", as the units.json `province` field and the bot's sentences say it. */
  name: nonEmpty,
  /** "Tỉnh Thanh Hóa" / "Thành phố Hà Nội". */
  full_name: nonEmpty,
  /** Other ways people name the province ("Sài Gòn", "TP HCM"); the name itself is implied. */
  other_names: z.array(nonEmpty).default([]),
  /** The pre-2025 provinces merged into it ("Tỉnh Hà Nam"), from provinces-34.json. */
  old_provinces: z.array(nonEmpty).min(1),
  common_phrases: z.array(nonEmpty).default([]),
  resolution: nonEmpty,
  /** The places the bot gives as examples when it asks for one; absent: taken from the data (src/places/place-examples.ts). */
  examples: z.strictObject({ new: nonEmpty.optional(), old: nonEmpty.optional(), old_with_district: nonEmpty.optional() }).optional(),
  /** What the importer must find; a different count stops the import. */
  expected: z.strictObject({
    units: z.number().int().positive(),
    xa: z.number().int().nonnegative(),
    phuong: z.number().int().nonnegative(),
    dac_khu: z.number().int().nonnegative(),
    old_records: z.number().int().positive(),
  }),
});
export type RegionFile = z.infer<typeof RegionFile>;
