// The device build on the real Espruino engine (NUCLEO heap), loaded from flash as the board loads it, driving
// the simulated module over a pseudo-terminal: start, WPA2-PSK join, TCP echo, TLS echo against openssl
// s_server, HTTPS GET, a link drop and its recovery, a firmware update. Each flow samples
// process.memory().usage (at its steps and every 5 ms) and asserts the budgets of budgets.ts.

import { strict as assert } from 'node:assert';
import { buildPacket } from '../../hosts/node/ota/packet';
import { freePort, netPki, sServer, stopAllOpenssl, type NetPki } from '../net/helpers';
import { PacketServer, image } from '../fota/helpers';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CertStore } from '../../src/certs/store';
import { certificateFiles } from '../../hosts/node/flash-command';
import { fileStorage } from '../../hosts/node/host';
import { DESIGN_LAYER_PEAK_VARS, LAYER_PEAK_MAX_VARS, OPTIONAL_FLOW_PEAK_MAX_VARS, RECOVERY_TOLERANCE_VARS, UPDATE_HELD_MAX_VARS } from './budgets';
import { assertClean, assertPeakWithin, describeDevice, held, printHeld } from './harness';
import { echoServer, httpsServer } from './peers';
import { preloadCertificate } from './pty-module';
import { rigPerTest, FLOW_SIM } from './rig';
import { bringUp, RECEIVE_UNTIL } from './scripts';

