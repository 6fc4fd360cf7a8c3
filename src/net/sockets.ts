// Client sockets on the module (ids 0-7): TCP, UDP and TLS (the module does TLS; at most two TLS
// sockets at a time). The stream behaviour is ModuleStream's.

import { Engine } from '../at/engine';
import { WindEvent } from '../at/wind';
import * as at from '../at/commands';
import * as parse from '../at/parse';
import { run } from '../at/run';
import { spwfError } from '../errors';
import { ModuleStream } from './module-stream';

/** A client socket. Events: 'data', 'end' (peer closed), 'close', 'error'. */
export class Socket extends ModuleStream {
  constructor(owner: Sockets, readonly id: number, readonly remoteIp: string, readonly tls: boolean) {
    super(owner.engine, {
      write: function (data) { return at.sockw(id, data); },
      query: function () { return at.sockq(id); },
      read: function (len) { return at.sockr(id, len); },
      close: function () { return at.sockc(id); },
    }, function () { owner.forget(id); });
  }
}

/** FW 1.1.0 opens two TLS client sockets at a time (1.0.0: one). */
export const MAX_TLS_SOCKETS = 2;

export class Sockets {
  private table: { [id: number]: Socket } = {};

  /** `tlsGate`: what a TLS open waits for first (the façade passes the module-clock check: the module
   *  validates the peer's certificate dates against its own clock). */
  constructor(readonly engine: Engine, private tlsGate?: () => Promise<void>) {
    const self = this;
    engine.onWind(function (ev) { self.onWind(ev); });
  }

  /** Open a client socket: kind 't' TCP, 'u' UDP, 's' TLS with the host as expected name, or a TLS name. */
  open(host: string, port: number, kind: string): Promise<Socket> {
    const self = this;
    const tls = kind !== 't' && kind !== 'u';
    if (tls && this.countTls() >= MAX_TLS_SOCKETS) {
      return Promise.reject(spwfError('Limit', 'the module holds at most ' + MAX_TLS_SOCKETS +
        ' TLS sockets at a time; close one first', { reasons: ['TLS sockets open: ' + this.countTls()] }));
    }
    const gate = tls && this.tlsGate ? this.tlsGate() : Promise.resolve();
    return gate.then(function () {
      return run(self.engine, function () { return at.sockon(host, port, kind); });
    }).then(function (res) {
      const on = parse.parseOn(res);
      const s = new Socket(self, on.id, on.ip, kind !== 't' && kind !== 'u');
      self.table[on.id] = s;
      return s;
    });
  }

  get(id: number): Socket | undefined {
    return this.table[id];
  }

  count(): number {
    return Object.keys(this.table).length;
  }

  countTls(): number {
    const ids = Object.keys(this.table);
    let n = 0;
    for (let i = 0; i < ids.length; i++) if (this.table[parseInt(ids[i], 10)].tls) n++;
    return n;
  }

  forget(id: number): void {
    delete this.table[id];
  }

  private onWind(ev: WindEvent): void {
    if (ev.kind === 'PowerOn') {
      // The module rebooted: every socket it held is gone.
      const ids = Object.keys(this.table);
      for (let i = 0; i < ids.length; i++) this.table[parseInt(ids[i], 10)].lost();
      return;
    }
    if (ev.socket === undefined) return;
    const s = this.table[ev.socket];
    if (!s) return;
    if (ev.kind === 'PendingData') s.onPending();
    else if (ev.kind === 'SocketClosed') s.onPeerClosed();
  }
}
