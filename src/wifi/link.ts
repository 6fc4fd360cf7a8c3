// The Wi-Fi link: joins a network in every security mode of the module (application note 3.2: open,
// WPA2-PSK, WPS push button and PIN, WPA2-Enterprise with EAP-TLS, TTLS and PEAP), writing only what the
// module does not hold yet, and keeps the link up afterwards.
//
// State machine, driven only by +WIND indications, the engine's state and timeouts:
//   down -> joining -> up -> lost -> recovering -> up ...      (any) -> failed (with a reason)
// Recovery escalates, one step per attempt, with a capped exponential backoff and jitter between attempts:
//   wait for the module's own rejoin -> rejoin (radio off/on) -> AT+S.RESET -> reset pin -> wait ...
// A module fault (+WIND:8 hard fault, +WIND:5 hardware failure, a console that stopped answering) makes
// the next step a reset: the pin when it is usable, else AT+S.RESET (the IDW04A1 reset-pin defect: a pulse
// that brings no Poweron marks the pin unusable). After every module restart (+WIND:1, expected or not, a
// watchdog reset included) the link re-initialises it: the onBoot hook (the façade turns echo off), then,
// for WPA2-Enterprise with date checks, the module's clock, which restarts at 1970 with the module.
// Hand-off: whoever resets the module or drops its link on purpose (the firmware updater) calls
// suspendRecovery(reason) first and resumeRecovery() after; in between, a loss is neither reported nor
// recovered from (re-initialisation after a restart still runs), and the link settles it at the resume.

import { Engine, EngineState } from '../at/engine';
import { WindEvent } from '../at/wind';
import { Host } from '../host';
import * as at from '../at/commands';
import { parseVar, parseWpsPin } from '../at/parse';
import { run } from '../at/run';
import { spwfError, SpwfError, ErrorCode, isSpwfError } from '../errors';
import { Emitter } from '../util/emitter';
import { ModuleClock } from '../time/module-clock';
import { BackoffOptions, backoffDelay } from './backoff';
import { changedSettings, digest, readRecord, salt, sequence, writeCommand, writeRecord } from './configure';
import { EapCertificates, recordedCertificates } from './eap-certs';
import { checkNetwork, Network, securityOf, settingsOf } from './profile';
import { wpsPin } from './wps';

export type { Network, PskNetwork, EapCredentials, EapMethod } from './profile';
export { storeCertificates } from './eap-certs';
export type { EapCertificates, EapItems } from './eap-certs';
export type { BackoffOptions } from './backoff';

export type LinkState = 'down' | 'joining' | 'up' | 'lost' | 'recovering' | 'failed';

/** Why a join (or a recovery) failed, in terms a user can act on. */
export type FailReason =
  | 'wrong-passphrase' | 'network-not-found' | 'association-failed' | 'no-address' | 'security-mismatch'
  | 'eap-rejected' | 'certificate-rejected' | 'time-not-set' | 'wps-timeout' | 'module-not-answering' | 'module-error';

/** Why an up link went down. */
export type LostCause =
  | 'network-lost' | 'deauthenticated' | 'disassociated' | 'radio-off' | 'module-restarted' | 'hard-fault'
  | 'module-not-answering';

export type RecoveryStep = 'wait' | 'rejoin' | 'soft-reset' | 'hard-reset';

/** A failed join: an SpwfError (JoinFailed, CertRejected, TimeNotSet, Timeout…) with its reason. */
export interface JoinError extends SpwfError {
  reason: FailReason;
}

