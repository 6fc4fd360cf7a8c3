// Server sockets on the module (application note 3.1.4, table 5): AT+S.SOCKDON with t, u, s1 (TLS,
// one-way) or s2 (TLS, mutual authentication). A client is known once its handshake is done
// (+WIND:61 with its client id); its data, writes and close go through SOCKDQ/SOCKDR/SOCKDW/SOCKDC.
// The module runs at most two server processes; with TLS, at most two sockets overall in server mode.

import { Engine, EngineState } from '../at/engine';
import { WindEvent } from '../at/wind';
import * as at from '../at/commands';
import * as parse from '../at/parse';
import { run } from '../at/run';
import { spwfError } from '../errors';
import { Emitter } from '../util/emitter';
import { Clock } from '../host';
import { ModuleStream } from './module-stream';
import { IdlePoll } from './idle-poll';

export const MAX_SERVERS = 2;

/** A client of a server. Events and methods as a socket ('data', 'drain', 'end', 'close', 'error'). */
export class ServerClient extends ModuleStream {
  constructor(engine: Engine, readonly server: Server, clients: { [cid: string]: ServerClient }, id: number, readonly peerIp: string, readonly peerPort: number) {
    // its commands name the server and the client: SOCKDQ=<sid>,<cid>
    super(engine, clients, id, server.id + ',' + id);
  }
}

/** A listening server. Events: 'connection' (ServerClient), 'close'. */
export class Server extends Emitter {
  closed = false;
  private clients: { [cid: string]: ServerClient } = {};

  constructor(private owner: Servers, readonly id: number, readonly port: number, readonly kind: at.ServerKind) {
    super();
  }

  /** The clients connected now. */
  list(): ServerClient[] {
    const out: ServerClient[] = [];
    for (const cid in this.clients) out.push(this.clients[cid]);
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

  /** @internal */
  accept(ev: WindEvent): void {
    const cid = ev.client!;
    if (this.clients[cid]) return;
    const c = new ServerClient(this.owner.engine, this, this.clients, cid, ev.peerIp || '', ev.peerPort || 0);
    this.clients[cid] = c;
    this.owner.clientOpened();
    this.emit('connection', c);
  }

  /** @internal */
  gone(): void {
    if (this.closed) return;
    this.closed = true;
    const clients = this.list();
    for (let i = 0; i < clients.length; i++) clients[i].hint(5 /* lost */);
    this.owner.forget(this.id);
    this.emit('close');
  }
}

export class Servers extends IdlePoll {
  private table: { [sid: number]: Server } = {};

  /** `clock`: the host clock, for the slow poll of idle clients (see Sockets). */
  constructor(engine: Engine, clock?: Clock, idlePollMs?: number) {
    super(engine, clock, idlePollMs);
  }

  /** The clients of every server (the idle poll asks them). */
  list(): ServerClient[] {
    let all: ServerClient[] = [];
    const ids = Object.keys(this.table);
    for (let i = 0; i < ids.length; i++) all = all.concat(this.table[parseInt(ids[i], 10)].list());
    return all;
  }

  /** @internal a client connected: the idle poll runs while one is there. */
  clientOpened(): void {
    this.poll(true);
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

  protected engineEvent(ev: WindEvent | EngineState): void {
    if (typeof ev === 'string') {
      if (ev === 'stopped') this.poll(false);
      return;
    }
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
      if (ev.kind === 'PendingData') c.hint(1 /* pending */, ev.pending);
      // Deliver what it left, then free it on the module (which keeps it while data is unread).
      else if (ev.kind === 'ClientGone') c.hint(3 /* peer gone */);
    }
  }
}
