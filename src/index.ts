// The connectivity façade: what the application uses. It owns the engine and the services, and talks
// to the world only through the Host it is given.

import { Host } from './host';
import { Engine, EngineOptions, EngineState, TraceFn } from './at/engine';
import { Link, LinkOptions, Network, FeatureName } from './wifi/link';
import { checkWps, joinWps } from './wifi/wps-join';
import { checkEap, prepareEap } from './wifi/eap-join';
import { Sockets, Socket } from './net/sockets';
import { ModuleClock, ModuleClockOptions } from './time/module-clock';
import { Servers, Server } from './net/servers';
import { Http } from './net/http';
import { Smtp } from './net/smtp';
import { explainTlsOpenFailure, describeTlsChecks, TlsOpenContext } from './net/tls-diagnosis';
import { networkJsCallbacks, NetworkJsCallbacks } from './net/networkjs';
import { FirmwareUpdater, FirmwareUpdateOptions, FirmwareUpdateResult, UpdaterOptions, busyError } from './fota/updater';
import { spwfError, isSpwfError } from './errors';
import { Emitter } from './util/emitter';

export type { Host } from './host';
export { Engine } from './at/engine';
export { Link } from './wifi/link';
export type {
  Network, PskNetwork, EapCredentials, EapMethod, LinkOptions, LinkState, FailReason, LostCause, RecoveryStep, JoinError,
} from './wifi/link';
export { Sockets, Socket } from './net/sockets';
export { ModuleClock, CLOCK_FLOOR_SECONDS } from './time/module-clock';
export type { ModuleClockOptions } from './time/module-clock';
export { Servers, Server, ServerClient } from './net/servers';
export { Http, POST_FILE } from './net/http';
export type { HttpOptions, HttpResponse } from './net/http';
export { Smtp } from './net/smtp';
export type { HttpRequest, Mail } from './at/commands';
export { explainTlsOpenFailure, describeTlsChecks } from './net/tls-diagnosis';
export type { TlsOpenContext } from './net/tls-diagnosis';
export { FirmwareUpdater } from './fota/updater';
export type { FirmwareUpdateOptions, FirmwareUpdateResult, UpdateState, UpdateProgress, UpdaterOptions } from './fota/updater';
export { spwfError, isSpwfError } from './errors';
export type { SpwfError, ErrorCode } from './errors';
export { decodeWind } from './at/wind';
export type { WindEvent } from './at/wind';

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
}

/** See ConnectivityOptions.tlsStore. */
export interface TlsStoreFacts {
  caNames?: string[];
  clientCertificate?: boolean;
}

export class Connectivity extends Emitter {
  readonly engine: Engine;
  readonly link: Link;
  readonly sockets: Sockets;
  /** The gate: `clock.ensureGood()` resolves once the module's clock can be trusted for certificate
   *  dates, or fails with TimeNotSet. TLS opens wait for it; HTTPS, SMTPS, EAP and FOTA call it too. */
  readonly clock: ModuleClock;
  readonly servers: Servers;
  /** HTTP(S) through the module's client (HTTPGET/HTTPPOST); HTTPS waits for the clock gate. */
  readonly http: Http;
  /** Mail through the module's SMTP client; TLS options wait for the clock gate. */
  readonly smtp: Smtp;
  private tlsStore?: () => TlsStoreFacts;
  /** Firmware over the air; while it runs, join/open/listen are refused with Busy. */
  readonly fota: FirmwareUpdater;
  private startTimeoutMs: number;
  private resetPulseMs: number;

  constructor(private host: Host, opts?: ConnectivityOptions) {
    super();
    const o = opts || {};
    this.startTimeoutMs = o.startTimeoutMs || 20000;
    this.resetPulseMs = o.resetPulseMs || 200;
    this.engine = new Engine(host, o.engine);
    if (o.trace) this.engine.setTrace(o.trace);
    const clock = this.clock = new ModuleClock(this.engine, host.clock, host.log, o.clock);
    const engine = this.engine;
    this.link = new Link(engine, host, Object.assign({
      moduleClock: clock,
      resetPulseMs: this.resetPulseMs,
      feature: builtInFeature,
    }, o.link));
    this.sockets = new Sockets(this.engine, function () { return clock.ensureGood(); });
    this.servers = new Servers(this.engine);
    const self = this;
    const tlsError = function (err: any, h: string, port: number) { return self.tlsFailure(err, h, port, 's'); };
    this.http = new Http(engine, function () { return clock.ensureGood(); }, tlsError);
    this.smtp = new Smtp(engine, function () { return clock.ensureGood(); }, host.log, tlsError);
    this.tlsStore = o.tlsStore;
    // The updater holds the link's recovery off while it downloads and installs (its reset is no loss).
    this.fota = new FirmwareUpdater(engine, function () { return self.link.state === 'up'; }, function () { return clock.ensureGood(); },
      host.storage, host.log, o.fota, this.link);
    this.onError = function (e) { host.log('error', 'listener failed: ' + e); };
    this.fota.onError = this.onError;
    this.link.onError = this.onError;
    this.link.on('state', function (s, info) { self.emit('link', s, info); });
    this.engine.onState(function (s) { self.emit('engine', s); });
  }

