/** One plain-text table for all sections (also valid Markdown, to paste into the README). */
import type { Row } from './section';

export function table(rows: ReadonlyArray<Row & { section: string }>): string {
  const cells = rows.map((r) => [r.section, r.measure, r.value, r.goal ? `${r.goal} ${r.met === undefined ? '' : r.met ? '✓' : '✗'}`.trim() : '']);
  const head = ['section', 'measure', 'value', 'goal'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((s, i) => s.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}
