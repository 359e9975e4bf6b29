/**
 * Places in real conversations with the pure engine and the real content, generated from the
 * data: every old commune answered as a free-text question, and every new unit named together
 * with a request, which must start the flow with that place already known.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../src/engine/normalize';
import type { Content, Unit } from '../../src/engine/types';
import { converse, labelsOf, realContent, ROOT, textOf } from '../engine/real-content';

const SHARED = path.join(ROOT, 'sources/admin-units/thanh-hoa');
interface OldRecord {
  old_name: string;
  old_type: string;
  old_district: string;
  new: Array<{ code: string; name: string; type: string }>;
  doubtful_old_record?: string;
}
const oldRecords = (JSON.parse(await readFile(path.join(SHARED, 'thanh-hoa-old-to-new.json'), 'utf8')) as OldRecord[]).filter((r) => !r.doubtful_old_record);
const units = (JSON.parse(await readFile(path.join(ROOT, 'content/regions/thanh-hoa/units.json'), 'utf8')) as { units: Unit[] }).units;

let content: Content;
beforeAll(async () => {
  content = await realContent();
});

const lowerDistrict = (d: string) => d.charAt(0).toLowerCase() + d.slice(1);

describe('"xa … cu gio la xa nao" for every old commune, ward and township', () => {
  it('names today’s unit(s), or asks which one with the old district of each', () => {
    const wrong: string[] = [];
    for (const r of oldRecords) {
      const q = `xa ${fold(r.old_name)} cu gio la xa nao`;
      const c = converse(content, [q]);
      const text = textOf(c.last);
      const labels = labelsOf(c.last).join(' | ');
      const all = `${text}\n${labels}`;
      const named = r.new.every((n) => all.includes(`${n.type} ${n.name}`) || all.includes(`${n.type.charAt(0).toUpperCase()}${n.type.slice(1)} ${n.name}`));
      const asked = c.session.pending?.kind === 'place_pick';
      // A question must show this record's old district (the citizen's way to pick it).
      const districtShown = !asked || labels.includes(`(${lowerDistrict(r.old_district)} cũ)`) || text.includes(`(${lowerDistrict(r.old_district)} cũ)`);
      if (!named || !districtShown) wrong.push(`${q} → ${text.split('\n')[0]} [${labels}]`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers with the merge sentence "… (huyện … cũ) nay thuộc …" when the name is unique', () => {
    const unique = oldRecords.filter((r) => r.new.length === 1 && oldRecords.filter((o) => fold(o.old_name) === fold(r.old_name)).length === 1 && !units.some((u) => fold(u.name) === fold(r.old_name)));
    expect(unique.length).toBeGreaterThan(300);
    for (const r of unique) {
      const c = converse(content, [`${r.old_type} ${r.old_name} cũ giờ là xã nào`]);
      const type = r.old_type.charAt(0).toUpperCase() + r.old_type.slice(1);
      expect(textOf(c.last), r.old_name).toContain(`${type} ${r.old_name} (${lowerDistrict(r.old_district)} cũ) nay thuộc ${r.new[0]!.type} ${r.new[0]!.name}.`);
      expect(c.last.events, r.old_name).toContainEqual(expect.objectContaining({ type: 'place_resolved', unit: r.new[0]!.code }));
    }
  });
});

describe('a place and a request in one message', () => {
  it('starts the residence flow with the place known, for every one of the 166 units', () => {
    const wrong: string[] = [];
    for (const u of units) {
      const q = `tôi ở ${u.type} ${u.name}, muốn đăng ký thường trú`;
      const c = converse(content, [q]);
      if (c.session.flow?.id !== 'cu-tru' || c.session.place?.code !== u.code) {
        // Names shared with an old unit elsewhere ask first; today's unit is the first choice.
        if (c.session.pending?.kind !== 'place_pick') {
          wrong.push(`${q} → flow ${c.session.flow?.id}, place ${c.session.place?.name}`);
          continue;
        }
        c.say('1');
        if (c.session.place?.code !== u.code || c.session.flow?.id !== 'cu-tru') {
          wrong.push(`${q} → picked ${c.session.place?.name}`);
          continue;
        }
      }
      // "đăng ký thường trú" in the message answers the flow's first question by itself.
      const text = textOf(c.last);
      if (!text.includes(`Công an ${u.type} ${u.name}`) || text.includes('Bạn đăng ký thường trú tại xã, phường nào')) wrong.push(`${q} → ${text.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('keeps the place for the next request, offering it as "Vẫn là …" instead of assuming it', () => {
    const c = converse(content, ['tôi ở phường Hạc Thành, muốn đăng ký thường trú', 'menu', 'đăng ký khai sinh', 'tại xã']);
    expect(labelsOf(c.last)).toContain('Vẫn là Phường Hạc Thành');
    c.say('1');
    expect(textOf(c.last)).toContain('Trung tâm Phục vụ hành chính công phường Hạc Thành');
  });

  it('answers a place question asked in the middle of a flow and repeats the question', () => {
    const c = converse(content, ['làm căn cước', '1']);
    c.say('xã Đông Lĩnh cũ giờ là phường nào');
    expect(textOf(c.last)).toContain('nay thuộc phường Đông Tiến');
    expect(c.session.flow?.node).toBe('case');
    c.say('3');
    // The place is known now, so the place question offers it.
    expect(labelsOf(c.last)).toContain('Vẫn là Phường Đông Tiến');
  });
});
