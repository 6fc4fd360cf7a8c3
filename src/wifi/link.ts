// The Wi-Fi link: joins a network (open and WPA2-PSK here; WPS and WPA2-Enterprise through their optional
// modules, below) writing only what the module does not hold yet, and keeps the link up afterwards.
//
//   link.ts       the state machine, the joins, the events, the module's re-initialisation after a restart
//   recovery.ts   staying connected: the escalation ladder, the reset pin, the hand-off to the updater
//   configure.ts  the settings of an open or PSK network, and only what changed is written (settings read
//                 back, a salted digest of the secrets): the module "join", loaded for a join, freed after
//   steps.ts      commands one after the other, the radio off and on
//   profile.ts    what the application asks to join, checked
//   backoff.ts    the waits between recovery attempts
//   wps-join.ts   optional: WPS push button and PIN (with wps.ts, the PIN checksum)
//   eap-join.ts   optional: WPA2-Enterprise, its certificates (eap-certs.ts) and the module's clock
//
// State machine, driven only by +WIND indications, the engine's state and timeouts:
//   down -> joining -> up -> lost -> recovering -> up ...      (any) -> failed (with a reason)
// After every module restart (+WIND:1, expected or not, a watchdog reset included) the link re-initialises
// the module (initModule: echo off, and the clock for WPA2-Enterprise), then recovery decides (recovery.ts).

import { Engine, EngineState } from '../at/engine';
import { WindEvent } from '../at/wind';
import { Host } from '../host';
import { spwfError, SpwfError, ErrorCode } from '../errors';
import { ModuleClock } from '../time/module-clock';
import { BackoffOptions } from './backoff';
import { checkNetwork, EapCertificates, Network, securityOf, Setting } from './profile';
import { Recovery } from './recovery';
import { sequence, wifiOff } from './steps';

export type { Network, PskNetwork, EapCredentials, EapMethod, EapCertificates, EapItems, Setting } from './profile';
export type { BackoffOptions } from './backoff';

// ---- the optional feature modules -----------------------------------------------------------------
// WPS and WPA2-Enterprise are not imported here (nor by anything imported here): on Espruino they are
// Storage modules of their own, required only by an application that joins that way. The link gets a
// module's exports through LinkOptions.feature(name): on Espruino require("spwf04-wps") /
// require("spwf04-eap"); in the Node and Moddable builds the statically imported src/wifi/wps-join.ts /
// src/wifi/eap-join.ts. A join that needs a module the loader does not give fails with NotAvailable.
// Every join also takes "join" (src/wifi/configure.ts: only what changed is written), freed once its writes
// are done or the join settles (LinkOptions.release); the WPS and WPA2-Enterprise modules are freed once it
// settles: their code costs the board nothing while the link is up.

export type FeatureName = 'wps' | 'eap' | 'join';

/** What the "join" module exports (src/wifi/configure.ts). */
export interface JoinModule {
  /** Write what the module does not hold (application note 3.2.1 / 3.2.2) and wait for WiFi Up; `done`
   *  gets null, or the error (it may be called more than once: the first call counts). */
  configure(link: Link, settings: Setting[], done: (err: any) => void): void;
  /** The settings of an open or WPA2-PSK network. */
  settingsOf(net: Network): Setting[];
  /** Forget the record of what the module holds: the next join writes everything. */
  forget(link: Link): void;
}

/** What the "wps" module exports (src/wifi/wps-join.ts). */
export interface WpsModule {
  /** Refuse a PIN the module would refuse (InvalidParameter), before anything is sent. */
  checkWps(net: Network): SpwfError | null;
  /** Join by WPS (application note 3.2.1.1), the link in 'joining'; resolves at WiFi Up. */
  joinWps(link: Link, net: Network): Promise<void>;
}

