/**
 * Starts Debian's chromium (/usr/bin/chromium) through playwright-core for browser tests, with a
 * fresh profile in a temp dir that is deleted on close. Never downloads a browser: when chromium
 * is missing, install it (`apt-get install -y chromium`; `.ci/run` does this).
 *
 * Playwright refuses `--user-data-dir` in `launch()` args, so the fresh profile is given the
 * supported way, as the persistent context's directory.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestBrowser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

export async function launchBrowser(opts: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<TestBrowser> {
  await access(CHROMIUM).catch(() => {
    throw new Error(`${CHROMIUM} is missing: install it with "apt-get install -y chromium" (bash .ci/run does)`);
  });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'thutuc-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: opts.viewport ?? { width: 390, height: 844 },
    locale: opts.locale ?? 'vi-VN',
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
