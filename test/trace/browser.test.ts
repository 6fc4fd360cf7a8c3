import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, launchChromium, openPage, renderDemoTrace } from './browser';

// The demo's trace as people will look at it: `spwf04 trace --html` opened in real headless Chromium.
// It must load without a console or page error and without asking for anything over the network, and
// the arrows of the join and of the socket echo must be drawn (present, with a visible size). The page
// and its screenshot stay in build/out as build artifacts (trace-demo.html, trace-demo.png).

const OUT = path.join(__dirname, '..', '..', 'build', 'out');

interface DrawnArrow {
  kind: string;
  text: string;
  wind: string | null;
  width: number;
  height: number;
  lineLength: number;
}

describe('trace: the demo\'s diagram in headless Chromium', function () {
  this.timeout(60000);

  before(function () {
    if (!fs.existsSync(CHROMIUM)) {
      console.log('    skipped: no ' + CHROMIUM + ' (apt-get install chromium)');
      this.skip();
    }
  });

  it('loads without errors, draws the join and the echo, and leaves a screenshot', async () => {
    const html = path.join(OUT, 'trace-demo.html');
    await renderDemoTrace(html);
    const chrome = await launchChromium(1170);
    try {
      const opened = await openPage(chrome.context, html);
      const page = opened.page;
      // Runs in the page (no DOM types here: the elements are `any`).
      const drawn: DrawnArrow[] = await page.$$eval('svg g.arrow', (gs: any[]) => gs.map((g) => {
        const box = g.getBBox();
        const line = g.querySelector('line');
        return {
          kind: g.getAttribute('data-kind') || '',
          text: g.getAttribute('data-text') || '',
          wind: g.getAttribute('data-wind'),
          width: box.width,
          height: box.height,
          lineLength: line ? Math.abs(Number(line.getAttribute('x2')) - Number(line.getAttribute('x1'))) : 0,
        };
      }));
      assert.deepEqual(opened.consoleErrors, []);
      assert.deepEqual(opened.pageErrors, []);
      assert.deepEqual(opened.requests.filter((u) => !u.startsWith('file://')), [], 'nothing fetched');

      const visible = drawn.filter((a) => a.width > 300 && a.height > 5 && a.lineLength > 500);
      const command = (re: RegExp) => visible.filter((a) => a.kind === 'command' && re.test(a.text));
      // The join (application note 3.2.1) and its WiFi Up.
      for (const re of [/^AT\+S\.WIFI=0 /, /^AT\+S\.SSIDTXT=SPWF-Lab /, /^AT\+S\.SCFG=wifi_wpa_psk_text,\*{8} /, /^AT\+S\.WIFI=1 /]) {
        assert.equal(command(re).length, 1, String(re));
      }
      const up = visible.filter((a) => a.kind === 'wind' && a.wind === 'WifiUp');
      assert.ok(up.length >= 1 && /^\+WIND:24:WiFi Up:0:192\.168\.1\.42/.test(up[0].text), JSON.stringify(up));
      // The echo: open, write with its data, pending data, read with its data.
      assert.equal(command(/^AT\+S\.SOCKON=127\.0\.0\.1,\d+,,t /).length, 1);
      assert.equal(command(/^AT\+S\.SOCKW=0,27 <27 bytes> /).length, 1);
      assert.equal(command(/^AT\+S\.SOCKR=0,27 /).length, 1);
      assert.ok(visible.some((a) => a.kind === 'wind' && a.wind === 'PendingData'));
      assert.equal(visible.filter((a) => a.kind === 'data' && /^27 bytes of data/.test(a.text)).length, 2);
      assert.ok(!drawn.some((a) => /correct horse/.test(a.text)));

      const png = path.join(OUT, 'trace-demo.png');
      await page.screenshot({ path: png, fullPage: true });
      assert.ok(fs.statSync(png).size > 10000);
    } finally {
      await chrome.close();
    }
  });
});
