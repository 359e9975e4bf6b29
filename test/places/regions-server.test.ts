/**
 * REGIONS through the real server (POST /api/chat on loopback, files in a temp DATA_DIR): the
 * whole country, two provinces, and the default that serves Thanh Hóa as before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chat, startTestServer, type TestServer } from '../helpers/server';

type Replies = Awaited<ReturnType<typeof chat>>['replies'];
const allText = (replies: Replies) => replies.map((r) => r.text).join('\n');
const labels = (replies: Replies) => replies.flatMap((r) => r.options ?? []).map((o) => o.label);
const optionId = (replies: Replies, label: string): string => {
  const found = replies.flatMap((r) => r.options ?? []).find((o) => o.label.includes(label));
  if (!found) throw new Error(`no option "${label}" in ${JSON.stringify(labels(replies))}`);
  return found.id;
};

describe('REGIONS', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('REGIONS=all: "phường Hàng Mã cũ giờ là phường nào" → phường Hoàn Kiếm (Hà Nội); a name in several provinces asks the province first', async () => {
    server = await startTestServer({ REGIONS: 'all' });
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { units: number; regions: string[] };
    expect(ready.units).toBe(3321);
    expect(ready.regions).toHaveLength(34);

    const hangMa = await chat(server.url, 'regions-all-1', { text: 'phường Hàng Mã cũ giờ là phường nào' });
    expect(allText(hangMa.replies)).toContain('Phường Hàng Mã (quận Hoàn Kiếm cũ) nay thuộc phường Hoàn Kiếm, thành phố Hà Nội.');

    const shared = await chat(server.url, 'regions-all-2', { text: 'xã Quảng Thịnh cũ giờ là xã nào' });
    expect(allText(shared.replies)).toContain('có ở nhiều tỉnh, thành phố');
    expect(labels(shared.replies)).toEqual(expect.arrayContaining(['Tỉnh Thanh Hóa']));
    const picked = await chat(server.url, 'regions-all-2', { choice: optionId(shared.replies, 'Tỉnh Thanh Hóa') });
    expect(allText(picked.replies)).toMatch(/Quảng Thịnh \(.+ cũ\) nay thuộc .+, tỉnh Thanh Hóa\./);

    // Named with its province at once, no question.
    const named = await chat(server.url, 'regions-all-3', { text: 'xã Quảng Thịnh cũ ở Thanh Hóa' });
    expect(allText(named.replies)).toMatch(/Quảng Thịnh \(.+ cũ\) nay thuộc .+, tỉnh Thanh Hóa\./);

    const oldProvince = await chat(server.url, 'regions-all-4', { text: 'tỉnh Hà Nam cũ' });
    expect(allText(oldProvince.replies)).toContain('tỉnh Hà Nam cũ nay thuộc tỉnh Ninh Bình');

    const hello = await chat(server.url, 'regions-all-5');
    expect(allText(hello.replies)).toContain('người dân 34 tỉnh, thành phố');
  }, 60_000);

  it('REGIONS=thanh-hoa (default): a place elsewhere is answered honestly; Thanh Hóa places as before', async () => {
    server = await startTestServer();
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { units: number; regions: string[] };
    expect(ready).toMatchObject({ units: 166, regions: ['thanh-hoa'] });

    const hangMa = await chat(server.url, 'regions-th-1', { text: 'phường Hàng Mã cũ giờ là phường nào' });
    const text = allText(hangMa.replies);
    expect(text).toContain('Phường Hàng Mã (quận Hoàn Kiếm cũ) → Phường Hoàn Kiếm thuộc thành phố Hà Nội');
    expect(text).toContain('Bot này phục vụ tỉnh Thanh Hóa');

    const local = await chat(server.url, 'regions-th-2', { text: 'xã Đông Lĩnh cũ giờ là xã nào' });
    expect(allText(local.replies)).toContain('nay thuộc phường Đông Tiến.');
  }, 60_000);

  it('REGIONS=thanh-hoa,nghe-an: two provinces served and named in the greeting', async () => {
    server = await startTestServer({ REGIONS: 'thanh-hoa,nghe-an' });
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { units: number; regions: string[] };
    expect(ready).toMatchObject({ units: 296, regions: ['thanh-hoa', 'nghe-an'] });
    const ask = await chat(server.url, 'regions-two-1', { text: 'đăng ký khai sinh' });
    expect(ask.replies.length).toBeGreaterThan(0);
    const hello = await chat(server.url, 'regions-two-2');
    expect(allText(hello.replies)).toContain('người dân tỉnh Thanh Hóa, tỉnh Nghệ An');

    // Facts of one province for its citizens only (docs/regional-facts.md).
    const ngheAn = allText((await chat(server.url, 'regions-two-3', { text: 'tôi ở phường Thành Vinh, muốn làm sổ đỏ lần đầu' })).replies);
    expect(ngheAn).toContain('Mã thủ tục: 1.013978');
    expect(ngheAn).toContain('Trung tâm Phục vụ hành chính công phường Thành Vinh');
    expect(ngheAn).not.toMatch(/Thanh Hóa|1\.115520|Hạc Thành/);
    const thanhHoa = allText((await chat(server.url, 'regions-two-4', { text: 'tôi ở phường Hạc Thành, muốn làm sổ đỏ lần đầu' })).replies);
    expect(thanhHoa).toContain('Mã thủ tục: 1.115520');
    expect(thanhHoa).toContain('Trung tâm Phục vụ hành chính công các cấp ở Thanh Hóa tiếp nhận hồ sơ đất đai');
  }, 60_000);

  it('REGIONS=nghe-an alone starts (Thanh Hóa’s own records named under regions.thanh-hoa are not checked there) and tells nothing of Thanh Hóa’s', async () => {
    server = await startTestServer({ REGIONS: 'nghe-an' });
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { units: number; regions: string[] };
    expect(ready).toMatchObject({ units: 130, regions: ['nghe-an'] });
    const asked = await chat(server.url, 'regions-na-1', { text: 'tôi ở xã Quỳnh Lưu, muốn đăng ký khai sinh' });
    expect(allText(asked.replies)).toContain('xã Quỳnh Lưu');
    const first = asked.replies.flatMap((r) => r.options ?? [])[0]!;
    const card = allText((await chat(server.url, 'regions-na-1', { choice: first.id })).replies);
    expect(card).toContain('📋');
    expect(`${allText(asked.replies)}\n${card}`).not.toMatch(/Thanh Hóa/);
  }, 60_000);
});
