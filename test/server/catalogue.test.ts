/**
 * The done-when checks through the real server (POST /api/chat on loopback, real files):
 * a procedure code, a free-text question the catalogue answers, marriage registration with a
 * commune; and free text over records no curated flow covers (issue 9 item 6), in both languages.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, ROOT, startTestServer, type TestServer } from '../helpers/server';

type Replies = Awaited<ReturnType<typeof chat>>['replies'];
const allText = (replies: Replies) => replies.map((r) => r.text).join('\n');
const allLinks = (replies: Replies) => replies.flatMap((r) => r.links ?? []).map((l) => l.url);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

describe('the national catalogue over /api/chat', () => {
  it('"1.001193" answers with the birth registration record', async () => {
    const { replies } = await chat(server.url, 'catalogue-code', { text: '1.001193' });
    expect(allText(replies)).toContain('Mã thủ tục: 1.001193');
    expect(allText(replies)).toContain('khai sinh');
    expect(allLinks(replies)).toContain('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fe0-70ac-b9d6-5e9e20d6eef7');
  });

  it('"con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu" answers with record 1.013133 and its portal link', async () => {
    const { replies } = await chat(server.url, 'catalogue-nvqs', { text: 'con tôi đủ 17 tuổi đăng ký nghĩa vụ quân sự ở đâu' });
    expect(allText(replies).toLowerCase()).toContain('đăng ký nghĩa vụ quân sự lần đầu');
    expect(allText(replies)).toContain('Mã thủ tục: 1.013133');
    expect(allLinks(replies)).toContain('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfb-8915-70aa-a67f-adceef7fd0ee');
  });

  // The curated marriage file of the editors names record 1.000894 and says only what it adds
  // (docs/catalogue.md); here a file of that shape is served from a copy of the content, so the
  // check does not depend on how the shipped file words its own facts.
  it('"dang ky ket hon" and a commune: documents, time, fee and the commune\'s office', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'thutuc-catalogue-'));
    await cp(path.join(ROOT, 'flows'), path.join(dir, 'flows'), { recursive: true });
    await cp(path.join(ROOT, 'content'), path.join(dir, 'content'), { recursive: true });
    await writeFile(
      path.join(dir, 'content/procedures/dang-ky-ket-hon.yaml'),
      ['id: dang-ky-ket-hon', 'name: Đăng ký kết hôn', 'code: "1.000894"', 'match: [kết hôn, đăng ký kết hôn]', 'handled_by: commune_center', 'sources:', '  - { url: "https://dichvucong.gov.vn/", title: Cổng Dịch vụ công quốc gia }', 'verified: 2026-11-20', 'review_by: 2027-05-01', ''].join('\n'),
    );
    const own = await startTestServer({ CONTENT_DIR: dir }, { dataDir: path.join(dir, 'data') });
    let replies: Replies;
    try {
      await chat(own.url, 'catalogue-ket-hon', { text: 'dang ky ket hon' });
      ({ replies } = await chat(own.url, 'catalogue-ket-hon', { text: 'phường Hạc Thành' }));
    } finally {
      await own.dispose();
      await rm(dir, { recursive: true, force: true });
    }
    const text = allText(replies);
    const documents = text.slice(text.indexOf('Giấy tờ cần chuẩn bị:'), text.indexOf('Lệ phí'));
    expect(documents).toMatch(/\n• /);
    expect(documents).not.toContain('chưa có thông tin');
    expect(text).toMatch(/Thời gian giải quyết: \S/);
    expect(text).toMatch(/Lệ phí:\s*\S/);
    expect(text).not.toMatch(/Lệ phí: chưa có thông tin/);
    expect(text).toContain('phường Hạc Thành');
  });

  // The same conversation with the content as shipped (the editors' curated file on record 1.000894).
  it('"dang ky ket hon" and a commune with the shipped content: documents, time, fee, the commune\'s centre and the portal link', async () => {
    const first = await chat(server.url, 'catalogue-ket-hon-shipped', { text: 'dang ky ket hon' });
    expect(allText(first.replies)).toContain('xã, phường nào');
    const { replies } = await chat(server.url, 'catalogue-ket-hon-shipped', { text: 'phường Hạc Thành' });
    const text = allText(replies);
    expect(text).toContain('Mã thủ tục: 1.000894');
    const documents = text.slice(text.indexOf('Giấy tờ cần chuẩn bị:'), text.indexOf('Thời gian giải quyết'));
    expect(documents).toMatch(/\n• \S/);
    expect(text).toMatch(/Thời gian giải quyết: \S/);
    expect(text).toMatch(/Lệ phí: \S/);
    expect(text).not.toMatch(/(Thời gian giải quyết|Lệ phí): chưa có thông tin/);
    expect(text).toContain('Trung tâm Phục vụ hành chính công phường Hạc Thành');
    expect(allLinks(replies)).toContain('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfd-3fac-7489-b53b-a15eb239a6fe');
  });
});

describe('free text over records no curated flow covers, over /api/chat', () => {
  it('a question that says a record\'s name inside a longer sentence gets that record\'s card, not a curated flow', async () => {
    const { replies } = await chat(server.url, 'catalogue-tam-dung', { text: 'tạm dừng hưởng trợ cấp thất nghiệp vì đã có việc làm' });
    const text = allText(replies);
    expect(text).toContain('Tạm dừng hưởng trợ cấp thất nghiệp');
    expect(text).toContain('Mã thủ tục: 1.014750');
    expect(text).toContain('Nguồn: CSDL quốc gia về TTHC (dichvucong.gov.vn), cập nhật');
  });

  it('an English question on a catalogue record is answered in English, with the record\'s own words and link', async () => {
    const { replies } = await chat(server.url, 'catalogue-english', { text: 'how do I claim unemployment benefit' });
    const text = allText(replies);
    expect(text).toContain('I will answer in English');
    expect(text).toContain('Procedure code: 1.014748');
    expect(text).toContain('Hưởng trợ cấp thất nghiệp');
    expect(text).toMatch(/Documents to prepare:\n• \S/);
    expect(text).toContain('Source: National database of administrative procedures');
    expect(text).not.toContain('Mã thủ tục');
    expect(allLinks(replies)).toContain('https://dichvucong.gov.vn/thu-tuc-hanh-chinh/019d2bfb-2b1d-7649-8f76-f5315475eb46');
    expect(replies.flatMap((r) => r.options ?? []).map((o) => o.label)).toContain('Talk to a support officer');
  });

  it('several records that fit are offered with their level, at most five, and no card is shown', async () => {
    const { replies } = await chat(server.url, 'catalogue-luong-huu', { text: 'thủ tục hưởng lương hưu' });
    const labels = replies.flatMap((r) => r.options ?? []).map((o) => o.label);
    const records = labels.filter((l) => /lương hưu/i.test(l));
    expect(records).toContain('HƯỞNG LƯƠNG HƯU ĐỐI VỚI NGƯỜI THAM GIA BẢO HIỂM XÃ HỘI BẮT BUỘC (cấp tỉnh)');
    expect(records).toContain('HƯỞNG LƯƠNG HƯU ĐỐI VỚI NGƯỜI THAM GIA BẢO HIỂM XÃ HỘI TỰ NGUYỆN (cấp tỉnh)');
    expect(records.length).toBeLessThanOrEqual(5);
    for (const l of records) expect(l).toMatch(/\((cấp xã|cấp tỉnh|cấp trung ương)(, cấp tỉnh)?\)$/);
    expect(allText(replies)).not.toContain('Mã thủ tục');
  });

  it('nothing fitting: the honest answer, the portal\'s search and a person, never another procedure\'s card', async () => {
    const { replies } = await chat(server.url, 'catalogue-nothing', { text: 'giá xăng hôm nay bao nhiêu' });
    expect(allText(replies)).toContain('Tôi chưa có thông tin về việc này');
    expect(allText(replies)).not.toContain('Mã thủ tục');
    expect(allLinks(replies)).toContain('https://dichvucong.gov.vn/');
    expect(replies.flatMap((r) => r.options ?? []).map((o) => o.label)).toContain('Gặp cán bộ hỗ trợ');
  });
});
