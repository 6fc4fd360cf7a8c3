import { strict as assert } from 'assert';
import * as sinon from 'sinon';
import { pki, Pki } from '../certs/pki';
import type { SimAccessPoint } from '../../hosts/sim/network';
import type { EapMethod, JoinError } from '../../src/wifi/link';
import { storeCertificates } from '../../src/wifi/eap-certs';
import { bench, Bench, join, startAndJoin } from './helpers';

// WPA2-Enterprise against the simulated module and its RADIUS server, with certificates made by openssl
// (test/certs/pki.ts): the RADIUS server's certificate is rsa2048-server.pem under rsa2048-ca.pem; EAP-TLS
// clients are appx-client.pem (+ key) under rsa1024-ca.pem. Real crypto on both sides.

const USERS = [{ identity: 'alice', password: 'wonderland' }];

describe('wifi: WPA2-Enterprise (simulated module and RADIUS server)', function () {
  this.timeout(60000);
  let p: Pki;
  let now: number;
  let clock: sinon.SinonFakeTimers;
  let b: Bench;

  before(() => {
    p = pki();
    now = Date.now() + 3600e3; // every certificate of the PKI is valid by then
  });
  beforeEach(() => { clock = sinon.useFakeTimers({ now }); });
  afterEach(() => { b.close(); clock.restore(); });

  function ap(over: Partial<SimAccessPoint['radius']> = {}): SimAccessPoint {
    return {
      ssid: 'Corp', bssid: '02:00:00:00:0e:01', security: 'wpa2-enterprise',
      radius: Object.assign({ users: USERS, serverCert: p.read('rsa2048-server.pem'), clientCa: p.read('rsa1024-ca.pem') }, over),
    };
  }

  function corp(over: Partial<SimAccessPoint['radius']> = {}, trustHostClock = true): Bench {
    return bench({ sim: { network: { accessPoints: [ap(over)] } }, conn: { clock: { trustHostClock } } });
  }

  function creds(method: EapMethod, extra: object = {}) {
    const e: any = method === 'tls'
      ? { method, identity: 'device-17', ca: p.read('rsa2048-ca.pem'), cert: p.read('appx-client.pem'), key: p.read('appx-client.key') }
      : { method, identity: 'alice', anonymousIdentity: 'anonymous@corp', password: 'wonderland', ca: p.read('rsa2048-ca.pem') };
    return { ssid: 'Corp', eap: Object.assign(e, extra) };
  }

  for (const method of ['tls', 'ttls-md5', 'ttls-mschapv2', 'peap-md5', 'peap-mschapv2'] as EapMethod[]) {
    it('joins with ' + method + ': clock set, certificates uploaded, the application note sequence', async () => {
      b = corp();
      assert.equal(await startAndJoin(clock, b, creds(method)), '192.168.1.42', b.sim ? String(b.logs.map((l) => l.message)) : '');
      const sent = b.sent();
      const type = ['tls', 'ttls-md5', 'ttls-mschapv2', 'peap-md5', 'peap-mschapv2'].indexOf(method);
      const timeSet = sent.findIndex((l) => /^AT\+S\.TIME=\d+$/.test(l));
      const upload = sent.indexOf('AT+S.WPAECERT=ca,' + p.read('rsa2048-ca.pem').length + ' <' + p.read('rsa2048-ca.pem').length + ' bytes>');
      const wifiOff = sent.indexOf('AT+S.WIFI=0');
      assert.ok(timeSet >= 0 && timeSet < upload && upload < wifiOff, 'time, then certificates, then the join (AN 3.2.2.2)\n' + sent.join('\n'));
      assert.ok(sent.indexOf('AT+S.WPAECERT=content,2') < upload, 'erased before uploading');
      if (method === 'tls') {
        assert.ok(sent.some((l) => l.startsWith('AT+S.WPAECERT=cert,')) && sent.some((l) => l.startsWith('AT+S.WPAECERT=key,')));
        assert.ok(!sent.some((l) => l.includes('wifi_eap_passwd')));
      } else assert.ok(sent.includes('AT+S.SCFG=wifi_eap_passwd,********') && sent.includes('AT+S.SCFG=wifi_eap_anon_identity,anonymous@corp'));
      const cfg = sent.slice(wifiOff);
      // wifi_eap_type is 0 at the factory: written only for the other methods.
      const head = ['AT+S.WIFI=0', 'AT+S.SCFG=wifi_mode,1', 'AT+S.SCFG=wifi_priv_mode,3'];
      if (type) head.push('AT+S.SCFG=wifi_eap_type,' + type);
      head.push('AT+S.SSIDTXT=Corp');
      assert.deepEqual(cfg.slice(0, head.length), head);
      assert.deepEqual(cfg.slice(cfg.indexOf('AT+S.WIFI=1'), cfg.indexOf('AT+S.RESET') + 1), ['AT+S.WIFI=1', 'AT+S.WCFG', 'AT+S.RESET']);
      // The module's clock restarts at 1970 with the RESET: set again before the EAP exchange.
      const afterReset = sent.slice(sent.indexOf('AT+S.RESET'));
      assert.ok(afterReset.some((l) => /^AT\+S\.TIME=\d+$/.test(l)), afterReset.join('\n'));
      assert.equal(b.sim.savedConfigValue('wifi_eap_type'), String(type));
      assert.ok(!b.trace.join('\n').includes('wonderland'));
      // Once joined, the link keeps of the network what recovery reads: no certificate, key or password
      // (the module holds them; on the board each PEM string held is about 100 variables).
      const kept = JSON.stringify((b.link as any).network);
      assert.deepEqual(JSON.parse(kept), { ssid: 'Corp', eap: { method, identity: method === 'tls' ? 'device-17' : 'alice' } }, kept);
    });
  }

  it('a second join uploads nothing and writes nothing: the listing and the record match', async () => {
    b = corp();
    await startAndJoin(clock, b, creds('tls'));
    const from = b.trace.length;
    assert.equal(await join(clock, b, creds('tls')), '192.168.1.42');
    const sent = b.sent(from);
    assert.ok(sent.includes('AT+S.WPAECERT=content,1'));
    assert.ok(!sent.some((l) => /WPAECERT=(ca|cert|key|content,2)|WCFG|RESET|SCFG=wifi/.test(l)), sent.join('\n'));
  });

  it('through the certificate store and provisioner (storeCertificates): checked, uploaded once', async () => {
    b = corp();
    b.link.o.certificates = storeCertificates(b.conn.engine, b.host.storage!, b.host.log, () => b.conn.clock.estimate());
    assert.equal(await startAndJoin(clock, b, creds('tls')), '192.168.1.42');
    assert.ok(b.sent().some((l) => l.startsWith('AT+S.WPAECERT=key,')));
    assert.ok(b.host.storage!.list('spwfc.eap-').length >= 3, 'kept in the host certificate store');
    const from = b.trace.length;
    assert.equal(await join(clock, b, creds('tls')), '192.168.1.42');
    assert.ok(!b.sent(from).some((l) => /WPAECERT=(ca|cert|key|content,2)/.test(l)), b.sent(from).join('\n'));
  });

  it('fails with eap-rejected for a wrong password, and stops the module retrying', async () => {
    b = corp();
    const err = await startAndJoin(clock, b, creds('peap-mschapv2', { password: 'looking glass' })) as JoinError;
    assert.equal(err.code, 'JoinFailed');
    assert.equal(err.reason, 'eap-rejected');
    assert.equal(b.link.state, 'failed');
    await clock.tickAsync(100);
    assert.equal(b.sent().pop(), 'AT+S.WIFI=0');
  });

  it('fails with eap-rejected when the server does not take the method', async () => {
    b = corp({ methods: ['peap-mschapv2'] });
    const err = await startAndJoin(clock, b, creds('ttls-md5')) as JoinError;
    assert.equal(err.reason, 'eap-rejected');
  });

  it('fails with certificate-rejected when the server certificate does not chain to the CA given', async () => {
    b = corp();
    const err = await startAndJoin(clock, b, creds('peap-mschapv2', { ca: p.read('rsa1024-ca.pem') })) as JoinError;
    assert.equal(err.code, 'CertRejected');
    assert.equal(err.reason, 'certificate-rejected');
    assert.match(err.message, /module rejected the RADIUS server's certificate/);
    assert.match(b.sim['radio'].lastEapFailure ?? '', /not signed by/);
  });

  it('fails with certificate-rejected when the server certificate expired (dates at the module clock)', async () => {
    b = corp({ serverCert: p.read('expired.pem') });
    const err = await startAndJoin(clock, b, creds('ttls-mschapv2')) as JoinError;
    assert.equal(err.reason, 'certificate-rejected');
    assert.match(b.sim['radio'].lastEapFailure ?? '', /expired/);
  });

  it('fails with certificate-rejected when the RADIUS server refuses the client certificate', async () => {
    b = corp({ clientCa: p.read('rsa2048-ca.pem') });
    const err = await startAndJoin(clock, b, creds('tls')) as JoinError;
    assert.equal(err.code, 'CertRejected');
    assert.match(err.message, /RADIUS server rejected the client certificate/);
  });

  it('fails with time-not-set before writing anything when the clock is unknown and the host clock untrusted', async () => {
    b = corp({}, false);
    const err = await startAndJoin(clock, b, creds('peap-mschapv2')) as JoinError;
    assert.equal(err.code, 'TimeNotSet');
    assert.equal(err.reason, 'time-not-set');
    assert.ok(!b.sent().some((l) => /WPAECERT|WIFI=0|WCFG/.test(l)), b.sent().join('\n'));
  });

  it('skips date checks only when asked, logging it: joins with the clock at 1970 and an expired server certificate', async () => {
    b = corp({ serverCert: p.read('expired.pem') }, false);
    assert.equal(await startAndJoin(clock, b, creds('peap-mschapv2', { skipDateChecks: true })), '192.168.1.42');
    assert.ok(b.sent().includes('AT+S.SCFG=wifi_eap_skip_datechecks,1'));
    assert.ok(b.logs.some((l) => l.level === 'warn' && /date checks are skipped/.test(l.message)));
    assert.ok(b.sim.clockSeconds < 86400 * 365, 'the module clock was never set');
  });

  it('sets the clock again after an unexpected module restart, and the link comes back', async () => {
    b = corp();
    await startAndJoin(clock, b, creds('tls'));
    const from = b.trace.length;
    b.sim.hardFault('test', 1000);
    let up = false;
    b.link.on('up', () => { up = true; });
    for (let i = 0; i < 600 && !up; i++) await clock.tickAsync(100);
    assert.ok(up, b.trace.slice(from).join('\n'));
    assert.ok(b.sent(from).some((l) => /^AT\+S\.TIME=\d+$/.test(l)));
    assert.ok(Math.abs(b.sim.clockSeconds - Math.floor(Date.now() / 1000)) <= 2);
  });
});
