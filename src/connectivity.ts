// The connectivity façade: what the application uses. It owns the engine and the core services (the
// link, client sockets, the module-clock gate) and talks to the world only through the Host it is given.
//
// Optional features (servers, HTTP, SMTP, firmware updates, NetworkJS, WPS, WPA2-Enterprise, the TLS
// failure report) are modules of their own (src/features/<name>.ts). The façade reaches them through
// `options.feature(name)` on first use only: on Espruino that is require("spwf04-<name>") from Storage,
// so a feature the application never uses costs it no variables; the Node and Moddable builds map every
// name to the statically bundled module (src/index.ts).

import { Host } from './host';
import { Engine, EngineOptions, EngineState, TraceFn } from './at/engine';
import { Link, LinkOptions, Network } from './wifi/link';
import { Sockets, Socket } from './net/sockets';
import { ModuleClock, ModuleClockOptions } from './time/module-clock';
import { spwfError, isSpwfError } from './errors';
import { Emitter } from './util/emitter';
import type { Servers, Server } from './net/servers';
import type { Http } from './net/http';
import type { Smtp } from './net/smtp';
import type { FirmwareUpdater, FirmwareUpdateOptions, FirmwareUpdateResult, UpdaterOptions } from './fota/updater';
import type { BoardCertificates } from './features/certs';

/** Returns the exports of an optional feature module ('servers', 'http', 'smtp', 'fota', 'net', 'tls',
 *  'wps', 'eap'; see src/features and src/wifi/link.ts for what each exports), or throws when it is not
 *  there. */
export type FeatureLoader = (name: string) => any;

export interface ConnectivityOptions {
  engine?: EngineOptions;
  link?: LinkOptions;
  /** Called with every line exchanged with the module (secrets masked), for a readable trace. */
  trace?: TraceFn;
  /** How long start() may take until the module answers. */
  startTimeoutMs?: number;
  /** Length of the reset pulse when the host has a usable reset pin. */
  resetPulseMs?: number;
  /** The module-clock gate in front of everything that validates a certificate: trustHostClock,
   *  skipDateChecks (explicit and logged), waits and re-check period. */
  clock?: ModuleClockOptions;
  /** Firmware update bounds (download, install). */
  fota?: UpdaterOptions;
  /** What the module's TLS store holds, for the report of a refused TLS open (AT-S.ERROR:74): the CA names
   *  and whether a client certificate is there (e.g. from the certificate store the Provisioner syncs).
   *  Undefined fields are reported as unknown. */
  tlsStore?: () => TlsStoreFacts;
  /** Where optional features come from (see the top of this file). */
  feature?: FeatureLoader;
  /** Frees a module loaded only for a while (the join's, "join"): on Espruino Modules.removeCached. */
  release?: (name: string) => void;
}

/** See ConnectivityOptions.tlsStore. */
export interface TlsStoreFacts {
  caNames?: string[];
  clientCertificate?: boolean;
}

// Few methods and closures on purpose: on Espruino every method is a live function, and every closure made
// by the constructor lives as long as the layer (issue 10's memory budget).
export class Connectivity extends Emitter {
  readonly engine: Engine;
  readonly link: Link;
  readonly sockets: Sockets;
  /** The gate: `clock.ensureGood()` resolves once the module's clock can be trusted for certificate
   *  dates, or fails with TimeNotSet. TLS opens wait for it; HTTPS, SMTPS, EAP and FOTA call it too. */
  readonly clock: ModuleClock;
  readonly host: Host;
  readonly options: ConnectivityOptions;
  /** Services of the optional features, by name, created on first use (one that is done forgets itself:
   *  features/fota.ts). */
  made: { [name: string]: any } | undefined;
  /** The start under way, or true once it succeeded. A settled promise is not kept: Espruino's keeps every
   *  handler ever attached to it, and what they hold, for as long as it is referenced. */
  private starting: Promise<void> | true | null | undefined;

  constructor(host: Host, opts?: ConnectivityOptions) {
    super();
    // No closure here: one would keep this call's scope alive for as long as the layer runs.
    const o = this.options = opts || {};
    this.host = host;
    this.engine = new Engine(host, o.engine);
    if (o.trace) this.engine.trace = o.trace;
    this.clock = new ModuleClock(this.engine, host.clock, host.log, o.clock);
    // The link owns the module's (re)initialisation after every boot (echo off) and the reset pin; it loads
    // the join's modules itself (NotAvailable when one is not there). It reads its options where used:
    // without options of its own it shares these (resetPulseMs, feature and release mean the same to it,
    // and no other name of the one is one of the other's), one object on the board instead of two.
    this.link = new Link(this.engine, host, o.link ? Object.assign({
      resetPulseMs: o.resetPulseMs,
      feature: o.feature,
      release: o.release,
    }, o.link) : o, this.clock);
    // The host clock drives the slow poll of idle sockets (a lost +WIND:55 costs a delay, never data).
    this.sockets = new Sockets(this.engine, this.clock, host.clock);
    this.link.onError = this.onError = host.log;
    this.link.forward = this; // its state changes, as 'link' events
  }

