// Client sockets on the module (ids 0-7). Writes are split into the module's 730-byte segments; reads
// are driven by pending-data indications (+WIND:55) and confirmed by SOCKQ, because an indication is a
// hint that may be coalesced or lost, while the query is the truth.

import { Engine } from '../at/engine';
import { WindEvent } from '../at/wind';
import * as at from '../at/commands';
import * as parse from '../at/parse';
import { run } from '../at/run';
import { spwfError, isSpwfError } from '../errors';
import { Emitter } from '../util/emitter';

/** How many times a close is retried while the peer keeps sending (each retry reads what is pending). */
const CLOSE_ATTEMPTS = 3;

export class Socket extends Emitter {
  /** Set once the peer has closed (+WIND:58); the socket stays allocated until close(). */
  peerClosed = false;
  closed = false;
  private reading = false;
  private again = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(private owner: Sockets, readonly id: number, readonly remoteIp: string) {
    super();
  }

  /** Send bytes (a byte string), split into the module's segments, in order. */
  write(data: string): Promise<void> {
    const self = this;
    const e = this.owner.engine;
    if (this.closed) return Promise.reject(spwfError('SocketClosed', 'socket ' + this.id + ' is closed'));
    const p = this.writing.then(function () {
      let chain: Promise<any> = Promise.resolve();
      for (let off = 0; off < data.length; off += at.SEGMENT) {
        const part = data.substring(off, off + at.SEGMENT);
        chain = chain.then(function () { return run(e, function () { return at.sockw(self.id, part); }); });
      }
      return chain.then(function () { return undefined; });
    });
    // The next write waits for this one, whatever its outcome.
    this.writing = p.then(noop, noop);
    return p;
  }

  /** Close: reads what is still pending (the module refuses to close with unread data), bounded. */
  close(): Promise<void> {
    const self = this;
    const e = this.owner.engine;
    if (this.closed) return Promise.resolve();
    let attempts = 0;
    function attempt(): Promise<void> {
      attempts++;
      return run(e, function () { return at.sockc(self.id); }).then(function () {
        self.finish();
      }, function (err) {
        if (isSpwfError(err, 'ModuleError') && err.moduleCode === 77 && attempts < CLOSE_ATTEMPTS) {
          return self.readPending().then(attempt);
        }
        if (isSpwfError(err, 'ModuleError') && (err.moduleCode === 76 || err.moduleCode === 72)) {
          self.finish(); // the module no longer knows the socket: it is closed
          return undefined;
        }
        throw err;
      });
    }
    return this.writing.then(attempt);
  }

  /** Indication of pending data: start the read loop unless it already runs. */
  onPending(): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    const self = this;
    this.readPending().then(noop, function (err) { self.emit('error', err); });
  }

  onPeerClosed(): void {
    this.peerClosed = true;
    const self = this;
    // Deliver what is still buffered in the module, then tell the application.
    this.readPending().then(function () { self.emit('end'); }, function (err) {
      self.emit('error', err);
      self.emit('end');
    });
  }

  private readPending(): Promise<void> {
    const self = this;
    const e = this.owner.engine;
    this.reading = true;
    this.again = false;
    function step(): Promise<void> {
      if (self.closed) return Promise.resolve();
      return run(e, function () { return at.sockq(self.id); }).then(function (res) {
        const n = parse.parseQuery(res);
        if (n <= 0) {
          if (self.again) {
            self.again = false;
            return step();
          }
          return undefined;
        }
        return run(e, function () { return at.sockr(self.id, Math.min(n, at.SEGMENT)); }).then(function (r) {
          if (r.payload.length) self.emit('data', r.payload);
          return step();
        });
      });
    }
    return step().then(function () { self.reading = false; }, function (err) {
      self.reading = false;
      throw err;
    });
  }

  /** The module rebooted: the socket no longer exists there. */
  lost(): void {
    if (this.closed) return;
    this.emit('error', spwfError('SocketClosed', 'socket ' + this.id + ' lost: the module restarted'));
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.owner.forget(this.id);
    this.emit('close');
  }
}

export class Sockets {
  private table: { [id: number]: Socket } = {};

  constructor(readonly engine: Engine) {
    const self = this;
    engine.onWind(function (ev) { self.onWind(ev); });
  }

  /** Open a client socket: kind 't' TCP, 'u' UDP, 's' TLS with the host as expected name, or a TLS name. */
  open(host: string, port: number, kind: string): Promise<Socket> {
    const self = this;
    return run(this.engine, function () { return at.sockon(host, port, kind); }).then(function (res) {
      const on = parse.parseOn(res);
      const s = new Socket(self, on.id, on.ip);
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

function noop(): void {}
