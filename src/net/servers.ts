// Server sockets on the module (application note 3.1.4, table 5): AT+S.SOCKDON with t, u, s1 (TLS,
// one-way) or s2 (TLS, mutual authentication). A client is known once its handshake is done
// (+WIND:61 with its client id); its data, writes and close go through SOCKDQ/SOCKDR/SOCKDW/SOCKDC.
// The module runs at most two server processes; with TLS, at most two sockets overall in server mode.

import { Engine, Command } from '../at/engine';
import { WindEvent } from '../at/wind';
import * as at from '../at/commands';
import * as parse from '../at/parse';
import { run } from '../at/run';
import { spwfError } from '../errors';
import { Emitter } from '../util/emitter';
import { Clock } from '../host';
import { ModuleStream, OP_WRITE, OP_QUERY, OP_READ } from './module-stream';
import { IdlePoll, IDLE_POLL_MS } from './idle-poll';

export const MAX_SERVERS = 2;

/** A client of a server. Events and methods as a socket ('data', 'drain', 'end', 'close', 'error'). */
export class ServerClient extends ModuleStream {
  constructor(engine: Engine, readonly server: Server, readonly id: number, readonly peerIp: string, readonly peerPort: number) {
    super(engine);
  }

  protected cmd(op: number, arg?: any): Command {
    const sid = this.server.id;
    const id = this.id;
    return op === OP_WRITE ? at.sockdw(sid, id, arg) : op === OP_QUERY ? at.sockdq(sid, id)
      : op === OP_READ ? at.sockdr(sid, id, arg) : at.sockdc(sid, id);
  }

  protected gone(): void {
    this.server.forget(this.id);
  }
}

/** A listening server. Events: 'connection' (ServerClient), 'close'. */
export class Server extends Emitter {
  closed = false;
  private clients: { [cid: number]: ServerClient } = {};

  constructor(private owner: Servers, readonly id: number, readonly port: number, readonly kind: at.ServerKind) {
    super();
  }

  /** The clients connected now. */
  list(): ServerClient[] {
    const out: ServerClient[] = [];
    const ids = Object.keys(this.clients);
    for (let i = 0; i < ids.length; i++) out.push(this.clients[parseInt(ids[i], 10)]);
    return out;
  }

  client(cid: number): ServerClient | undefined {
    return this.clients[cid];
  }

  /** Stop listening and close every client (SOCKDC=<sid>). */
  close(): Promise<void> {
    const self = this;
    if (this.closed) return Promise.resolve();
    const clients = this.list();
    // Read what clients still hold first: the module refuses to close over unread data.
    let chain: Promise<any> = Promise.resolve();
    for (let i = 0; i < clients.length; i++) {
      const c = clients[i];
      chain = chain.then(function () { return c.close(); }).then(null, function () { /* closing the server below */ });
    }
    return chain.then(function () {
      return run(self.owner.engine, function () { return at.sockdc(self.id); });
    }).then(function () { self.gone(); });
  }

  forget(cid: number): void {
    delete this.clients[cid];
  }

  /** @internal */
  accept(ev: WindEvent): void {
    const cid = ev.client!;
    if (this.clients[cid]) return;
    const c = new ServerClient(this.owner.engine, this, cid, ev.peerIp || '', ev.peerPort || 0);
    this.clients[cid] = c;
    this.owner.clientOpened();
    this.emit('connection', c);
  }

  /** @internal */
  gone(): void {
    if (this.closed) return;
    this.closed = true;
    const clients = this.list();
    for (let i = 0; i < clients.length; i++) clients[i].lost();
    this.owner.forget(this.id);
    this.emit('close');
  }
}

export class Servers {
  private table: { [sid: number]: Server } = {};
  private poll: IdlePoll | null = null;

  /** `clock`: the host clock, for the slow poll of idle clients (see Sockets). */
  constructor(readonly engine: Engine, clock?: Clock, idlePollMs?: number) {
    const self = this;
    engine.onWind(this.onWind, this, 1 /* socket traffic */);
    const ms = idlePollMs !== undefined ? idlePollMs : IDLE_POLL_MS;
    if (clock && ms > 0) {
      this.poll = new IdlePoll(clock, function () {
        let all: ModuleStream[] = [];
        const ids = Object.keys(self.table);
        for (let i = 0; i < ids.length; i++) all = all.concat(self.table[parseInt(ids[i], 10)].list());
        return all;
      }, ms);
      const poll = this.poll;
      engine.onState(function (st) { if (st === 'stopped') poll.stop(); });
    }
  }

  /** @internal a client connected: the idle poll runs while one is there. */
  clientOpened(): void {
    if (this.poll) this.poll.arm();
  }

  /** Listen on a port: 't' TCP, 'u' UDP, 's1' TLS, 's2' TLS with client certificates. */
  listen(port: number, kind: at.ServerKind): Promise<Server> {
    const self = this;
    if (this.count() >= MAX_SERVERS) {
      return Promise.reject(spwfError('Limit', 'the module runs at most ' + MAX_SERVERS + ' servers at a time; close one first'));
    }
    return run(this.engine, function () { return at.sockdon(port, kind); }).then(function (res) {
      const sid = parse.parseServerOn(res);
      const s = new Server(self, sid, port, kind);
      self.table[sid] = s;
      return s;
    });
  }

  get(sid: number): Server | undefined {
    return this.table[sid];
  }

  count(): number {
    return Object.keys(this.table).length;
  }

  forget(sid: number): void {
    delete this.table[sid];
  }

  private onWind(ev: WindEvent): void {
    if (ev.kind === 'PowerOn') {
      const ids = Object.keys(this.table);
      for (let i = 0; i < ids.length; i++) this.table[parseInt(ids[i], 10)].gone();
      return;
    }
    if (ev.server === undefined) return;
    const s = this.table[ev.server];
    if (!s) return;
    if (ev.kind === 'IncomingClient' && ev.client !== undefined) s.accept(ev);
    else if (ev.client !== undefined) {
      const c = s.client(ev.client);
      if (!c) return;
      if (ev.kind === 'PendingData') c.onPending();
      else if (ev.kind === 'ClientGone') {
        // Deliver what it left, then free it on the module (which keeps it while data is unread).
        c.onPeerClosed(true);
      }
    }
  }
}