/** What the "eap" module exports (src/wifi/eap-join.ts). */
export interface EapModule {
  /** Refuse credentials the module would refuse (InvalidParameter), before anything is sent. */
  checkEap(net: Network): SpwfError | null;
  /** Before anything is written (application note 3.2.2.2): the module's clock, unless date checks are
   *  skipped, then the certificates. Resolves with the network's settings, in the note's order. */
  prepareEap(link: Link, net: Network): Promise<Setting[]>;
}

// ---- types ------------------------------------------------------------------------------------------

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
  /** The module-clock gate (the façade's); without one, the link makes its own (used when WPA2-Enterprise needs
   *  it), trusting the host clock when `trustHostClock`. */
  moduleClock?: ModuleClock;
  trustHostClock?: boolean;
  /** How WPA2-Enterprise certificates reach the module (default: uploaded when they differ from the record
   *  kept in host storage or from the module's listing; storeCertificates() of eap-certs.ts goes through
   *  the certificate store and provisioner instead). */
  certificates?: EapCertificates;
  /** The loader of the optional modules (see WpsModule, EapModule, JoinModule): the module's exports, or
   *  undefined. */
  feature?: (name: FeatureName) => any;
  /** Frees a module loaded for a while (a join's); on Espruino Modules.removeCached. */
  release?: (name: FeatureName) => void;
}

/** The error of a failed join. `side`: for certificate-rejected, whose certificate ('server' | 'client'). */
export function joinFailure(reason: FailReason, ssid: string | undefined, side?: string): JoinError {
  let code: ErrorCode = 'JoinFailed';
  let msg = '';
  let why = ''; // what to do
  switch (reason) {
    case 'wrong-passphrase':
      msg = 'the access point refused the passphrase';
      why = 'wrong passphrase';
      break;
    case 'network-not-found':
      msg = 'network "' + ssid + '" not found';
      why = 'is the access point on and in range, the SSID exact?';
      break;
    case 'association-failed':
      msg = 'association failed';
      why = 'the access point refused the station';
      break;
    case 'no-address':
      msg = 'no IP address obtained';
      why = 'DHCP gave no address';
      break;
    case 'security-mismatch':
      msg = 'the network has another security mode';
      why = 'open, WPA2-PSK or WPA2-Enterprise?';
      break;
    case 'eap-rejected':
      msg = 'the RADIUS server rejected the credentials';
      why = 'check identity, password and EAP method';
      break;
    case 'time-not-set':
      code = 'TimeNotSet';
      msg = "the module's clock is not set: certificate dates cannot be checked";
      why = 'set it (clock.set), trust the host clock, or skip date checks explicitly (eap.skipDateChecks)';
      break;
    case 'wps-timeout':
      msg = 'WPS: no access point answered within the walk time';
      why = 'press the WPS button (or enter the PIN) on the access point within 2 minutes';
      break;
    case 'certificate-rejected':
      code = 'CertRejected';
      msg = side === 'client' ? 'the RADIUS server rejected the client certificate' : "the module rejected the RADIUS server's certificate";
      why = side === 'client' ? 'issued by a CA the server trusts? its key? its dates?' : "issued by the CA given (eap.ca)? valid at the module's time?";
      break;
  }
  const e = spwfError(code, 'join failed: ' + msg, { reasons: [why] }) as JoinError;
  e.reason = reason;
  return e;
}

export class Link extends Recovery {
  /** The link itself: the recovery ladder and the reset pin are its base class (recovery.ts); kept for the
   *  callers that reach them as `link.recovery` (the façade's start(), the join module). */
  readonly recovery: Recovery;
  /** A wait for an indication of that kind, resolved at it, at the 'wind' timer (armed with it) or at a halt.
   *  Set by its one user, the WPS join (wps-join.ts), which makes the promise: a method here would be
   *  variables of the core on the board. */
  windWait: { kind: string; resolve: () => void } | null | undefined;
  // What the current attempt has seen (newAttempt() forgets it).
  private refusals: number | undefined;
  private lastRefusal: WindEvent | null | undefined;
  /** 1: a Join was seen, 2: an association. */
  private seen: number | undefined;
  /** A +WIND:1 was seen: the module is re-initialised when the engine is ready again. */
  private needInit: boolean | undefined;
  /** The re-initialisation of the module's current boot (initModule): the callbacks waiting for it while it
   *  runs, true once done. */
  private inited: ((err: any) => void)[] | true | null | undefined;
  /** The module-clock gate: the façade's, or one of the link's own. A field, not a lazy getter method:
   *  each method of the core is variables on the board, and the façade always gives its own. */
  readonly clock: ModuleClock;
  /** The join's module is loaded (needs('join')) and not released yet; the join module clears it when it
   *  frees itself before the join settles (configure.ts: during the module's restart). */
  holdsJoin: boolean | undefined;

