import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { CertStore } from '../src/certs/store';
import { fileStorage } from '../hosts/node/host';
import { DEFAULT_ACCESS_POINT } from '../hosts/sim/network';
import { simSession, upAndJoined, SimSession } from './helpers/sim-session';

// Bad input, everywhere it enters (issue 14): every public entry point that takes a string reaching an AT
// command is driven with CR, LF, NUL, commas and over-long values. Each is refused with a clear error
// (InvalidParameter) before anything reaches the UART — or, where the module takes the rest of the line
// as the value (the last field: the SSID, a SCFG value, the TLS name), sent whole on one line. Then every
// log line, trace line and error message of these runs is scanned for the secrets.

const SECRET_PSK = 'Psk-Secret-7d1f';
const SECRET_PASSWORD = 'Pw-Secret-91ac';
const SECRET_KEY = '5ec2e7000000000000000000000000ab';

/** A string with one injected CR, LF or NUL somewhere in it. */
const injected = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('\r', '\n', '\0', '\r\nAT+S.RESET\r'), fc.string({ maxLength: 20 }))
  .map(([a, b, c]) => 'v' + a + b + c);
/** A string with a field separator in it (for fields followed by others). */
const separated = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom(',', ',,', ',0,'), fc.string({ maxLength: 20 }))
  .map(([a, b, c]) => 'v' + a.replace(/[\r\n\0]/g, '') + b + c.replace(/[\r\n\0]/g, ''));
/** Longer than the module's 512-byte command line. */
const overLong = fc.string({ minLength: 520, maxLength: 700, unit: fc.constantFrom('a', 'b', '.', '/') });