export interface LinkOptions {
  /** How long a join may take until WiFi Up (WCFG + RESET -> WiFi Up); mbed uses 60 s. Also the time a
   *  recovery step is given. */
  joinTimeoutMs?: number;
  /** Refusals (deauthentications, WPA terminations, rejected networks) within one attempt that mean the
   *  credentials are wrong; mbed uses 3. */
  maxDeauths?: number;
  /** How long recovery waits for the module's own rejoin (default 30 s, mbed's network-lost wait). */
  ownRejoinMs?: number;
  /** The waits between recovery attempts (default 2 s doubling up to 5 min, half of it random). */
  backoff?: BackoffOptions;
  /** The random source of the jitter, [0, 1) (default Math.random): inject one for deterministic tests. */
  random?: () => number;
  /** A link up this long starts the next recovery from its first step (default 60 s). */
  stableMs?: number;
  /** An engine resynchronising this long means the module stopped answering (default 10 s). */
  silentAfterMs?: number;
  /** false: never touch the reset pin (IDW04A1 boards without the WIFI_RST fix), AT+S.RESET instead. */
  useResetPin?: boolean;
  /** Reset pulse length (default 200 ms). */
  resetPulseMs?: number;
  /** A pulse that brings no +WIND:1 within this marks the pin unusable (default 8 s, mbed's boot wait). */
  bootWaitMs?: number;
  /** The WPS walk time added to the join timeout (default 2 min, application note 2.1.1). */
  wpsWalkMs?: number;
  /** Run after every module restart, before anything else of the link (the façade turns echo off). */
  onBoot?: () => Promise<any>;
  /** The module-clock gate (the façade's); without one, the link makes its own when WPA2-Enterprise needs
   *  it, trusting the host clock when `trustHostClock`. */
  moduleClock?: ModuleClock;
  trustHostClock?: boolean;
  /** How WPA2-Enterprise certificates reach the module (default: uploaded when they differ from the record
   *  kept in host storage or from the module's listing; storeCertificates() goes through the certificate
   *  store and provisioner instead). */
  certificates?: EapCertificates;
}

const LADDER: RecoveryStep[] = ['wait', 'rejoin', 'soft-reset', 'hard-reset'];
/** Failures the module would repeat forever: its radio is switched off (a RADIUS server may lock an
 *  account that keeps failing). */
const STOP_RADIO: FailReason[] = ['wrong-passphrase', 'eap-rejected', 'certificate-rejected', 'time-not-set', 'security-mismatch'];

function noop(): void {}
function wifiOff() { return at.wifi(false); }
function wifiOn() { return at.wifi(true); }

// reason: [what happened, what to do]
const HOW: { [reason: string]: string[] } = {
  'wrong-passphrase': ['the access point refused the passphrase', 'wrong passphrase'],
  'network-not-found': [' not found', 'is the access point on and in range, the SSID exact?'],
  'association-failed': ['association failed', 'the access point refused the station'],
  'no-address': ['no IP address obtained', 'DHCP gave no address'],
  'security-mismatch': ['the network has another security mode', 'open, WPA2-PSK or WPA2-Enterprise?'],
  'eap-rejected': ['the RADIUS server rejected the credentials', 'check identity, password and EAP method'],
  'time-not-set': ["the module's clock is not set: certificate dates cannot be checked",
    'set it (clock.set), trust the host clock, or skip date checks explicitly (eap.skipDateChecks)'],
  'wps-timeout': ['WPS: no access point answered within the walk time', 'press the WPS button (or enter the PIN) on the access point within 2 minutes'],
};

/** The error of a failed join. `side`: for certificate-rejected, whose certificate ('server' | 'client'). */
export function joinFailure(reason: FailReason, ssid: string | undefined, side?: string): JoinError {
  const how = HOW[reason] || ['', ''];
  let msg = how[0];
  let why = how[1];
  let code: ErrorCode = reason === 'time-not-set' ? 'TimeNotSet' : 'JoinFailed';
  if (reason === 'network-not-found') msg = 'network "' + ssid + '"' + msg;
  if (reason === 'certificate-rejected') {
    code = 'CertRejected';
    msg = side === 'client' ? 'the RADIUS server rejected the client certificate' : "the module rejected the RADIUS server's certificate";
    why = side === 'client' ? 'issued by a CA the server trusts? its key? its dates?' : "issued by the CA given (eap.ca)? valid at the module's time?";
  }
  const e = spwfError(code, 'join failed: ' + msg, { reasons: [why] }) as JoinError;
  e.reason = reason;
  return e;
}

