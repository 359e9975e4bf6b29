/**
 * The web chat in a real browser (Debian's chromium through playwright-core) against the real
 * server: a citizen clicks through the ID-card flow, types a commune, gets the answer with a
 * working dichvucong.gov.vn link, reloads and carries on, switches to English, and answers one
 * question with the keyboard only. `npm run test:e2e`.
 *
 * No request leaves the machine: dichvucong.gov.vn is answered by a local stub page.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;
let browser: TestBrowser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
  await browser.context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    if (url.hostname === 'dichvucong.gov.vn') return route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<title>Cổng Dịch vụ công quốc gia (stub)</title>' });
    return route.abort();
  });
  page = await browser.newPage();
  // Fail a step in seconds, not Playwright's default 30 s.
  page.setDefaultTimeout(10_000);
});
afterAll(async () => {
  await browser?.close();
  await server?.dispose();
});

const option = (name: string | RegExp) => page.locator('.msg:last-child .options').getByRole('button', { name });
const lastBot = () => page.locator('.msg.bot').last();
/** The chat credential the server issued, as the page keeps it (the chat id is the part before the dot). */
const chatTokenInPage = () => page.evaluate(() => localStorage.getItem('thutuc.chatToken'));
/** Whether the first line of the last matching message is on screen, inside the chat log. */
const topInView = (selector: string, hasText: string) =>
  page.locator(selector, { hasText }).last().evaluate((el) => {
    const box = el.getBoundingClientRect();
    const log = el.closest('[role=log]')!.getBoundingClientRect();
    const visible = { top: Math.max(log.top, 0), bottom: Math.min(log.bottom, window.innerHeight) };
    return box.top >= visible.top - 1 && box.top + 20 <= visible.bottom;
  });

