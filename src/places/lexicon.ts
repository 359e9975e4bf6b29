/**
 * The words around a place name, the same in every province: type words ("xã", "phường",
 * "huyện", "quận"), prepositions, the fillers of an answer, and the phrasings that ask what a
 * place is called now. Province names and a province's common phrases are not here: they are
 * data (content/regions/<slug>/region.yaml), handed to the index as a `PlaceLexicon`.
 */

export type CommuneType = 'xa' | 'phuong' | 'thi tran' | 'dac khu';

export const COMMUNE_TYPES: ReadonlyArray<[string[], CommuneType]> = [
  [['thi', 'tran'], 'thi tran'],
  [['dac', 'khu'], 'dac khu'],
  [['tt'], 'thi tran'],
  [['xa'], 'xa'],
  [['x'], 'xa'],
  [['phuong'], 'phuong'],
  [['p'], 'phuong'],
];
export const DISTRICT_TYPES: ReadonlyArray<string[]> = [['thanh', 'pho'], ['thi', 'xa'], ['huyen'], ['quan'], ['tp'], ['tx'], ['q'], ['h']];
/** Words before a province name ("tỉnh Nghệ An", "TP Hồ Chí Minh"). */
export const PROVINCE_TYPES: ReadonlyArray<string[]> = [['thanh', 'pho'], ['tinh'], ['tp']];
/** Words before a place that make a bare name a place ("ở Hạc Thành", "thuộc Hàm Rồng"). */
export const PREPOSITIONS = new Map([['o', 'ở'], ['tai', 'tại'], ['thuoc', 'thuộc']]);
/**
 * Words that may surround a place name in an answer ("tôi ở xã … cũ, giờ là xã nào ạ") and are
 * dropped before looking for a typo. Words that occur in any place name are removed from this
 * list at build time, so a filler can never eat part of a name.
 */
export const FILLER_WORDS = [
  'toi', 'nha', 'em', 'minh', 'chung', 'o', 'song', 'dang', 'tai', 'thuoc', 'gio', 'bay', 'nay', 'hien', 'la', 'nao', 'gi', 'dau',
  'sau', 'khi', 'sap', 'nhap', 'sat', 've', 'vao', 'cua', 'con', 'ban', 'a', 'oi', 'nhe', 'voi', 'ten', 'moi', 'cu', 'hoi', 'cho',
  'biet', 'xin', 'duoc', 'khong', 'ko', 'k', 'vay', 'the', 'ah', 'da', 'vang', 'tinh', 'thuong', 'tru', 'tam', 'ki', 'ky', 'dia',
  'chi', 'truoc', 'day', 'kia', 'hoac', 'va', 'nhi', 'nua', 'roi', 'chua',
];
/** "… giờ là xã nào", "… sáp nhập vào đâu", "tên mới là gì": the message asks about the place. */
export const ASKS_WHERE = [
  /\b(?:xa|phuong|don vi|tinh) (?:moi )?(?:nao|gi)\b/,
  /\b(?:sap|sat) nhap\b/,
  /\b(?:gop|nhap) (?:vao|voi)\b/,
  /\bthuoc (?:xa |phuong |tinh )?(?:nao|dau|ve dau)\b/,
  /\bten moi\b/,
  /\bdoi (?:ten|thanh)\b/,
  /\b(?:gio|bay gio|hien nay|hien gio|nay|bh) (?:la|thuoc|o|ten)\b/,
  /\bla (?:xa|phuong|tinh) nao\b/,
];
/** How the type words are written with diacritics; "phượng" folds to "phuong" but is a name. */
export const TYPE_SPELLING = new Set(['xã', 'phường', 'thị', 'trấn', 'huyện', 'thành', 'phố', 'quận', 'đặc', 'khu', 'tỉnh']);

export function isMarker(word: string): boolean {
  return ['xa', 'phuong', 'thi', 'tran', 'tt', 'huyen', 'quan', 'tp', 'tx', 'p', 'x', 'h', 'q', 'pho', 'cu', 'moi', 'dac', 'khu'].includes(word);
}

/** One province as the index needs it (from region.yaml). */
export interface ProvinceWords {
  slug: string;
  /** "Thanh Hóa" */
  name: string;
  /** "Tỉnh Thanh Hóa" */
  full_name: string;
  other_names: readonly string[];
  /** The pre-2025 provinces merged into it ("Tỉnh Hà Nam"). */
  old_provinces: readonly string[];
  common_phrases: readonly string[];
  resolution?: string;
  /** region.yaml `examples`: the places given as examples when the bot asks for one. */
  examples?: { new?: string | undefined; old?: string | undefined; old_with_district?: string | undefined };
}

export interface PlaceLexicon {
  /** Every province the bot knows the words of (all 34, served or not). */
  provinces: readonly ProvinceWords[];
}