export class Link extends Emitter {
  state: LinkState = 'down';
  ip = '';
  ipv6 = '';
  /** The network of the last join; recovery keeps it (WPA2-Enterprise: the clock after a restart). */
  network: Network | null = null;
  private wanted = false;
  private joining = false;
  /** The join's wait for WiFi Up. */
  private done: ((err: SpwfError | null) => void) | null = null;
  /** Timers by slot: join, step, grace, silent, pulse, boot, wind. */
  private t: { [slot: string]: any } = {};
  private windWait: { kind: string; resolve: () => void } | null = null;
  private attempt = 0;
  private upAt = -1;
  private fault = false;
  private expectBoot = false;
  private needInit = false;
  private pinBroken = false;
  private refusals = 0;
  private lastRefusal: WindEvent | null = null;
  private sawJoin = false;
  private sawAssoc = false;
  /** Why recovery is suspended (suspendRecovery), '' when it is not. */
  private suspendedFor = '';
  /** The last loss seen while suspended and not reported (cleared when the link comes back). */
  private held: LostCause | null = null;
  /** A recovery was under way (or asked for) while suspended: it goes on at the resume. */
  private deferred = false;
  /** Module seconds minus host seconds, from the last good reading of the module's clock. */
  private timeOffset: number | undefined = undefined;
  private mc: ModuleClock | null;
  private certs: EapCertificates | null;
  private joinTimeoutMs: number;
  private maxRefusals: number;
  private ownRejoinMs: number;
  private stableMs: number;
  private silentAfterMs: number;
  private pulseMs: number;
  private bootWaitMs: number;
  private wpsWalkMs: number;
  private backoff: BackoffOptions;
  private random: () => number;
  private o: LinkOptions;

  constructor(private engine: Engine, private host: Host, opts?: LinkOptions) {
    super();
    const o = this.o = opts || {};
    this.joinTimeoutMs = o.joinTimeoutMs || 60000;
    this.maxRefusals = o.maxDeauths || 3;
    this.ownRejoinMs = o.ownRejoinMs || 30000;
    this.stableMs = o.stableMs || 60000;
    this.silentAfterMs = o.silentAfterMs || 10000;
    this.pulseMs = o.resetPulseMs || 200;
    this.bootWaitMs = o.bootWaitMs || 8000;
    this.wpsWalkMs = o.wpsWalkMs || 120000;
    this.backoff = o.backoff || {};
    this.random = o.random || Math.random;
    this.mc = o.moduleClock || null;
    this.certs = o.certificates || null;
    const self = this;
    engine.onWind(function (ev) { self.onWind(ev); });
    engine.onState(function (s) { self.onEngine(s); });
  }

  /**
   * Join a network (see Network for each mode). Resolves with the IPv4 address once the link is up; rejects
   * with a JoinError whose `reason` says what to fix. Settings the module already holds are not written.
   */
  join(net: Network): Promise<string> {
    const self = this;
    const err = checkNetwork(net);
    if (err) return Promise.reject(err);
    if (this.joining) return Promise.reject(spwfError('Busy', 'a join is already in progress'));
    this.disarm('step');
    this.disarm('grace');
    this.joining = true;
    this.wanted = true;
    this.network = net;
    this.ip = '';
    this.ipv6 = '';
    this.enter('joining', { ssid: net.ssid, security: securityOf(net) });
    return this.prepare(net)
      .then(function () { return net.wps ? self.joinWps(net) : self.configure(net); })
      .then(function () {
        self.joining = false;
        return self.ip;
      }, function (e) {
        self.joining = false;
        if (self.state !== 'down') self.failed(e);
        throw e;
      });
  }

  /** Drop the link and stop keeping it up: recovery ends, the radio is switched off. */
  leave(): Promise<void> {
    if (this.joining) return Promise.reject(spwfError('Busy', 'a join is in progress'));
    this.halt();
    this.ip = '';
    this.ipv6 = '';
    this.enter('down');
    return run(this.engine, wifiOff).then(noop);
  }

  /** Cancel everything (the engine stopped). */
  stop(): void {
    const d = this.done;
    this.halt();
    this.enter('down');
    if (d) d(spwfError('Stopped', 'link stopped'));
  }

