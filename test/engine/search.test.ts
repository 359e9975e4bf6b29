/**
 * Free text outside a question: the search over flows and procedures (and, failing those,
 * places) that starts the right flow for what citizens actually type.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fold } from '../../src/engine/normalize';
import type { Content } from '../../src/engine/types';
import { contentWith, converse, realContent, labelsOf, textOf } from './real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent();
});
const top = (q: string) => content.search(q)[0];

describe('search', () => {
  it.each(['lam can cuoc', 'làm căn cước', 'can cuoc cong dan', 'CCCD', 'cccd', 'caan cuowcs', 'can cuocc', 'thẻ căn cước bị mất'])(
    'finds the ID-card flow for "%s"',
    (q) => {
      expect(top(q)).toMatchObject({ kind: 'flow', id: 'can-cuoc' });
    },
  );

  it.each(['khai sinh', 'khai sinhf', 'dkks', 'giấy khai sinh cho con', 'khai sinnh'])('finds birth registration for "%s"', (q) => {
    expect(top(q)).toMatchObject({ kind: 'flow', id: 'khai-sinh' });
  });

  it.each(['tạm trú', 'dang ky thuong tru', 'nhập hộ khẩu'])('finds residence registration for "%s"', (q) => {
    expect(top(q)).toMatchObject({ kind: 'flow', id: 'cu-tru' });
  });

  it('starts the flow when one hit clearly wins', () => {
    for (const q of ['lam can cuoc', 'làm căn cước', 'can cuoc cong dan', 'CCCD']) {
      const c = converse(content, [q]);
      expect(c.session.flow?.id, q).toBe('can-cuoc');
      expect(c.last.events, q).toContainEqual({ type: 'matched', query: q, target: 'flow:can-cuoc' });
    }
  });

  it('expands the abbreviations people type (gplx, lltp, hkd) to the procedures they stand for', async () => {
    const flow = (id: string, title: string) => [`id: ${id}`, `title: ${title}`, 'start: s', 'nodes:', '  s: { say: "Nội dung thử" }', ''].join('\n');
    const more = await contentWith({
      'flows/zz-gplx.yaml': flow('zz-gplx', 'Đổi giấy phép lái xe'),
      'flows/zz-lltp.yaml': flow('zz-lltp', 'Cấp phiếu lý lịch tư pháp'),
      'flows/zz-hkd.yaml': flow('zz-hkd', 'Đăng ký hộ kinh doanh'),
    });
    const titleOf = (q: string) => {
      const hit = more.search(q)[0];
      return hit?.kind === 'flow' ? fold(more.flows.get(hit.id)!.title.vi) : undefined;
    };
    expect(titleOf('gplx')).toContain('giay phep lai xe');
    expect(titleOf('lltp')).toContain('ly lich tu phap');
    expect(titleOf('hkd')).toContain('ho kinh doanh');
    expect(titleOf('cccd')).toContain('can cuoc');
    expect(titleOf('dkks')).toContain('khai sinh');
  });

  it('does not answer an abbreviation with a flow that merely shares one word of its expansion', () => {
    // "gplx" = giấy phép lái xe: "giấy" alone must not find "giấy khai sinh".
    for (const q of ['gplx', 'lltp', 'hkd']) {
      for (const hit of content.search(q)) {
        const title = hit.kind === 'flow' ? content.flows.get(hit.id)!.title.vi : hit.kind === 'procedure' ? content.procedures.get(hit.id)!.name.vi : hit.kind === 'record' ? content.catalogue.entry(hit.id)!.name : '';
        expect(fold(title), `${q} → ${hit.kind}:${hit.id}`).toMatch(/lai xe|ly lich|kinh doanh/);
      }
    }
  });

  it('marks a hit strong only on a word pair, an abbreviation or two typed words', () => {
    expect(top('khai sinh')?.strong).toBe(true); // the pair "khai sinh"
    expect(top('dkks')?.strong).toBe(true); // an abbreviation
    expect(top('sinh')).toMatchObject({ id: 'khai-sinh', strong: false }); // one loose word
  });

  it('says plainly what it does not cover, offers the portal and a person, and records a miss', () => {
    const c = converse(content, ['giá vàng hôm nay']);
    expect(c.last.events).toEqual([{ type: 'unmatched', query: 'giá vàng hôm nay' }]);
    expect(textOf(c.last)).toContain(content.t('vi', 'miss.not_covered'));
    expect(c.last.replies.flatMap((r) => r.links ?? []).map((l) => l.url)).toContain('https://dichvucong.gov.vn/');
    expect(labelsOf(c.last)).toContain(content.t('vi', 'after.handoff'));
    expect(c.session.misses).toBe(1);
  });

  it('offers a person after three misses in a row', () => {
    const c = converse(content, ['lam can cuoc', 'xyz', 'qqq zzz']);
    expect(c.session.misses).toBe(2);
    c.say('???');
    expect(c.last.events).toContainEqual({ type: 'unmatched', query: '???', flow: 'can-cuoc', node: 'who' });
    expect(c.session.pending?.kind).toBe('handoff_offer');
    expect(textOf(c.last)).toContain(content.t('vi', 'miss.offer_handoff'));
  });

  it('says what an old commune is called today when only a place is typed', () => {
    const c = converse(content, ['xã Đông Lĩnh cũ']);
    expect(c.session.flow).toBeUndefined();
    expect(c.last.events).toContainEqual(expect.objectContaining({ type: 'place_resolved' }));
    expect(textOf(c.last)).toContain('phường Đông Tiến');
  });
});
