import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SimModule, type SimOptions } from '../../hosts/sim/module';
import { INSTANT, LAB_STATION } from '../sim/helpers';
import { EXPIRED_CERT_VALID_AT, ModuleOutput, PacketServer, packet, testPki } from './helpers';

// The simulated module's AT+S.FWUPDATE on real timers (all simulated delays zero): the download over real
// HTTP(S) from a server on 127.0.0.1, the progress lines, the errors, and the check at the next boot.

const OLD = '171117-0328fe3-SPWF04S';
const REAL = path.resolve(__dirname, '..', '..', '..', 'shared', 'fixtures', 'SPWF04S-170216-fd39c59-Release.fota');

describe('sim: AT+S.FWUPDATE and the check at boot', function () {
  this.timeout(20000);
  let sim: SimModule;
  let out: ModuleOutput;
  let srv: PacketServer;

  async function boot(opts: SimOptions = {}): Promise<void> {
    sim = new SimModule({ saved: LAB_STATION, ...opts, timing: { ...INSTANT, fotaInstallMs: 0, ...opts.timing } });
    out = new ModuleOutput(sim);
    sim.powerOn();
    await out.until(/\+WIND:24:WiFi Up::[^\r]*\r\n/); // IPv6: the last line of the join
    await command('AT+S.SCFG=console_echo,0');
  }

  /** Sends a line, resolves with the answer up to its final line. */
  async function command(line: string): Promise<string> {
    sim.write(line + '\r');
    return out.until(/AT-S\.(OK|ERROR[^\r\n]*)\r\n/);
  }

  /** After a reset: the module rejoins by itself (saved station settings); echo off again. */
  async function joined(): Promise<void> {
    await out.until(/\+WIND:24:WiFi Up::[^\r]*\r\n/);
    await command('AT+S.SCFG=console_echo,0');
  }

  async function reset(): Promise<string> {
    sim.write('AT+S.RESET\r');
    return out.until('+WIND:0:Console active\r\n');
  }

  const fwupdate = (p: string, tls = 0, extra = '') => `AT+S.FWUPDATE=e,127.0.0.1,${p},${srv.port},${tls}${extra || ',,'}`;

  beforeEach(async () => {
    srv = await PacketServer.start();
  });

  afterEach(async () => {
    sim?.close();
    await srv.close();
  });

  it('downloads with status and progress lines, answers OK, and installs the packet at the next reset', async () => {
    await boot();
    srv.full('/fw.fota', packet('180101-abc1234', undefined, 40 * 1024));
    const answer = await command(fwupdate('/fw.fota'));
    assert.match(answer, /^AT-S\.Http Server Status Code:200\r\n(AT-S\.Loading:(100|[1-9]0)%\r\n)+AT-S\.OK\r\n$/);
    assert.ok(answer.includes('AT-S.Loading:100%\r\nAT-S.OK'), answer);
    assert.ok(sim.fota.packet, '/fw.fota kept until the next boot');
    assert.equal(sim.fota.firmware, OLD);
    const booted = await reset();
    assert.ok(booted.startsWith('+WIND:1:Poweron:180101-abc1234-SPWF04S\r\n'), booted);
    assert.equal(booted.split('+WIND:1:').length, 2, 'one boot sequence');
    assert.equal(sim.fota.firmware, '180101-abc1234-SPWF04S');
    assert.deepEqual(sim.fota.lastCheck, { installed: true, firmware: '180101-abc1234-SPWF04S', version: '180101-abc1234', encrypted: false, problems: [] });
    assert.equal(sim.fota.packet, undefined, 'consumed');
    await joined();
    const again = await reset();
    assert.ok(again.startsWith('+WIND:1:Poweron:180101-abc1234-SPWF04S'), 'the new firmware stays');
  });

  it('sends basic authentication when a user is given, and takes a path without its leading slash', async () => {
    await boot();
    srv.full('/a/fw.fota', packet('180101-abc1234', undefined, 1024));
    assert.ok((await command(fwupdate('a/fw.fota', 0, ',alice,s3cret'))).endsWith('AT-S.OK\r\n'));
    assert.deepEqual(srv.requests, [{ path: '/a/fw.fota', authorization: 'Basic ' + Buffer.from('alice:s3cret').toString('base64') }]);
  });

  it('keeps a downloaded packet across a power cycle and installs it at the next power-on', async () => {
    await boot();
    srv.full('/fw.fota', packet('180909-0000009', undefined, 1024));
    assert.ok((await command(fwupdate('/fw.fota'))).endsWith('AT-S.OK\r\n'));
    sim.powerOff();
    sim.powerOn();
    assert.ok((await out.until('+WIND:0:Console active\r\n')).includes('+WIND:1:Poweron:180909-0000009-SPWF04S\r\n'));
  });

  it('answers a 404 with its status line and ERROR:111, and keeps nothing', async () => {
    await boot();
    assert.equal(await command(fwupdate('/missing')), 'AT-S.Http Server Status Code:404\r\nAT-S.ERROR:111:Request failed\r\n');
    assert.equal(sim.fota.packet, undefined);
  });

  it('answers ERROR:111 when the server closes before the whole packet came; nothing is installed', async () => {
    await boot();
    const p = packet('180101-abc1234', undefined, 40 * 1024);
    srv.truncated('/cut', p, 20 * 1024);
    const answer = await command(fwupdate('/cut'));
    assert.match(answer, /^AT-S\.Http Server Status Code:200\r\n(AT-S\.Loading:\d+%\r\n)*AT-S\.ERROR:111:Request failed\r\n$/);
    assert.ok(!answer.includes('100%'));
    assert.equal(sim.fota.packet, undefined);
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:' + OLD));
    assert.equal(sim.fota.lastCheck, undefined, 'no packet was checked');
  });

  it('answers ERROR:74 when nothing listens, and ERROR:60 without a link', async () => {
    await boot();
    const port = srv.port;
    await srv.close();
    assert.equal(await command(`AT+S.FWUPDATE=e,127.0.0.1,/fw.fota,${port},0,,`), 'AT-S.ERROR:74:Failed to open socket\r\n');
    srv = await PacketServer.start();
    sim.close();
    sim = new SimModule({ timing: { ...INSTANT, fotaInstallMs: 0 } }); // factory settings: idle, no link
    out = new ModuleOutput(sim);
    sim.powerOn();
    await out.until('+WIND:32:WiFi Hardware Started');
    await command('AT+S.SCFG=console_echo,0');
    assert.equal(await command(fwupdate('/fw.fota')), 'AT-S.ERROR:60:IP not ready to send\r\n');
    assert.equal(srv.requests.length, 0);
  });

  it('refuses bad parameters', async () => {
    await boot();
    assert.equal(await command('AT+S.FWUPDATE=x,127.0.0.1,/fw.fota,80,0,,'), 'AT-S.ERROR:7:Invalid argument(s)\r\n');
    assert.equal(await command('AT+S.FWUPDATE=e,127.0.0.1,/fw.fota,80,3,,'), 'AT-S.ERROR:7:Invalid argument(s)\r\n');
    assert.equal(await command('AT+S.FWUPDATE=e'), 'AT-S.ERROR:2:Missing argument(s)\r\n');
  });

  it('fails the download on a link loss (ERROR:60 before +WIND:33) and on a reset (no answer), keeping the old firmware', async () => {
    await boot();
    const p = packet('180101-abc1234', undefined, 40 * 1024);
    const held = srv.held('/slow', p, 20 * 1024);
    sim.write(fwupdate('/slow') + '\r');
    await held.sent;
    await out.until('AT-S.Loading:');
    assert.ok(sim.fota.downloading);
    assert.equal(sim.loseLink(), true);
    const after = await out.until('+WIND:33:WiFi Network Lost\r\n');
    assert.match(after, /AT-S\.ERROR:60:IP not ready to send\r\n\+WIND:33:WiFi Network Lost\r\n$/);
    assert.equal(sim.fota.packet, undefined);
    await out.until('+WIND:24:WiFi Up:0:'); // the module rejoins by itself

    const held2 = srv.held('/slow2', p, 20 * 1024);
    sim.write(fwupdate('/slow2') + '\r');
    await held2.sent;
    await out.until('AT-S.Loading:');
    sim.hardReset();
    const booted = await out.until('+WIND:0:Console active\r\n');
    assert.ok(!booted.includes('AT-S.OK') && !booted.includes('AT-S.ERROR'), booted);
    assert.ok(booted.includes('+WIND:1:Poweron:' + OLD));
    assert.equal(sim.fota.downloading, false);
    assert.equal(sim.fota.packet, undefined);
  });

  it('keeps the old firmware for a tampered packet (hash mismatch)', async () => {
    await boot();
    const p = packet('180101-abc1234', undefined, 4096);
    p[140 + 100] ^= 0x01;
    srv.full('/bad', p);
    assert.ok((await command(fwupdate('/bad'))).endsWith('AT-S.OK\r\n'), 'the download itself succeeds');
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:' + OLD));
    assert.equal(sim.fota.lastCheck!.installed, false);
    assert.equal(sim.fota.lastCheck!.problems[0].code, 'hash-mismatch');
  });

  it('checks an encrypted packet with the saved aes128_key: none, wrong, then right (either case)', async () => {
    await boot();
    const key = randomBytes(16);
    const p = packet('180202-def5678', key, 4096);
    srv.full('/fw.sfota', p);
    await command(fwupdate('/fw.sfota'));
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:' + OLD));
    assert.equal(sim.fota.lastCheck!.problems[0].code, 'needs-key');

    await joined();
    await command('AT+S.SCFG=aes128_key,' + randomBytes(16).toString('hex'));
    await command('AT+S.WCFG');
    await command(fwupdate('/fw.sfota'));
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:' + OLD));
    assert.equal(sim.fota.lastCheck!.problems[0].code, 'auth-failed');

    await joined();
    await command('AT+S.SCFG=aes128_key,' + key.toString('hex').toUpperCase());
    await command(fwupdate('/fw.sfota'));
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:' + OLD), 'a key set but not saved (WCFG) is gone at the reset');

    await joined();
    await command('AT+S.SCFG=aes128_key,' + key.toString('hex').toUpperCase());
    await command('AT+S.WCFG');
    await command(fwupdate('/fw.sfota'));
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:180202-def5678-SPWF04S'));
    assert.equal(sim.fota.lastCheck!.encrypted, true);
  });

  it('installs ST\'s real 1.0.0 packet, leaving out the stray bytes of its version field', async function () {
    if (!fs.existsSync(REAL)) this.skip();
    await boot();
    srv.full('/real.fota', fs.readFileSync(REAL));
    const answer = await command(fwupdate('/real.fota'));
    assert.ok(answer.endsWith('AT-S.Loading:100%\r\nAT-S.OK\r\n'), answer);
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:170210-c3b6d33-SPWF04S\r\n'));
  });

  it('downloads over HTTPS trusting the TLSCERT CA, checking the dates at the module clock', async () => {
    const pki = testPki();
    await srv.close();
    srv = await PacketServer.start({ key: pki.key, cert: pki.cert });
    await boot({ ntp: { answers: false } });
    srv.full('/fw.fota', packet('180303-0a0b0c0', undefined, 4096));
    assert.equal(await command(fwupdate('/fw.fota', 2)), 'AT-S.Certificate Error\r\nAT-S.ERROR:74:Failed to open socket\r\n', 'no CA');
    sim.write(`AT+S.TLSCERT=ca,${pki.ca.length}\r${pki.ca}`);
    await out.until('AT-S.OK\r\n');
    assert.equal(await command(fwupdate('/fw.fota', 2)), 'AT-S.Certificate Error\r\nAT-S.ERROR:74:Failed to open socket\r\n', 'clock at 1970');
    sim.setClock(Math.floor(Date.now() / 1000));
    assert.ok((await command(fwupdate('/fw.fota', 2))).endsWith('AT-S.Loading:100%\r\nAT-S.OK\r\n'));
    assert.deepEqual(sim.tlsLog.map((e) => [e.role, e.ok]), [['fota', false], ['fota', false], ['fota', true]], 'the module\'s TLS verdicts');
    assert.match(sim.tlsLog[0]!.why!, /^verify: no CA in the module's TLS store/);
    assert.match(sim.tlsLog[1]!.why!, /^verify: .*module clock 1970-/);
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:180303-0a0b0c0-SPWF04S'));
  });

  /** An HTTPS server with this certificate (key: the PKI's), the PKI's CA in the module (TLSCERT). */
  async function httpsWith(cert: string, opts: SimOptions = {}): Promise<void> {
    const pki = testPki();
    await srv.close();
    srv = await PacketServer.start({ key: pki.key, cert });
    await boot({ ntp: { answers: false }, ...opts });
    sim.write(`AT+S.TLSCERT=ca,${pki.ca.length}\r${pki.ca}`);
    await out.until('AT-S.OK\r\n');
  }

  it('HTTPS compares <host> with the certificate\'s CN only: a subjectAltName naming it is refused (74), as HTTPGET', async () => {
    await httpsWith(testPki().sanOnly);
    sim.setClock(Math.floor(Date.now() / 1000));
    srv.full('/fw.fota', packet('180303-0a0b0c0', undefined, 4096));
    assert.equal(await command(fwupdate('/fw.fota', 2)), 'AT-S.Certificate Error\r\nAT-S.ERROR:74:Failed to open socket\r\n');
    const verdict = sim.tlsLog[sim.tlsLog.length - 1]!;
    assert.equal(verdict.role, 'fota');
    assert.match(verdict.why!, /^verify: name mismatch: the certificate's CN is "FOTA test server", expected "127\.0\.0\.1"$/);
    assert.equal(sim.fota.packet, undefined);
    assert.deepEqual(srv.requests, [], 'no request went out');
    // The module's other HTTPS path judges the same certificate the same way.
    assert.equal(await command(`AT+S.HTTPGET=127.0.0.1,/fw.fota,${srv.port},2`), 'AT-S.ERROR:74:Failed to open socket\r\n');
    assert.deepEqual(sim.tlsLog.slice(-1).map((e) => [e.role, e.why]), [['http', verdict.why]]);
  });

  it('HTTPS judges dates by the module clock only: a certificate expired by the desktop clock is accepted while the module clock is within it', async () => {
    await httpsWith(testPki().expired);
    srv.full('/fw.fota', packet('180303-0a0b0c0', undefined, 4096));
    sim.setClock(Math.floor(Date.now() / 1000));
    assert.equal(await command(fwupdate('/fw.fota', 2)), 'AT-S.Certificate Error\r\nAT-S.ERROR:74:Failed to open socket\r\n', 'expired at the module clock');
    assert.match(sim.tlsLog[sim.tlsLog.length - 1]!.why!, /^verify: .*module clock 20/);
    sim.setClock(EXPIRED_CERT_VALID_AT);
    const answer = await command(fwupdate('/fw.fota', 2));
    assert.ok(answer.startsWith('AT-S.Http Server Status Code:200\r\n') && answer.endsWith('AT-S.Loading:100%\r\nAT-S.OK\r\n'), answer);
    assert.deepEqual(sim.tlsLog[sim.tlsLog.length - 1], { role: 'fota', peer: '127.0.0.1:' + srv.port, ok: true });
    assert.ok((await reset()).startsWith('+WIND:1:Poweron:180303-0a0b0c0-SPWF04S'));
  });

  it('answers ERROR:111 when the server goes silent mid-download for timing.serviceTimeoutMs (as HTTPGET)', async () => {
    await boot({ timing: { serviceTimeoutMs: 300 } });
    const held = srv.held('/stalled', packet('180101-abc1234', undefined, 40 * 1024), 20 * 1024);
    sim.write(fwupdate('/stalled') + '\r');
    await held.sent;
    const answer = await out.until(/AT-S\.(OK|ERROR[^\r\n]*)\r\n/);
    assert.match(answer, /^AT-S\.Http Server Status Code:200\r\n(AT-S\.Loading:\d+%\r\n)*AT-S\.ERROR:111:Request failed\r\n$/);
    assert.equal(sim.fota.downloading, false);
    assert.equal(sim.fota.packet, undefined);
    held.release();
  });
});