  /**
   * The module is taken over by someone who resets it or drops its link on purpose (the firmware updater,
   * around its download and install). Until resumeRecovery(), a loss — a module restart included — is
   * neither reported ('lost', 'recovering') nor recovered from: no recovery command is sent, and a recovery
   * under way pauses. The state stays as it is; the addresses are cleared when the link goes down. What
   * still runs: the re-initialisation after a restart (onBoot, the WPA2-Enterprise clock), which the module's
   * own rejoin needs, and a WiFi Up ('address' on an up link). Not nested: one owner at a time.
   */
  suspendRecovery(reason: string): void {
    this.suspendedFor = reason || 'suspended';
    this.host.log('info', 'link recovery suspended: ' + this.suspendedFor);
    this.disarm('grace');
    if (this.state === 'lost' || this.state === 'recovering') {
      this.disarm('step');
      this.deferred = true;
    }
  }

  /**
   * The module is the link's again. Up (or back up meanwhile): nothing to do. Down after a module restart
   * (the one that installs new firmware): the module rejoins by itself from its saved settings, so the link
   * enters 'joining' (info `{ ssid, security, after: <reason> }`, no loss reported) and gives it ownRejoinMs;
   * WiFi Up makes it 'up' again; without one by then, the loss is reported ('lost', 'module-restarted') and
   * recovery goes on from the step after that wait. Down for another cause (network lost, deauthenticated,
   * radio off, a fault): the loss is reported now and recovery starts as usual. A paused recovery goes on.
   */
  resumeRecovery(): void {
    const reason = this.suspendedFor;
    if (!reason) return;
    const self = this;
    const held = this.held;
    const deferred = this.deferred;
    this.host.log('info', 'link recovery resumed (' + reason + ')' + (held ? ': the link went down (' + held + ')' : ''));
    this.suspendedFor = '';
    this.held = null;
    this.deferred = false;
    if (this.state === 'up') {
      if (held === 'module-restarted') {
        const n = this.network;
        this.enter('joining', { ssid: n ? n.ssid : undefined, security: n ? securityOf(n) : undefined, after: reason });
        this.arm('grace', this.ownRejoinMs, function () {
          if (self.state === 'joining' && !self.joining) self.report('module-restarted', true);
        });
      } else if (held) {
        this.report(held, false);
      }
    } else if (deferred && (this.state === 'lost' || this.state === 'recovering')) {
      this.schedule();
    }
  }

  /** Why recovery is suspended now, or '' (see suspendRecovery). */
  get recoverySuspended(): string {
    return this.suspendedFor;
  }

  // ---- joining -------------------------------------------------------------------------------------

  /** WPA2-Enterprise: the module's clock (unless date checks are skipped) and the certificates. */
  private prepare(net: Network): Promise<void> {
    const e = net.eap;
    if (!e) return Promise.resolve();
    const log = this.host.log;
    if (!e.ca && e.method !== 'tls') log('warn', 'WPA2-Enterprise without a RADIUS CA: the server is not authenticated');
    if (!this.needsTime()) log('warn', 'WPA2-Enterprise: certificate date checks are skipped (wifi_eap_skip_datechecks=1), as asked');
    const self = this;
    return (this.needsTime() ? this.ensureTime() : Promise.resolve()).then(function () {
      return self.certificates().provide({ ca: e.ca, cert: e.cert, key: e.key });
    });
  }

  /** Application note 3.2.1 / 3.2.2: radio off, SCFG… and SSIDTXT for what differs, radio on, WCFG, RESET,
   *  then WiFi Up. Nothing differs: no write; up already, or a radio off/on to rejoin. */
  private configure(net: Network): Promise<void> {
    const self = this;
    const e = this.engine;
    const settings = settingsOf(net, !!net.eap && !this.needsTime());
    const st = this.host.storage;
    const rec = readRecord(st);
    const held = !!rec.c && rec.c === digest(rec.s, settings);
    return changedSettings(e, settings, held).then(function (diff): Promise<any> {
      if (!diff.length) return self.unchanged();
      const cmds = [wifiOff].concat(diff.map(writeCommand), [wifiOn, at.wcfg]);
      return sequence(e, cmds).then(function () {
        if (!rec.s) rec.s = salt();
        rec.c = digest(rec.s, settings);
        if (st && !writeRecord(st, rec)) self.host.log('warn', 'could not record the Wi-Fi settings');
        return self.resetAndWait();
      });
    });
  }