// The steps share one browser page and build on each other, like one citizen's visit.
describe('a citizen using the web chat', () => {
  it('sees the Vietnamese menu as buttons when the page opens', async () => {
    await page.goto(`${server.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await expect.poll(() => page.locator('.options button').count()).toBeGreaterThan(0);
    await expect.poll(() => option(/Giấy tờ tùy thân/).isEnabled()).toBe(true);
    expect(await page.getByRole('log').textContent()).toContain('Xin chào');
    expect(await page.getByRole('textbox', { name: /Gõ câu hỏi/ }).isVisible()).toBe(true);
    // Fits a phone screen, down to the narrowest common one: nothing wider than the viewport,
    // and the message box stays on screen.
    for (const width of [390, 320]) {
      await page.setViewportSize({ width, height: 640 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${width}px`).toBe(true);
      const box = await page.getByRole('textbox').boundingBox();
      expect(box && box.y + box.height <= 640, `${width}px`).toBe(true);
    }
    await page.setViewportSize({ width: 390, height: 844 });
  });

  it('clicks through the ID-card questions and types a commune to get the documents and the online link', async () => {
    await option(/Giấy tờ tùy thân/).click();
    await option(/Thẻ căn cước/).click();
    await option(/Cho tôi/).click();
    await option(/Làm lần đầu/).click();
    await expect.poll(() => lastBot().textContent()).toContain('xã hoặc phường nào');

    await page.getByRole('textbox').fill('phường Hạc Thành');
    await page.getByRole('button', { name: 'Gửi' }).click();
    const answer = page.locator('.msg.bot', { hasText: 'Giấy tờ cần chuẩn bị:' });
    await expect.poll(() => answer.count()).toBe(1);
    // A long answer is scrolled to its beginning, not past it.
    await expect.poll(() => topInView('.msg.bot', 'Giấy tờ cần chuẩn bị:')).toBe(true);
    const text = (await answer.textContent()) ?? '';
    expect(text).toContain('Lệ phí:');
    expect(text).toContain('Công an phường Hạc Thành');

    // The curated card links where to file online and, from its catalogue record, the record's own page.
    await expect.poll(() => answer.getByRole('link', { name: /Xem thủ tục trên Cổng Dịch vụ công quốc gia/ }).getAttribute('href')).toMatch(/^https:\/\/dichvucong\.gov\.vn\/thu-tuc-hanh-chinh\//);
    const link = answer.getByRole('link', { name: /Nộp trực tuyến trên Cổng Dịch vụ công/ });
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/dichvucong\.gov\.vn\//);
    const [portal] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await portal.waitForLoadState();
    expect(portal.url()).toMatch(/^https:\/\/dichvucong\.gov\.vn\//);
    await portal.close();
  });

  it('continues the same conversation after a reload', async () => {
    const before = await chatTokenInPage();
    expect(before).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    // The credential never travels in a URL (proxy logs keep URLs).
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await page.reload();
    expect(await chatTokenInPage()).toBe(before);
    // The answer is still there, link included, and the follow-up question still works.
    const answer = page.locator('.msg.bot', { hasText: 'Giấy tờ cần chuẩn bị:' });
    await expect.poll(() => answer.count()).toBe(1);
    // Opened where it was left: at the last message, without the page's own "/start".
    await expect.poll(() => topInView('.msg.bot', 'Bạn cần gì thêm không?')).toBe(true);
    expect(await page.locator('.msg.user').allTextContents()).toEqual(['BạnGiấy tờ tùy thân', 'BạnThẻ căn cước (CCCD)', 'BạnCho tôi (từ đủ 14 tuổi)', expect.stringMatching(/^BạnLàm lần đầu/), 'Bạnphường Hạc Thành']);
    expect(await answer.getByRole('link', { name: /Nộp trực tuyến trên Cổng Dịch vụ công/ }).getAttribute('href')).toMatch(/^https:\/\/dichvucong\.gov\.vn\//);
    await option(/Quay lại bước trước/).click();
    await expect.poll(() => lastBot().textContent()).toContain('xã hoặc phường nào');
    // One chat on the server, the one the page keeps.
    expect(await readdir(path.join(server.dataDir, 'chats', 'web'))).toEqual([`${before!.split('.')[0]}.json`]);
    expect(urls.filter((u) => u.includes(before!.split('.')[0]!))).toEqual([]);
  });

  it('switches the page and the bot to English with the language button', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('log').textContent()).toContain('Switched to English');
    await page.getByRole('button', { name: 'Start over' }).click();
    await expect.poll(() => option(/Identity papers/).isEnabled()).toBe(true);
  });

  it('answers a question with the keyboard only', async () => {
    await page.getByRole('textbox').focus();
    // Tab backwards from the message box to the "Identity papers" button, then Enter.
    for (let i = 0; i < 12; i++) {
      const focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
      if (focused.includes('Identity papers')) break;
      await page.keyboard.press('Shift+Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Identity papers');
    await page.keyboard.press('Enter');
    await expect.poll(() => option(/Citizen ID card/).isEnabled()).toBe(true);

    // Typing and Enter in the message box sends, too.
    await page.getByRole('textbox').focus();
    await page.keyboard.type('help');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('log').textContent()).toContain('How to use this');
  });
});

describe('a link from a poster (/?flow=<id>)', () => {
  it('opens that flow in a fresh browser, and a reload carries on instead of restarting it', async () => {
    const poster = await browser.newPage();
    poster.setDefaultTimeout(10_000);
    // A citizen who never chatted here: no chat id, no language kept from the steps above.
    await poster.goto(`${server.url}/`);
    await poster.evaluate(() => localStorage.clear());
    await poster.goto(`${server.url}/?flow=khai-sinh`);
    const log = () => poster.getByRole('log').textContent();
    await expect.poll(log).toContain('Bạn muốn đăng ký khai sinh theo cách nào?');
    // The link has done its job: the address no longer carries it.
    await expect.poll(() => poster.url()).toBe(`${server.url}/`);
    await poster.reload();
    await expect.poll(log).toContain('Bạn muốn đăng ký khai sinh theo cách nào?');
    expect((await log())?.match(/theo cách nào\?/g)?.length).toBe(1);
    await poster.close();
  });
});
