// The README's device example, taken from the README itself (the ```js block under "On the device
// (Espruino)"), run as written on the real engine. Only the serial port changes: the Nucleo's pins become
// the simulator's pseudo-terminal (Espruino for Linux has no A10); the simulated access point is given the
// network the example names, so the example joins exactly what it says.

import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_ACCESS_POINT } from '../../hosts/sim/network';
import { assertClean, describeDevice, ROOT } from './harness';
import { rigPerTest, FLOW_SIM } from './rig';

const HEADING = 'On the device (Espruino)';

/** The first ```js block after the heading. */
export function readmeDeviceExample(readme: string): string {
  const at = readme.indexOf('## ' + HEADING);
  if (at < 0) throw new Error(`README.md has no "## ${HEADING}" heading`);
  const open = readme.indexOf('```js\n', at);
  const nextHeading = readme.indexOf('\n## ', at + 3);
  if (open < 0 || (nextHeading >= 0 && open > nextHeading)) throw new Error(`no \`\`\`js block under "${HEADING}"`);
  const close = readme.indexOf('\n```', open + 6);
  return readme.slice(open + 6, close + 1);
}

describeDevice('the README\'s device example on the real engine', function () {
  this.timeout(60000);
  const rigs = rigPerTest();

  it('comes up as written: it starts, joins and prints "up <address>"', async () => {
    const example = readmeDeviceExample(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
    const ssid = /ssid:\s*"([^"]*)"/.exec(example);
    const psk = /psk:\s*"([^"]*)"/.exec(example);
    assert.ok(ssid, 'the example joins a network by ssid:\n' + example);
    const rig = await rigs.open(Object.assign({}, FLOW_SIM, {
      network: {
        accessPoints: [psk
          ? { ...DEFAULT_ACCESS_POINT, ssid: ssid![1]!, security: 'wpa2-psk' as const, passphrase: psk[1] }
          : { ...DEFAULT_ACCESS_POINT, ssid: ssid![1]!, security: 'open' as const, passphrase: undefined }],
      },
    }));
    // The serial port: start(Serial1, { ...pins... }) → start(Serial1, { path: <pty> }).
    const call = /start\(\s*Serial1\s*,\s*\{[^}]*\}/;
    assert.match(example, call, 'the example starts the layer with start(Serial1, { ... })');
    const script = example.replace(call, `start(Serial1, { path: ${JSON.stringify(rig.pty)} }`);
    const r = await rig.run(script, { timeoutMs: 40000, until: (line) => /^up \d+\.\d+\.\d+\.\d+/.test(line) });
    assertClean(r);
    assert.ok(r.output.some((l) => l === 'up ' + rig.sim.ipv4), 'the example printed "up <address>":\n' + r.output.join('\n'));
  });
});