describeDevice('device flows on the real engine', function () {
  this.timeout(60000);
  const rigs = rigPerTest();
  let pki: NetPki;

  before(function () {
    this.timeout(60000);
    pki = netPki();
  });

  afterEach(async () => {
    await stopAllOpenssl();
  });

  it('start: start() resolves once the module answers', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const r = await rig.run(bringUp(rig.pty) + `
up(function () { T.ok("started"); T.end(); });
`);
    printHeld('start', r);
    assertClean(r);
    assert.ok(r.ok.indexOf('started') >= 0);
  });

  it('WPA2-PSK join: the link comes up with the module\'s address', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const r = await rig.run(bringUp(rig.pty) + `
up(function () { join(function () { T.end(); }); });
`);
    printHeld('join', r);
    assertClean(r);
    assert.ok(r.ok.indexOf('joined ' + rig.sim.ipv4) >= 0, 'join resolved with the module\'s IPv4 address');
    assert.equal(rig.sim.ssid, 'SPWF-Lab');
  });

  it('TCP echo against a Node echo server', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const echo = rig.later(await echoServer());
    // closed(): measured outside the socket's scope (an application that keeps no reference to a closed
    // socket), defined before the baseline as the script's other functions are
    const r = await rig.run(RECEIVE_UNTIL + 'function closed() { T.mem("closed"); T.end(); }\n' + bringUp(rig.pty) + `
up(function () { join(function () { wifi.open("127.0.0.1", ${echo.port}, "t").then(function (s) {
  T.mem("opened");
  // What applications do: short properties of their own on the socket. The layer's own members are all
  // "_"-prefixed in the device build, so none of these replaces one of them.
  var mine = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (var i = 0; i < mine.length; i++) { s[mine.charAt(i)] = i; s[mine.charAt(i) + mine.charAt(i)] = i; }
  var got = receiveUntil(s, "hello from the device");
  s.write("hello from the device");
  got.then(function (d) {
    T.mem("echoed");
    T.ok("echo " + JSON.stringify(d));
    s.close().then(closed, failAndEnd("close"));
  });
}, failAndEnd("echo")); }); });
`);
    printHeld('TCP echo', r);
    assertClean(r);
    assert.ok(r.ok.indexOf('echo "hello from the device"') >= 0);
  });

  it(`TLS socket to openssl s_server that echoed data: the layer's peak is at most ${LAYER_PEAK_MAX_VARS} variables (today's ceiling; design ${DESIGN_LAYER_PEAK_VARS})`, async () => {
    const rig = await rigs.open(FLOW_SIM);
    // The module already trusts the CA (provisioned earlier: its certificate flash keeps it across
    // resets), so this flow needs no certificates module: the budget is start + join + one TLS socket.
    preloadCertificate(rig.module, 'tls', 'ca', Buffer.from(pki.read('ca.pem'), 'latin1'));
    const port = await freePort();
    await sServer(pki, port, ['-cert', 'localhost.pem', '-key', 'server.key', '-rev']);
    const r = await rig.run(RECEIVE_UNTIL + bringUp(rig.pty) + `
up(function () { join(function () { wifi.open("localhost", ${port}, "s").then(function (s) {
  T.mem("tls-opened");
  var got = receiveUntil(s, "ecived eht morf olleh");
  s.write("hello from the device\\n");
  got.then(function (d) {
    T.mem("tls-echoed");
    T.ok("tls echo");
    T.end();
  });
}, failAndEnd("tls")); }); });
`);
    printHeld('TLS echo', r);
    assertClean(r);
    assertPeakWithin(r, LAYER_PEAK_MAX_VARS);
  });

  it('a TLS socket with certificates provisioned from the board\'s flash (mutual authentication)', async () => {
    const rig = await rigs.open(FLOW_SIM);
    // The documented way from the desktop to the board: `spwf04 cert add` keeps the items in the host-flash
    // image, `spwf04 flash --certs` checks them and writes these Storage files (certificateFiles), and the
    // application calls wifi.certs.sync() (the optional module spwf04-certs).
    const image = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-certs-')), 'flash.json');
    const certs = new CertStore(fileStorage(image));
    for (const [entry, file] of [['tls-ca', 'ca.pem'], ['tls-cert', 'client.pem'], ['tls-key', 'client.key']]) {
      const put = certs.put(entry!, pki.read(file!));
      if (!put.ok) throw put.error;
    }
    const storage: { [name: string]: string } = {};
    for (const f of certificateFiles(image)) storage[f.name] = f.data;
    const port = await freePort();
    const srv = await sServer(pki, port, ['-cert', 'server.pem', '-key', 'server.key', '-CAfile', 'ca.pem', '-Verify', '2', '-verify_return_error', '-rev']);
    const r = await rig.run(RECEIVE_UNTIL + bringUp(rig.pty) + `
up(function () { join(function () { wifi.certs.sync().then(function () {
  T.mem("provisioned");
  wifi.open("127.0.0.1", ${port}, "server domain").then(function (s) {
    var got = receiveUntil(s, "ecived eht morf olleh");
    s.write("hello from the device\\n");
    got.then(function () { T.mem("tls-echoed"); T.ok("tls echo"); T.end(); });
  }, failAndEnd("provisioned tls"));
}, failAndEnd("sync")); }); });
`, { files: storage });
    printHeld('TLS with provisioning', r);
    assertClean(r);
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
    assert.ok(rig.sim.certificate('tls', 'ca'), 'the module holds the CA');
    assert.ok(rig.sim.certificate('tls', 'cert') && rig.sim.certificate('tls', 'key'), 'the module holds the client certificate and key');
    // s_server runs with -Verify 2 -verify_return_error: the echo above only came back because it verified
    // the client certificate the module presented (with -rev it does not print the subject).
  });

  it('HTTPS GET against a Node https server (the module\'s HTTP client, its CA store, its clock)', async () => {
    const rig = await rigs.open(FLOW_SIM);
    preloadCertificate(rig.module, 'tls', 'ca', Buffer.from(pki.read('ca.pem'), 'latin1'));
    const server = rig.later(await httpsServer(pki.read('server.key'), pki.read('localhost.pem'), 'hello over https'));
    const r = await rig.run(bringUp(rig.pty) + `
up(function () { join(function () {
  wifi.http.get({ host: "localhost", port: ${server.port}, path: "/device", tls: 2 }).then(function (res) {
    T.mem("got");
    T.ok("https " + res.status + " " + JSON.stringify(res.body));
    T.end();
  }, failAndEnd("https"));
}); });
`);
    printHeld('HTTPS GET', r);
    assertClean(r);
    assert.deepEqual(server.paths, ['/device']);
    assert.ok(r.ok.indexOf('https 200 "hello over https"') >= 0, r.ok.join('\n'));
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
  });

  it('a link drop: the link comes back up by itself and memory returns to where it was', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const sim = rig.sim;
    const r = await rig.run(bringUp(rig.pty) + `
var dropped = false;
var lost = false;
wifi.on("link", function (s) {
  print("@LINK " + s);
  if (!dropped) return;
  // measured once the recovery has settled (its last callbacks run), as "before-drop" was after the join
  if (s === "up" && lost) setTimeout(function () { T.mem("recovered"); T.ok("recovered"); T.end(); }, 50);
  if (s !== "up") lost = true;
});
up(function () { join(function () {
  setTimeout(function () { T.mem("before-drop"); dropped = true; print("@DROP"); }, 50);
}); });
setTimeout(function () { T.fail("recovery", "the link did not come back within 30 s"); T.end(); }, 30000);
`, { timeoutMs: 45000, onLine: (line) => { if (line === '@DROP') assert.ok(sim.loseLink(), 'the simulated link was up'); } });
    printHeld('link drop', r);
    assertClean(r);
    assert.ok(r.output.indexOf('@LINK up') >= 0);
    assert.ok(held(r, 'recovered') - held(r, 'before-drop') <= RECOVERY_TOLERANCE_VARS,
      `memory after recovery ${held(r, 'recovered')} vs before the drop ${held(r, 'before-drop')}`);
  });

  it('a firmware update over HTTP: the module boots the new version', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const server = rig.later(await PacketServer.start());
    server.full('/fw.fota', buildPacket(image(16 * 1024), { version: '180101-abc1234' }));
    const r = await rig.run(bringUp(rig.pty) + `
up(function () { join(function () {
  T.mem("before-update");
  wifi.updateFirmware({ host: "127.0.0.1", port: ${server.port}, path: "/fw.fota", tls: 0, version: "180101-abc1234" }).then(function (res) {
    T.mem("updated");
    T.ok("updated " + res.from + " " + res.to);
    T.end();
  }, failAndEnd("update"));
}); });
`);
    printHeld('firmware update', r);
    assertClean(r);
    assert.ok(r.ok.some((l) => /^updated \S+ 180101-abc1234-SPWF04S$/.test(l)), r.ok.join('\n'));
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
    const kept = r.mem.updated! - r.mem.started!;
    assert.ok(kept <= UPDATE_HELD_MAX_VARS, `the join and the update left ${kept} variables held (at most ${UPDATE_HELD_MAX_VARS}: the updater and its module are let go)`);
  });
});