  /** `clock`: the module-clock gate to use (the façade's), else opts.moduleClock, else one of its own. */
  constructor(engine: Engine, host: Host, opts?: LinkOptions, clock?: ModuleClock) {
    super();
    // The fields of both classes, set here once (recovery.ts sets none in its constructor).
    const self = this as any;
    self.engine = engine;
    self.host = host;
    self.o = opts || {};
    self.t = {};
    this.state = 'down';
    this.ip = '';
    this.ipv6 = '';
    this.recoverySuspended = '';
    this.recovery = this;
    this.clock = clock || this.o.moduleClock || new ModuleClock(engine, host.clock, host.log, { trustHostClock: this.o.trustHostClock, recheckMs: 0 });
    engine.onWind(this.onWind, this, 2 /* all but socket traffic */);
    engine.onState(this.onEngine, this);
  }

  /**
   * Join a network (see Network for each mode). Resolves with the IPv4 address once the link is up; rejects
   * with a JoinError whose `reason` says what to fix. Settings the module already holds are not written.
   */
  join(net: Network): Promise<string> {
    const self = this;
    let f: any;
    let j: JoinModule;
    try {
      const err = checkNetwork(net);
      if (err) throw err;
      if (net.wps || net.eap) {
        f = this.needs(net.wps ? 'wps' : 'eap');
        const bad = net.wps ? (f as WpsModule).checkWps(net) : (f as EapModule).checkEap(net);
        if (bad) throw bad;
      }
      j = this.needs('join');
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.joining) return Promise.reject(spwfError('Busy', 'a join is already in progress'));
    this.disarm('step');
    this.disarm('grace');
    this.joining = true;
    this.wanted = true;
    this.network = net;
    this.ip = '';
    this.ipv6 = '';
    this.enter('joining', { ssid: net.ssid, security: securityOf(net) });
    // One promise for the whole join, the steps by callbacks: on Espruino every pending promise of a chain
    // holds its handlers and their scopes until the join settles.
    return new Promise<string>(function (resolve, reject) {
      let settled = false;
      const done = function (err: any) {
        if (settled) return;
        settled = true;
        // Of a WPA2-Enterprise network, recovery reads only the method, the identity and whether dates are
        // checked: the certificates, the key and the password, which the module now holds, are not kept (nor
        // a secret in RAM longer than needed; on the board a PEM certificate is about 100 variables). Nor is
        // the WPS or WPA2-Enterprise module: recovery does without it, and a later join loads it again.
        const e = net.eap;
        if (e) self.network = { ssid: net.ssid, eap: { method: e.method, identity: e.identity, skipDateChecks: e.skipDateChecks } };
        if ((e || net.wps) && self.o.release) self.o.release(e ? 'eap' : 'wps');
        self.endJoin(err);
        if (err) reject(err);
        else resolve(self.ip);
      };
      try {
        if (net.wps) (f as WpsModule).joinWps(self, net).then(function () { done(null); }, done);
        else if (net.eap) {
          (f as EapModule).prepareEap(self, net).then(function (s) {
            try {
              j.configure(self, s, done);
            } catch (e) {
              done(e); // a parameter a command builder refused
            }
          }, done);
        }
        else j.configure(self, j.settingsOf(net), done);
      } catch (e) {
        done(e);
      }
      // This scope lives until the join settles (done holds it): without the module's exports, so that the
      // join's module can be freed during the module's restart (configure.ts).
      if (!net.eap) j = null as any;
      f = null;
    });
  }

