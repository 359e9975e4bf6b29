/**
 * The compiled catalogue: one clean record per portal procedure, the shape the bot reads
 * (content/catalogue/catalogue.json.gz). Texts are the portal's words, cleaned for reading
 * (clean-text.ts); nothing here is invented or summarised.
 */

export type SubmissionMethod = 'DIRECT' | 'ONLINE' | 'POSTAL';
export type TimeUnit = 'WORKING_DAY' | 'DAY' | 'HOUR' | 'MONTH' | 'YEAR';

export interface RecordItem {
  text: string;
  /** Bản chính / bản sao counts, when the record gives them (> 0). */
  original?: number;
  copy?: number;
  /** The portal marks the item required. */
  required?: boolean;
  /** Names of the forms (mẫu) attached to the item. */
  forms?: string[];
}

export interface RecordGroup {
  /** "Giấy tờ phải nộp", "Giấy tờ phải xuất trình", "Lưu ý", a case name, or undefined (one plain list). */
  heading?: string;
  /** The group is the record's notes ("Lưu ý"), not documents. */
  notes?: boolean;
  items: RecordItem[];
}

export interface RecordFee {
  /** FEE (lệ phí), CHARGE (phí), SERVICE_FEE, PRICE_LEVEL: as the portal labels it. */
  type: string;
  /** In đồng; 0 when the record states no amount. */
  value: number;
  text?: string;
}

export interface RecordMethod {
  method: SubmissionMethod;
  /** Undefined when the record gives no usable unit (OTHER without a case giving one). */
  time?: { qty: number; unit: TimeUnit };
  /** The time in the record's words, where it gives words instead of a number. */
  timeText?: string;
  /** The method's own description (often the time in words). */
  note?: string;
  fees: RecordFee[];
}

export interface CatalogueRecord {
  code: string;
  /** The record's id on the portal: its page is https://dichvucong.gov.vn/thu-tuc-hanh-chinh/<id>. */
  id: string;
  name: string;
  /** Lĩnh vực (e.g. "Hộ tịch"). */
  field?: string;
  /** The portal's life-event group (co-con-nho, ...). */
  group: string;
  /** Set when a province published it for itself (e.g. "Thanh Hóa"); absent = national. */
  province?: string;
  /** The ministry that published the procedure (departmentPromulgateName or the decision's agency). */
  agency?: string;
  /** Who handles it: the portal's level flags. */
  levels: { commune: boolean; province: boolean; ministry: boolean; vertical: boolean };
  /** unitGroupsExecuting names ("Ủy ban nhân dân cấp xã"). */
  executing: string[];
  subjects: string[];
  groups: RecordGroup[];
  methods: RecordMethod[];
  steps: string[];
  requirements?: string;
  results: string[];
  legal: Array<{ code: string; name: string }>;
  decision?: { number: string; date?: string };
  /** The record's last update on the portal, YYYY-MM-DD (UTC). */
  updated: string;
  /** Its most distinctive word pairs, folded ("du 17", "17 tuoi"), for search (compile-catalogue.ts). */
  keywords?: string[];
}

export interface QualityReport {
  records: number;
  national: number;
  local: number;
  byProvince: Record<string, number>;
  documentGroups: number;
  documentItems: number;
  noFee: number;
  noTimeUnit: number;
  noDocuments: number;
  textsCleaned: number;
  skipped: Array<{ line: number; reason: string }>;
}

/** What search and option lists need, kept in memory for every record; the rest is decoded on demand. */
export const ENTRY_FIELDS = ['code', 'id', 'name', 'field', 'group', 'province', 'agency', 'levels', 'subjects', 'updated', 'keywords'] as const;
export type CatalogueEntry = Pick<CatalogueRecord, (typeof ENTRY_FIELDS)[number]>;

export interface CatalogueSource {
  file: string;
  sha256: string;
}

export const PORTAL_PAGE = 'https://dichvucong.gov.vn/thu-tuc-hanh-chinh/';
/** The portal's home page, where its procedure search is (the only search address verified so far). */
export const PORTAL_SEARCH = 'https://dichvucong.gov.vn/';

export function portalLink(record: Pick<CatalogueRecord, 'id'>): string {
  return PORTAL_PAGE + record.id;
}