  private unchanged(): Promise<any> {
    const self = this;
    this.host.log('info', 'Wi-Fi settings unchanged: nothing written');
    return run(this.engine, function () { return at.sts('ip_ipaddr'); }).then(function (res) {
      const ip = parseVar(res, 'ip_ipaddr');
      if (ip && ip !== '0.0.0.0') {
        self.ip = ip;
        self.setUp();
        return undefined;
      }
      const up = self.wait(self.joinTimeoutMs);
      return sequence(self.engine, [wifiOff, wifiOn]).then(function () { return up; });
    });
  }

  private resetAndWait(): Promise<void> {
    const up = this.wait(this.joinTimeoutMs);
    up.then(null, noop); // consumed below; no unhandled rejection while RESET runs
    return this.softReset().then(function () { return up; });
  }

  /** Application note 3.2.1.1: station mode, radio on, AT+S.WPS=<0|1|2>; the PIN goes to 'wps-pin'. After
   *  WiFi Up the credentials the module obtained are saved (WCFG). */
  private joinWps(net: Network): Promise<void> {
    const self = this;
    const e = this.engine;
    const mode = net.wps === 'button' ? 0 : net.pin ? 1 : 2;
    const full = net.pin ? wpsPin(net.pin) : undefined;
    if (mode) this.host.log('warn', 'WPS PIN mode is weak: the PIN falls in about 11000 attempts (AN 2.1.1); prefer the push button');
    return changedSettings(e, settingsOf(net), true).then(function (diff) {
      const cmds = [wifiOff].concat(diff.map(writeCommand));
      if (full) cmds.push(function () { return at.scfg('wifi_wps_pin', full.substring(0, 7)); });
      return sequence(e, cmds);
    }).then(function () {
      const started = self.waitWind('HardwareStarted', self.bootWaitMs);
      return run(e, wifiOn).then(function () { return started; });
    }).then(function () {
      const up = self.wait(self.joinTimeoutMs + self.wpsWalkMs);
      up.then(null, noop);
      return run(e, function () { return at.wps(mode); }).then(function (res) {
        if (mode) self.emit('wps-pin', { pin: parseWpsPin(res) || full, generated: mode === 2 });
        return up;
      });
    }).then(function () {
      // Credentials the host does not know: the next join with a passphrase writes everything again.
      self.forgetSettings();
      return run(e, at.wcfg).then(noop);
    });
  }

  /** Resolves at WiFi Up; fails with the reason seen, or at the timeout. */
  private wait(ms: number): Promise<void> {
    const self = this;
    this.newAttempt();
    return new Promise<void>(function (resolve, reject) {
      self.done = function (err) {
        if (err) reject(err);
        else resolve();
      };
      self.arm('join', ms, function () {
        const n = self.network;
        if (n && n.wps) self.fail('wps-timeout');
        else if (self.lastRefusal) self.refused(self.lastRefusal, true);
        else self.fail(!self.sawJoin ? 'network-not-found' : !self.sawAssoc ? 'association-failed' : 'no-address');
      });
    });
  }

  private endWait(): void {
    this.done = null;
    this.disarm('join');
  }

  /** Resolves at the indication, or after ms anyway. */
  private waitWind(kind: string, ms: number): Promise<void> {
    const self = this;
    return new Promise<void>(function (resolve) {
      self.windWait = { kind: kind, resolve: resolve };
      self.arm('wind', ms, function () {
        self.windWait = null;
        resolve();
      });
    });
  }

  private newAttempt(): void {
    this.refusals = 0;
    this.lastRefusal = null;
    this.sawJoin = false;
    this.sawAssoc = false;
  }

