import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { FakeClockBench, LAB_STATION, lines } from '../sim/helpers';
import { pki } from '../certs/pki';
import { wpsPin } from '../../src/wifi/wps';

// The simulator's side of this work, pinned line by line: the faults of the air (an access point off the
// air and back, a deauthentication), the hard fault and its watchdog, AT+S.WPS, and the indications of
// WPA2-Enterprise refusals (choices.ts says why each one looks the way it does).

const JOIN = (ssid: string, bssid: string) => lines(
  '+WIND:19:WiFi Join:' + bssid,
  '+WIND:25:WiFi Association successful:' + ssid,
  '+WIND:51:WPA Handshake Complete',
  '+WIND:24:WiFi Up:0:192.168.1.42',
  '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1',
);
const SCAN = lines('+WIND:21:WiFi Scanning', '+WIND:35:WiFi Scan Complete:00');
const TIMING = { bootMs: 10, hardwareStartMs: 10, scanMs: 100, joinMs: 10, associationMs: 10, handshakeMs: 10, dhcpMs: 10, ipv6Ms: 10, scanRetryMs: 2000, joinRetryMs: 1000, ntpMs: 600000 };

describe('sim: keeping the link, WPS and WPA2-Enterprise refusals', function () {
  this.timeout(30000);
  let clock: sinon.SinonFakeTimers;
  let m: FakeClockBench;

  beforeEach(() => { clock = sinon.useFakeTimers({ now: Date.now() + 3600e3 }); m = new FakeClockBench(clock); });
  afterEach(() => { m.close(); clock.restore(); });

  it('an access point off the air: +WIND:33 after the beacon loss, scans until it is back, then rejoins', async () => {
    await m.boot({ saved: LAB_STATION, timing: TIMING });
    m.sim.network.takeDown('SPWF-Lab');
    assert.equal(await m.tick(990), '');
    assert.equal(await m.tick(20), lines('+WIND:33:WiFi Network Lost', '+WIND:21:WiFi Scanning'));
    assert.equal(m.sim.ipv4, undefined);
    // A scan takes 100 ms and comes again every 2 s.
    assert.equal(await m.tick(4980), lines('+WIND:35:WiFi Scan Complete:00') + SCAN + SCAN);
    m.sim.network.bringBack('SPWF-Lab');
    assert.equal(await m.tick(3000), SCAN + JOIN('SPWF-Lab', '00:11:22:33:44:55'));
  });

  it('a deauthentication: +WIND:40 with the reason, the same access point joined again', async () => {
    await m.boot({ saved: LAB_STATION, timing: TIMING });
    m.sim.network.deauthenticate('SPWF-Lab', 4);
    assert.equal(await m.tick(1500), lines('+WIND:40:WiFi Deauthentication:4') + JOIN('SPWF-Lab', '00:11:22:33:44:55'));
  });

  it('a hard fault: +WIND:8, a dead console, then the watchdog restarts the module', async () => {
    await m.boot({ saved: LAB_STATION, timing: TIMING });
    m.sim.hardFault('Bad PC', 20000);
    assert.equal(await m.command('AT', '', 19000), lines('+WIND:8:Hard Fault:Bad PC'));
    const boot = await m.tick(2000);
    assert.ok(boot.startsWith(lines('+WIND:1:Poweron:171117-0328fe3-SPWF04S')), boot);
    assert.ok(boot.endsWith(JOIN('SPWF-Lab', '00:11:22:33:44:55')));
    assert.equal(await m.command('AT'), lines('AT', 'AT-S.OK'));
  });

  it('AT+S.WPS: station mode only, a running radio, a 7-digit wifi_wps_pin; the PIN line; 81, then 82 at the end of the walk time', async () => {
    const home = { ssid: 'Home', bssid: '02:00:00:00:00:77', security: 'wpa2-psk' as const, passphrase: 'hunter2hunter2', wps: true };
    await m.boot({ network: { accessPoints: [home] }, timing: TIMING });
    await m.command('AT+S.SCFG=console_echo,0');
    assert.equal(await m.command('AT+S.WPS=0'), lines('AT-S.ERROR:7:Invalid argument(s)'), 'idle mode (wifi_mode=0)');
    await m.command('AT+S.SCFG=wifi_mode,1');
    assert.equal(await m.command('AT+S.WPS=1'), lines('AT-S.ERROR:7:Invalid argument(s)'), 'no PIN');
    await m.command('AT+S.SCFG=wifi_wps_pin,1234567');
    assert.equal(await m.command('AT+S.WPS=3'), lines('AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await m.command('AT+S.WPS=1'), lines('AT-S.WPS PIN:12345670', 'AT-S.OK', '+WIND:81:WPS Generating DH keyset'));
    assert.equal(await m.tick(119000), '');
    assert.equal(await m.tick(2000), lines('+WIND:82:WPS enrollment attempt timed out'));
    const gen = await m.command('AT+S.WPS=2');
    const pin = /AT-S\.WPS PIN:(\d{8})/.exec(gen)![1];
    assert.equal(wpsPin(pin), pin);
    m.sim.network.enterWpsPin('Home', pin);
    assert.equal(await m.tick(2500), JOIN('Home', '02:00:00:00:00:77'));
    assert.equal(m.sim.configValue('wifi_wpa_psk_text'), 'hunter2hunter2');
    assert.equal(m.sim.savedConfigValue('wifi_wpa_psk_text'), '', 'saved only by WCFG');
    assert.equal(await m.command('AT+S.WIFI=0', '', 50), lines('AT-S.OK', '+WIND:38:WiFi Powered Down'));
    assert.equal(await m.command('AT+S.WPS=0'), lines('AT-S.ERROR:18:Radio not running'));
  });

  it('WPA2-Enterprise: a refused password is +WIND:40:…:23, a refused server certificate +WIND:49, retried', async () => {
    const p = pki();
    const corp = {
      ssid: 'Corp', bssid: '02:00:00:00:0e:01', security: 'wpa2-enterprise' as const,
      radius: { users: [{ identity: 'alice', password: 'wonderland' }], serverCert: p.read('rsa2048-server.pem') },
    };
    await m.boot({
      network: { accessPoints: [corp] }, timing: TIMING,
      saved: { ssid: 'Corp', config: { wifi_mode: '1', wifi_priv_mode: '3', wifi_eap_type: '4', wifi_eap_identity: 'alice', wifi_eap_passwd: 'wrong' } },
    });
    const attempt = lines('+WIND:19:WiFi Join:02:00:00:00:0e:01', '+WIND:25:WiFi Association successful:Corp');
    assert.equal(await m.tick(2100), attempt + lines('+WIND:40:WiFi Deauthentication:23') + attempt + lines('+WIND:40:WiFi Deauthentication:23'));
    // The right password, and the CA: the module checks the server at its clock (1970: not yet valid).
    await m.command('AT+S.SCFG=wifi_eap_passwd,wonderland');
    const ca = p.read('rsa2048-ca.pem');
    await m.command('AT+S.WPAECERT=ca,' + ca.length, ca);
    await m.command('AT+S.WIFI=0');
    const refused = await m.command('AT+S.WIFI=1', '', 2000);
    assert.ok(refused.includes(attempt + lines('+WIND:49:WPA Terminated')), refused);
    assert.match(m.sim['radio'].lastEapFailure ?? '', /not valid before/);
    m.sim.setClock(Math.floor(Date.now() / 1000));
    assert.ok((await m.tick(2500)).includes(JOIN('Corp', '02:00:00:00:0e:01')));
  });
});