  /** The service of an optional feature, made on first use by its module's create(connectivity);
   *  NotAvailable when the module is not there. feature('net'): the callbacks for Espruino's NetworkJS. */
  feature(name: string): any {
    const made = this.made || (this.made = {});
    if (made[name]) return made[name];
    let m: any;
    try {
      m = this.options.feature!(name);
    } catch (e) {
      m = undefined; // no loader, or require() of a module that is not in Storage
    }
    if (!m) throw spwfError('NotAvailable', 'the optional module spwf04-' + name + ' is not available: upload it to the board (spwf04 flash)');
    return made[name] = m.create(this);
  }

  /** Server sockets (module 'servers'). */
  get servers(): Servers { return this.feature('servers'); }
  /** HTTP(S) through the module's client (module 'http'); HTTPS waits for the clock gate. */
  get http(): Http { return this.feature('http'); }
  /** Mail through the module's SMTP client (module 'smtp'); TLS options wait for the clock gate. */
  get smtp(): Smtp { return this.feature('smtp'); }
  /** Firmware over the air (module 'fota'); while it runs, join/open/listen are refused with Busy. */
  get fota(): FirmwareUpdater { return this.feature('fota'); }
  /** The certificates kept in host flash and their provisioning into the module (module 'certs'). */
  get certs(): BoardCertificates { return this.feature('certs'); }

  /**
   * Bring the module up (reset pulse when a reset pin is usable) and turn echo off. Calling it again
   * while it runs gives the same promise, once it succeeded a resolved one: start() is safe to call twice.
   */
  start(): Promise<void> {
    const self = this;
    if (this.starting === true) return Promise.resolve();
    if (this.starting) return this.starting;
    const engine = this.engine;
    const clock = this.host.clock;
    const ms = this.options.startTimeoutMs || 20000;
    let timer: any;
    const p = this.starting = new Promise<void>(function (resolve, reject) {
      // The end of this start, success (no error) or failure; a settled start is not kept (see `starting`).
      function done(err?: any): void {
        if (self.starting === p) self.starting = err ? null : true;
        if (err) reject(err);
        else resolve();
      }
      // The engine's state changes, and the timeout (called without a state): one handler for both.
      function settle(s?: EngineState): void {
        if (s && s !== 'ready') return;
        engine.off(settle);
        if (!s) return done(spwfError('NotReady', 'the module did not answer within ' + ms + ' ms'));
        clock.clearTimeout(timer);
        self.link.initModule(done); // echo off: the module's one (re)initialisation
      }
      engine.onState(settle);
      timer = clock.setTimeout(settle, ms);
      engine.start();
      self.link.recovery.pulse(false); // the reset pin's one owner (when it is usable)
    });
    return p;
  }

  /** Why an operation cannot start now (a rejected promise), else null: a firmware update owns the module
   *  while it runs; sockets and servers need the link up. */
  private refuse(needsLink: boolean): Promise<any> | null {
    const f = this.made && this.made.fota;
    if (f && f.busy()) return Promise.reject(spwfError('Busy', 'firmware update in progress'));
    if (needsLink && this.link.state !== 'up') return Promise.reject(spwfError('LinkDown', 'the Wi-Fi link is not up'));
    return null;
  }

  join(net: Network): Promise<string> {
    return this.refuse(false) || this.link.join(net);
  }

  /** Open a client socket: 't' TCP, 'u' UDP, 's' TLS checked against the host name, or TLS checked against
   *  the name given instead (application note 3.1.6, table 4). A TLS open the module refuses (error 74)
   *  fails with TlsFailed: its `reasons` are the likely causes, its message says what was checked. */
  open(host: string, port: number, kind: string): Promise<Socket> {
    const refused = this.refuse(true);
    if (refused) return refused;
    const self = this;
    return this.sockets.open(host, port, kind, kind === 't' || kind === 'u' ? undefined : function (err) { return self.tlsFailure(err, host, port, kind); });
  }

  /** AT-S.ERROR:74 on a TLS open → TlsFailed with the likely causes (module 'tls'); any other error as it is. */
  tlsFailure(err: any, host: string, port: number, kind: string): any {
    if (!isSpwfError(err, 'ModuleError') || err.moduleCode !== 74) return err;
    try {
      return this.options.feature!('tls').tlsFailure(this, err, host, port, kind);
    } catch (e) {
      return err; // without the report module, the module's own error
    }
  }

  /** Listen on a port of the module: 't' TCP, 'u' UDP, 's1' TLS, 's2' TLS with client certificates. */
  listen(port: number, kind: 't' | 'u' | 's1' | 's2'): Promise<Server> {
    return this.refuse(true) || this.servers.listen(port, kind);
  }

  /** Update the module's firmware (see FirmwareUpdater): resolves with the versions before and after. */
  updateFirmware(opts: FirmwareUpdateOptions): Promise<FirmwareUpdateResult> {
    return this.fota.update(opts);
  }

  stop(): void {
    this.starting = null;
    this.clock.stop();
    this.engine.stop();
  }

  /**
   * What a device host does at power-up: start, then join `net` when given. Reports by events:
   * 'ready' when the module answers, 'up' (the IPv4 address) when joined, 'error' (with a `code`).
   */
  bringUp(net?: Network): void {
    const self = this;
    this.start().then(function () {
      self.emit('ready');
      return net && self.join(net).then(function (ip) { self.emit('up', ip); });
    }).then(null, function (err) {
      self.host.log('error', (err && err.code ? err.code + ': ' : '') + (err && err.message ? err.message : err));
      self.emit('error', err);
    });
  }
}

export type { UpdaterOptions };