  private fail(reason: FailReason, side?: string): void {
    const n = this.network;
    const err = joinFailure(reason, n ? n.ssid : undefined, side);
    if (reason === 'wrong-passphrase') err.reasons![0] += ' (' + this.refusals + ' deauthentications during the handshake)';
    const done = this.done;
    this.endWait();
    if (STOP_RADIO.indexOf(reason) >= 0) {
      // The module would retry the same credentials forever; so would a recovery.
      this.forgetSettings();
      run(this.engine, wifiOff).then(noop, noop);
    }
    if (done) done(err);
    else this.failed(err);
  }

  /** The module's settings are no longer known: the next join writes them all. */
  private forgetSettings(): void {
    const st = this.host.storage;
    const rec = readRecord(st);
    if (rec.c) {
      delete rec.c;
      writeRecord(st, rec);
    }
  }

  private failed(err: any): void {
    this.halt();
    if (!err.reason) {
      err.reason = err.code === 'Timeout' ? 'module-not-answering' : err.code === 'CertRejected' ? 'certificate-rejected'
        : err.code === 'TimeNotSet' ? 'time-not-set' : 'module-error';
    }
    this.enter('failed', err);
  }

  /** Forget the wish to be up: no join wait, no recovery, no timers (a reset pulse is completed). */
  private halt(): void {
    this.wanted = false;
    this.held = null;
    this.deferred = false;
    this.endWait();
    if (this.t.pulse != null) this.host.pins!.setReset!(false);
    for (const k in this.t) this.disarm(k);
    const w = this.windWait;
    this.windWait = null;
    if (w) w.resolve();
  }

  /** A refusal: a deauthentication, a WPA termination or a rejected network. */
  private refused(ev: WindEvent, now?: boolean): void {
    if (!this.done && this.state !== 'recovering') return;
    this.lastRefusal = ev;
    if (++this.refusals < this.maxRefusals && !now) return;
    const n = this.network;
    if (ev.kind === 'RejectedNetwork') this.fail('security-mismatch');
    else if (n && n.eap) {
      if (ev.kind === 'WpaTerminated') this.fail(this.needsTime() && this.clock().state !== 'good' ? 'time-not-set' : 'certificate-rejected', 'server');
      else this.fail(n.eap.method === 'tls' ? 'certificate-rejected' : 'eap-rejected', 'client');
    } else this.fail(ev.kind === 'WpaTerminated' || ev.reason === 23 ? 'eap-rejected' : 'wrong-passphrase');
  }

  // ---- indications and the engine --------------------------------------------------------------------

  private onWind(ev: WindEvent): void {
    const w = this.windWait;
    if (w && ev.kind === w.kind) {
      this.windWait = null;
      this.disarm('wind');
      w.resolve();
    }
    switch (ev.kind) {
      case 'Join':
        this.sawJoin = true;
        break;
      case 'Associated':
        this.sawAssoc = true;
        break;
      case 'WifiUp':
        if (ev.ipv6) {
          this.ipv6 = ev.ip || '';
          if (this.state === 'up') this.emit('address', this.addresses());
        } else {
          this.ip = ev.ip || '';
          // A join still writing settings decides by its own wait.
          if (!this.joining || this.done) this.setUp();
        }
        break;
      case 'NetworkLost':
        this.lose('network-lost');
        break;
      case 'Disassociation':
        this.lose('disassociated');
        break;
      case 'PoweredDown':
        this.lose('radio-off');
        break;
      case 'Deauthentication':
        if (this.state === 'up') this.lose('deauthenticated');
        else this.refused(ev);
        break;
      case 'WpaTerminated':
      case 'RejectedNetwork':
        this.refused(ev);
        break;
      case 'WpsTimeout':
        if (this.done && this.network && this.network.wps) this.fail('wps-timeout');
        break;
      case 'HardFault':
      case 'HardwareFailure':
        this.onFault('hard-fault');
        break;
      case 'PowerOn': {
        const expected = this.expectBoot;
        this.expectBoot = false;
        this.fault = false;
        this.disarm('boot');
        if (this.wanted || this.network) this.needInit = true;
        if (!expected) this.lose('module-restarted');
        break;
      }
    }
  }

  private onEngine(s: EngineState): void {
    const self = this;
    if (s !== 'resync') this.disarm('silent');
    else if (this.t.silent == null) this.arm('silent', this.silentAfterMs, function () { self.onFault('module-not-answering'); });
    if (s === 'ready' && this.needInit) {
      this.needInit = false;
      this.afterBoot();
    }
    if (s === 'stopped') this.stop();
  }

