/**
 * Issue 14 in real browsers (Debian's chromium through playwright-core) against the real server:
 * two officers of different communes and a supervisor have the console open; a citizen of
 * commune A asks for a person in the web chat; only officer A and the supervisor see the case
 * appear (title count and alert, no reload); A answers with a canned reply an admin wrote, adds
 * a private note and closes; the citizen rates 5 with a button and leaves a comment; the
 * supervisor finds it all in the audit log and the insights. `npm run test:e2e`.
 *
 * With UPDATE_SCREENSHOTS=1 the case page screenshot for the README is written to
 * docs/staff-offices.png.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { ROOT, startTestServer, type TestServer } from '../helpers/server';
import { movingClock, WEDNESDAY_10AM } from '../handoff/clock';
import { addStaffAs, PASSWORDS } from '../handoff/staff-client';

const HAC_THANH = '14797';
const HAM_RONG = '14758';

let server: TestServer;
let browser: TestBrowser;
let citizen: Page;
const staff: Record<'lan' | 'binh' | 'minh' | 'quan', Page> = {} as never;

beforeAll(async () => {
  server = await startTestServer({}, { now: movingClock(WEDNESDAY_10AM).now });
  await addStaffAs(server.dataDir, 'lan', 'officer', `communes:${HAC_THANH}`);
  await addStaffAs(server.dataDir, 'binh', 'officer', `communes:${HAM_RONG}`);
  await addStaffAs(server.dataDir, 'minh', 'supervisor', 'province');
  await addStaffAs(server.dataDir, 'quan', 'admin', 'all');
  browser = await launchBrowser();
  await browser.context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  citizen = await browser.newPage();
  citizen.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

/** Each staff member in a separate browser context (own cookies), like separate computers. */
async function logIn(user: keyof typeof staff): Promise<Page> {
  const context = await browser.context.browser()?.newContext({ viewport: { width: 1200, height: 900 }, locale: 'vi-VN' });
  const page = context ? await context.newPage() : await browser.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}/staff`);
  await page.getByLabel('Tên đăng nhập').fill(user);
  await page.getByLabel('Mật khẩu').fill(PASSWORDS[user] ?? `${user}-secret-pass-0`);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${server.url}/staff`);
  await expect.poll(() => page.locator('#live').textContent()).toBe('Đang tự cập nhật');
  staff[user] = page;
  return page;
}

async function citizenSays(text: string): Promise<void> {
  const input = citizen.getByRole('textbox', { name: /Gõ câu hỏi/ });
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => citizen.locator('.msg.user').last().textContent()).toContain(text);
}