  /** Bring the module up (reset pulse when a reset pin is usable) and turn echo off. */
  start(): Promise<void> {
    const self = this;
    const host = this.host;
    return new Promise<void>(function (resolve, reject) {
      let timer: any = null;
      function onState(s: EngineState): void {
        if (s !== 'ready') return;
        host.clock.clearTimeout(timer);
        self.engine.offState(onState);
        resolve();
      }
      self.engine.onState(onState);
      timer = host.clock.setTimeout(function () {
        self.engine.offState(onState);
        reject(spwfError('NotReady', 'the module did not answer within ' + self.startTimeoutMs + ' ms'));
      }, self.startTimeoutMs);
      self.engine.start();
      self.link.recovery.pulse(false); // the reset pin's one owner (when it is usable)
    }).then(function () {
      return self.link.initModule(); // echo off: the module's one (re)initialisation
    });
  }

  join(net: Network): Promise<string> {
    if (this.fota.busy()) return Promise.reject(busyError());
    return this.link.join(net);
  }

  /** Open a client socket: 't' TCP, 'u' UDP, 's' TLS checked against the host name, or TLS checked against
   *  the name given instead (application note 3.1.6, table 4). A TLS open the module refuses (error 74)
   *  fails with TlsFailed: its `reasons` are the likely causes, its message says what was checked. */
  open(host: string, port: number, kind: string): Promise<Socket> {
    if (this.fota.busy()) return Promise.reject(busyError());
    if (this.link.state !== 'up') return Promise.reject(spwfError('LinkDown', 'the Wi-Fi link is not up'));
    const p = this.sockets.open(host, port, kind);
    if (kind === 't' || kind === 'u') return p;
    const self = this;
    return p.then(null, function (err) { throw self.tlsFailure(err, host, port, kind); });
  }

  /** AT-S.ERROR:74 on a TLS open → TlsFailed with the likely causes; any other error as it is. */
  private tlsFailure(err: any, host: string, port: number, kind: string): any {
    if (!isSpwfError(err, 'ModuleError') || err.moduleCode !== 74) return err;
    const facts = this.tlsStore ? this.tlsStore() : {};
    const c: TlsOpenContext = {
      host: host,
      port: port,
      expectedName: kind === 's' ? host : kind,
      clock: this.clock.skipDateChecks ? 'skipped' : this.clock.state,
      caNames: facts.caNames,
      clientCertificate: facts.clientCertificate,
    };
    return spwfError('TlsFailed', 'the module refused the TLS connection to ' + host + ':' + port + ' (error 74); ' + describeTlsChecks(c), {
      moduleCode: err.moduleCode, moduleName: err.moduleName, moduleText: err.moduleText, command: err.command,
      reasons: explainTlsOpenFailure(c),
    });
  }

  /** Listen on a port of the module: 't' TCP, 'u' UDP, 's1' TLS, 's2' TLS with client certificates. */
  listen(port: number, kind: 't' | 'u' | 's1' | 's2'): Promise<Server> {
    if (this.fota.busy()) return Promise.reject(busyError());
    if (this.link.state !== 'up') return Promise.reject(spwfError('LinkDown', 'the Wi-Fi link is not up'));
    return this.servers.listen(port, kind);
  }

  /** Update the module's firmware (see FirmwareUpdater): resolves with the versions before and after. */
  updateFirmware(opts: FirmwareUpdateOptions): Promise<FirmwareUpdateResult> {
    return this.fota.update(opts);
  }

  /** The callbacks for Espruino's NetworkJS, so that Espruino's own net and http modules use the module. */
  networkJs(): NetworkJsCallbacks {
    return networkJsCallbacks(this.sockets, this.servers);
  }

  stop(): void {
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
      if (!net) return undefined;
      return self.join(net).then(function (ip) { self.emit('up', ip); });
    }).then(null, function (err) {
      self.host.log('error', (err && err.code ? err.code + ': ' : '') + (err && err.message ? err.message : err));
      self.emit('error', err);
    });
  }
}

/** The optional Wi-Fi modules, built in (the Node and Moddable builds; on Espruino they are Storage
 *  modules, see LinkOptions.feature). */
function builtInFeature(name: FeatureName): any {
  switch (name) {
    case 'wps': return { checkWps: checkWps, joinWps: joinWps };
    case 'eap': return { checkEap: checkEap, prepareEap: prepareEap };
  }
  return undefined;
}

export function createConnectivity(host: Host, opts?: ConnectivityOptions): Connectivity {
  return new Connectivity(host, opts);
}
