/**
 * A reply as one plain text, for channels without buttons (Zalo) and for the text part of
 * channels with them: the body, then the options as numbered lines when `numbered` (typing the
 * number picks the option — the engine resolves "2" against the pending question), then links
 * as "label: url" lines. Platforms make bare URLs clickable.
 */
import type { Reply } from '../../engine/types';

export interface PlainTextOptions {
  /** Render options as "1. label" lines (true for channels without buttons). */
  numbered: boolean;
  /** A line after the numbered options, e.g. "Reply with the number" (from the locale files). */
  hint?: string;
}

export function plainText(reply: Reply, opts: PlainTextOptions): string {
  const blocks: string[] = [reply.text];
  if (opts.numbered && reply.options && reply.options.length > 0) {
    const lines = reply.options.map((o, i) => `${i + 1}. ${o.label}`);
    if (opts.hint) lines.push(opts.hint);
    blocks.push(lines.join('\n'));
  }
  if (reply.links && reply.links.length > 0) blocks.push(reply.links.map((l) => (l.label && l.label !== l.url ? `🔗 ${l.label}: ${l.url}` : `🔗 ${l.url}`)).join('\n'));
  return blocks.filter((b) => b.trim() !== '').join('\n\n');
}