describe('a case of commune A in an office with two communes and a supervisor', () => {
  it('lets an admin write a canned reply for commune A', async () => {
    const quan = await logIn('quan');
    await quan.goto(`${server.url}/staff/canned`);
    const form = quan.locator('form.canned-form').first();
    await form.getByLabel(/Nơi xử lý/).fill(HAC_THANH);
    await form.getByLabel('Tên mẫu').fill('Hẹn nộp hồ sơ');
    await form.getByLabel('Nội dung').fill('Chào {ten}, mời anh/chị mang hồ sơ {thu_tuc} đến Công an {xa} trong giờ hành chính.');
    await form.getByRole('button', { name: 'Thêm mẫu' }).click();
    await expect.poll(() => quan.locator('[data-canned] h2').textContent()).toBe('Hẹn nộp hồ sơ');
  });

  it('shows the new case live only to officer A and the supervisor', async () => {
    const [lan, binh, minh] = [await logIn('lan'), await logIn('binh'), await logIn('minh')];
    for (const p of [lan, binh, minh]) await p.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await citizen.goto(`${server.url}/`);
    await expect.poll(() => citizen.locator('.options button').count()).toBeGreaterThan(0);
    await citizenSays('tôi ở phường Hạc Thành, muốn đăng ký thường trú');
    await citizenSays('gặp cán bộ');
    await expect.poll(() => citizen.locator('.msg.bot').last().textContent()).toContain('Bạn đang ở vị trí số 1 trong hàng chờ.');

    await expect.poll(() => lan.locator('tr[data-case]').count()).toBe(1);
    await expect.poll(() => minh.locator('tr[data-case]').count()).toBe(1);
    await expect.poll(() => lan.title()).toMatch(/^\(1\) /);
    expect(await lan.locator('#alerts').textContent()).toContain('Có hồ sơ mới cần trả lời.');
    expect(await lan.locator('tr[data-case]').textContent()).toContain('Phường Hạc Thành');
    for (const p of [lan, minh]) expect(await p.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    // Officer B: nothing, not even the alert.
    expect(await binh.locator('tr[data-case]').count()).toBe(0);
    expect(await binh.locator('#alerts').textContent()).toBe('');
    expect(await binh.title()).not.toMatch(/^\(/);
  });

  it('lets officer A answer with the canned reply, add a private note and close', async () => {
    const lan = staff.lan;
    await lan.getByRole('link', { name: 'Mở hồ sơ' }).click();
    await lan.getByRole('button', { name: 'Nhận xử lý' }).click();
    await lan.getByRole('link', { name: 'Hẹn nộp hồ sơ' }).click();
    await expect.poll(() => lan.getByLabel('Trả lời công dân').inputValue()).toBe('Chào anh/chị, mời anh/chị mang hồ sơ Đăng ký cư trú (thường trú, tạm trú) đến Công an Phường Hạc Thành trong giờ hành chính.');
    await lan.getByRole('button', { name: 'Gửi trả lời' }).click();
    await expect.poll(() => lan.locator('#case-live li.staff').count()).toBe(1);
    await lan.getByLabel('Thêm ghi chú nội bộ').fill('Công dân hỏi thêm về giấy tờ chứng minh chỗ ở.');
    await lan.getByRole('button', { name: 'Lưu ghi chú' }).click();
    await expect.poll(() => lan.locator('#notes').textContent()).toContain('Công dân hỏi thêm về giấy tờ chứng minh chỗ ở.');
    await expect.poll(() => citizen.locator('.msg.staff').last().textContent(), { timeout: 15_000 }).toContain('mời anh/chị mang hồ sơ');

    const shot = await lan.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    if (process.env.UPDATE_SCREENSHOTS === '1') await writeFile(path.join(ROOT, 'docs/staff-offices.png'), shot);

    await lan.getByRole('button', { name: 'Đóng hồ sơ, trả lại cho trợ lý' }).click();
    await expect.poll(() => lan.locator('#case-live').textContent()).toContain('lan đã đóng hồ sơ.');
  });

  it('asks the citizen to rate, takes a button and a comment, and never shows the note', async () => {
    await expect.poll(() => citizen.locator('.msg.bot').last().textContent(), { timeout: 15_000 }).toContain('đánh giá');
    await citizen.locator('.msg:last-child .options').getByRole('button', { name: /5 — Rất hài lòng/ }).click();
    await expect.poll(() => citizen.locator('.msg.bot').last().textContent()).toContain('Cảm ơn anh/chị đã đánh giá');
    await citizenSays('Cán bộ trả lời rất rõ ràng');
    await expect.poll(() => citizen.locator('.msg.bot').last().textContent()).toContain('Cảm ơn anh/chị.');
    expect(await citizen.locator('.log').textContent()).not.toContain('giấy tờ chứng minh chỗ ở.');
    await expect.poll(() => staff.lan.locator('#case-rating').textContent()).toContain('5/5');
  });

  it('shows the supervisor every action in the audit log and the rating in the insights', async () => {
    const minh = staff.minh;
    await minh.getByRole('link', { name: 'Nhật ký thao tác' }).click();
    const rows = await minh.locator('#audit tbody tr').allTextContents();
    for (const action of ['Trả lời', 'Ghi chú', 'Đóng hồ sơ', 'Nhận xử lý', 'Lưu mẫu trả lời']) expect(rows.some((r) => r.includes(action))).toBe(true);
    expect(rows.filter((r) => r.includes('lan') && r.includes('Đóng hồ sơ'))).toHaveLength(1);
    await minh.getByRole('link', { name: 'Thống kê cho biên tập viên' }).click();
    expect(await minh.locator('#satisfaction').textContent()).toContain('Phường Hạc Thành');
    expect(await minh.locator('#satisfaction').textContent()).toContain('5.00');
    expect(await minh.locator('#response-times').textContent()).toContain('Thời gian đến câu trả lời đầu tiên');
    // Officer B's console never named the case.
    expect(await staff.binh.locator('tr[data-case]').count()).toBe(0);
  });
});
