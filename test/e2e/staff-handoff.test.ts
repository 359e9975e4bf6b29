/**
 * Handoff in real browsers (Debian's chromium through playwright-core) against the real server:
 * a citizen asks for a person in the web chat, an officer logs in to /staff, sees the case
 * appear without reloading (SSE), claims it and replies, the citizen sees the reply (the chat
 * page polls), the citizen's answer shows up live in the console, the officer closes the case
 * and the citizen is back with the bot. `npm run test:e2e`.
 *
 * With UPDATE_SCREENSHOTS=1 the console screenshot for the README is written to
 * docs/staff-console.png.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { ROOT, startTestServer, type TestServer } from '../helpers/server';
import { movingClock, WEDNESDAY_10AM } from '../handoff/clock';
import { addStaff, PASSWORDS } from '../handoff/staff-client';

let server: TestServer;
let browser: TestBrowser;
let citizen: Page;
let staff: Page;

beforeAll(async () => {
  server = await startTestServer({}, { now: movingClock(WEDNESDAY_10AM).now });
  await addStaff(server.dataDir, 'anna');
  browser = await launchBrowser();
  // Nothing leaves the machine.
  await browser.context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  citizen = await browser.newPage();
  staff = await browser.newPage();
  await staff.setViewportSize({ width: 1200, height: 900 });
  citizen.setDefaultTimeout(15_000);
  staff.setDefaultTimeout(15_000);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

async function citizenSays(text: string): Promise<void> {
  const input = citizen.getByRole('textbox', { name: /Gõ câu hỏi/ });
  await input.fill(text);
  await input.press('Enter');
  await expect.poll(() => citizen.locator('.msg.user').last().textContent()).toContain(text);
}

// One visit, step by step: each step builds on the one before.
describe('a citizen handed to a support officer', () => {
  it('lets the officer log in to the console', async () => {
    await staff.goto(`${server.url}/staff`);
    expect(new URL(staff.url()).pathname).toBe('/staff/login');
    await staff.getByLabel('Tên đăng nhập').fill('anna');
    await staff.getByLabel('Mật khẩu').fill(PASSWORDS.anna!);
    await staff.getByRole('button', { name: 'Đăng nhập' }).click();
    await staff.waitForURL(`${server.url}/staff`);
    expect(await staff.getByRole('heading', { level: 1 }).textContent()).toBe('Hồ sơ đang chờ (0)');
    await expect.poll(() => staff.locator('#live').textContent()).toBe('Đang tự cập nhật');
  });

  it('shows the case in the open console without a reload when the citizen asks for a person', async () => {
    await staff.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await citizen.goto(`${server.url}/`);
    await expect.poll(() => citizen.locator('.options button').count()).toBeGreaterThan(0);
    // The texts to expect come from the ID-card flow as the editors wrote it.
    const flow = server.content.current().flows.get('can-cuoc')!;
    const who = flow.nodes[flow.start] as { options: Array<{ label: { vi: string }; next: string }> };
    const next = flow.nodes[who.options[0]!.next] as { ask: { vi: string } };
    await citizenSays('làm căn cước');
    await citizen.locator('.msg:last-child .options').getByRole('button', { name: who.options[0]!.label.vi }).click();
    await expect.poll(() => citizen.locator('.msg.bot').last().textContent()).toContain(next.ask.vi);
    await citizenSays('gặp cán bộ');
    await expect.poll(() => citizen.locator('.msg.bot').last().textContent()).toContain('Cán bộ sẽ trả lời bạn trong ít phút.');

    await expect.poll(() => staff.locator('tr[data-case]').count()).toBe(1);
    await expect.poll(() => staff.locator('#open-count').textContent()).toBe('1');
    expect(await staff.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await staff.locator('tr[data-case]').textContent()).toContain(flow.title.vi);
  });

  it('delivers the officer’s reply to the citizen’s chat page', async () => {
    await staff.getByRole('link', { name: 'Mở hồ sơ' }).click();
    await staff.getByRole('button', { name: 'Nhận xử lý' }).click();
    await expect.poll(() => staff.locator('#case-live').textContent()).toContain('anna đang xử lý');
    const flow = server.content.current().flows.get('can-cuoc')!;
    const who = flow.nodes[flow.start] as { options: Array<{ label: { vi: string } }> };
    expect(await staff.locator('dl.facts').last().textContent()).toContain(who.options[0]!.label.vi);
    await staff.getByLabel('Trả lời công dân').fill('Chào bạn, tôi là cán bộ Anna. Bạn làm thẻ lần đầu hay cấp lại?');
    await staff.getByRole('button', { name: 'Gửi trả lời' }).click();
    await expect.poll(() => staff.locator('#case-live li.staff').count()).toBe(1);

    // The chat page polls /api/chat/updates every few seconds.
    await expect.poll(() => citizen.locator('.msg.staff').last().textContent(), { timeout: 15_000 }).toContain('Chào bạn, tôi là cán bộ Anna.');
    expect(await citizen.locator('.msg.staff .who').last().textContent()).toBe('Cán bộ hỗ trợ');
  });

  it('shows the citizen’s answer live on the case page', async () => {
    await staff.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await citizenSays('Cấp lại vì tôi bị mất thẻ <b>cũ</b>');
    await expect.poll(() => staff.locator('#case-live li.user').last().textContent()).toContain('Cấp lại vì tôi bị mất thẻ <b>cũ</b>');
    expect(await staff.locator('#case-live li.user b').count()).toBe(0);
    expect(await staff.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    const shot = await staff.screenshot({ fullPage: true });
    expect(shot.length).toBeGreaterThan(10_000);
    if (process.env.UPDATE_SCREENSHOTS === '1') await writeFile(path.join(ROOT, 'docs/staff-console.png'), shot);
  });

  it('gives the citizen back to the bot when the officer closes the case', async () => {
    await staff.getByRole('button', { name: 'Đóng hồ sơ, trả lại cho trợ lý' }).click();
    await expect.poll(() => staff.locator('#case-live').textContent()).toContain('anna đã đóng hồ sơ.');
    await expect.poll(() => citizen.locator('.msg.bot').last().textContent(), { timeout: 15_000 }).toContain('đánh giá');
    expect(await citizen.locator('.msg.bot').nth(-2).textContent()).toContain('Bạn đã quay lại với trợ lý tự động');

    await citizenSays('menu');
    await expect.poll(() => citizen.locator('.msg:last-child .options button').count()).toBeGreaterThan(0);
    expect(await citizen.locator('.msg:last-child .options').textContent()).toContain('Giấy tờ tùy thân');

    await staff.getByRole('link', { name: /Danh sách hồ sơ/ }).click();
    expect(await staff.locator('#open-count').textContent()).toBe('0');
  });
});
