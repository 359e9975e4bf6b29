/**
 * Time and fee of a record in words, per submission method. Only what the record states: an
 * empty fee is said to be set by the provincial council (HĐND) only where the record's own text
 * says so, and "free" only where the record's words say it; otherwise the card says the record
 * gives no fee.
 */
import type { CatalogueRecord, RecordMethod, SubmissionMethod } from './model';

export type Say = (key: string, params?: Record<string, unknown>) => string;

/** Longest piece of the record's prose shown in a time or fee line; longer ones end at a word with "…". */
const MAX_PROSE = 280;

export function shorten(s: string, max = MAX_PROSE): string {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max - 1);
  return s.slice(0, cut > max / 2 ? cut : max - 1) + '…';
}

export function formatDong(value: number): string {
  return Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

function timeOf(m: RecordMethod, say: Say): string | undefined {
  if (m.time) return say(`card.unit.${m.time.unit}`, { count: m.time.qty });
  if (m.timeText) return shorten(m.timeText);
  return undefined;
}

function feeOf(m: RecordMethod, say: Say): string | undefined {
  const parts = m.fees
    .filter((f) => f.value > 0 || f.text)
    .map((f) => (f.value > 0 ? say('card.amount', { value: formatDong(f.value) }) + (f.text ? ` (${shorten(f.text, 160)})` : '') : shorten(f.text!, 200)));
  return parts.length > 0 ? [...new Set(parts)].join('; ') : undefined;
}

/** The record's own words say the fee is set by the provincial people's council. */
export function feeByCouncil(r: Pick<CatalogueRecord, 'legal' | 'methods'>): boolean {
  const council = /hội đồng nhân dân|hđnd/i;
  const texts = [...r.legal.map((l) => l.name), ...r.methods.flatMap((m) => [m.note ?? '', ...m.fees.map((f) => f.text ?? '')])];
  return texts.some((s) => council.test(s) && /phí/i.test(s));
}

/**
 * Lines "label: value" per method, merged into one line when every method says the same.
 * `unknown` is what a method with nothing stated gets.
 */
function perMethod(r: CatalogueRecord, value: (m: RecordMethod) => string | undefined, unknown: string, say: Say): { single?: string; lines: string[] } {
  if (r.methods.length === 0) return { single: unknown, lines: [] };
  const values = r.methods.map((m) => value(m) ?? unknown);
  if (values.every((v) => v === values[0])) return { single: values[0]!, lines: [] };
  return { lines: r.methods.map((m, i) => `${say(`card.method.${m.method}`)}: ${values[i]}`) };
}

export function timeLines(r: CatalogueRecord, say: Say): { single?: string; lines: string[] } {
  return perMethod(r, (m) => timeOf(m, say), say('card.time_unknown'), say);
}

export function feeLines(r: CatalogueRecord, say: Say): { single?: string; lines: string[] } {
  const none = feeByCouncil(r) ? say('card.fee_council') : say('card.fee_unknown');
  return perMethod(r, (m) => feeOf(m, say), none, say);
}

export function methodsOffered(r: CatalogueRecord): SubmissionMethod[] {
  return r.methods.map((m) => m.method);
}
