// The demo's trace drawn by `spwf04 trace --html` and opened in real headless Chromium (Debian's
// package, driven by playwright-core): for the browser test, and for remaking the README's picture
// (`npm run trace:screenshot`, which runs screenshot.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { parseTrace } from '../../hosts/node/trace/format';
import { analyse } from '../../hosts/node/trace/exchanges';
import { renderHtml } from '../../hosts/node/trace/render-html';
import { recordDemoTrace, tempDir } from './helpers';
import type { DemoOptions } from '../../hosts/node/demo';

export const CHROMIUM = '/usr/bin/chromium';

/** Records the demo's trace and writes its HTML to `htmlFile`; resolves with the trace file. */
export async function renderDemoTrace(htmlFile: string, opts?: Partial<DemoOptions>): Promise<string> {
  const trace = path.join(tempDir('trace-browser-'), 'demo.jsonl');
  const r = await recordDemoTrace(trace, opts);
  if (r.code !== 0) throw new Error('the demo failed:\n' + r.printed.join('\n'));
  fs.mkdirSync(path.dirname(htmlFile), { recursive: true });
  fs.writeFileSync(htmlFile, renderHtml(analyse(parseTrace(fs.readFileSync(trace, 'utf8'), 'demo.jsonl'))));
  return trace;
}

/**
 * Headless Chromium with a fresh profile (its --user-data-dir, which playwright takes as the persistent
 * context's folder) and nothing that reaches out to the network by itself. `width`: the viewport's.
 */
export async function launchChromium(width: number): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = tempDir('trace-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width, height: 900 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedPage {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  /** Every URL the page asked for. */
  requests: string[];
}

export async function openPage(context: BrowserContext, htmlFile: string): Promise<OpenedPage> {
  const page = await context.newPage();
  const opened: OpenedPage = { page, consoleErrors: [], pageErrors: [], requests: [] };
  page.on('console', (m) => { if (m.type() === 'error') opened.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => opened.pageErrors.push(String(e)));
  page.on('request', (r) => opened.requests.push(r.url()));
  await page.goto('file://' + path.resolve(htmlFile), { waitUntil: 'load' });
  return opened;
}