describe('bad input at every entry point reaching an AT command (property tests, simulated module)', function () {
  this.timeout(60000);
  let s: SimSession;
  let wire: string[];
  const errors: string[] = [];

  before(async () => {
    s = simSession({ network: { accessPoints: [{ ...DEFAULT_ACCESS_POINT, passphrase: SECRET_PSK }] } });
    wire = [];
    const uart = s.host.uart;
    const write = uart.write.bind(uart);
    uart.write = (b: string) => { wire.push(b); write(b); };
    await s.conn.start();
    await s.conn.join({ ssid: 'SPWF-Lab', psk: SECRET_PSK });
  });

  after(() => s.close());

  /** Runs `call` with each generated value: it must fail with InvalidParameter and write nothing. */
  async function refused(what: string, arb: fc.Arbitrary<string>, call: (v: string) => Promise<unknown>, runs = 40): Promise<void> {
    await fc.assert(fc.asyncProperty(arb, async (v) => {
      const before = wire.length;
      const err: any = await call(v).then(() => undefined, (e) => e);
      assert.ok(err, what + ': accepted ' + JSON.stringify(v));
      errors.push(String(err.message));
      assert.equal(err.code, 'InvalidParameter', what + ': ' + err.code + ' ' + err.message);
      assert.deepEqual(wire.slice(before), [], what + ': something reached the UART for ' + JSON.stringify(v));
    }), { numRuns: runs });
  }

  /** For a last field: either refused as above, or sent on exactly one command line holding the value. */
  async function refusedOrWhole(what: string, arb: fc.Arbitrary<string>, call: (v: string) => Promise<unknown>): Promise<void> {
    await fc.assert(fc.asyncProperty(arb, async (v) => {
      const before = wire.length;
      const err: any = await call(v).then(() => undefined, (e) => e);
      const sent = wire.slice(before);
      if (err && err.code === 'InvalidParameter') {
        errors.push(String(err.message));
        assert.deepEqual(sent, [], what + ': refused, yet something was sent');
        return;
      }
      for (const w of sent) {
        const cr = w.indexOf('\r');
        assert.ok(cr === w.length - 1 || /^AT\+S\.[A-Z]+=.*,\d+$/.test(w.substring(0, cr)), what + ': a command line broken in two: ' + JSON.stringify(w));
      }
    }), { numRuns: 20 });
  }

  it('join: SSID and passphrase', async () => {
    await refused('SSID', injected, (v) => s.conn.join({ ssid: v, psk: 'long enough passphrase' }));
    await refused('SSID over 32 bytes', fc.string({ minLength: 33, maxLength: 80, unit: fc.constantFrom('a', 'b') }), (v) => s.conn.join({ ssid: v }));
    await refused('empty SSID', fc.constant(''), (v) => s.conn.join({ ssid: v }), 1);
    await refused('passphrase', injected.map((v) => v + 'padding to 8'), (v) => s.conn.join({ ssid: 'SPWF-Lab', psk: v }));
    await refused('passphrase length', fc.oneof(fc.string({ maxLength: 7 }), fc.string({ minLength: 65, maxLength: 90 })),
      (v) => s.conn.join({ ssid: 'SPWF-Lab', psk: v }));
  });

  it('join: WPA2-Enterprise identity, anonymous identity and password', async () => {
    const eap = (over: object) => ({ ssid: 'Corp', eap: { method: 'peap-mschapv2' as const, identity: 'alice', password: SECRET_PASSWORD, ...over } });
    await refused('EAP identity', injected, (v) => s.conn.join(eap({ identity: v })));
    await refused('EAP anonymous identity', injected, (v) => s.conn.join(eap({ anonymousIdentity: v })));
    await refused('EAP password', injected, (v) => s.conn.join(eap({ password: v })));
  });

  it('open: host and TLS name', async () => {
    await refused('host', injected, (v) => s.conn.open(v, 80, 't'));
    await refused('host (TLS: the clock gate waits behind the check)', injected, (v) => s.conn.open(v, 443, 's'));
    await refused('host with a separator', separated, (v) => s.conn.open(v, 80, 't'));
    await refused('host over the line', overLong, (v) => s.conn.open(v, 80, 't'));
    await refused('TLS name', injected, (v) => s.conn.open('127.0.0.1', 1, v));
    await refused('TLS name over the line', overLong, (v) => s.conn.open('127.0.0.1', 1, v));
    await refusedOrWhole('TLS name with a separator', separated, (v) => s.conn.open('127.0.0.1', 1, v));
  });

  it('join: WPS PIN', async () => {
    await refused('WPS PIN', fc.oneof(injected, separated), (v) => s.conn.join({ ssid: '', wps: 'pin', pin: v }));
    await refused('WPS PIN (digits with a bad checksum or length)', fc.oneof(fc.stringMatching(/^[0-9]{1,6}$/), fc.stringMatching(/^[0-9]{9,12}$/)),
      (v) => s.conn.join({ ssid: '', wps: 'pin', pin: v }));
  });

  it("NetworkJS (Espruino's require(\"net\")): host", async () => {
    // create() answers at once with a slot; the refusal shows as the slot's error code on recv(), and
    // nothing reaches the UART.
    const nj = s.conn.feature('net');
    await fc.assert(fc.asyncProperty(fc.oneof(injected, separated, overLong), async (v) => {
      const before = wire.length;
      const i = nj.create(v, 80, 0);
      assert.ok(i >= 0, 'a slot');
      await new Promise((r) => setImmediate(r));
      const got = nj.recv(i, 100, 0);
      nj.close(i);
      assert.ok(typeof got === 'number' && got < 0, 'NetworkJS host: accepted ' + JSON.stringify(v));
      assert.deepEqual(wire.slice(before), [], 'NetworkJS host: something reached the UART for ' + JSON.stringify(v));
    }), { numRuns: 40 });
  });

  it('http: host, path, user name, password (GET and POST)', async () => {
    for (const field of ['host', 'path', 'user', 'password'] as const) {
      const req = (v: string) => ({ host: 'example.test', path: '/', user: 'u', password: SECRET_PASSWORD, [field]: v });
      await refused('HTTP GET ' + field, injected, (v) => s.conn.http.get(req(v)));
      await refused('HTTP GET ' + field + ' with a separator', separated, (v) => s.conn.http.get(req(v)));
      await refused('HTTP POST ' + field, fc.oneof(injected, separated), (v) => s.conn.http.post(req(v), 'body'), 20);
      await refused('HTTPS GET ' + field, fc.oneof(injected, separated), (v) => s.conn.http.get({ ...req(v), tls: 2 }), 20);
    }
    await refused('HTTP GET over the line', overLong, (v) => s.conn.http.get({ host: 'example.test', path: v }));
  });

  it('smtp: host, user name, password, HELO id, from, to, subject', async () => {
    const base = { host: 'mail.test', user: 'u', password: SECRET_PASSWORD, heloId: 'dev', from: 'a@x.test', to: 'b@x.test', subject: 's', body: 'hello' };
    for (const field of ['host', 'user', 'password', 'heloId', 'from', 'to', 'subject'] as const) {
      await refused('SMTP ' + field, fc.oneof(injected, separated), (v) => s.conn.smtp.send({ ...base, [field]: v }), 25);
      await refused('SMTPS ' + field, fc.oneof(injected, separated), (v) => s.conn.smtp.send({ ...base, tls: 9, [field]: v }), 15);
    }
    await refused('SMTP over the line', overLong, (v) => s.conn.smtp.send({ ...base, subject: v }));
  });

  it('firmware update: host, path, user name, password, key', async () => {
    const base = { host: 'fw.test', path: '/fw.sfota', user: 'u', password: SECRET_PASSWORD, key: SECRET_KEY, version: '180101-abc1234' };
    for (const field of ['host', 'path', 'user', 'password', 'key'] as const) {
      // Any 16 characters are a raw key (16 bytes), sent as its 32 hex digits: nothing to inject.
      const arb = field === 'key' ? fc.oneof(injected, separated).filter((v) => v.length !== 16) : fc.oneof(injected, separated);
      await refused('FOTA ' + field, arb, (v) => s.conn.updateFirmware({ ...base, [field]: v }), 25);
      await refused('FOTA over HTTPS ' + field, arb, (v) => s.conn.updateFirmware({ ...base, tls: 2, [field]: v }), 15);
    }
  });

  it('certificate store names: refused before anything is stored (nothing reaches the module)', async () => {
    const store = new CertStore(fileStorage());
    await fc.assert(fc.property(fc.oneof(injected, separated, fc.string({ minLength: 21, maxLength: 40 })), (v) => {
      const before = wire.length;
      const r = store.put(v, 'data');
      assert.equal(r.ok, false, JSON.stringify(v));
      if (!r.ok) errors.push(r.error.message);
      assert.equal(wire.length, before);
    }), { numRuns: 60 });
  });

  it('no secret in any log line, trace line or error message of these runs', () => {
    const texts = s.logs.map((l) => l.message).concat(s.trace, errors);
    assert.ok(texts.length > 50, 'there is something to scan');
    for (const secret of [SECRET_PSK, SECRET_PASSWORD, SECRET_KEY]) {
      for (const t of texts) assert.ok(!t.includes(secret), 'a secret in: ' + t);
    }
  });
});