  /** An optional module's exports, or NotAvailable naming the module to upload. */
  needs(name: FeatureName): any {
    let m: any;
    try {
      m = this.o.feature ? this.o.feature(name) : undefined;
    } catch (e) {
      m = undefined; // require() of a module that is not in Storage
    }
    if (!m) {
      throw spwfError('NotAvailable', (name === 'wps' ? 'WPS' : name === 'eap' ? 'WPA2-Enterprise' : 'joining') + ' needs the optional module "spwf04-' + name +
        '": upload it to the board\'s Storage under that name');
    }
    if (name === 'join') this.holdsJoin = true;
    return m;
  }

  /** The join settled (`err`: how it failed), or the join's module is not needed any more: it is released
   *  (see LinkOptions.release) once, and only when it was loaded (Espruino's Modules.removeCached throws for
   *  a module it does not hold). */
  private endJoin(err: any): void {
    this.joining = false;
    if (this.holdsJoin) {
      this.holdsJoin = false;
      if (this.o.release) this.o.release('join');
    }
    if (err && this.state !== 'down') this.fail(err);
  }

  /** Drop the link and stop keeping it up: recovery ends, the radio is switched off. */
  leave(): Promise<void> {
    if (this.joining) return Promise.reject(spwfError('Busy', 'a join is in progress'));
    this.halt();
    this.ip = '';
    this.ipv6 = '';
    this.enter('down');
    return sequence(this.engine, [wifiOff]);
  }

  /**
   * The module's (re)initialisation after a start or restart — the one place for it: echo off, then, when
   * the network is WPA2-Enterprise with date checks, the module's clock (it restarts at 1970 with the
   * module; ModuleClock carries the time over). The link runs it once the engine is ready after every
   * +WIND:1; the façade's start() waits for it (the same run when the link has started it for this boot).
   * `cb` gets the outcome (null: done); without one (the link's own run), a failure is logged. Callbacks,
   * not a promise: the link runs it after every restart, and nobody but start() ever waits for it.
   */
  initModule(cb: ((err: any) => void) | null): void {
    const cur = this.inited;
    if (cur === true) {
      if (cb) cb(null);
      return;
    }
    if (cur) {
      if (cb) cur.push(cb);
      return;
    }
    const self = this;
    // The command goes once `inited` holds the waiters: the engine may answer at once (stopped: NotReady).
    const waiting: ((err: any) => void)[] = this.inited = cb ? [cb] : [];
    const settle = function (err: any): void {
      if (self.inited === waiting) self.inited = err ? null : true; // after a failure: tried again next time
      if (err && !cb) self.host.log('warn', 'module re-initialisation failed: ' + err.message);
      for (let i = 0; i < waiting.length; i++) waiting[i](err);
    };
    // (The command as a literal: at.scfg() checks a name and a value that are constants here, at every
    // restart of the module, and this runs at every restart.)
    this.engine.send({ line: 'AT+S.SCFG=console_echo,0', timeoutMs: 2000 }, function (err) {
      if (err || !self.needsTime()) return settle(err);
      // The clock's outcome is logged; the re-initialisation is done either way.
      const log = self.host.log;
      const clockSet = function (st: any): void {
        if (st !== 'good') log('warn', typeof st === 'string' ? 'the module restarted with its clock unset: WPA2-Enterprise certificate checks will fail' : "setting the module's clock failed: " + st.message);
        settle(null);
      };
      self.clock.restore().then(clockSet, clockSet);
    });
  }

  // ---- used by recovery.ts and the feature modules --------------------------------------------------

  /** `cb(null)` at WiFi Up; `cb(err)` with the reason seen, or at the timeout. */
  wait(ms: number, cb: (err: any) => void): void {
    this.newAttempt();
    this.done = cb;
    this.arm('join', ms);
  }

