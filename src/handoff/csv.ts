/**
 * CSV for spreadsheets (staff exports). Citizen text ends up in these files, so a cell a
 * spreadsheet would run as a formula is made inert with a leading `'` (OWASP "CSV injection"):
 * after leading spaces, NBSP or ideographic spaces, a cell must not start with = + - @ | or their
 * fullwidth forms (＝ ＋ － ＠, which some spreadsheets fold to ASCII), nor hold a `;` or `,`
 * followed by one of them (a list separator splits a quoted cell in some regional settings, and
 * Vietnamese Excel uses `;`). Every text cell is quoted; numbers stay bare.
 */
const SPACE = '[\\s\\u00A0\\u2007\\u202F\\u3000\\uFEFF]*';
const TRIGGER = '[=+\\-@|\\uFF1D\\uFF0B\\uFF0D\\uFF20\\uFF5C]';
const LEADING = new RegExp(`^(?:${SPACE}${TRIGGER}|[\\t\\r])`);
const AFTER_SEPARATOR = new RegExp(`[;,\\uFF1B\\uFF0C]${SPACE}${TRIGGER}`);

export function isFormulaLike(s: string): boolean {
  return LEADING.test(s) || AFTER_SEPARATOR.test(s);
}

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const s = isFormulaLike(value) ? `'${value}` : value;
  return `"${s.replace(/"/g, '""')}"`;
}

/** Rows to CSV text with CRLF line ends (RFC 4180). */
export function csvRows(rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
