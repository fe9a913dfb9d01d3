// Headless Chromium (Debian package `chromium`, driven by playwright-core) for the report tests. Every
// request the page makes is routed here: file: and data: URLs go through, anything else is aborted and
// recorded, so a test can insist that the report needs no network.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

export interface Opened {
  page: Page;
  /** Console errors and warnings, and uncaught page errors. */
  problems: string[];
  /** URLs other than file: and data: the page asked for (all aborted). */
  network: string[];
  /** Milliseconds from navigation to the page script's data-ready mark. */
  readyMs: number;
}

export class Browser {
  private constructor(
    private readonly ctx: BrowserContext,
    private readonly dir: string,
  ) {}

  static async launch(): Promise<Browser> {
    const dir = mkdtempSync(join(tmpdir(), 'bgpcap-chromium-'));
    // A persistent context is how playwright takes a fresh --user-data-dir. The flags keep a machine without
    // network quiet (no background fetches, component updates or sync).
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    return new Browser(ctx, dir);
  }

  async open(file: string, hash = ''): Promise<Opened> {
    const page = await this.ctx.newPage();
    const problems: string[] = [];
    const network: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) await route.continue();
      else {
        network.push(url);
        await route.abort();
      }
    });
    const t0 = Date.now();
    await page.goto(`file://${file}${hash}`);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 30_000 });
    return { page, problems, network, readyMs: Date.now() - t0 };
  }

  async close(): Promise<void> {
    await this.ctx.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
