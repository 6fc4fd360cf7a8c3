// `npm run trace:screenshot [-- <out.png>]`: remakes the README's picture of the demo's trace
// (docs/trace-demo.png by default) in headless Chromium. Needs /usr/bin/chromium (apt-get install chromium).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, launchChromium, openPage, renderDemoTrace } from './browser';
import { tempDir } from './helpers';
import { toPalettePng } from './png-palette';

/** Page width: the diagram's own width plus the page margins. */
export const SHOT_WIDTH = 1170;

export async function screenshotDemoTrace(out: string): Promise<number> {
  const html = path.join(tempDir('trace-shot-'), 'trace-demo.html');
  // The module's own delays (as `spwf04 demo` runs), not the tests' short ones: the times are the real picture.
  await renderDemoTrace(html, { simTiming: undefined });
  const chrome = await launchChromium(SHOT_WIDTH);
  try {
    const { page } = await openPage(chrome.context, html);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // A palette PNG: the same picture at about a third of the size (png-palette.ts).
    fs.writeFileSync(out, toPalettePng(await page.screenshot({ fullPage: true })));
  } finally {
    await chrome.close();
  }
  return fs.statSync(out).size;
}

if (require.main === module) {
  const out = process.argv[2] || path.join(__dirname, '..', '..', 'docs', 'trace-demo.png');
  if (!fs.existsSync(CHROMIUM)) {
    console.error('no ' + CHROMIUM + ': apt-get install chromium');
    process.exitCode = 1;
  } else {
    screenshotDemoTrace(out).then(
      (size) => { console.log('wrote ' + out + ' (' + Math.round(size / 1024) + ' KB)'); },
      (e) => { console.error('screenshot failed: ' + (e && e.message ? e.message : e)); process.exitCode = 1; },
    );
  }
}
