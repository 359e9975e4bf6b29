/**
 * Every served record answers with a card (engine level, no HTTP: thousands of records). Each
 * first message has the portal link and the source line, fits one Zalo message (2,000
 * characters as the channel renders it, links included) and lists documents only as whole items.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../src/channels/render/plain-text';
import { portalLink } from '../../src/catalogue/model';
import { newSession, step } from '../../src/engine/step';
import type { Content } from '../../src/engine/types';
import { realContent, T0 } from '../engine/real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent();
});

describe('a card for every record', () => {
  it('renders every served record within one Zalo message, with link and source, never cutting an item', () => {
    const problems: string[] = [];
    let shown = 0;
    for (const entry of content.catalogue.entries) {
      if (content.curatedByCode.has(entry.code)) continue; // the curated card answers (procedure tests)
      const r = step(content, newSession('vi', T0), { kind: 'text', value: entry.code }, T0);
      const card = r.replies[0]!;
      const rendered = plainText(card, { numbered: true });
      const record = content.catalogue.record(entry.code)!;
      const items = new Set(record.groups.flatMap((g) => g.items.map((i) => i.text)));
      if (!card.text.includes(entry.name.slice(0, 120))) problems.push(`${entry.code}: no title`);
      if (!card.links?.some((l) => l.url === portalLink(entry))) problems.push(`${entry.code}: no portal link`);
      if (!/Nguồn: CSDL quốc gia về TTHC \(dichvucong\.gov\.vn\), cập nhật \d{2}\/\d{2}\/\d{4}\./.test(card.text)) problems.push(`${entry.code}: no source line`);
      if (rendered.length > 2000) problems.push(`${entry.code}: ${rendered.length} characters`);
      for (const line of card.text.split('\n').filter((l) => l.startsWith('• '))) {
        const text = line.slice(2);
        // Document lines are whole items (plus our count suffix); other bullets are fee/time per method or the office.
        const whole = [...items].some((i) => text === i || text.startsWith(`${i} (`));
        if (!whole && [...items].some((i) => i.startsWith(text))) problems.push(`${entry.code}: item cut: ${text.slice(0, 40)}`);
      }
      if (r.session.pending?.kind !== 'after') problems.push(`${entry.code}: no options after the card`);
      shown++;
    }
    expect(problems.length, problems.slice(0, 30).join("\n")).toBe(0);
    expect(shown).toBeGreaterThan(4700);
  });
});

describe('a curated card on its record', () => {
  it('shows at least one document in the first message whenever the procedure lists documents, within one Zalo message', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const [code] of content.curatedByCode) {
      const r = step(content, newSession('vi', T0), { kind: 'text', value: code }, T0);
      const card = r.replies.find((x) => x.text.includes(`Mã thủ tục: ${code}`));
      if (!card) continue; // a flow asks its questions first (covered by the flows' transcripts)
      checked++;
      const rendered = plainText(card, { numbered: true });
      if (rendered.length > 2000) problems.push(`${code}: ${rendered.length} characters`);
      const [, afterHeading = ''] = card.text.split(/\nGiấy tờ cần chuẩn bị:\n/);
      if (!afterHeading.startsWith("• ")) problems.push(`${code}: no document in the first message: ${afterHeading.slice(0, 60)}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});
