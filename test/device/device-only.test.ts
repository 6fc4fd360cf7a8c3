// The failures issue 10 found only on the device (Espruino's RegExp and the double start), each run on the
// real engine: a valid FOTA key accepted, the SSID the module prints in hex read back (so a second join
// rewrites nothing), the FOTA progress percentage, start() twice and two start() at once, and start() again
// after stop().

import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import { buildPacket } from '../../hosts/node/ota/packet';
import { PacketServer, image } from '../fota/helpers';
import { assertClean, describeDevice, printHeld } from './harness';
import { echoServer } from './peers';
import { rigPerTest, FLOW_SIM } from './rig';
import { bringUp } from './scripts';

describeDevice('device-only failures of issue 10, on the real engine', function () {
  this.timeout(60000);
  const rigs = rigPerTest();

  it('updateFirmware({ key: 32 hex digits }) accepts the key and installs the encrypted packet', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const key = crypto.randomBytes(16);
    const server = rig.later(await PacketServer.start());
    server.full('/fw.sfota', buildPacket(image(8 * 1024), { version: '180202-0000002', key }));
    const r = await rig.run(bringUp(rig.pty) + `
up().then(join).then(function () {
  return wifi.updateFirmware({ host: "127.0.0.1", port: ${server.port}, path: "/fw.sfota", tls: 0,
    key: ${JSON.stringify(key.toString('hex'))}, version: "180202-0000002" });
}).then(function (res) { T.ok("updated " + res.to); T.end(); }, failAndEnd("update"));
`);
    printHeld('encrypted update', r);
    assertClean(r);
    assert.deepEqual(r.ok.filter((l) => l.indexOf('updated') === 0), ['updated 180202-0000002-SPWF04S']);
    assert.equal(rig.sim.configValue('aes128_key')?.toLowerCase(), key.toString('hex'));
  });

  it('the SSID the module prints in hex is read back: a second join writes, saves and resets nothing', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const r = await rig.run(bringUp(rig.pty) + `
up().then(join).then(function () {
  print("@SECOND");
  return join();
}).then(function () { T.end(); }, failAndEnd("join"));
`);
    assertClean(r);
    const m = rig.module;
    const commands = m.commands();
    // The first join on a fresh module writes the network, saves it (WCFG) and resets once.
    assert.equal(m.count('AT+S.WCFG'), 1, 'WCFG sent ' + m.count('AT+S.WCFG') + ' times over two joins:\n' + commands.join('\n'));
    assert.equal(m.count('AT+S.RESET'), 1, 'RESET sent ' + m.count('AT+S.RESET') + ' times over two joins');
    assert.equal(m.count('AT+S.SSIDTXT'), 1, 'the SSID was written again');
  });

  it('FOTA progress lines carry their percentage', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const server = rig.later(await PacketServer.start());
    server.full('/fw.fota', buildPacket(image(48 * 1024), { version: '180101-abc1234' }));
    const r = await rig.run(bringUp(rig.pty) + `
var lines = 0;
var percents = [];
wifi.fota.on("progress", function (p) {
  lines++;
  if (typeof p.percent === "number") percents.push(p.percent);
});
up().then(join).then(function () {
  return wifi.updateFirmware({ host: "127.0.0.1", port: ${server.port}, path: "/fw.fota", tls: 0, version: "180101-abc1234" });
}).then(function () {
  print("@PROGRESS " + lines + " " + percents.join(","));
  T.end();
}, failAndEnd("update"));
`);
    assertClean(r);
    const line = r.output.find((l) => l.indexOf('@PROGRESS ') === 0)!;
    const [, lines, percents] = line.split(' ');
    assert.ok(Number(lines) > 0, 'no progress line at all');
    assert.ok(percents, `${lines} progress lines, none with its percentage`);
    const values = percents!.split(',').map(Number);
    assert.equal(values[values.length - 1], 100, 'the last percentage: ' + percents);
  });

  it('start() after the start that require("spwf04").start() made resolves (twice in a row)', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const r = await rig.run(bringUp(rig.pty) + `
wifi.start().then(function () {
  T.ok("first");
  return wifi.start();
}).then(function () { T.ok("second"); return join(); }).then(function () { T.end(); }, failAndEnd("start"));
`);
    assertClean(r);
    assert.deepEqual(r.ok.slice(0, 2), ['first', 'second']);
  });

  it('two start() calls at once both resolve', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const r = await rig.run(bringUp(rig.pty) + `
Promise.all([wifi.start(), wifi.start()]).then(function () { T.ok("both"); return join(); })
  .then(function () { T.end(); }, failAndEnd("start"));
`);
    assertClean(r);
    assert.ok(r.ok.indexOf('both') >= 0);
  });

  it('stop() then start() (no reset pin): the module, still up, is probed at once; join and a socket work again', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const echo = rig.later(await echoServer());
    // The script's start timeout is 8 s, the boot wait's length: waiting for a "Console active" that never
    // comes (the module does not restart) made this start fail with NotReady.
    const r = await rig.run(bringUp(rig.pty) + `
up(function () { join(function () {
  wifi.stop();
  wifi.start().then(function () {
    T.ok("started again");
    return wifi.join({ ssid: "SPWF-Lab", psk: "correct horse battery" });
  }).then(function () {
    return wifi.open("127.0.0.1", ${echo.port}, "t");
  }).then(function (s) {
    s.on("data", function (d) { T.ok("echo " + d); T.end(); });
    s.write("after a restart");
  }, failAndEnd("restart"));
}); });
`);
    assertClean(r);
    assert.deepEqual(r.ok.filter((l) => !l.startsWith('joined')), ['started again', 'echo after a restart']);
  });
});
