// The optional modules' own flows on the real engine (NUCLEO heap), each loading its Storage module as an
// application that uses the feature does: server sockets (spwf04-servers), a UDP socket, an HTTP GET
// (spwf04-http; the HTTPS one is in flows.test.ts), WPS (spwf04-wps),
// WPA2-Enterprise (spwf04-eap), mail (spwf04-smtp), and Espruino's own net and http modules over the module
// (network: true, spwf04-net). Each asserts what the feature does and the optional flows' ceiling of
// budgets.ts; the core flows (start, join, TCP, TLS, HTTPS, link drop, firmware update) are in flows.test.ts.

import { strict as assert } from 'node:assert';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as zlib from 'node:zlib';
import { pki, type Pki } from '../certs/pki';
import { freePort, netPki, type NetPki } from '../net/helpers';
import { startMailServer } from '../net/mail-server';
import { OPTIONAL_FLOW_PEAK_MAX_VARS, OPTIONAL_JOIN_HELD_MAX_VARS } from './budgets';
import { assertClean, assertPeakWithin, describeDevice, printHeld } from './harness';
import { echoServer, httpServer } from './peers';
import { preloadCertificate } from './pty-module';
import { rigPerTest, FLOW_SIM } from './rig';
import { bringUp } from './scripts';

/** A WPS or WPA2-Enterprise join leaves little held: its modules are freed once it settles, and the link
 *  keeps no certificate, key or password (budgets.ts, OPTIONAL_JOIN_HELD_MAX_VARS). */
function assertJoinLeavesLittle(r: { mem: { [label: string]: number } }): void {
  const kept = r.mem.joined! - r.mem.started!;
  assert.ok(kept <= OPTIONAL_JOIN_HELD_MAX_VARS, `the join left ${kept} variables held (at most ${OPTIONAL_JOIN_HELD_MAX_VARS})`);
}

/** The board's side of a server flow: listen, print @LISTENING (the test's client connects then), answer each
 *  chunk with "echo:" + it, and once the client has gone, close the server and end. */
function echoServerScript(port: number, kind: string): string {
  return `
up(function () { join(function () {
  wifi.listen(${port}, "${kind}").then(function (srv) {
    T.mem("listening");
    print("@LISTENING");
    srv.on("connection", function (c) {
      c.on("data", function (d) { c.write("echo:" + d); });
      c.on("close", function () { T.mem("served"); srv.close().then(function () { T.ok("closed"); T.end(); }, failAndEnd("close")); });
    });
  }, failAndEnd("listen"));
}); });
`;
}