  /** The timers of the joins (see Recovery.fire): the wait for WiFi Up ('join') or for an indication ('wind'). */
  protected timedOut(slot: string): void {
    if (slot === 'wind') {
      const w = this.windWait;
      this.windWait = null;
      if (w) w.resolve();
      return;
    }
    const n = this.network;
    if (n && n.wps) this.fail('wps-timeout');
    else if (this.lastRefusal) this.refused(this.lastRefusal, true);
    else this.fail(!(this.seen! & 1) ? 'network-not-found' : !(this.seen! & 2) ? 'association-failed' : 'no-address');
  }

  /** A new join or recovery attempt: what the last one saw is forgotten. */
  newAttempt(): void {
    this.refusals = 0;
    this.lastRefusal = null;
    this.seen = 0;
  }

  /** The module's settings are no longer known: the next join writes them all. */
  forgetSettings(): void {
    let j: JoinModule | undefined;
    try {
      j = this.needs('join');
    } catch (e) {
      this.host.log('warn', 'the record of the Wi-Fi settings could not be cleared: ' + (e as any).message);
    }
    if (j) j.forget(this);
    if (!this.joining) this.endJoin(null);
  }

  /** WPA2-Enterprise with certificate dates checked: the module's clock must be right. */
  needsTime(): boolean {
    const n = this.network;
    return !!(n && n.eap && !n.eap.skipDateChecks && !this.clock.skipDateChecks);
  }

  // ---- failures ----------------------------------------------------------------------------------------

  /**
   * A failure: a reason seen by the join or the recovery (`side`: whose certificate was rejected), handed to
   * the join's wait when there is one; or an error (a join that failed otherwise). Either way, without a
   * wait, the link is 'failed' and stops keeping itself up.
   */
  private fail(why: FailReason | any, side?: string): void {
    let err = why;
    if (typeof why === 'string') {
      const n = this.network;
      err = joinFailure(why as FailReason, n ? n.ssid : undefined, side);
      if (why === 'wrong-passphrase') err.reasons![0] += ' (' + this.refusals + ' deauthentications during the handshake)';
      const done = this.done;
      this.done = null;
      this.disarm('join');
      // Failures the module would repeat forever (and so would a recovery): its radio is switched off (a
      // RADIUS server may lock an account that keeps failing).
      if ('wrong-passphrase eap-rejected certificate-rejected time-not-set security-mismatch'.lastIndexOf(why) >= 0) {
        this.forgetSettings();
        this.engine.send(wifiOff(), function () {});
      }
      if (done) {
        done(err);
        return;
      }
    }
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
    this.done = null;
    this.held = null;
    this.deferred = false;
    if (this.t.pulse != null) this.host.pins!.setReset!(false);
    const slots = Object.keys(this.t); // not for-in: on Espruino a delete ends a for-in over the object
    for (let i = 0; i < slots.length; i++) this.disarm(slots[i]);
    const w = this.windWait;
    this.windWait = null;
    if (w) w.resolve();
  }

  /** A refusal: a deauthentication, a WPA termination or a rejected network. */
  private refused(ev: WindEvent, now?: boolean): void {
    if (!this.done && this.state !== 'recovering') return;
    this.lastRefusal = ev;
    this.refusals = (this.refusals || 0) + 1;
    if (this.refusals < (this.o.maxDeauths || 3) && !now) return;
    const n = this.network;
    const id = ev.id;
    if (id === 74) this.fail('security-mismatch');
    else if (n && n.eap) {
      if (id === 49) this.fail(this.needsTime() && this.clock.state !== 'good' ? 'time-not-set' : 'certificate-rejected', 'server');
      else this.fail(n.eap.method === 'tls' ? 'certificate-rejected' : 'eap-rejected', 'client');
    } else this.fail(id === 49 || ev.reason === 23 ? 'eap-rejected' : 'wrong-passphrase');
  }

  // ---- indications and the engine --------------------------------------------------------------------

