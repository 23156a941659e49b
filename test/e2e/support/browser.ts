import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH points elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless machine without network: nothing phones home, no GPU, no sandbox (CI runs as root). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Starts Chromium through playwright-core; fails with the fix when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/** Where the console's browser tests leave the screenshots docs/console.md shows. */
const CONSOLE_SCREENSHOTS = path.join(__dirname, '../../../docs/images/console');
/** A cold page on a loaded machine takes seconds: the console tests wait this long for one. */
const UI_TIMEOUT_MS = 30_000;

export interface ConsolePage {
  browser: Browser;
  page: Page;
  /** Saves the page as docs/images/console/<name>.png. */
  screenshot(name: string): Promise<void>;
}

/** One Chromium with one 1280×720 page, as every console test starts. */
export async function openConsolePage(): Promise<ConsolePage> {
  fs.mkdirSync(CONSOLE_SCREENSHOTS, { recursive: true });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  return {
    browser,
    page,
    screenshot: async (name) => {
      await page.screenshot({
        path: path.join(CONSOLE_SCREENSHOTS, `${name}.png`),
        fullPage: false,
      });
    },
  };
}