describeDevice('optional modules\' flows on the real engine', function () {
  this.timeout(60000);
  const rigs = rigPerTest();

  it('a TCP server: a client connects, its line is echoed, the server closes (spwf04-servers)', async () => {
    const rig = await rigs.open(FLOW_SIM);
    let reply = '';
    const r = await rig.run(bringUp(rig.pty) + echoServerScript(8080, 't'), {
      onLine: (l) => {
        if (l !== '@LISTENING') return;
        const c = net.connect(rig.sim.openServers()[0]!.localPort, '127.0.0.1', () => c.write('hello server'));
        c.on('data', (d) => {
          reply += d.toString('latin1');
          if (reply === 'echo:hello server') c.end();
        });
      },
    });
    printHeld('TCP server', r);
    assertClean(r);
    assert.equal(reply, 'echo:hello server');
    assert.ok(r.ok.indexOf('closed') >= 0);
    assert.equal(rig.sim.openServers().length, 0, 'the module no longer listens');
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
  });

  it('a TLS server (s1): a client checks the module\'s certificate, its line is echoed (spwf04-servers)', async () => {
    const pk: NetPki = netPki();
    const rig = await rigs.open(FLOW_SIM);
    preloadCertificate(rig.module, 'tls', 'cert', Buffer.from(pk.read('server.pem'), 'latin1'));
    preloadCertificate(rig.module, 'tls', 'key', Buffer.from(pk.read('server.key'), 'latin1'));
    let reply = '';
    let authorized: boolean | undefined;
    const r = await rig.run(bringUp(rig.pty) + echoServerScript(4433, 's1'), {
      onLine: (l) => {
        if (l !== '@LISTENING') return;
        const c = tls.connect({ host: '127.0.0.1', port: rig.sim.openServers()[0]!.localPort, ca: pk.read('ca.pem'), servername: 'server domain', checkServerIdentity: () => undefined }, () => {
          authorized = c.authorized;
          c.write('hello over TLS');
        });
        c.on('error', () => undefined);
        c.on('data', (d) => {
          reply += d.toString('latin1');
          if (reply === 'echo:hello over TLS') c.end();
        });
      },
    });
    printHeld('TLS server', r);
    assertClean(r);
    assert.equal(authorized, true, 'the client verified the module\'s certificate');
    assert.equal(reply, 'echo:hello over TLS');
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
  });

  it('a UDP socket: a datagram out and its echo back', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const peer = dgram.createSocket('udp4');
    peer.on('message', (m, from) => peer.send(m, from.port, from.address));
    await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
    rig.later({ close: () => peer.close() });
    const r = await rig.run(bringUp(rig.pty) + `
up(function () { join(function () { wifi.open("127.0.0.1", ${peer.address().port}, "u").then(function (s) {
  s.on("data", function (d) { T.mem("echoed"); T.ok("udp " + d); s.close().then(function () { T.end(); }, failAndEnd("close")); });
  s.write("datagram from the device");
}, failAndEnd("udp")); }); });
`);
    printHeld('UDP', r);
    assertClean(r);
    assert.ok(r.ok.indexOf('udp datagram from the device') >= 0, r.ok.join('\n'));
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
  });

  it('WPS push button: the module enrols when the button is pressed (spwf04-wps)', async () => {
    const rig = await rigs.open(Object.assign({}, FLOW_SIM, { network: { accessPoints: [
      { ssid: 'Home', bssid: '02:00:00:00:00:77', security: 'wpa2-psk' as const, passphrase: 'hunter2hunter2', wps: true },
    ] } }));
    const r = await rig.run(bringUp(rig.pty) + `
up(function () {
  print("@PRESS");
  wifi.join({ wps: "button" }).then(function (ip) { T.mem("joined"); T.ok("wps " + ip); T.end(); }, failAndEnd("wps"));
});
`, { onLine: (l) => { if (l === '@PRESS') setTimeout(() => rig.sim.network.pressWpsButton('Home'), 200); } });
    printHeld('WPS', r);
    assertClean(r);
    assert.ok(r.ok.indexOf('wps ' + rig.sim.ipv4) >= 0, r.ok.join('\n'));
    assert.equal(rig.sim.ssid, 'Home');
    assert.equal(rig.sim.savedConfigValue('wifi_wpa_psk_text'), 'hunter2hunter2', 'what WPS obtained is saved');
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
    assertJoinLeavesLittle(r);
  });

  describe('WPA2-Enterprise (spwf04-eap), against the simulated RADIUS server', () => {
    let p: Pki;
    before(function () {
      this.timeout(60000);
      p = pki();
    });

    // trustClock: the board's getTime() is the wall clock (here the desktop's), so the module's clock is set
    // before the first join, when no network has given NTP a chance. A scan that takes as long as a real
    // one: after the settings' restart, the clock is set again before the module's own join checks dates.
    for (const method of ['peap-mschapv2', 'tls']) {
      it(`joins with ${method}: the clock from trustClock, the certificates uploaded, then the join`, async () => {
        const rig = await rigs.open(Object.assign({}, FLOW_SIM, {
          timing: Object.assign({}, FLOW_SIM.timing, { scanMs: 300 }),
          network: { accessPoints: [{
            ssid: 'Corp', bssid: '02:00:00:00:0e:01', security: 'wpa2-enterprise' as const,
            radius: { users: [{ identity: 'alice', password: 'wonderland' }], serverCert: p.read('rsa2048-server.pem'), clientCa: p.read('rsa1024-ca.pem') },
          }] },
        }));
        const eap = method === 'tls'
          ? { method, identity: 'device-17', ca: p.read('rsa2048-ca.pem'), cert: p.read('appx-client.pem'), key: p.read('appx-client.key') }
          : { method, identity: 'alice', anonymousIdentity: 'anonymous@corp', password: 'wonderland', ca: p.read('rsa2048-ca.pem') };
        const r = await rig.run(bringUp(rig.pty, 'trustClock: true') + `
up(function () {
  wifi.join({ ssid: "Corp", eap: ${JSON.stringify(eap)} }).then(function (ip) { T.mem("joined"); T.ok("eap " + ip); T.end(); }, failAndEnd("eap"));
});
`);
        printHeld('WPA2-Enterprise ' + method, r);
        assertClean(r);
        assert.ok(r.ok.indexOf('eap ' + rig.sim.ipv4) >= 0, r.ok.concat(r.fail.map((f) => f.label + ': ' + f.msg)).join('\n'));
        assert.ok(rig.sim.certificate('eap', 'ca'), 'the RADIUS CA is in the module');
        assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
        assertJoinLeavesLittle(r);
      });
    }
  });

  it('an HTTP GET whose 3 KB body is full of the starts of AT-S.OK and AT-S.ERROR: arrives whole (spwf04-http)', async () => {
    const rig = await rigs.open(FLOW_SIM);
    // The body streams until the module's final result: a chunk that ends with "A" or "AT-S.O" must not be
    // taken for it (Espruino's indexOf says it is: test/device/string-search.test.ts).
    let body = '';
    for (let i = 0; i < 3000; i++) body += 'ATAT-S.OAT-S.ERRO'.charAt(i % 17);
    const web = rig.later(await httpServer(body));
    const r = await rig.run(bringUp(rig.pty) + `
up(function () { join(function () {
  wifi.http.get({ host: "127.0.0.1", port: ${web.port}, path: "/body", tls: 0 }).then(function (res) {
    T.mem("got");
    T.ok("http " + res.status + " " + res.body.length + " " + E.CRC32(res.body));
    T.end();
  }, failAndEnd("http"));
}); });
`);
    printHeld('HTTP GET 3 KB', r);
    assertClean(r);
    assert.deepEqual(r.ok.filter((l) => l.startsWith('http ')), ['http 200 3000 ' + zlib.crc32(Buffer.from(body, 'latin1'))]);
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
  });

  it('mail over STARTTLS with authentication, the module checking the server against its CA (spwf04-smtp)', async () => {
    const pk: NetPki = netPki();
    const rig = await rigs.open(FLOW_SIM);
    preloadCertificate(rig.module, 'tls', 'ca', Buffer.from(pk.read('ca.pem'), 'latin1'));
    const server = rig.later(await startMailServer(pk, 'starttls'));
    const r = await rig.run(bringUp(rig.pty) + `
up(function () { join(function () {
  wifi.smtp.send({ host: "localhost", port: ${server.port}, tls: 8, user: "module", password: "pa55", heloId: "spwf04s-lab",
    from: "module@lab.example", to: "ops@lab.example", subject: "Temperature alarm", body: "Sensor 3 reads 41.5 C." })
  .then(function () { T.mem("sent"); T.ok("mail sent"); T.end(); }, failAndEnd("smtp"));
}); });
`);
    printHeld('SMTP', r);
    assertClean(r);
    assert.ok(r.ok.indexOf('mail sent') >= 0, r.fail.map((f) => f.label + ': ' + f.msg).join('\n'));
    const received = server.received;
    assert.equal(received.length, 1);
    assert.deepEqual([received[0]!.secure, received[0]!.user, received[0]!.from, received[0]!.to], [true, 'module', 'module@lab.example', ['ops@lab.example']]);
    assert.ok(received[0]!.data.endsWith('\r\n\r\nSensor 3 reads 41.5 C.\r\n'), JSON.stringify(received[0]!.data));
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
  });

  it('Espruino\'s own net and http modules over the module\'s sockets (network: true, spwf04-net)', async () => {
    const rig = await rigs.open(FLOW_SIM);
    const echo = rig.later(await echoServer());
    const web = rig.later(await httpServer('hello over http'));
    const refused = await freePort();
    // A refused connection is an 'error' without a 'connect' before it; then an echo over require("net"), a
    // GET over require("http"); the server sockets' module is not loaded for any of it.
    const r = await rig.run(bringUp(rig.pty, 'network: true') + `
var seen = [];
up(function () { join(function () {
  var bad = require("net").connect({ host: "127.0.0.1", port: ${refused} }, function () { seen.push("connect"); });
  bad.on("error", function () { seen.push("error"); });
  bad.on("close", function () {
    T.ok("refused: " + seen.join(","));
    var c = require("net").connect({ host: "127.0.0.1", port: ${echo.port} }, function () { c.write("ping over net"); });
    c.on("data", function (d) { T.ok("echo " + d); c.end(); });
    c.on("close", function () {
      require("http").get("http://127.0.0.1:${web.port}/espruino", function (res) {
        var body = "";
        res.on("data", function (d) { body += d; });
        res.on("close", function () {
          T.mem("got");
          T.ok("http " + res.statusCode + " " + body);
          T.ok("servers module loaded: " + (Modules.getCached().indexOf("spwf04-servers") >= 0));
          T.end();
        });
      }).on("error", failAndEnd("http"));
    });
  });
}); });
`);
    printHeld('NetworkJS', r);
    assertClean(r);
    assert.deepEqual(r.ok.filter((l) => !l.startsWith('joined')), [
      'refused: error', 'echo ping over net', 'http 200 hello over http', 'servers module loaded: false',
    ]);
    assert.deepEqual(web.paths, ['/espruino']);
    assertPeakWithin(r, OPTIONAL_FLOW_PEAK_MAX_VARS);
  });
});
