// A byte stream held by the module: a client socket, or a client of one of the module's servers.
// Writes are split into the module's 730-byte segments and kept in order; reads are driven by
// pending-data indications (+WIND:55) and confirmed by a query, because an indication is a hint that
// may be coalesced or lost, while the query is the truth. Events: 'data' (bytes), 'end' (the peer
// closed), 'close' (the stream is gone), 'error'.

import { Engine, Command } from '../at/engine';
import * as at from '../at/commands';
import * as parse from '../at/parse';
import { run } from '../at/run';
import { spwfError, isSpwfError } from '../errors';
import { Emitter } from '../util/emitter';

/** How many times a close is retried while the peer keeps sending (each retry reads what is pending). */
const CLOSE_ATTEMPTS = 3;

/** The module commands that address one stream. */
export interface StreamCommands {
  write(data: string): Command;
  query(): Command;
  read(len: number): Command;
  close(): Command;
}

export class ModuleStream extends Emitter {
  /** Set once the peer has closed; the module keeps the stream until it is closed here. */
  peerClosed = false;
  closed = false;
  private reading = false;
  private again = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(protected engine: Engine, private cmds: StreamCommands, private onGone: () => void) {
    super();
  }

  /** Send bytes (a byte string), split into the module's segments, in order. */
  write(data: string): Promise<void> {
    const self = this;
    const e = this.engine;
    if (this.closed) return Promise.reject(spwfError('SocketClosed', 'the socket is closed'));
    const p = this.writing.then(function () {
      let chain: Promise<any> = Promise.resolve();
      for (let off = 0; off < data.length; off += at.SEGMENT) {
        const part = data.substring(off, off + at.SEGMENT);
        chain = chain.then(function () { return run(e, function () { return self.cmds.write(part); }); });
      }
      return chain.then(noop);
    });
    // The next write waits for this one, whatever its outcome.
    this.writing = p.then(noop, noop);
    return p;
  }

  /** Close: reads what is still pending (the module refuses to close with unread data), bounded: each
   *  retry reads only what the module reported pending, so a peer that keeps streaming cannot hold the
   *  close forever — after CLOSE_ATTEMPTS it fails with the module's error 77. */
  close(): Promise<void> {
    const self = this;
    if (this.closed) return Promise.resolve();
    let attempts = 0;
    function attempt(): Promise<void> {
      attempts++;
      return run(self.engine, function () { return self.cmds.close(); }).then(function () {
        self.finish();
      }, function (err) {
        if (isSpwfError(err, 'ModuleError') && err.moduleCode === 77 && attempts < CLOSE_ATTEMPTS) {
          return self.readPending(true).then(attempt);
        }
        if (isSpwfError(err, 'ModuleError') && (err.moduleCode === 76 || err.moduleCode === 72)) {
          self.finish(); // the module no longer knows the stream: it is closed
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

  /** The peer closed: deliver what the module still holds, then 'end'. */
  onPeerClosed(): Promise<void> {
    this.peerClosed = true;
    const self = this;
    return this.readPending().then(function () { self.emit('end'); }, function (err) {
      self.emit('error', err);
      self.emit('end');
    });
  }

  /** The module restarted: the stream no longer exists there. */
  lost(): void {
    if (this.closed) return;
    this.emit('error', spwfError('SocketClosed', 'socket lost: the module restarted'));
    this.finish();
  }

  /** Read until the module reports nothing pending. `bounded` (a close waiting to retry): stop once as
   *  many bytes as the first query reported have been read, whatever arrived since. */
  readPending(bounded?: boolean): Promise<void> {
    const self = this;
    const e = this.engine;
    this.reading = true;
    this.again = false;
    let budget = -1;
    let taken = 0;
    function step(): Promise<void> {
      if (self.closed) return Promise.resolve();
      return run(e, function () { return self.cmds.query(); }).then(function (res) {
        const n = parse.parseQuery(res);
        if (bounded && budget < 0) budget = n;
        if (n <= 0 || (bounded && taken >= budget)) {
          if (self.again) {
            self.again = false;
            return step();
          }
          return undefined;
        }
        return run(e, function () { return self.cmds.read(Math.min(n, at.SEGMENT)); }).then(function (r) {
          taken += r.payload.length;
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

  protected finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onGone();
    this.emit('close');
  }
}

function noop(): void {}
