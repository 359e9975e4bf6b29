/**
 * Questions answered from the catalogue, against the real content and engine: a code finds its
 * record, free text finds curated flows first and then records, several fitting records are
 * offered with their level, and a guess is never shown as a card.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { portalLink } from '../../src/catalogue/model';
import type { Content } from '../../src/engine/types';
import { converse, labelsOf, optionId, realContent, textOf } from '../engine/real-content';

let content: Content;
beforeAll(async () => {
  content = await realContent();
});
const link = (code: string) => portalLink(content.catalogue.entry(code)!);
const links = (c: ReturnType<typeof converse>) => c.last.replies.flatMap((r) => r.links ?? []).map((l) => l.url);

describe('a procedure code', () => {
  it('"1.001193" answers with birth registration (the curated card, built on its record)', () => {
    const c = converse(content, ['1.001193']);
    expect(textOf(c.last)).toContain('Đăng ký khai sinh');
    expect(textOf(c.last)).toContain('Mã thủ tục: 1.001193');
    expect(textOf(c.last)).toContain('Nguồn: CSDL quốc gia về TTHC (dichvucong.gov.vn), cập nhật');
    expect(links(c)).toContain(link('1.001193'));
  });

  it('a record no curated file covers answers with the record\'s own card', () => {
    expect(content.curatedByCode.has('1.013136')).toBe(false);
    const c = converse(content, ['mã thủ tục 1.013136']);
    expect(c.last.events).toContainEqual({ type: 'matched', query: content.catalogue.entry('1.013136')!.name, target: 'record:1.013136' });
    expect(links(c)).toContain(link('1.013136'));
  });

  it('another province\'s own record is said not to apply here', () => {
    const other = content.catalogue.elsewhere('1.009122')!;
    expect(other.province).toBe('Đà Nẵng');
    const c = converse(content, ['1.009122']);
    expect(textOf(c.last)).toContain('thủ tục riêng của Đà Nẵng, không áp dụng ở đây');
    expect(textOf(c.last)).not.toContain('Giấy tờ cần chuẩn bị');
  });

  it('an unknown code is said honestly, with the portal search and a person offered', () => {
    const c = converse(content, ['9.999999']);
    expect(textOf(c.last)).toContain('không tìm thấy thủ tục mã 9.999999');
    expect(links(c)).toContain('https://dichvucong.gov.vn/');
    expect(labelsOf(c.last)).toContain(content.t('vi', 'after.handoff'));
  });
});

describe('free text over the catalogue', () => {
  it('"con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu" finds the first military-service registration', () => {
    const c = converse(content, ['con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu']);
    expect(textOf(c.last).toLowerCase()).toContain('đăng ký nghĩa vụ quân sự lần đầu');
    expect(textOf(c.last)).toContain('Mã thủ tục: 1.013133 · cấp xã');
    expect(links(c)).toContain(link('1.013133'));
  });

  it('without a curated file, the same question finds record 1.013133 itself (the "đủ 17" keyword pairs)', async () => {
    const { contentWith } = await import('../engine/real-content');
    // No flows, and the curated military-service file reduced to one that names no record.
    const bare = await contentWith({ 'content/procedures/dang-ky-nghia-vu-quan-su-lan-dau.yaml': 'id: dang-ky-nghia-vu-quan-su-lan-dau\nname: Thử\nverified: 2026-11-20\nreview_by: 2027-05-01\n' }, { onlyTheseFlows: true });
    expect(bare.search('con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu').map((h) => h.id)).toEqual(['1.013133']);
    const several = bare.search('đăng ký nghĩa vụ quân sự');
    expect(several.length).toBeGreaterThan(1);
    expect(several.length).toBeLessThanOrEqual(5);
  });

  it('several fitting records are offered, at most 5, each with its level', () => {
    const c = converse(content, ['cấp chứng chỉ hành nghề']);
    expect(c.session.pending?.kind).toBe('search');
    const records = labelsOf(c.last).filter((l) => /chứng chỉ hành nghề/i.test(l));
    expect(records.length).toBeGreaterThan(1);
    expect(records.length).toBeLessThanOrEqual(5);
    for (const l of records) expect(l).toMatch(/\((cấp xã|cấp tỉnh|cấp trung ương)(, cấp tỉnh)?\)$/);
  });

  it('a record that fits better than a curated flow is offered first ("thay đổi nội dung" is not registering), and picking it shows its card', () => {
    const c = converse(content, ['thay đổi nội dung đăng ký hộ kinh doanh']);
    const first = labelsOf(c.last)[0]!;
    expect(first).toContain(content.catalogue.entry('2.000720')!.name);
    const picked = converse(content, ['thay đổi nội dung đăng ký hộ kinh doanh', '1']);
    expect(textOf(picked.last)).toContain('Mã thủ tục: 2.000720');
  });

  it('a record whose whole name the message says answers, however long the sentence around it', () => {
    const c = converse(content, ['tạm dừng hưởng trợ cấp thất nghiệp vì đã có việc làm']);
    expect(c.last.events).toContainEqual(expect.objectContaining({ type: 'matched', target: 'record:1.014750' }));
    // Saying the shorter name whole answers that one, not the five records that contain it.
    const d = converse(content, ['huong tro cap that nghiep']);
    expect(textOf(d.last)).toContain('Mã thủ tục: 1.014748');
  });

  it('a record\'s name that says more than the curated phrase in the message wins; one that says no more does not', () => {
    // "đăng ký lại khai sinh" (5 words) over the birth-registration flow's "khai sinh".
    expect(converse(content, ['dang ky lai khai sinh cho bo toi']).last.events).toContainEqual(expect.objectContaining({ type: 'matched', target: 'record:1.004884' }));
    // "cấp lại giấy phép lái xe" is named whole by the driving-licence flow too: the flow stays.
    const c = converse(content, ['cấp lại giấy phép lái xe']);
    expect(c.last.events.some((e) => e.type === 'matched' && e.target.startsWith('record:'))).toBe(false);
  });

  it('records with the same name at several levels: the one handled in the province answers; otherwise both are offered with their level', () => {
    // 1.004746 is the commune's, 2.000507 the embassies'.
    expect(textOf(converse(content, ['dang ky lai ket hon']).last)).toContain('Mã thủ tục: 1.004746');
    // Two ministries' records of one benefit, both handled here: ask.
    const c = converse(content, ['rút bảo hiểm xã hội một lần']);
    expect(c.session.pending?.kind).toBe('search');
    expect(labelsOf(c.last)).toEqual(expect.arrayContaining(['HƯỞNG BẢO HIỂM XÃ HỘI MỘT LẦN. (cấp tỉnh)', 'Giải quyết hưởng bảo hiểm xã hội một lần (cấp xã, cấp tỉnh)']));
  });

  it('a curated flow keeps the name of the record it is built on, though another level\'s record has the same name', () => {
    // 1.014064 "Cấp lại thẻ căn cước" (the curated card) and 2.001194 "… (thực hiện tại cấp tỉnh)".
    expect(converse(content, ['cấp lại thẻ căn cước']).session.flow?.id).toBe('can-cuoc');
    // Saying the level picks that record among the same names.
    const c = converse(content, ['Cấp lại thẻ bảo hiểm y tế (thực hiện tại cấp trung ương)']);
    expect(textOf(c.last)).toContain('Mã thủ tục: 1.001327');
  });

  it('a name said whole beats a longer name that has one more word of the message in a row, not two', () => {
    // "Cấp giấy phép thăm dò khoáng sản (cấp Bộ)", not "Lựa chọn … để xem xét cấp giấy phép thăm dò khoáng sản …".
    expect(textOf(converse(content, ['Cấp Giấy phép thăm dò khoáng sản (cấp Bộ)']).last)).toContain('Mã thủ tục: 1.014232');
    // "hỗ trợ chi phí học tập" is not the record named "Hỗ trợ chi phí": the learning-cost records are asked about.
    const c = converse(content, ['đề nghị hỗ trợ chi phí học tập cho con học cấp 2']);
    expect(c.session.pending?.kind).toBe('search');
    expect(textOf(c.last)).not.toContain('Mã thủ tục');
  });

  it('a curated flow named in the message but lacking its rare word is offered beside the record, never shown alone', () => {
    const c = converse(content, ['xin giấy phép kinh doanh karaoke']);
    expect(c.session.flow).toBeUndefined();
    expect(c.session.pending?.kind).toBe('search');
    const labels = labelsOf(c.last);
    expect(labels[0]).toBe(content.flows.get('ho-kinh-doanh')!.title.vi);
    expect(labels.some((l) => l.startsWith(content.catalogue.entry('1.001029')!.name))).toBe(true);
  });

  it('a part of a record name does not outweigh a curated close fit that knows every word of it', () => {
    // "đăng ký, biển số" is also in the record on withdrawing number plates; the vehicle flow fits.
    const c = converse(content, ['mua xe máy mới đi đăng ký biển số ở đâu']);
    expect(labelsOf(c.last)[0]).toBe(content.flows.get('dang-ky-xe')!.title.vi);
  });

  it('curated flows still come first for what they cover', () => {
    const c = converse(content, ['lam can cuoc o dau']);
    expect(c.session.flow?.id).toBe('can-cuoc');
  });

  it('a loose guess is offered, never shown as a card', () => {
    const c = converse(content, ['cấp chứng chỉ hành nghề dược']);
    expect(textOf(c.last)).not.toContain('Giấy tờ cần chuẩn bị');
    expect(c.session.pending?.kind).toBe('search');
  });

  it('nothing fitting: an honest answer with the portal search and the offer of a person, no card', () => {
    const c = converse(content, ['giá vàng hôm nay']);
    // The honest "not covered" answer (engine/miss.ts), with a person offered as an option.
    expect(textOf(c.last)).toContain('Tôi chưa có thông tin về việc này');
    expect(labelsOf(c.last).join('\n')).toMatch(/cán bộ/);
    expect(links(c)).toContain('https://dichvucong.gov.vn/');
    expect(textOf(c.last)).not.toContain('Giấy tờ cần chuẩn bị');
  });
});

describe('the rest of a card behind options', () => {
  it('"Xem trình tự" and "Xem căn cứ pháp lý" show the record\'s steps and legal basis', () => {
    const c = converse(content, ['con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu']);
    const record = content.catalogue.record('1.013133')!;
    c.say(`#${optionId(c.last, 'Xem trình tự')}`);
    expect(textOf(c.last)).toContain('Trình tự thực hiện');
    expect(textOf(c.last)).toContain(record.steps[0]!.slice(0, 60));
    c.say(`#${optionId(c.last, 'Xem căn cứ pháp lý')}`);
    expect(textOf(c.last)).toContain(record.legal[0]!.code);
    expect(labelsOf(c.last)).not.toContain('Xem căn cứ pháp lý');
  });

  it('documents cut from the first message are all in "Xem đủ giấy tờ"', () => {
    const c = converse(content, ['2.000115']);
    const record = content.catalogue.record('2.000115')!;
    expect(textOf(c.last)).toContain('mục khác — chọn «Xem đủ giấy tờ»');
    c.say(`#${optionId(c.last, 'Xem đủ giấy tờ')}`);
    for (const g of record.groups.filter((g) => !g.notes)) for (const i of g.items) expect(textOf(c.last)).toContain(i.text);
  });
});

describe('who handles it', () => {
  it('a commune-level record names the citizen\'s commune office once the place is known', () => {
    const c = converse(content, ['phường Hạc Thành', '2.000635']);
    expect(textOf(c.last)).toContain('Mã thủ tục: 2.000635');
    expect(textOf(c.last)).toMatch(/Hạc Thành/);
  });

  it('a police procedure at province level goes to the provincial police', async () => {
    const { officeKindOf } = await import('../../src/engine/record-card');
    expect(officeKindOf({ agency: 'Bộ Công an', levels: { commune: false, province: true, ministry: false, vertical: true } })).toBe('provincial_police');
    expect(officeKindOf({ agency: 'Bộ Công an', levels: { commune: true, province: false, ministry: false, vertical: true } })).toBe('commune_police');
    expect(officeKindOf({ agency: 'Bộ Tư pháp', levels: { commune: true, province: false, ministry: false, vertical: false } })).toBe('commune_center');
    expect(officeKindOf({ agency: 'Bộ Tài chính', levels: { commune: false, province: false, ministry: true, vertical: false } })).toBeUndefined();
  });
});

describe('a curated file naming its record', () => {
  it('gets the documents, time, fee and legal basis it omits from the record, and keeps what it gives', async () => {
    const { contentWith } = await import('../engine/real-content');
    const curated = await contentWith({
      'content/procedures/dang-ky-ket-hon.yaml': [
        'id: dang-ky-ket-hon',
        'name: Đăng ký kết hôn',
        'code: "1.000894"',
        'match: [đăng ký kết hôn]',
        'handled_by: commune_center',
        'processing_time: Trong ngày',
        'sources:',
        '  - { url: "https://dichvucong.gov.vn/", title: Cổng Dịch vụ công quốc gia }',
        'verified: 2026-11-20',
        'review_by: 2027-05-01',
        '',
      ].join('\n'),
    });
    const record = curated.catalogue.record('1.000894')!;
    const c = converse(curated, ['dang ky ket hon', 'phường Hạc Thành']);
    const card = textOf(c.last);
    expect(card).toContain('Đăng ký kết hôn');
    const firstItem = record.groups.find((g) => !g.notes && g.items.length > 0)!.items[0]!.text;
    expect(card).toContain(firstItem);
    expect(card).toContain('Thời gian giải quyết: Trong ngày');
    expect(card).toContain('Miễn lệ phí'); // the record's own words
    expect(card).toContain('Hạc Thành');
    expect(card).toContain('Nguồn: CSDL quốc gia về TTHC (dichvucong.gov.vn), cập nhật');
    expect(labelsOf(c.last)).toContain('Xem căn cứ pháp lý');
  });
});
