/**
 * Makes the portal's legal prose readable without changing its words: invisible and control
 * characters go (the records carry U+200E marks, zero-width spaces, NBSPs, tabs), whitespace runs
 * become one space, lines are trimmed and blank-line runs collapse. Counts what it changed, for
 * the data-quality report.
 */

// Control characters except \n, plus the invisible marks seen in the records (LRM/RLM, ZWSP, ZWNJ, ZWJ, BOM, soft hyphen).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060\ufeff]/g;
const SPACES = /[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+/g;

export interface CleanStats {
  /** Texts whose characters changed (not counting trimming at the ends). */
  cleaned: number;
}

export function cleanText(raw: string, stats?: CleanStats): string {
  const unified = raw.replace(/\r\n?/g, '\n');
  const out = unified
    .replace(INVISIBLE, (c) => (c === '\t' ? ' ' : ''))
    .replace(SPACES, ' ')
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (stats && out !== unified.trim()) stats.cleaned += 1;
  return out;
}

/**
 * A document-list heading as the portal writes it ("* Giấy tờ phải nộp:", "Giấy tờ phải xuất
 * trình", "* Lưu ý :") without its bullet and colon, or undefined when the text is not one of the
 * known headings. Only the heading's punctuation is dropped, never a word.
 */
const HEADINGS = [/^giấy tờ phải nộp$/i, /^giấy tờ phải xuất trình$/i, /^lưu ý$/i, /^thành phần hồ sơ( phải xuất trình| phải nộp)?$/i, /^[a-zđ]\) thành phần hồ sơ$/i];

export function headingOf(text: string): string | undefined {
  const core = text
    .trim()
    .replace(/^[*\-–•+]\s*/, '')
    .replace(/\s*:\s*$/, '')
    .trim();
  return HEADINGS.some((h) => h.test(core)) ? core.charAt(0).toUpperCase() + core.slice(1) : undefined;
}

/** Is this heading the notes group ("Lưu ý") rather than documents? */
export function isNotesHeading(heading: string | undefined): boolean {
  return !!heading && /^lưu ý$/i.test(heading);
}

/** The portal's own list marker at the start of an item ("- ", "+ ", "• "), dropped because the card draws its own. */
export function stripBullet(text: string): string {
  return text.replace(/^[-–•+]\s+/, '');
}
