// The connectivity façade: what the application uses. It owns the engine and the services, and talks
// to the world only through the Host it is given.

import { Host } from './host';
import { Engine, EngineOptions, EngineState, TraceFn } from './at/engine';
import { Link, LinkOptions, PskNetwork } from './wifi/link';
import { Sockets, Socket } from './net/sockets';
import * as at from './at/commands';
import { run } from './at/run';
import { spwfError } from './errors';
import { Emitter } from './util/emitter';

export type { Host } from './host';
export { Engine } from './at/engine';
export { Link } from './wifi/link';
export { Sockets, Socket } from './net/sockets';
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
}

export class Connectivity extends Emitter {
  readonly engine: Engine;
  readonly link: Link;
  readonly sockets: Sockets;
  private startTimeoutMs: number;
  private resetPulseMs: number;

  constructor(private host: Host, opts?: ConnectivityOptions) {
    super();
    const o = opts || {};
    this.startTimeoutMs = o.startTimeoutMs || 20000;
    this.resetPulseMs = o.resetPulseMs || 200;
    this.engine = new Engine(host, o.engine);
    if (o.trace) this.engine.setTrace(o.trace);
    this.link = new Link(this.engine, host.clock, o.link);
    this.sockets = new Sockets(this.engine);
    const self = this;
    this.onError = function (e) { host.log('error', 'listener failed: ' + e); };
    this.link.onError = this.onError;
    this.link.on('state', function (s) { self.emit('link', s); });
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
      const pins = host.pins;
      if (pins && pins.setReset) {
        pins.setReset(true);
        host.clock.setTimeout(function () { pins.setReset!(false); }, self.resetPulseMs);
      }
    }).then(function () {
      return run(self.engine, function () { return at.scfg('console_echo', 0); });
    }).then(function () { return undefined; });
  }

  join(net: PskNetwork): Promise<string> {
    return this.link.join(net);
  }

  open(host: string, port: number, kind: string): Promise<Socket> {
    if (this.link.state !== 'up') return Promise.reject(spwfError('LinkDown', 'the Wi-Fi link is not up'));
    return this.sockets.open(host, port, kind);
  }

  stop(): void {
    this.engine.stop();
  }

  /**
   * What a device host does at power-up: start, then join `net` when given. Reports by events:
   * 'ready' when the module answers, 'up' (the IPv4 address) when joined, 'error' (with a `code`).
   */
  bringUp(net?: PskNetwork): void {
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

export function createConnectivity(host: Host, opts?: ConnectivityOptions): Connectivity {
  return new Connectivity(host, opts);
}