  /**
   * Every indication but socket traffic (the engine filters that out), by its UM2114 number, the most
   * frequent first: the interpreter reads through every case before the one that matches.
   */
  private onWind(ev: WindEvent): void {
    const w = this.windWait;
    if (w && ev.kind === w.kind) {
      this.windWait = null;
      this.disarm('wind');
      w.resolve();
    }
    const id = ev.id;
    // The numbers handled below as bits (1 5 8 19 24 25, and 33 38 40 41 49 from 32): the others (boot
    // banners, the clock, scans, handshakes: most of what reaches the link) leave here, not after every case.
    if (id < 32 ? !((0x3080122 >> id) & 1) : id < 64 ? !((0x20342 >> (id - 32)) & 1) : id !== 74 && id !== 82) return;
    switch (id) {
      case 24: // WiFi Up
        if (ev.ipv6) {
          this.ipv6 = ev.ip || '';
          if (this.state === 'up') this.emit('address', { ipv4: this.ip, ipv6: this.ipv6 });
        } else if (!this.expectBoot) {
          // (While a restart of ours is on its way, none: the association ends with it. The join's radio
          // comes on before WCFG and RESET, and a quick access point answers before the restart.)
          this.ip = ev.ip || '';
          // A join still writing settings decides by its own wait.
          if (!this.joining || this.done) this.setUp();
        }
        return;
      case 33:
        this.lose('network-lost');
        return;
      case 1: { // Poweron: expected (a reset of ours), or a loss
        this.needInit = true;
        this.inited = null;
        const expected = this.expectBoot;
        // Cleared only when set: on the board a field made at every boot is held for as long as the layer.
        if (expected) this.expectBoot = false;
        if (this.fault) this.fault = false;
        if (this.t.boot != null) this.disarm('boot');
        if (!expected && this.state === 'up') this.lose('module-restarted'); // (not up: lose() does nothing)
        return;
      }
      case 19: // Join
        this.seen = this.seen! | 1;
        return;
      case 25: // Associated
        this.seen = this.seen! | 2;
        return;
      case 40: // Deauthentication
        if (this.state === 'up') this.lose('deauthenticated');
        else this.refused(ev);
        return;
      case 41:
        this.lose('disassociated');
        return;
      case 38: // Powered down
        this.lose('radio-off');
        return;
      case 49: // WPA terminated
      case 74: // Rejected network
        this.refused(ev);
        return;
      case 8: // Hard fault
      case 5: // Hardware failure
        this.lose('hard-fault', true);
        return;
      case 82: // WPS timeout
        if (this.done && this.network && this.network.wps) this.fail('wps-timeout');
    }
  }

  private onEngine(s: EngineState): void {
    // (The silent timer is armed only while the engine resynchronises: no call to disarm it at every boot.)
    const silent = this.t.silent != null;
    if (s === 'ready') {
      if (silent) this.disarm('silent');
      if (!this.needInit) return;
      this.needInit = false;
      this.initModule(null);
    } else if (s === 'resync') {
      if (!silent) this.arm('silent', this.o.silentAfterMs || 10000);
    } else {
      if (silent) this.disarm('silent');
      if (s !== 'stopped') return;
      // The engine stopped: everything is cancelled.
      const d = this.done;
      this.halt();
      this.inited = null;
      this.enter('down');
      if (d) d(spwfError('Stopped', 'link stopped'));
    }
  }

  /** The link is up (WiFi Up, or the join found the module up already): the ladder's clock starts, nothing
   *  is held or pending. */
  setUp(): void {
    const done = this.done;
    if (done) {
      this.done = null;
      this.disarm('join'); // armed with done (wait())
    }
    this.disarm('step');
    if (this.t.grace != null) this.disarm('grace'); // (armed only after a resume: no call at every WiFi Up)
    this.held = null;
    this.wanted = true;
    if (this.state === 'up') this.emit('address', { ipv4: this.ip, ipv6: this.ipv6 }); // a new lease
    else {
      this.upAt = this.host.clock.now();
      this.enter('up', { ipv4: this.ip, ipv6: this.ipv6 });
    }
    if (done) done(null);
  }
}
