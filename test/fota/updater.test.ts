import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import * as at from '../../src/at/commands';
import { run } from '../../src/at/run';
import { FirmwareUpdater, type UpdateProgress, type UpdateState } from '../../src/fota/updater';
import type { SimOptions } from '../../hosts/sim/module';
import type { ConnectivityOptions } from '../../src/index';
import { simSession, upAndJoined, type SimSession } from '../helpers/sim-session';
import { nextEvent, PacketServer, packet, testPki } from './helpers';

// Firmware over the air end to end: the core (Connectivity.updateFirmware) drives the simulated module,
// which downloads packets made by the packet tool from a real HTTP(S) server on 127.0.0.1, checks them at
// the reset and boots the new firmware or keeps the old one. Real timers, FAST simulator timings.

const OLD = '171117-0328fe3-SPWF04S';

describe('fota: firmware update end to end against the simulator', function () {
  this.timeout(20000);
  let s: SimSession;
  let srv: PacketServer;
  /** Every line exchanged (secrets masked by the engine), whole. */
  let trace: string[];
  let states: UpdateState[];
  let progress: UpdateProgress[];

  function session(simOpts: SimOptions = {}, connOpts: ConnectivityOptions = {}): SimSession {
    trace = [];
    states = [];
    progress = [];
    s = simSession({ ...simOpts, timing: { fotaInstallMs: 1, ...(simOpts.timing || {}) } }, {
      trace: (d: string, t: string) => { trace.push(d + ' ' + t); },
      ...connOpts,
    });
    s.conn.fota.on('state', (st: UpdateState) => states.push(st));
    s.conn.fota.on('progress', (p: UpdateProgress) => progress.push(p));
    return s;
  }

  /** Resolves once the link is up (now or later). */
  const linkUp = (): Promise<unknown> => s.conn.link.state === 'up' ? Promise.resolve() : nextEvent<string>(s.conn.link, 'state', (st) => st === 'up');
  const sent = (prefix: string) => trace.filter((l) => l.startsWith('> ' + prefix));
  const target = (path: string, more: object = {}) => ({ host: '127.0.0.1', path, port: srv.port, ...more });

  /** Start an update of a packet the server sends slowly, and wait until its download is under way. */
  async function updateInMidDownload(): Promise<{ update: Promise<unknown>; held: ReturnType<PacketServer['held']> }> {
    const held = srv.held('/slow.fota', packet('180101-abc1234'), 24000);
    const moving = nextEvent<UpdateProgress>(s.conn.fota, 'progress', (p) => p.percent !== undefined);
    const update = s.conn.updateFirmware(target('/slow.fota'));
    update.catch(() => undefined);
    await held.sent;
    await moving;
    return { update, held };
  }

  beforeEach(async () => {
    srv = await PacketServer.start();
  });

  afterEach(async () => {
    s?.close();
    await srv.close();
  });

  it('plain packet: downloads with progress, resets, and reports the version change; the link comes back', async () => {
    session();
    await upAndJoined(s);
    assert.equal(s.conn.fota.firmware, OLD);
    srv.full('/fw/SPWF04S-180101-abc1234.fota', packet('180101-abc1234'));
    const back = nextEvent<string>(s.conn.link, 'state', (st) => st === 'up');
    const r = await s.conn.updateFirmware(target('/fw/SPWF04S-180101-abc1234.fota'));
    assert.deepEqual(r, { from: OLD, to: '180101-abc1234-SPWF04S' });
    assert.equal(s.sim.fota.firmware, '180101-abc1234-SPWF04S');
    assert.equal(s.conn.fota.firmware, '180101-abc1234-SPWF04S');
    assert.deepEqual(states, ['preparing', 'downloading', 'installing', 'done']);
    assert.equal(progress[0].line, 'AT-S.Http Server Status Code:200');
    assert.equal(progress[progress.length - 1].percent, 100);
    assert.deepEqual(sent('AT+S.FWUPDATE'), ['> AT+S.FWUPDATE=e,127.0.0.1,/fw/SPWF04S-180101-abc1234.fota,' + srv.port + ',0,,']);
    assert.equal(sent('AT+S.SCFG=aes128_key').length, 0, 'no key for a plain packet');
    assert.equal(s.conn.fota.busy(), false);
    await back; // the module rejoins by itself after the reset that installed
  });

  it('once an update has ended, the façade lets its updater go (the module leaves the cache); a later use makes another', async () => {
    // On the board the updater and the module spwf04-fota are about 370 variables: an update is rare.
    const freed: string[] = [];
    session({}, { release: (n: string) => { freed.push(n); } });
    await upAndJoined(s);
    freed.length = 0; // (the join's module, freed as the join settled)
    const lists = (s.conn.engine as any).windHandlers; // by class: 1 traffic, 2 the rest, 6 the time, 7 PowerOn
    const count = () => [1, 2, 6, 7].map((c) => (lists[c] || []).length);
    const first = s.conn.fota; // made by session()
    const following = count();
    srv.full('/a.fota', packet('180101-abc1234'));
    await s.conn.updateFirmware(target('/a.fota'));
    assert.deepEqual(freed, ['fota']);
    assert.equal((s.conn as any).made.fota, undefined, 'the façade forgot it');
    assert.deepEqual(count().map((n, i) => n - following[i]!), [0, -1, -1, -1], 'it no longer follows the indications');
    const next = s.conn.fota;
    assert.notEqual(next, first);
    assert.equal(next.firmware, '180101-abc1234-SPWF04S', 'the next one starts from the version the module runs');
    // The one let go, still held and used again, follows the indications again and knows the version.
    await linkUp();
    srv.full('/b.fota', packet('180202-0000002'));
    assert.deepEqual(await first.update(target('/b.fota')), { from: '180101-abc1234-SPWF04S', to: '180202-0000002-SPWF04S' });
  });

  it('the link\'s recovery is held off during the update: no loss reported, no recovery command; the module\'s own rejoin brings the link back', async () => {
    session();
    await upAndJoined(s);
    srv.full('/fw.fota', packet('180101-abc1234'));
    /** Link state events, with whether recovery was suspended when each came. */
    const seen: { state: string; info: any; suspended: string }[] = [];
    s.conn.link.on('state', (st: string, info: any) => seen.push({ state: st, info, suspended: s.conn.link.recoverySuspended }));
    let suspendedWhileInstalling = '';
    s.conn.fota.on('state', (st: UpdateState) => { if (st === 'installing') suspendedWhileInstalling = s.conn.link.recoverySuspended; });
    const from = trace.length;
    const r = await s.conn.updateFirmware(target('/fw.fota'));
    assert.deepEqual(r, { from: OLD, to: '180101-abc1234-SPWF04S' });
    assert.equal(suspendedWhileInstalling, 'firmware update');
    assert.equal(s.conn.link.recoverySuspended, '', 'resumed when the update ended');
    await linkUp();
    assert.ok(s.conn.link.ip, 'an address again');
    assert.equal(s.sim.wifiState, 10);
    assert.equal(seen.filter((e) => e.suspended).length, 0, 'no link event at all while the updater owned the module');
    assert.deepEqual(seen.map((e) => e.state), ['joining', 'up'], 'the module rejoined by itself: no lost, no recovering');
    assert.deepEqual(seen[0]!.info, { ssid: 'SPWF-Lab', security: 'wpa2-psk', after: 'firmware update' });
    const commands = trace.slice(from).filter((l) => l.startsWith('> ')).map((l) => l.substring(2));
    assert.deepEqual(commands, ['AT+S.FWUPDATE=e,127.0.0.1,/fw.fota,' + srv.port + ',0,,', 'AT+S.RESET', 'AT+S.SCFG=console_echo,0'],
      'the update\'s commands and the re-initialisation after the restart (echo off): no recovery step');
    assert.equal(s.logs.filter((l) => /recovery: /.test(l.message)).length, 0);
  });

  it('a link loss that fails the download: reported once the update has ended, and recovered from as usual', async () => {
    session();
    await upAndJoined(s);
    const seen: { state: string; info: any; suspended: string }[] = [];
    s.conn.link.on('state', (st: string, info: any) => seen.push({ state: st, info, suspended: s.conn.link.recoverySuspended }));
    const { update } = await updateInMidDownload();
    const from = trace.length;
    assert.equal(s.sim.loseLink(), true);
    await assert.rejects(update, (e: any) => e.code === 'LinkDown');
    await nextEvent<string>(s.conn.link, 'state', (st) => st === 'up');
    assert.equal(seen.filter((e) => e.suspended).length, 0, 'nothing reported while the updater owned the module');
    assert.deepEqual(seen.map((e) => e.state), ['lost', 'recovering', 'up']);
    assert.deepEqual(seen[0]!.info, { cause: 'network-lost' });
    assert.equal(seen[1]!.info.step, 'wait', 'normal recovery: first the wait for the module\'s own rejoin');
    assert.deepEqual(trace.slice(from).filter((l) => /^> AT\+S\.(WIFI|RESET)/.test(l)), [], 'no recovery command was needed');
  });

  it('encrypted packet with the right key: the key is written (masked) and saved once; a second update with it does not write it again', async () => {
    session();
    await upAndJoined(s);
    const key = randomBytes(16);
    const hex = key.toString('hex');
    srv.full('/v2.sfota', packet('180202-0000002', key));
    srv.full('/v3.sfota', packet('180303-0000003', key));
    assert.deepEqual(await s.conn.updateFirmware(target('/v2.sfota', { key: hex })), { from: OLD, to: '180202-0000002-SPWF04S' });
    assert.deepEqual(sent('AT+S.SCFG=aes128_key'), ['> AT+S.SCFG=aes128_key,********']);
    assert.equal(trace.filter((l) => l.toLowerCase().includes(hex)).length, 0, 'the key never appears in the trace');
    assert.equal(s.sim.savedConfigValue('aes128_key'), hex);
    assert.ok(s.host.storage!.read('fota-key'), 'a salted digest of the key is kept');
    assert.ok(!s.host.storage!.read('fota-key')!.includes(hex));
    await linkUp();

    const r = await s.conn.updateFirmware(target('/v3.sfota', { key: hex.toUpperCase() }));
    assert.deepEqual(r, { from: '180202-0000002-SPWF04S', to: '180303-0000003-SPWF04S' });
    assert.equal(sent('AT+S.SCFG=aes128_key').length, 1, 'the same key is not written again');
    assert.equal(sent('AT+S.WCFG').length, 2, 'one WCFG by the join, one for the key');
    await linkUp();

    // The same key as 16 raw bytes (a byte string): the same aes128_key, so not written again either.
    srv.full('/v4.sfota', packet('180404-0000004', key));
    const raw = await s.conn.updateFirmware(target('/v4.sfota', { key: key.toString('latin1') }));
    assert.deepEqual(raw, { from: '180303-0000003-SPWF04S', to: '180404-0000004-SPWF04S' });
    assert.equal(sent('AT+S.SCFG=aes128_key').length, 1, 'raw bytes are the same key as their hex');
  });

  it('a raw 16-byte key is written to aes128_key as its 32 hex digits', async () => {
    session();
    await upAndJoined(s);
    const key = randomBytes(16);
    srv.full('/raw.sfota', packet('180505-0000005', key));
    assert.deepEqual(await s.conn.updateFirmware(target('/raw.sfota', { key: key.toString('latin1') })), { from: OLD, to: '180505-0000005-SPWF04S' });
    assert.equal(s.sim.savedConfigValue('aes128_key'), key.toString('hex'));
  });

  it('tampered packet: the module keeps its old firmware and the update fails with FirmwareRejected', async () => {
    session();
    await upAndJoined(s);
    const p = packet('180101-abc1234');
    p[140 + 1000] ^= 0x80;
    srv.full('/tampered.fota', p);
    await assert.rejects(s.conn.updateFirmware(target('/tampered.fota')), (e: any) => {
      assert.equal(e.code, 'FirmwareRejected');
      assert.match(e.message, /rejected the new firmware and kept its old firmware 171117-0328fe3-SPWF04S/);
      return true;
    });
    assert.equal(s.sim.fota.firmware, OLD);
    assert.equal(s.sim.fota.lastCheck!.problems[0].code, 'hash-mismatch');
    assert.equal(sent('AT+S.RESET').length, 2, 'the join\'s reset and the one that tried to install');
    assert.deepEqual(states.slice(-2), ['installing', 'failed']);
    assert.equal(s.conn.fota.busy(), false);
  });

  it('wrong key: the module keeps its old firmware; the key record is forgotten so the next attempt writes the key again', async () => {
    session();
    await upAndJoined(s);
    const p = packet('180404-0000004', randomBytes(16));
    srv.full('/fw.sfota', p);
    const wrong = randomBytes(16).toString('hex');
    await assert.rejects(s.conn.updateFirmware(target('/fw.sfota', { key: wrong })), (e: any) => {
      assert.equal(e.code, 'FirmwareRejected');
      assert.match(e.message, /kept its old firmware 171117-0328fe3-SPWF04S .*wrong AES key/);
      assert.ok(e.reasons.some((r: string) => /aes128_key/.test(r)));
      return true;
    });
    assert.equal(s.sim.fota.lastCheck!.problems[0].code, 'auth-failed');
    assert.equal(s.sim.fota.firmware, OLD);
    assert.equal(s.host.storage!.read('fota-key'), undefined);

    await linkUp();
    assert.deepEqual(sent('AT+S.SCFG=aes128_key'), ['> AT+S.SCFG=aes128_key,********']);
    await assert.rejects(s.conn.updateFirmware(target('/fw.sfota', { key: wrong })), (e: any) => e.code === 'FirmwareRejected');
    assert.equal(sent('AT+S.SCFG=aes128_key').length, 2, 'written again after a rejection: no stale record');
  });

  it('truncated download (the server closes early): a download error with the module\'s code, nothing installed, no reset', async () => {
    session();
    await upAndJoined(s);
    const p = packet('180101-abc1234');
    srv.truncated('/cut.fota', p, 20000);
    await assert.rejects(s.conn.updateFirmware(target('/cut.fota')), (e: any) => {
      assert.equal(e.code, 'ModuleError');
      assert.equal(e.moduleCode, 111);
      assert.match(e.message, /^firmware download failed: module error 111: Request failed/);
      assert.match(e.message, /nothing was installed/);
      return true;
    });
    assert.equal(sent('AT+S.RESET').length, 1, 'only the join\'s reset: no install was attempted');
    assert.equal(s.sim.fota.firmware, OLD);
    assert.equal(s.sim.fota.packet, undefined);
    assert.deepEqual(states, ['preparing', 'downloading', 'failed']);
  });

  it('link loss during the download: LinkDown, nothing installed; other operations are refused (Busy) while it runs', async () => {
    session();
    await upAndJoined(s);
    const { update } = await updateInMidDownload();
    assert.equal(s.conn.fota.busy(), true);
    await assert.rejects(s.conn.updateFirmware(target('/slow.fota')), (e: any) => e.code === 'Busy' && /firmware update in progress/.test(e.message));
    await assert.rejects(s.conn.open('127.0.0.1', 1, 't'), (e: any) => e.code === 'Busy');
    await assert.rejects(s.conn.listen(8080, 't'), (e: any) => e.code === 'Busy');
    assert.equal(s.sim.loseLink(), true);
    await assert.rejects(update, (e: any) => {
      assert.equal(e.code, 'LinkDown');
      assert.match(e.message, /link was lost during the firmware download/);
      return true;
    });
    assert.equal(sent('AT+S.RESET').length, 1);
    assert.equal(s.sim.fota.firmware, OLD);
    assert.equal(s.conn.fota.busy(), false);
  });

  it('link loss from the access point going off the air: LinkDown as well', async () => {
    session();
    await upAndJoined(s);
    const { update } = await updateInMidDownload();
    s.sim.network.takeDown('SPWF-Lab');
    await assert.rejects(update, (e: any) => e.code === 'LinkDown');
    assert.equal(s.sim.fota.firmware, OLD);
  });

  it('module reset during the download: ModuleReset, the download is lost, the old firmware runs', async () => {
    session();
    await upAndJoined(s);
    const { update, held } = await updateInMidDownload();
    s.sim.hardReset();
    await assert.rejects(update, (e: any) => {
      assert.equal(e.code, 'ModuleReset');
      assert.match(e.message, /^the module reset during the firmware download: the download is lost: nothing was installed; it runs 171117-0328fe3-SPWF04S$/);
      return true;
    });
    held.release();
    assert.equal(s.sim.fota.packet, undefined);
    assert.equal(s.sim.fota.firmware, OLD);
    assert.equal(sent('AT+S.RESET').length, 1);
  });

  it('link down: refused before anything is sent', async () => {
    session();
    await s.conn.start();
    srv.full('/fw.fota', packet('180101-abc1234'));
    await assert.rejects(s.conn.updateFirmware(target('/fw.fota', { key: randomBytes(16).toString('hex') })), (e: any) => e.code === 'LinkDown');
    assert.equal(sent('AT+S.FWUPDATE').length, 0);
    assert.equal(sent('AT+S.SCFG=aes128_key').length, 0);
    assert.equal(srv.requests.length, 0);
    assert.deepEqual(states, []);
  });

  it('TLS with the module clock not good: TimeNotSet before FWUPDATE is sent', async () => {
    session({ ntp: { answers: false } }, { clock: { waitMs: 200, pollMs: 50 } });
    await upAndJoined(s);
    await assert.rejects(s.conn.updateFirmware(target('/fw.fota', { tls: 2 })), (e: any) => e.code === 'TimeNotSet');
    assert.equal(sent('AT+S.FWUPDATE').length, 0);
    assert.ok(sent('AT+S.TIME').length > 0, 'the clock was asked');
    assert.equal(srv.requests.length, 0);
    assert.deepEqual(states, ['preparing', 'failed']);
  });

  it('HTTPS with the server CA in the module and a good clock: installs', async () => {
    const pki = testPki();
    await srv.close();
    srv = await PacketServer.start({ key: pki.key, cert: pki.cert });
    session({ ntp: { answers: false } }, { clock: { trustHostClock: true } });
    await upAndJoined(s);
    await run(s.conn.engine, () => at.certStore('TLSCERT', 'ca', pki.ca));
    srv.full('/fw.fota', packet('180505-0000005'));
    const r = await s.conn.updateFirmware(target('/fw.fota', { tls: 2 }));
    assert.deepEqual(r, { from: OLD, to: '180505-0000005-SPWF04S' });
    assert.ok(sent('AT+S.TIME=').length === 1, 'the clock was set from the trusted host clock');
  });

  it('an updater that saw no Poweron needs `version`, and then judges by it', async () => {
    session();
    await upAndJoined(s);
    const late = new FirmwareUpdater(s.conn.engine, () => s.conn.link.state === 'up', () => Promise.resolve(), undefined, () => undefined);
    srv.full('/fw.fota', packet('180606-0000006'));
    await assert.rejects(late.update(target('/fw.fota')), (e: any) => e.code === 'NotReady' && /version/.test(e.message));
    assert.equal(sent('AT+S.FWUPDATE').length, 0);
    await assert.rejects(late.update(target('/fw.fota', { version: '180707-0000007' })), (e: any) => {
      assert.equal(e.code, 'FirmwareRejected');
      assert.equal(e.message, 'the module booted 180606-0000006-SPWF04S, not 180707-0000007');
      return true;
    });
    await linkUp();
    srv.full('/fw8.fota', packet('180808-0000008'));
    assert.deepEqual(await late.update(target('/fw8.fota', { version: '180808-0000008' })), { from: '180606-0000006-SPWF04S', to: '180808-0000008-SPWF04S' });
  });

  it('refuses bad options at once', async () => {
    session();
    await upAndJoined(s);
    await assert.rejects(s.conn.updateFirmware(target('/fw.fota', { key: 'abc' })), (e: any) =>
      e.code === 'InvalidParameter' && /the key is 3 characters: an AES-128 key is 16 bytes or 32 hex digits/.test(e.message));
    await assert.rejects(s.conn.updateFirmware(target('/fw.fota', { key: 'x'.repeat(32) })), (e: any) =>
      e.code === 'InvalidParameter' && /character 1 is not a hex digit/.test(e.message) && !e.message.includes('xx'));
    await assert.rejects(s.conn.updateFirmware(target('/a,b')), (e: any) => e.code === 'InvalidParameter');
    await assert.rejects(s.conn.updateFirmware({ host: '', path: '/x' }), (e: any) => e.code === 'InvalidParameter');
    assert.equal(sent('AT+S.FWUPDATE').length, 0);
  });
});
