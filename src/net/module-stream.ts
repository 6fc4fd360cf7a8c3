// A byte stream held by the module: a client socket, or a client of one of the module's servers.
//
// One command of this stream at a time, chosen by `pump` each time the previous one answers: a flat
// loop driven by the engine's callbacks, so a long transfer holds no more memory than one block.
// - Reading: a pending-data indication (+WIND:55) or the idle poll asks for a query (SOCKQ); the
//   query is the truth (an indication is a hint that may be coalesced or lost). The bytes it reports
//   are read in 730-byte blocks (SOCKR), each delivered to 'data' and dropped, then the module is asked
//   again. `pause()` stops reading (the module keeps the data: that is the flow control), `resume()`
//   goes on.
// - Writing: `write(data)` queues bytes and returns false once more than `highWater` bytes wait (the
//   caller should wait for 'drain', as with Node streams); they go out in 730-byte segments (SOCKW).
//   The module's OK means it took the bytes, not that the peer got them (see `fail`).
// - Failing: a failed segment, a read whose answer was lost (bytes may be missing), or the module
//   restarting fails the stream: one 'error' saying what is known — how many bytes were not sent, and
//   "unknown" where the outcome is (a segment whose answer was lost is never resent blindly) — then the
//   layer closes the stream in the module itself (SOCKC: its slot is freed, nothing more is delivered)
//   and emits 'close'. A query that fails loses nothing: the idle poll asks again, without an error.
// - Closing: waits for queued writes and the command in flight; nothing is asked about the stream
//   after its close command. The module refuses to close over unread data (error 77): the close then
//   reads what one query reports and tries again, at most CLOSE_ATTEMPTS times (as for a lost answer).
// Events: 'data' (bytes), 'drain', 'end' (the peer closed, everything read), 'close', 'error' (always
// followed by 'close', never after it).

import { Engine, Command, Response } from '../at/engine';
import { SEGMENT } from '../at/commands';
import * as parse from '../at/parse';
import { spwfError, isSpwfError, SpwfError } from '../errors';
import { Emitter } from '../util/emitter';

/** How many times a close is tried while the peer keeps sending (each retry reads what is pending). */
const CLOSE_ATTEMPTS = 3;

/** What the stream asks the module (see `cmd`). */
export const OP_WRITE = 0;
export const OP_QUERY = 1;
export const OP_READ = 2;
export const OP_CLOSE = 3;

// State bits, in one number to keep each stream small.
const READ_WANTED = 1; // an indication or the idle poll says the module may hold data
const BUSY = 2; // a command of this stream is in flight
const CLOSING = 4;
const PEER_END = 8; // the peer closed: read the rest, then 'end'
const ENDED = 16; // 'end' emitted
const CLOSED = 32;
const TURN_WRITE = 64; // when both are due, a write goes next (reads and writes alternate)
const QUERIED = 128; // the module was asked since the last idle poll
const NEED_DRAIN = 256; // write() returned false: 'drain' is owed
const FAILED = 512; // 'error' emitted: closing in the module, nothing more delivered
const PAUSED = 1024;
const CLOSE_AFTER_END = 2048;

export abstract class ModuleStream extends Emitter {
  /** Bytes the module has accepted for this stream. */
  bytesWritten = 0;
  /** Bytes waiting to be sent above which write() returns false (on the prototype: 2 segments). */
  declare highWater: number;
  private f = 0;
  /** Bytes the module reported pending and not yet read. */
  private known = 0;
  /** Written bytes not yet sent: whole writes, the first one sent up to `woff`. */
  private out: string[] | null = null;
  private woff = 0;
  private outLen = 0;
  private tries = 0;
  private closeP: Promise<void> | null = null;
  private closeCb: ((err: SpwfError | null) => void) | null = null;

  constructor(protected engine: Engine) {
    super();
  }

  /** The command `op` (OP_*) for this stream; `arg`: the bytes to write or the length to read. */
  protected abstract cmd(op: number, arg?: any): Command;

  /** Called once when the stream is gone (to forget it in its table). */
  protected abstract gone(): void;

  /** Set once the peer has closed; the module keeps the stream until it is closed here. */
  get peerClosed(): boolean {
    return (this.f & PEER_END) !== 0;
  }

  get closed(): boolean {
    return (this.f & CLOSED) !== 0;
  }

  /** Bytes written and not yet sent to the module. */
  get writableLength(): number {
    return this.outLen;
  }

