/**
 * The place index: resolves what citizens type for their commune or ward — today's name, a
 * pre-2025 name, an old name with its old district, with or without "xã/phường/thị trấn",
 * diacritics or a one-letter typo — to today's unit(s).
 */
import { editDistance, fold } from '../engine/normalize';
import type { PlaceIndex, PlaceMatch, Unit } from '../engine/types';

type Via = { name: string; type: string; old_district: string };
interface OldEntry {
  via: Via;
  district: string;
  units: Unit[];
  partial: boolean;
}

const TYPE_WORDS = /^(?:xa|phuong|thi tran|tt|p|x)\s+/;
const DISTRICT = /\b(?:huyen|thanh pho|tp|thi xa|tx)\s+([a-z]+(?:\s[a-z]+)?)\s*$/;
const FILLERS = [
  /\b(?:bay gio|hien nay|gio|nay) (?:la|thuoc) (?:xa|phuong)? ?(?:nao|gi)\b.*$/,
  /\b(?:thuoc|la) (?:xa|phuong) nao\b.*$/,
  /\bsau sap nhap\b/,
  /\btinh thanh hoa\b/,
  /^(?:toi|nha toi|em|minh)? ?(?:o|song o|thuong tru o|dang o)\s+/,
];

export function createPlaceIndex(units: readonly Unit[]): PlaceIndex {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const byNewName = new Map<string, Unit[]>();
  const byOldName = new Map<string, OldEntry[]>();
  for (const u of units) {
    push(byNewName, fold(u.name), u);
    for (const m of u.merged_from) {
      const key = fold(m.name);
      const list = byOldName.get(key) ?? [];
      let entry = list.find((e) => e.via.old_district === m.old_district && e.via.name === m.name && e.via.type === m.type);
      if (!entry) {
        entry = { via: { name: m.name, type: m.type, old_district: m.old_district }, district: fold(m.old_district.replace(/^(Huyện|Thành phố|Thị xã)\s+/, '')), units: [], partial: false };
        list.push(entry);
        byOldName.set(key, list);
      }
      entry.units.push(u);
      entry.partial ||= m.portion === 'partial';
    }
  }
  const newNames = [...byNewName.keys()];
  const oldNames = [...byOldName.keys()];

  function resolve(text: string): PlaceMatch {
    let q = fold(text);
    for (const f of FILLERS) q = q.replace(f, ' ').trim();
    const old = /\bcu\b/.test(q);
    q = q.replace(/\bcu\b/g, ' ').replace(/\s+/g, ' ').trim();
    let district: string | undefined;
    const d = DISTRICT.exec(q);
    if (d) {
      district = d[1];
      q = q.slice(0, d.index).trim();
    }
    q = q.replace(TYPE_WORDS, '').trim();
    if (!q) return { kind: 'none' };

    const name = exactOrNear(q, old ? oldNames : [...newNames, ...oldNames]);
    if (!name) return { kind: 'none' };
    const fresh = old ? [] : byNewName.get(name) ?? [];
    if (fresh.length === 1 && !district) return { kind: 'unit', unit: fresh[0]! };
    let entries = byOldName.get(name) ?? [];
    if (district) {
      const inDistrict = entries.filter((e) => e.district === district || editDistance(e.district, district!, 1) <= 1);
      if (inDistrict.length > 0) entries = inDistrict;
    }
    if (entries.length === 0) return fresh[0] ? { kind: 'unit', unit: fresh[0] } : { kind: 'none' };
    if (entries.length === 1) {
      const e = entries[0]!;
      if (e.partial && e.units.length > 1) return { kind: 'split', old: e.via, units: e.units };
      return { kind: 'unit', unit: e.units[0]!, via: e.via };
    }
    return { kind: 'choose', candidates: entries.flatMap((e) => e.units.map((unit) => ({ unit, via: e.via }))) };
  }

  return { size: units.length, resolve, byCode: (code) => byCode.get(code) };
}

function exactOrNear(q: string, names: readonly string[]): string | undefined {
  if (names.includes(q)) return q;
  if (q.length < 5) return undefined;
  const near = names.filter((n) => editDistance(n, q, 1) <= 1);
  return near.length === 1 ? near[0] : undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
