import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import type { JoinError } from '../../src/wifi/link';
import { bench, Bench, join, LAB, startAndJoin } from './helpers';

// Join failures that do not need WPA2-Enterprise (those are in enterprise.test.ts, WPS's in wps.test.ts):
// each ends the join with the reason a user can act on, never a hang.

describe('wifi: join failures and their reasons (simulated module)', () => {
  let clock: sinon.SinonFakeTimers;
  let b: Bench;

  beforeEach(() => { clock = sinon.useFakeTimers(); });
  afterEach(() => { b.close(); clock.restore(); });

  it('wrong passphrase: reason, the radio switched off, and the record forgotten', async () => {
    b = bench();
    const err = await startAndJoin(clock, b, { ssid: 'SPWF-Lab', psk: 'not the passphrase' }) as JoinError;
    assert.equal(err.code, 'JoinFailed');
    assert.equal(err.reason, 'wrong-passphrase');
    assert.match(err.message, /refused the passphrase/);
    assert.deepEqual(b.events.map((e) => e[0]), ['joining', 'failed']);
    assert.equal(b.events[1][1], err, "the 'failed' event carries the error");
    await clock.tickAsync(100);
    assert.equal(b.sent().pop(), 'AT+S.WIFI=0');
    assert.equal(b.host.storage!.read('wifi-config')!.indexOf('"c"'), -1, 'the next join writes the passphrase again');
    // Corrected: joins, writing the passphrase only.
    const from = b.trace.length;
    assert.equal(await join(clock, b, LAB), '192.168.1.42');
    assert.ok(b.sent(from).includes('AT+S.SCFG=wifi_wpa_psk_text,********'));
  });

  it('network not found: reason after the join timeout', async () => {
    b = bench({ conn: { link: { joinTimeoutMs: 30000 } } });
    const err = await startAndJoin(clock, b, { ssid: 'Elsewhere', psk: 'correct horse battery' }) as JoinError;
    assert.equal(err.reason, 'network-not-found');
    assert.match(err.message, /network "Elsewhere" not found/);
  });

  it('security mismatch: the module rejects an open network configured as WPA2-PSK', async () => {
    b = bench({ sim: { network: { accessPoints: [{ ssid: 'Cafe', bssid: '02:00:00:00:00:02', security: 'open' }] } } });
    const err = await startAndJoin(clock, b, { ssid: 'Cafe', psk: 'correct horse battery' }) as JoinError;
    assert.equal(err.reason, 'security-mismatch');
  });

  it('a module that stops answering ends the join with module-not-answering', async () => {
    b = bench();
    let started = false;
    b.conn.start().then(() => { started = true; });
    await clock.tickAsync(2000);
    assert.ok(started);
    b.sim.faults.silence();
    const err = await join(clock, b, LAB) as JoinError;
    assert.equal(err.code, 'Timeout');
    assert.equal(err.reason, 'module-not-answering');
    assert.equal(b.link.state, 'failed');
  });

  it('refuses bad parameters before sending anything', async () => {
    b = bench();
    const bad = [
      { ssid: 'x'.repeat(33) }, { ssid: 'a', psk: 'short' }, { ssid: 'a', psk: 'p\r\nAT+S.RESET' },
      { ssid: 'a', eap: { method: 'leap', identity: 'x' } }, { ssid: 'a', eap: { method: 'peap-mschapv2', identity: 'x' } },
      { ssid: 'a', eap: { method: 'tls', identity: 'x', ca: 'c' } }, { ssid: 'a', psk: 'correct horse', eap: { method: 'tls', identity: 'x' } },
      { wps: 'button', psk: 'correct horse battery' }, { wps: 'button', pin: '1234567' }, { wps: 'bluetooth' },
    ];
    for (const net of bad) {
      await assert.rejects(b.conn.join(net as any), (e: JoinError) => e.code === 'InvalidParameter', JSON.stringify(net));
    }
    assert.deepEqual(b.sent(), []);
    assert.equal(b.link.state, 'down');
  });
});