  private setUp(): void {
    const done = this.done;
    this.endWait();
    this.disarm('step');
    this.disarm('grace');
    this.held = null;
    this.wanted = true;
    if (this.state === 'up') this.emit('address', this.addresses()); // a new lease
    else {
      this.upAt = this.host.clock.now();
      this.enter('up', this.addresses());
    }
    if (done) done(null);
  }

  private addresses(): { ipv4: string; ipv6: string } {
    return { ipv4: this.ip, ipv6: this.ipv6 };
  }

  private enter(s: LinkState, info?: any): void {
    if (this.state === s && s !== 'recovering') return;
    this.state = s;
    this.emit('state', s, info);
    this.emit(s, info);
  }

  // ---- recovery ------------------------------------------------------------------------------------

  /** An up link went down: reported and recovered from, or, while recovery is suspended, kept. */
  private lose(cause: LostCause): void {
    if (this.state !== 'up') return;
    this.ip = '';
    this.ipv6 = '';
    if (this.suspendedFor) {
      // Kept for resumeRecovery(): not reported, not recovered from (the latest cause counts).
      this.held = cause;
      return;
    }
    this.report(cause, false);
  }

  /** 'lost', then recovery. `waited`: the module has already been given ownRejoinMs to rejoin by itself
   *  (after resumeRecovery), so recovery does not start with that wait again. */
  private report(cause: LostCause, waited: boolean): void {
    this.disarm('grace');
    this.ip = '';
    this.ipv6 = '';
    this.enter('lost', { cause: cause });
    if ((this.state as LinkState) !== 'lost') return; // a listener acted (leave(), join())
    if (this.upAt >= 0 && this.host.clock.now() - this.upAt >= this.stableMs) this.attempt = 0;
    this.upAt = -1;
    if (waited && !this.fault && LADDER[this.attempt % LADDER.length] === 'wait') this.attempt++;
    this.schedule();
  }

  private onFault(cause: LostCause): void {
    if (!this.wanted) return;
    this.host.log('error', 'module fault (' + cause + '): it will be reset' + (this.suspendedFor ? ' once recovery resumes' : ''));
    this.fault = true;
    if (this.state === 'up') this.lose(cause);
    else if (this.t.grace != null) this.report(cause, false); // waiting for the rejoin after an update: reset now
    else if (this.state === 'recovering' || this.done) this.schedule();
  }

  /** The next recovery attempt, after its backoff. */
  private schedule(): void {
    if (this.suspendedFor) {
      this.deferred = true;
      return;
    }
    const self = this;
    const n = ++this.attempt;
    let step: RecoveryStep = this.fault ? 'hard-reset' : LADDER[(n - 1) % LADDER.length];
    if (step === 'hard-reset' && !this.pinUsable()) step = 'soft-reset';
    const delay = n > 1 ? backoffDelay(n - 1, this.backoff, this.random) : 0;
    this.enter('recovering', { step: step, attempt: n, delayMs: delay });
    this.arm('step', delay, function () { self.runStep(step); });
  }

  private runStep(step: RecoveryStep): void {
    const self = this;
    this.newAttempt();
    let p: Promise<any> | null = null;
    if (step === 'rejoin') p = sequence(this.engine, [wifiOff, wifiOn]);
    else if (step === 'soft-reset') p = this.softReset();
    else if (step === 'hard-reset') this.pulse();
    if (p) p.then(null, function (e) { self.host.log('warn', 'recovery: ' + step + ' failed: ' + e.message); });
    this.arm('step', step === 'wait' ? this.ownRejoinMs : this.joinTimeoutMs, function () {
      if (self.state === 'recovering') self.schedule();
    });
  }

  private pinUsable(): boolean {
    const pins = this.host.pins;
    return !this.pinBroken && this.o.useResetPin !== false && !!(pins && pins.setReset);
  }

  private softReset(): Promise<any> {
    const self = this;
    this.expectBoot = true;
    return run(this.engine, at.reset).then(null, function (e) {
      self.expectBoot = false;
      throw e;
    });
  }

