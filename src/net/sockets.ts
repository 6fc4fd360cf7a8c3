// Client sockets on the module (ids 0-7): TCP, UDP and TLS (the module does TLS; at most two TLS
// sockets at a time). The stream behaviour (reads, writes with 'drain', close) is ModuleStream's.

import { Engine, Command } from '../at/engine';
import { WindEvent } from '../at/wind';
import * as at from '../at/commands';
import * as parse from '../at/parse';
import { run } from '../at/run';
import { spwfError } from '../errors';
import { Clock } from '../host';
import { ModuleStream, OP_WRITE, OP_QUERY, OP_READ } from './module-stream';
import { IdlePoll, IDLE_POLL_MS } from './idle-poll';

/** A client socket. Events: 'data', 'drain', 'end' (peer closed), 'close', 'error'.
 *  `write(bytes)` returns false once more than `highWater` bytes (default 1460) wait to be sent: wait
 *  for 'drain'. `pause()`/`resume()` stop and restart reading from the module. */
export class Socket extends ModuleStream {
  constructor(private owner: Sockets, readonly id: number, readonly remoteIp: string, readonly tls: boolean) {
    super(owner.engine);
  }

  protected cmd(op: number, arg?: any): Command {
    const id = this.id;
    return op === OP_WRITE ? at.sockw(id, arg) : op === OP_QUERY ? at.sockq(id) : op === OP_READ ? at.sockr(id, arg) : at.sockc(id);
  }

  protected gone(): void {
    this.owner.forget(this.id);
  }
}

/** FW 1.1.0 opens two TLS client sockets at a time (1.0.0: one). */
export const MAX_TLS_SOCKETS = 2;

export interface SocketsOptions {
  /** Period of the poll of open, idle sockets (ms; default 10 s); 0: no poll. */
  idlePollMs?: number;
}

export class Sockets {
  private table: { [id: number]: Socket } = {};
  private poll: IdlePoll | null = null;

  /** `tlsGate`: what a TLS open waits for first (the façade passes the module-clock check: the module
   *  validates the peer's certificate dates against its own clock). `clock`: the host clock, for the
   *  slow poll of idle sockets (without it a lost pending-data indication is noticed only at the next
   *  one). */
  constructor(readonly engine: Engine, private tlsGate?: () => Promise<void>, clock?: Clock, opts?: SocketsOptions) {
    const self = this;
    engine.onWind(this.onWind, this, 1 /* socket traffic */);
    const ms = opts && opts.idlePollMs !== undefined ? opts.idlePollMs : IDLE_POLL_MS;
    if (clock && ms > 0) {
      const poll = this.poll = new IdlePoll(clock, function () { return self.list(); }, ms);
      engine.onState(function (st) { if (st === 'stopped') poll.stop(); });
    }
  }

  /** Open a client socket: kind 't' TCP, 'u' UDP, 's' TLS with the host as expected name, or a TLS name. */
  open(host: string, port: number, kind: string): Promise<Socket> {
    const self = this;
    const tls = kind !== 't' && kind !== 'u';
    if (tls && this.countTls() >= MAX_TLS_SOCKETS) {
      return Promise.reject(spwfError('Limit', 'the module holds at most ' + MAX_TLS_SOCKETS +
        ' TLS sockets at a time; close one first', { reasons: ['TLS sockets open: ' + this.countTls()] }));
    }
    // The parameters are checked before anything is sent (the clock gate talks to the module too).
    let cmd: Command;
    try {
      cmd = at.sockon(host, port, kind);
    } catch (e) {
      return Promise.reject(e);
    }
    const gate = tls && this.tlsGate ? this.tlsGate() : Promise.resolve();
    return gate.then(function () {
      return run(self.engine, function () { return cmd; });
    }).then(function (res) {
      const on = parse.parseOn(res);
      const s = new Socket(self, on.id, on.ip, tls);
      self.table[on.id] = s;
      if (self.poll) self.poll.arm();
      return s;
    });
  }

  get(id: number): Socket | undefined {
    return this.table[id];
  }

  /** The open sockets. */
  list(): Socket[] {
    const out: Socket[] = [];
    const ids = Object.keys(this.table);
    for (let i = 0; i < ids.length; i++) out.push(this.table[parseInt(ids[i], 10)]);
    return out;
  }

  count(): number {
    return Object.keys(this.table).length;
  }

  countTls(): number {
    const l = this.list();
    let n = 0;
    for (let i = 0; i < l.length; i++) if (l[i].tls) n++;
    return n;
  }

  forget(id: number): void {
    delete this.table[id];
  }

  private onWind(ev: WindEvent): void {
    if (ev.kind === 'PowerOn') {
      // The module rebooted: every socket it held is gone.
      const l = this.list();
      for (let i = 0; i < l.length; i++) l[i].lost();
      return;
    }
    if (ev.socket === undefined) return;
    const s = this.table[ev.socket];
    if (!s) return;
    if (ev.kind === 'PendingData') s.onPending();
    else if (ev.kind === 'SocketClosed') s.onPeerClosed();
  }
}