  /** Queue bytes (a byte string). Returns false once more than `highWater` bytes wait: wait for
   *  'drain' before writing more. Throws SocketClosed on a closed or closing stream, or after a failed
   *  write (the error was emitted). */
  write(data: string): boolean {
    if (this.f & (CLOSED | CLOSING | FAILED)) {
      throw spwfError('SocketClosed', this.f & FAILED ? 'the socket failed (its error said why)' : 'the socket is closed');
    }
    if (data.length) {
      if (this.out) this.out.push(data);
      else this.out = [data];
      this.outLen += data.length;
      this.pump();
    }
    if (this.outLen <= this.highWater) return true;
    this.f |= NEED_DRAIN;
    return false;
  }

  /** Stop reading from the module (it keeps the data) until resume(). */
  pause(): void {
    this.f |= PAUSED;
  }

  resume(): void {
    this.f &= ~PAUSED;
    this.pump();
  }

  /** Close once queued writes are sent; reads what the module still holds if it refuses (error 77). */
  close(): Promise<void> {
    const self = this;
    if (this.f & CLOSED) return Promise.resolve();
    if (!this.closeP) {
      this.closeP = new Promise<void>(function (resolve, reject) {
        self.closeCb = function (err) {
          self.closeP = null;
          self.closeCb = null;
          if (err) reject(err);
          else resolve();
        };
      });
      this.tries = 0;
      this.f |= CLOSING;
      this.pump();
    }
    return this.closeP;
  }

  /** Indication of pending data. */
  onPending(): void {
    this.f |= READ_WANTED;
    this.pump();
  }

  /** The peer closed: deliver what the module still holds, then 'end' (then close, if asked). */
  onPeerClosed(closeAfterEnd?: boolean): void {
    this.f |= PEER_END | READ_WANTED | (closeAfterEnd ? CLOSE_AFTER_END : 0);
    this.pump();
  }

  /** The idle poll: ask the module about a stream nobody asked about since the last poll (a lost
   *  indication then costs a delay, never data). */
  idlePoll(): void {
    if (!(this.f & (QUERIED | CLOSING))) this.onPending();
    this.f &= ~QUERIED;
  }

  /** The module restarted: the stream no longer exists there. */
  lost(): void {
    this.fail(spwfError('SocketClosed', 'socket lost: the module restarted'), true);
  }

  // ---- the loop ----------------------------------------------------------------------------------

  /** Start the next command, if none is in flight. */
  private pump(): void {
    const f = this.f;
    if (f & (BUSY | CLOSED)) return;
    const readDue = this.known > 0 ? !(f & PAUSED) || (f & CLOSING) !== 0
      : (f & READ_WANTED) !== 0 && !(f & PAUSED) && (!(f & CLOSING) || (f & PEER_END) !== 0);
    const writeDue = this.outLen > 0;
    if (readDue && !(writeDue && (f & TURN_WRITE))) {
      this.f |= TURN_WRITE;
      if (this.known > 0) this.send(OP_READ, Math.min(this.known, SEGMENT));
      else {
        this.f = (this.f & ~READ_WANTED) | QUERIED;
        this.send(OP_QUERY);
      }
    } else if (writeDue) {
      this.f &= ~TURN_WRITE;
      this.writeSegment();
    } else if (f & CLOSING) {
      this.tries++;
      this.send(OP_CLOSE);
    } else if ((f & (PEER_END | ENDED)) === PEER_END && !(f & READ_WANTED)) {
      this.f |= ENDED;
      this.emit('end');
      if (f & CLOSE_AFTER_END) this.close().then(noop, noop);
    }
  }

  private writeSegment(): void {
    const out = this.out!;
    let seg = '';
    // Small writes are joined into one segment; a large one is cut without copying its remainder.
    while (out.length && seg.length < SEGMENT) {
      const s = out[0];
      const end = Math.min(s.length, this.woff + SEGMENT - seg.length);
      seg += this.woff === 0 && end === s.length ? s : s.substring(this.woff, end);
      if (end === s.length) {
        out.shift();
        this.woff = 0;
      } else this.woff = end;
    }
    if (!out.length) this.out = null;
    this.outLen -= seg.length;
    this.send(OP_WRITE, seg);
    if ((this.f & (NEED_DRAIN | FAILED | CLOSED)) === NEED_DRAIN && this.outLen === 0) {
      // The last waiting bytes are on their way: the writer may go on while they are sent.
      this.f &= ~NEED_DRAIN;
      this.emit('drain');
    }
  }

  private send(op: number, arg?: any): void {
    const self = this;
    let c: Command;
    try {
      c = this.cmd(op, arg);
    } catch (e) {
      this.done(op, arg, e as SpwfError);
      return;
    }
    this.f |= BUSY;
    this.engine.send(c, function (err, res) {
      self.f &= ~BUSY;
      if (self.f & CLOSED) return; // nothing reaches the application after 'close'
      self.done(op, arg, err, res);
      self.pump();
    });
  }