  /** A pulse on the reset pin; no restart within bootWaitMs: the pin is unusable, AT+S.RESET instead. */
  private pulse(): void {
    const self = this;
    const set = this.host.pins!.setReset!;
    this.expectBoot = true;
    set(true);
    this.arm('pulse', this.pulseMs, function () {
      set(false);
      self.arm('boot', self.bootWaitMs, function () {
        self.pinBroken = true;
        self.host.log('warn', 'the reset pin did not restart the module (an IDW04A1 without the WIFI_RST fix?): AT+S.RESET from now on');
        if (self.suspendedFor) {
          self.expectBoot = false;
          self.deferred = true; // no reset while the module is someone else's: the next attempt after the resume
          return;
        }
        self.softReset().then(null, function (e) { self.host.log('warn', 'AT+S.RESET failed: ' + e.message); });
      });
    });
  }

  /** After a module restart: the onBoot hook, then the clock when WPA2-Enterprise checks dates. */
  private afterBoot(): void {
    const self = this;
    const log = this.host.log;
    (this.o.onBoot ? this.o.onBoot() : Promise.resolve()).then(null, function (e: any) {
      log('warn', 'module re-initialisation failed: ' + e.message);
    }).then(function (): any {
      if (!self.needsTime()) return undefined;
      const s = self.knownSeconds();
      if (s === undefined) {
        log('warn', 'the module restarted with its clock unset: WPA2-Enterprise certificate checks will fail');
        return undefined;
      }
      return self.clock().set(s).then(function () { self.noteTime(); });
    }).then(null, function (e: any) { log('warn', "setting the module's clock failed: " + e.message); });
  }

  // ---- the module's clock and certificates ---------------------------------------------------------

  private clock(): ModuleClock {
    if (!this.mc) this.mc = new ModuleClock(this.engine, this.host.clock, this.host.log, { trustHostClock: this.o.trustHostClock, recheckMs: 0 });
    return this.mc;
  }

  private needsTime(): boolean {
    const n = this.network;
    return !!(n && n.eap && !n.eap.skipDateChecks && !this.clock().skipDateChecks);
  }

  /** The module's clock good, or set from what the host knows, or TimeNotSet (NTP cannot answer before
   *  the link is up). */
  private ensureTime(): Promise<void> {
    const self = this;
    const mc = this.clock();
    const notSet = joinFailure('time-not-set', undefined);
    return mc.check().then(function (st): any {
      if (st === 'good') return self.noteTime();
      const s = self.knownSeconds();
      if (s === undefined) throw notSet;
      return mc.set(s).then(function (st2) {
        if (st2 !== 'good') throw notSet;
        self.noteTime();
      }, function (e) {
        throw isSpwfError(e, 'InvalidParameter') ? notSet : e;
      });
    });
  }

  private noteTime(): void {
    const est = this.clock().estimate();
    if (est !== undefined) this.timeOffset = est - Math.floor(this.host.clock.now() / 1000);
  }

  /** The time to give the module: carried over from its last good reading, or the trusted host clock. */
  private knownSeconds(): number | undefined {
    const c = this.host.clock;
    if (this.timeOffset !== undefined) return Math.floor(c.now() / 1000) + this.timeOffset;
    return this.clock().trustHostClock && c.wallSeconds ? c.wallSeconds() : undefined;
  }

  private certificates(): EapCertificates {
    if (!this.certs) this.certs = recordedCertificates(this.engine, this.host.storage);
    return this.certs;
  }

  // ---- timers ------------------------------------------------------------------------------------

  private arm(slot: string, ms: number, fn: () => void): void {
    this.disarm(slot);
    const self = this;
    this.t[slot] = this.host.clock.setTimeout(function () {
      self.t[slot] = null;
      try {
        fn();
      } catch (e) {
        self.host.log('error', 'link timer failed: ' + e);
      }
    }, ms);
  }

  private disarm(slot: string): void {
    const id = this.t[slot];
    if (id != null) {
      this.t[slot] = null;
      this.host.clock.clearTimeout(id);
    }
  }
}