describe('bad input behind the clock gate (a fresh module clock each time)', function () {
  this.timeout(60000);

  /** A joined session whose module clock was never checked: a TLS operation would query it first. */
  async function fresh(): Promise<{ s: SimSession; wire: string[] }> {
    const s = simSession();
    const wire: string[] = [];
    const uart = s.host.uart;
    const write = uart.write.bind(uart);
    uart.write = (b: string) => { wire.push(b); write(b); };
    await upAndJoined(s);
    return { s, wire };
  }

  for (const [what, call] of [
    ['TLS open: host', (s: SimSession, v: string) => s.conn.open(v, 443, 's')],
    ['TLS open: TLS name', (s: SimSession, v: string) => s.conn.open('127.0.0.1', 443, v + '\r')],
    ['HTTPS GET: path', (s: SimSession, v: string) => s.conn.http.get({ host: 'example.test', path: v, tls: 2 })],
    ['HTTPS POST: user', (s: SimSession, v: string) => s.conn.http.post({ host: 'example.test', user: v, tls: 2 }, 'body')],
    ['SMTPS: subject', (s: SimSession, v: string) => s.conn.smtp.send({ host: 'm.test', tls: 9, from: 'a@x', to: 'b@x', subject: v, body: 'x' })],
    ['FOTA over HTTPS: path', (s: SimSession, v: string) => s.conn.updateFirmware({ host: 'fw.test', path: v, tls: 2, version: '180101-abc1234' })],
  ] as const) {
    it(what + ': refused before the clock is even asked', async () => {
      await fc.assert(fc.asyncProperty(injected, async (v) => {
        const { s, wire } = await fresh();
        try {
          const before = wire.length;
          const err: any = await call(s, v).then(() => undefined, (e: any) => e);
          assert.equal(err && err.code, 'InvalidParameter', what + ': ' + (err && err.message));
          assert.deepEqual(wire.slice(before), [], what + ': something reached the UART');
        } finally {
          s.close();
        }
      }), { numRuns: 3 });
    });
  }
});
