// Client sockets on the module (ids 0-7): TCP, UDP and TLS (the module does TLS; at most two TLS
// sockets at a time). The stream behaviour (reads, writes with 'drain', close) is ModuleStream's.

import { Engine, EngineState, Command } from '../at/engine';
import { WindEvent } from '../at/wind';
import * as at from '../at/commands';
import * as parse from '../at/parse';
import { spwfError } from '../errors';
import { Clock } from '../host';
import { ModuleStream } from './module-stream';
import { IdlePoll } from './idle-poll';

/** A client socket: a ModuleStream with the peer's address. Events: 'data', 'drain', 'end' (peer
 *  closed), 'close', 'error'. `write(bytes)` returns false once more than `highWater` bytes (default
 *  1460) wait to be sent: wait for 'drain'. `pause()`/`resume()` stop and restart reading from the
 *  module. No class of its own (a class costs variables on the board): `open` sets the two fields. */
export interface Socket extends ModuleStream {
  readonly remoteIp: string;
  readonly tls: boolean;
}
export const Socket = ModuleStream;

export interface SocketsOptions {
  /** Period of the poll of open, idle sockets (ms; default 10 s); 0: no poll. */
  idlePollMs?: number;
}

export class Sockets extends IdlePoll {
  private table: { [id: string]: Socket } = {};

  /** `tlsGate`: what a TLS open waits for first, its ensureGood() (the façade passes the module-clock
   *  gate itself, not a bound function, which would be variables on the board: the module validates the
   *  peer's certificate dates against its own clock). `clock`: the host clock, for the
   *  slow poll of idle sockets (without it a lost pending-data indication is noticed only at the next
   *  one). */
  constructor(engine: Engine, private tlsGate?: { ensureGood(): Promise<void> }, clock?: Clock, opts?: SocketsOptions) {
    super(engine, clock, opts && opts.idlePollMs);
  }

  /** Open a client socket: kind 't' TCP, 'u' UDP, 's' TLS with the host as expected name, or a TLS name.
   *  `failed`: what a failed open rejects with, made from the module's error (the façade's TLS report). */
  open(host: string, port: number, kind: string, failed?: (err: any) => any): Promise<Socket> {
    const self = this;
    const tls = kind !== 't' && kind !== 'u';
    const l = this.list();
    let n = 0;
    for (let i = 0; i < l.length; i++) if (l[i].tls) n++;
    // FW 1.1.0 opens two TLS client sockets at a time (1.0.0: one). (A number, not a named constant: on the
    // board a constant is a variable.)
    if (tls && n >= 2) {
      return Promise.reject(spwfError('Limit', 'the module holds at most 2 TLS sockets at a time; close one first',
        { reasons: ['TLS sockets open: ' + n] }));
    }
    // The parameters are checked before anything is sent (the clock gate talks to the module too).
    let cmd: Command;
    try {
      cmd = at.sockon(host, port, kind);
    } catch (e) {
      return Promise.reject(e);
    }
    // One promise, the steps by callbacks: on Espruino each pending link of a chain holds its handlers and
    // their scopes for as long as the open lasts (a TLS handshake: seconds, the TLS flow's peak).
    return new Promise<Socket>(function (resolve, reject) {
      const fail = function (err: any) { reject(failed ? failed(err) : err); };
      const go = function () {
        self.engine.send(cmd, function (err, res) {
          let on: { ip: string; id: number };
          try {
            if (err) throw err;
            on = parse.parseOn(res!);
          } catch (e) {
            return fail(e);
          }
          const s = new Socket(self.engine, self.table, on.id, on.id) as any;
          s.remoteIp = on.ip;
          s.tls = tls;
          self.table[on.id] = s;
          self.poll(true);
          resolve(s);
        });
      };
      if (tls && self.tlsGate) self.tlsGate.ensureGood().then(go, fail);
      else go();
    });
  }

  /** The open sockets. */
  list(): Socket[] {
    const out: Socket[] = [];
    for (const id in this.table) out.push(this.table[id]);
    return out;
  }

  protected engineEvent(ev: WindEvent | EngineState): void {
    if (typeof ev === 'string') {
      if (ev === 'stopped') this.poll(false);
      return;
    }
    if (ev.kind === 'PowerOn') {
      // The module rebooted: every socket it held is gone.
      const l = this.list();
      for (let i = 0; i < l.length; i++) l[i].hint(5 /* lost */);
      return;
    }
    const s = ev.socket === undefined ? undefined : this.table[ev.socket];
    if (!s) return;
    if (ev.kind === 'PendingData') s.hint(1 /* pending */, ev.pending);
    else if (ev.kind === 'SocketClosed') s.hint(2 /* peer closed */);
  }
}
