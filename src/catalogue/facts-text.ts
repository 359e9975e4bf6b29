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

function timeOf(m: RecordMethod, say: Say, prose: number): string | undefined {
  if (m.time) return say(`card.unit.${m.time.unit}`, { count: m.time.qty });
  if (m.timeText) return shorten(m.timeText, prose);
  return undefined;
}

function feeOf(m: RecordMethod, say: Say, prose: number): string | undefined {
  const parts = m.fees
    .filter((f) => f.value > 0 || f.text)
    .map((f) => (f.value > 0 ? say('card.amount', { value: formatDong(f.value) }) + (f.text ? ` (${shorten(f.text, prose / 2)})` : '') : f.text!));
  return parts.length > 0 ? shorten([...new Set(parts)].join('; '), prose) : undefined;
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
  // A record may list a method several times (once per case): its distinct values, in order.
  const byMethod = new Map<string, string[]>();
  for (const m of r.methods) {
    const v = value(m) ?? unknown;
    const seen = byMethod.get(m.method) ?? [];
    if (!seen.includes(v)) seen.push(v);
    byMethod.set(m.method, seen);
  }
  const merged = [...byMethod].map(([method, vs]) => [method, vs.join(' / ')] as const);
  if (merged.every(([, v]) => v === merged[0]![1])) return { single: merged[0]![1], lines: [] };
  return { lines: merged.map(([method, v]) => `${say(`card.method.${method}`)}: ${v}`) };
}

/** `prose`: the longest stretch of the record's words kept per method (the card shrinks it to fit a phone). */
export function timeLines(r: CatalogueRecord, say: Say, prose = MAX_PROSE): { single?: string; lines: string[] } {
  return perMethod(r, (m) => timeOf(m, say, prose), say('card.time_unknown'), say);
}

export function feeLines(r: CatalogueRecord, say: Say, prose = MAX_PROSE): { single?: string; lines: string[] } {
  const none = feeByCouncil(r) ? say('card.fee_council') : say('card.fee_unknown');
  return perMethod(r, (m) => feeOf(m, say, prose), none, say);
}

export function methodsOffered(r: CatalogueRecord): SubmissionMethod[] {
  return r.methods.map((m) => m.method);
}
