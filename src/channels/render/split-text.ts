/**
 * Splits a message into parts no longer than `max` UTF-16 code units (what both Telegram and
 * Zalo count against, conservatively). Breaks at line boundaries first, so a list item or a
 * document line is never cut in half; a single line longer than `max` is broken at the last
 * space, and only a line with no space at all is cut mid-word (never inside a surrogate pair).
 * Parts are never blank nor longer than `max`; only whitespace at the cut points is dropped.
 */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('splitText: max must be at least 2');
  if (text.length <= max) return text.trim() === '' ? [] : [text];
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    const part = current.replace(/\s+$/, '');
    if (part.trim() !== '') parts.push(part);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= max) {
      current = candidate;
      continue;
    }
    flush();
    let rest = line;
    while (rest.length > max) {
      const cut = cutPoint(rest, max);
      const head = rest.slice(0, cut).replace(/\s+$/, '');
      if (head !== '') parts.push(head);
      rest = rest.slice(cut).replace(/^\s+/, '');
    }
    current = rest;
  }
  flush();
  return parts;
}

/** Where to cut a line longer than max: after the last space, else at max (not mid-surrogate). */
function cutPoint(line: string, max: number): number {
  const space = line.lastIndexOf(' ', max);
  if (space > max / 2) return space + 1;
  const code = line.charCodeAt(max - 1);
  return code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
}
