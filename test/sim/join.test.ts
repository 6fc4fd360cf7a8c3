import { strict as assert } from 'node:assert';
import * as sinon from 'sinon';
import { SimModule } from '../../hosts/sim/module';
import { LAB_STATION, LAB_JOIN_LOG, bootBanner, lines, Terminal } from './helpers';

const BANNER = bootBanner();
const JOIN = LAB_JOIN_LOG;

describe('sim: joining a network', () => {
  let clock: sinon.SinonFakeTimers;
  let sim: SimModule;
  let term: Terminal;

  /** Boot a module (defaults otherwise) and take the boot output. */
  async function boot(opts: ConstructorParameters<typeof SimModule>[0] = {}): Promise<string> {
    sim = new SimModule(opts);
    term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(10_000);
    return term.take();
  }

  /** Send one command line and return everything the module says within `ms`. */
  async function command(line: string, ms = 100): Promise<string> {
    term.send(line);
    await clock.tickAsync(ms);
    return term.take();
  }

  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => { sim.close(); clock.restore(); });

  it('runs the AN §3.2.1 WPA2-PSK sequence with the exact replies, then joins after the reset', async () => {
    assert.equal(await boot(), BANNER);
    assert.equal(await command('AT+S.WIFI=0'), lines('AT+S.WIFI=0', 'AT-S.OK', '+WIND:38:WiFi Powered Down'));
    assert.equal(await command('AT+S.SCFG=wifi_mode,1'), lines('AT+S.SCFG=wifi_mode,1', 'AT-S.OK'));
    assert.equal(await command('AT+S.SCFG=wifi_priv_mode,2'), lines('AT+S.SCFG=wifi_priv_mode,2', 'AT-S.OK'));
    assert.equal(await command('AT+S.SSIDTXT=SPWF-Lab'), lines('AT+S.SSIDTXT=SPWF-Lab', 'AT-S.OK'));
    assert.equal(await command('AT+S.SCFG=wifi_wpa_psk_text,correct horse battery'),
      lines('AT+S.SCFG=wifi_wpa_psk_text,correct horse battery', 'AT-S.OK'));
    // The radio restarts in station mode with the new settings and joins (XCUBE's variant stops here).
    assert.equal(await command('AT+S.WIFI=1', 5000), lines('AT+S.WIFI=1', 'AT-S.OK', '+WIND:32:WiFi Hardware Started') + JOIN);
    assert.equal(await command('AT+S.WCFG'), lines('AT+S.WCFG', 'AT-S.OK'));
    assert.equal(await command('AT+S.RESET', 5000), lines('AT+S.RESET') + BANNER + JOIN);
    assert.equal(sim.savedConfigValue('wifi_mode'), '1');
    assert.equal(sim.ssid, 'SPWF-Lab');
  });

  it('with a wrong passphrase associates, is deauthenticated again and again, and never reports WiFi Up', async () => {
    const out = await boot({ saved: { ...LAB_STATION, config: { ...LAB_STATION.config, wifi_wpa_psk_text: 'wrong horse' } } });
    const attempt = lines(
      '+WIND:19:WiFi Join:00:11:22:33:44:55',
      '+WIND:25:WiFi Association successful:SPWF-Lab',
      '+WIND:40:WiFi Deauthentication:15',
    );
    assert.ok(out.startsWith(BANNER + lines('+WIND:21:WiFi Scanning', '+WIND:35:WiFi Scan Complete:00') + attempt + attempt), out);
    assert.ok(!out.includes('+WIND:51') && !out.includes('+WIND:24'));
    await clock.tickAsync(60_000);
    const later = term.take();
    assert.ok(later.split('+WIND:40:').length - 1 >= 3, 'keeps retrying');
    assert.ok(!later.includes('+WIND:24'));
    assert.notEqual(sim.wifiState, 10);
    assert.equal(sim.ipv4, undefined);
  });

  it('keeps scanning, every scanRetryMs, for an SSID that is not on the air', async () => {
    sim = new SimModule({ saved: { ...LAB_STATION, ssid: 'Elsewhere' }, timing: { scanMs: 300, scanRetryMs: 1000 } });
    term = new Terminal(sim);
    const scanStarts: number[] = [];
    sim.onOutput((bytes) => { if (bytes.includes('+WIND:21:')) scanStarts.push(Date.now()); });
    sim.powerOn();
    await clock.tickAsync(10_000);
    const out = term.take();
    const scan = lines('+WIND:21:WiFi Scanning', '+WIND:35:WiFi Scan Complete:00');
    assert.ok(out.startsWith(BANNER + scan + scan + scan), out);
    assert.ok(!out.includes('+WIND:19'));
    // One scan (300 ms) then a pause of scanRetryMs (1000 ms), again and again.
    const gaps = scanStarts.slice(1).map((t, i) => t - scanStarts[i]!);
    assert.ok(gaps.length >= 6);
    for (const gap of gaps) assert.equal(gap, 1300);
  });

  it('joins once the missing network appears', async () => {
    await boot({ saved: { ...LAB_STATION, ssid: 'Later' }, timing: { scanRetryMs: 1000 } });
    sim.network.accessPoints.push({ ssid: 'Later', bssid: '02:00:00:00:00:01', security: 'wpa2-psk', passphrase: 'correct horse battery' });
    await clock.tickAsync(5000);
    const out = term.take();
    assert.ok(out.includes('+WIND:19:WiFi Join:02:00:00:00:00:01'), out);
    assert.ok(out.endsWith('+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1\r\n'), out);
  });

  it('rejects a network whose security does not fit wifi_priv_mode', async () => {
    const out = await boot({ saved: { ...LAB_STATION, config: { ...LAB_STATION.config, wifi_priv_mode: '0' } } });
    assert.ok(out.startsWith(BANNER + lines('+WIND:21:WiFi Scanning', '+WIND:35:WiFi Scan Complete:00', '+WIND:74:Rejected found Network', '+WIND:21:WiFi Scanning')), out);
    assert.ok(!out.includes('+WIND:19'));
  });

  it('joins an open network without a WPA handshake', async () => {
    const out = await boot({
      saved: { ssid: 'Cafe', config: { wifi_mode: '1', wifi_priv_mode: '0' } },
      network: { accessPoints: [{ ssid: 'Cafe', bssid: '02:00:00:00:00:02', security: 'open' }] },
    });
    assert.equal(out, BANNER + lines(
      '+WIND:21:WiFi Scanning',
      '+WIND:35:WiFi Scan Complete:00',
      '+WIND:19:WiFi Join:02:00:00:00:00:02',
      '+WIND:25:WiFi Association successful:Cafe',
      '+WIND:24:WiFi Up:0:192.168.1.42',
      '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1',
    ));
  });

  it('uses the static address when DHCP is off and skips IPv6 when it is off', async () => {
    const out = await boot({ saved: { ...LAB_STATION, config: { ...LAB_STATION.config, ip_use_dhcpc: '0', ip_ipaddr: '10.1.2.3', ip_use_v6: '0' } } });
    assert.ok(out.endsWith(lines('+WIND:51:WPA Handshake Complete', '+WIND:24:WiFi Up:0:10.1.2.3')), out);
  });

  it('AT+S.WIFI=0 during a join stops it', async () => {
    sim = new SimModule({ saved: LAB_STATION });
    term = new Terminal(sim);
    sim.powerOn();
    await clock.tickAsync(400); // scanning
    term.take();
    assert.equal(await command('AT+S.WIFI=0', 10_000), lines('AT+S.WIFI=0', 'AT-S.OK', '+WIND:38:WiFi Powered Down'));
    assert.equal(sim.ipv4, undefined);
  });

  it('accepts Wi-Fi settings while the radio is on and applies them at the next WIFI=1', async () => {
    await boot({ saved: LAB_STATION });
    assert.equal(await command('AT+S.SCFG=wifi_wpa_psk_text,wrong horse'), lines('AT+S.SCFG=wifi_wpa_psk_text,wrong horse', 'AT-S.OK'));
    assert.equal(sim.wifiState, 10, 'the link stays up');
    await command('AT+S.WIFI=0');
    const out = await command('AT+S.WIFI=1', 1500);
    assert.ok(out.includes('+WIND:40:WiFi Deauthentication'), out);
    assert.ok(!out.includes('+WIND:24'));
  });

  it('WIFI=1 on a running radio and WIFI=0 on a stopped one change nothing', async () => {
    await boot();
    assert.equal(await command('AT+S.WIFI=1'), lines('AT+S.WIFI=1', 'AT-S.OK'));
    await command('AT+S.WIFI=0');
    assert.equal(await command('AT+S.WIFI=0'), lines('AT+S.WIFI=0', 'AT-S.OK'));
    assert.equal(await command('AT+S.WIFI=2'), lines('AT+S.WIFI=2', 'AT-S.ERROR:7:Invalid argument(s)'));
    assert.equal(await command('AT+S.WIFI'), lines('AT+S.WIFI', 'AT-S.ERROR:2:Missing argument(s)'));
  });

  it('WIFI=0 immediately followed by WIFI=1 still reports the power-down first', async () => {
    await boot();
    term.send('AT+S.WIFI=0');
    term.send('AT+S.WIFI=1');
    await clock.tickAsync(1000);
    assert.equal(term.take(), lines('AT+S.WIFI=0', 'AT-S.OK', 'AT+S.WIFI=1', 'AT-S.OK', '+WIND:38:WiFi Powered Down', '+WIND:32:WiFi Hardware Started'));
  });

  it('sets and queries the SSID with AT+S.SSIDTXT', async () => {
    await boot();
    assert.equal(await command('AT+S.SSIDTXT=My Net, with comma'), lines('AT+S.SSIDTXT=My Net, with comma', 'AT-S.OK'));
    assert.equal(await command('AT+S.SSIDTXT'), lines('AT+S.SSIDTXT', 'AT-S.SSID:My Net, with comma', 'AT-S.OK'));
    assert.equal(await command('AT+S.GCFG=wifi_ssid'), lines('AT+S.GCFG=wifi_ssid', 'AT-S.Var:wifi_ssid=4D:79:20:4E:65:74:2C:20:77:69:74:68:20:63:6F:6D:6D:61', 'AT-S.OK'));
  });

  it('lists the networks on the air with AT+S.SCAN', async () => {
    await boot({ network: { accessPoints: [
      { ssid: 'SPWF-Lab', bssid: '00:11:22:33:44:55', security: 'wpa2-psk', passphrase: 'x', channel: 11, rssi: -67 },
      { ssid: 'Cafe', bssid: '02:00:00:00:00:02', security: 'open' },
    ] } });
    assert.equal(await command('AT+S.SCAN=s,', 1000), lines(
      'AT+S.SCAN=s,',
      'AT-S.Parsing Networks:2',
      "1:\tBSS 00:11:22:33:44:55 CHAN: 11 RSSI: -67 SSID: 'SPWF-Lab' CAPS: 0431 WPA2 ",
      "2:\tBSS 02:00:00:00:00:02 CHAN: 06 RSSI: -45 SSID: 'Cafe' CAPS: 0421 ",
      'AT-S.OK',
    ));
    await command('AT+S.WIFI=0');
    assert.equal(await command('AT+S.SCAN=s,'), lines('AT+S.SCAN=s,', 'AT-S.ERROR:18:Radio not running'));
  });

  it('reports the link in AT+S.STS', async () => {
    await boot({ saved: LAB_STATION });
    assert.equal(await command('AT+S.STS=ip_ipaddr'), lines('AT+S.STS=ip_ipaddr', 'AT-S.Var:ip_ipaddr=192.168.1.42', 'AT-S.OK'));
    assert.equal(await command('AT+S.STS=ip_gw'), lines('AT+S.STS=ip_gw', 'AT-S.Var:ip_gw=192.168.1.1', 'AT-S.OK'));
    assert.equal(await command('AT+S.STS=wifi_state'), lines('AT+S.STS=wifi_state', 'AT-S.Var:wifi_state=10', 'AT-S.OK'));
    assert.equal(await command('AT+S.STS=nope'), lines('AT+S.STS=nope', 'AT-S.ERROR:4:Variable not found'));
  });
});
