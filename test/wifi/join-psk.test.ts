import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { bench, Bench, join, LAB, startAndJoin } from './helpers';

// WPA2-PSK and open networks against the simulated module, and "only what changed is written".

describe('wifi: WPA2-PSK and open networks (simulated module)', () => {
  let clock: sinon.SinonFakeTimers;
  let b: Bench;

  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => { b.close(); clock.restore(); });

  it('joins with a passphrase: reads, the application note sequence, up with IPv4 then IPv6', async () => {
    b = bench();
    const ups: any[] = [];
    const addresses: any[] = [];
    b.link.on('up', (a) => ups.push(a));
    b.link.on('address', (a) => addresses.push(a));
    assert.equal(await startAndJoin(clock, b, LAB), '192.168.1.42');
    const sent = b.sent().filter((l) => !l.startsWith('AT+S.SCFG=console_echo'));
    assert.deepEqual(sent, [
      'AT+S.GCFG=wifi_mode', 'AT+S.GCFG=wifi_priv_mode', 'AT+S.GCFG=wifi_ssid',
      'AT+S.WIFI=0', 'AT+S.SCFG=wifi_mode,1', 'AT+S.SSIDTXT=SPWF-Lab', 'AT+S.SCFG=wifi_wpa_psk_text,********',
      'AT+S.WIFI=1', 'AT+S.WCFG', 'AT+S.RESET',
    ], 'wifi_priv_mode is 2 at the factory: not written');
    await clock.tickAsync(1000);
    assert.deepEqual(ups, [{ ipv4: '192.168.1.42', ipv6: '' }]);
    assert.deepEqual(addresses, [{ ipv4: '192.168.1.42', ipv6: 'fe80::280:e1ff:fe00:1' }]);
    assert.equal(b.link.ipv6, 'fe80::280:e1ff:fe00:1');
    assert.deepEqual(b.events.map((e) => e[0]), ['joining', 'up']);
    assert.equal(b.sim.savedConfigValue('wifi_wpa_psk_text'), 'correct horse battery');
    assert.ok(!b.trace.join('\n').includes('correct horse battery'), 'the passphrase never shows, nor is read back');
  });

  it('a WiFi Up before the join\'s own restart (a radio that associates at once) does not end the join', async () => {
    // The radio is switched on before WCFG and RESET: a quick access point answers before the restart.
    // That association ends with the restart; the join resolves at the WiFi Up after it, never before.
    b = bench({ sim: { timing: { hardwareStartMs: 1, scanMs: 1, joinMs: 1, associationMs: 1, handshakeMs: 1, dhcpMs: 1, radioOnMs: 1 } } });
    let traceAtUp = -1;
    b.conn.start().then(() => b.conn.join(LAB)).then(() => { traceAtUp = b.trace.length; });
    await clock.tickAsync(5000);
    assert.ok(traceAtUp > 0, 'the join resolved');
    const reset = b.trace.indexOf('> AT+S.RESET');
    assert.ok(reset > 0, 'the join restarted the module');
    const boot = b.trace.findIndex((l, i) => i > reset && l.startsWith('< +WIND:1:'));
    assert.ok(boot > reset, 'the module restarted after the RESET');
    assert.ok(b.trace.slice(reset, boot).some((l) => l.startsWith('< +WIND:24:WiFi Up')), 'the access point answered before the restart');
    assert.ok(traceAtUp > boot, 'resolved only after the module restarted');
    assert.ok(b.trace.slice(boot, traceAtUp).some((l) => l.startsWith('< +WIND:24:WiFi Up')), 'at the WiFi Up after it');
    assert.deepEqual(b.events.map((e) => e[0]), ['joining', 'up']);
  });

  it('writes nothing when the module already holds the network, and only what changed otherwise', async () => {
    b = bench();
    await startAndJoin(clock, b, LAB);
    // Same network again: reads only, the link is up already.
    let from = b.trace.length;
    assert.equal(await join(clock, b, LAB), '192.168.1.42');
    assert.deepEqual(b.sent(from), ['AT+S.GCFG=wifi_mode', 'AT+S.GCFG=wifi_priv_mode', 'AT+S.GCFG=wifi_ssid', 'AT+S.STS=ip_ipaddr']);
    // Another passphrase for the same SSID (the AP changed it): only the passphrase is written.
    b.sim.network.accessPoints[0].passphrase = 'a new passphrase';
    from = b.trace.length;
    assert.equal(await join(clock, b, { ssid: 'SPWF-Lab', psk: 'a new passphrase' }), '192.168.1.42');
    assert.deepEqual(b.sent(from).filter((l) => !l.startsWith('AT+S.SCFG=console_echo')), [
      'AT+S.GCFG=wifi_mode', 'AT+S.GCFG=wifi_priv_mode', 'AT+S.GCFG=wifi_ssid',
      'AT+S.WIFI=0', 'AT+S.SCFG=wifi_wpa_psk_text,********', 'AT+S.WIFI=1', 'AT+S.WCFG', 'AT+S.RESET',
    ]);
  });

  it('after a host restart with the module already joined: no write, up from the module\'s address', async () => {
    b = bench({ sim: { saved: { ssid: 'SPWF-Lab', config: { wifi_mode: '1', wifi_priv_mode: '2', wifi_wpa_psk_text: 'correct horse battery' } } } });
    // The record of what was saved is in host storage (a previous run of the host wrote it).
    await startAndJoin(clock, b, LAB);
    const storage = b.host.storage!;
    const record = storage.read('wifi-config')!;
    b.close();
    b = bench({ sim: { saved: { ssid: 'SPWF-Lab', config: { wifi_mode: '1', wifi_priv_mode: '2', wifi_wpa_psk_text: 'correct horse battery' } } } });
    b.host.storage!.write('wifi-config', record);
    const from = b.trace.length;
    assert.equal(await startAndJoin(clock, b, LAB), '192.168.1.42');
    const sent = b.sent(from);
    assert.ok(!sent.some((l) => /WCFG|SSIDTXT|RESET|SCFG=wifi/.test(l)), sent.join('\n'));
  });

  it('with no record of the passphrase, writes it (secrets are never read back) and saves', async () => {
    b = bench({ sim: { saved: { ssid: 'SPWF-Lab', config: { wifi_mode: '1', wifi_priv_mode: '2', wifi_wpa_psk_text: 'correct horse battery' } } } });
    await startAndJoin(clock, b, LAB);
    const sent = b.sent();
    assert.ok(sent.includes('AT+S.SCFG=wifi_wpa_psk_text,********'));
    assert.ok(!sent.includes('AT+S.SCFG=wifi_mode,1') && !sent.includes('AT+S.SSIDTXT=SPWF-Lab'));
    assert.ok(!sent.some((l) => l.includes('GCFG=wifi_wpa_psk_text')));
  });

  it('joins with 64 hex digits as the key', async () => {
    const hex = 'ab'.repeat(32);
    b = bench({ sim: { network: { accessPoints: [{ ssid: 'Hex', bssid: '02:00:00:00:00:09', security: 'wpa2-psk', passphrase: hex }] } } });
    assert.equal(await startAndJoin(clock, b, { ssid: 'Hex', psk: hex }), '192.168.1.42');
  });

  it('joins an open network with privacy off', async () => {
    b = bench({ sim: { network: { accessPoints: [{ ssid: 'Cafe', bssid: '02:00:00:00:00:02', security: 'open' }] } } });
    assert.equal(await startAndJoin(clock, b, { ssid: 'Cafe' }), '192.168.1.42');
    assert.ok(b.sent().includes('AT+S.SCFG=wifi_priv_mode,0'));
    assert.equal(b.sim.savedConfigValue('wifi_priv_mode'), '0');
  });
});