  private done(op: number, arg: any, err: SpwfError | null, res?: Response): void {
    if (op === OP_WRITE) {
      if (!err) {
        this.bytesWritten += arg.length;
        return;
      }
      const reasons = [this.outLen + ' more bytes not sent'];
      // A module restart during the write: the restart has closed the stream as well.
      const reset = isSpwfError(err, 'ModuleReset');
      if (reset || isSpwfError(err, 'Timeout')) {
        // Never resent blindly: the application is told the outcome is unknown, and decides.
        err.message = 'write outcome unknown: ' + err.message;
        reasons.unshift('a segment of ' + arg.length + ' bytes may or may not have reached the peer (its answer was lost)');
      } else reasons.unshift('a segment of ' + arg.length + ' bytes was not sent');
      err.reasons = (err.reasons || []).concat(reasons);
      this.fail(err, reset);
    } else if (op === OP_CLOSE) {
      this.closeAnswered(err);
    } else if (err) {
      this.readFailed(err, op);
    } else if (op === OP_QUERY) {
      try {
        this.known = parse.parseQuery(res!);
      } catch (e) {
        this.readFailed(e as SpwfError, op);
      }
    } else {
      const p = res!.payload;
      this.known = p.length && this.known > p.length ? this.known - p.length : 0;
      if (!this.known) this.f |= READ_WANTED; // what arrived meanwhile: ask again before resting
      if (p.length && !(this.f & FAILED)) this.emit('data', p);
    }
  }

  private closeAnswered(err: SpwfError | null): void {
    const cb = this.closeCb;
    if (err && this.tries < CLOSE_ATTEMPTS) {
      // Refused over unread data (77): read what the module reports pending now (only that: a peer that
      // keeps streaming cannot hold the close forever), then try again. Answer lost: try again (a close
      // that did happen then answers 76: closed).
      if (isSpwfError(err, 'ModuleError') && err.moduleCode === 77) {
        this.send(OP_QUERY);
        return;
      }
      if (isSpwfError(err, 'Timeout')) return;
    }
    if (err && !unknownStream(err) && !isSpwfError(err, 'ModuleReset') && !(this.f & FAILED)) {
      this.f &= ~CLOSING;
      if (cb) cb(err);
      return;
    }
    // Closed; or the module no longer knows the stream (or restarted): closed as well; or a failed
    // stream whose close the module refused: given up (resolves close()).
    this.finish();
  }

  private readFailed(err: SpwfError, op: number): void {
    this.known = 0;
    this.f &= ~(READ_WANTED | QUERIED); // the next idle poll asks again
    if (this.f & CLOSING) return; // the close goes on and reports its own outcome
    if (unknownStream(err)) {
      this.fail(spwfError('SocketClosed', 'socket lost: the module no longer knows it'), true);
    } else if (op === OP_READ && err.code !== 'ModuleError' && err.code !== 'ModuleReset') {
      // A read whose answer was lost took bytes out of the module that never arrived here.
      err.message = 'read outcome unknown: received bytes may be missing (' + err.message + ')';
      this.fail(err);
    }
    // Anything else lost nothing: the idle poll asks again. ModuleReset: the restart closes the stream
    // (lost()).
  }

  /** The stream cannot go on: one 'error' (none if it failed before), then it is closed in the module
   *  (SOCKC: its slot is freed) and 'close'. `gone`: the module no longer holds it (it restarted, or does
   *  not know the id): 'close' at once. */
  private fail(err: SpwfError, gone?: boolean): void {
    const f = this.f;
    this.out = null;
    this.outLen = 0;
    this.woff = 0;
    this.known = 0;
    if (f & CLOSED) return;
    this.f |= FAILED;
    if (!(f & FAILED)) {
      // The module's OK to a write means it took the bytes, not that the peer got them.
      if (gone && this.bytesWritten) err.message += '; delivery unknown for the last of the ' + this.bytesWritten + ' bytes the module accepted';
      this.emit('error', err);
    }
    if (gone) this.finish();
    else if (!(this.f & CLOSING)) {
      // unless the application closes it already (from its handler, or before)
      this.f |= CLOSING;
      this.tries = 0;
      this.pump();
    }
  }

  protected finish(): void {
    if (this.f & CLOSED) return;
    this.f |= CLOSED;
    this.out = null;
    this.outLen = 0;
    this.gone();
    this.emit('close');
    // A close() waiting behind a write when the stream was lost: it is closed.
    const cb = this.closeCb;
    if (cb) cb(null);
  }
}

(ModuleStream.prototype as any).highWater = 2 * SEGMENT;

/** Module errors 72 (socket not open) and 76 (invalid socket id): the module no longer knows it. */
function unknownStream(err: SpwfError): boolean {
  return isSpwfError(err, 'ModuleError') && (err.moduleCode === 76 || err.moduleCode === 72);
}

function noop(): void {}
