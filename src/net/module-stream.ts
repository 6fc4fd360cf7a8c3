// A byte stream held by the module: a client socket, or a client of one of the module's servers.
//
// One command of this stream at a time, chosen by `step` each time the previous one answers: a flat
// loop driven by the engine's callbacks, so a long transfer holds no more memory than one block.
// - Reading: the bytes a pending-data indication (+WIND:55) reports, or a query (SOCKQ) reports, are
//   read in 730-byte blocks (SOCKR), each delivered to 'data' and dropped; a read's header says how
//   many bytes were pending before it, so a longer backlog is read on without a query in between. Once
//   nothing is known to be left, the module is asked again (SOCKQ) before the stream rests: an
//   indication may be coalesced or lost (the idle poll asks about a stream nobody asked about).
//   `pause()` stops reading (the module keeps the data: that is the flow control), `resume()` goes on.
//   A failed stream reads what is known to be pending, undelivered, before its close.
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
//   reads what one query reports and tries again, at most 3 times (as for a lost answer).
// Events: 'data' (bytes), 'drain', 'end' (the peer closed, everything read), 'close', 'error' (always
// followed by 'close', never after it).
//
// Memory on Espruino: every method is a live function (about 6 variables, +1 per parameter) and every
// field is held per stream, so the stream has few of each: the answer to a command and the choice of
// the next one are one method (`step`), failing and closing one (`fail`), and the signals of its owner
// one (`hint`), and what failed is sorted out apart (`failed`), off the path of a read.

import { Engine, Response } from '../at/engine';
import { SEGMENT } from '../at/command-line';
import { spwfError, SpwfError } from '../errors';
import { Emitter } from '../util/emitter';

// What the owner tells a stream (`hint`): 1 pending data (an indication); 2 the peer closed (deliver
// what the module still holds, then 'end'); 3 the same, then close it (a server's client: the module
// keeps it until then); 4 the idle poll (ask about a stream nobody asked about since the last poll: a
// lost indication then costs a delay, never data); 5 lost (the module restarted, or the server is gone).
//
// State bits of `f`, in one number to keep each stream small:
//   1 read wanted (an indication or the idle poll says the module may hold data), 2 busy (a command of
//   this stream is in flight), 4 closing, 8 peer end (the peer closed: read the rest, then 'end'),
//   16 ended ('end' emitted), 32 closed, 64 turn write (when both are due, a write goes next: reads and
//   writes alternate), 128 queried (the module was asked since the last idle poll), 256 need drain
//   (write() returned false: 'drain' is owed), 512 failed ('error' emitted: closing in the module,
//   nothing more delivered), 1024 paused, 2048 close after end, 4096 query once (a close refused over
//   unread data, 77: query once, though closing), 8192 hinted (what is known to be pending comes from an
//   indication or a read's header, not from a query).
// What the stream asks the module is the letter of its command: W (SOCKW), Q, R, C.
// Numbers and letters are written out: on the board a named constant is a variable.

export class ModuleStream extends Emitter {
  /** Bytes the module has accepted for this stream. */
  bytesWritten = 0;
  /** Bytes written and not yet sent to the module. */
  writableLength = 0;
  /** Bytes waiting to be sent above which write() returns false (on the prototype: 2 segments). */
  declare highWater: number;
  private f = 0;
  /** Bytes the module reported pending and not yet read (undefined, no field, until then: a field is held
   *  per stream; `undefined > 0` is false). */
  declare private known: number;
  /** Written bytes not yet sent: whole writes, the first one sent up to `woff`. */
  declare private out: string[] | undefined;
  declare private woff: number | undefined;
  declare private tries: number;
  declare private closeP: Promise<void> | undefined;
  declare private closeOk: (() => void) | undefined;
  declare private closeErr: ((err: SpwfError) => void) | undefined;

  /** `streams`: the owner's streams by id (the stream leaves it when closed); `addr`: what follows `=`
   *  in its commands (the socket id, or the server id and the client id). (Not `engine` nor `table`: names
   *  the application or Espruino use are not shortened on the board, and a long name costs per stream.) */
  constructor(private eng: Engine, private streams: { [id: string]: ModuleStream }, readonly id: number, private addr: number | string) {
    super();
  }

  /** Set once the peer has closed; the module keeps the stream until it is closed here. */
  get peerClosed(): boolean {
    return (this.f & 8 /* peer end */) !== 0;
  }

  get closed(): boolean {
    return (this.f & 32 /* closed */) !== 0;
  }

  /** Queue bytes (a byte string). Returns false once more than `highWater` bytes wait: wait for
   *  'drain' before writing more. Throws SocketClosed on a closed or closing stream, or after a failed
   *  write (the error was emitted). */
  write(data: string): boolean {
    if (this.f & (32 /* closed */ | 4 /* closing */ | 512 /* failed */)) {
      throw spwfError('SocketClosed', this.f & 512 /* failed */ ? 'the socket failed (its error said why)' : 'the socket is closed');
    }
    if (data.length) {
      if (this.out) this.out.push(data);
      else this.out = [data];
      this.writableLength += data.length;
      this.step();
    }
    if (this.writableLength <= this.highWater) return true;
    this.f |= 256 /* need drain */;
    return false;
  }

  /** Stop reading from the module (it keeps the data) until resume(). */
  pause(): void {
    this.f |= 1024 /* paused */;
  }

  resume(): void {
    this.f &= ~1024 /* paused */;
    this.step();
  }

  /** Close once queued writes are sent; reads what the module still holds if it refuses (error 77). */
  close(): Promise<void> {
    const self = this;
    if (this.f & 32 /* closed */) return Promise.resolve();
    if (!this.closeP) {
      this.closeP = new Promise<void>(function (resolve, reject) {
        self.closeOk = resolve;
        self.closeErr = reject;
      });
      this.tries = 0;
      this.f |= 4 /* closing */;
      this.step();
    }
    return this.closeP;
  }

  /** What the owner learnt about the stream (1 pending, 2 peer closed, 3 peer gone, 4 poll, 5 lost: see the
   *  top); `pending`: the bytes an indication of pending data says the module holds. */
  hint(h: number, pending?: number): void {
    if (h === 5 /* lost */) return this.fail(spwfError('SocketClosed', 'socket lost: the module restarted'), true);
    if (h !== 4 /* poll */ || !(this.f & (128 /* queried */ | 4 /* closing */))) {
      this.f |= 1 /* read wanted */ | (h === 2 /* peer closed */ ? 8 /* peer end */ : h === 3 /* peer gone */ ? 8 /* peer end */ | 2048 /* close after end */ : 0);
      // An indication's count of pending bytes is what the module held when it spoke, and indications
      // arrive in the module's order with the answers to reads: it is read without a query first (not
      // while closing: a peer that keeps streaming must not hold the close).
      if (pending! > 0 && !(this.f & 4 /* closing */)) {
        this.known = pending!;
        this.f |= 8192 /* hinted */;
      }
      this.step();
    }
    if (h === 4 /* poll */) this.f &= ~128 /* queried */;
  }

  // ---- the loop ----------------------------------------------------------------------------------

  /**
   * The loop: takes the answer to the command in flight (`op`, with `n` the bytes it wrote), if any,
   * then starts the next command, if none is in flight.
   */
  private step(op?: string, n?: number, err?: SpwfError | null, res?: Response): void {
    if (err) {
      this.failed(op!, n!, err);
      // A module restart: the stream is lost (the restart's +WIND:1 follows, hint 5), so nothing more is
      // sent for it; what waits to be written is reported there as not sent, not lost in a dead command.
      if (err.code === 'ModuleReset') return;
    } else if (op === 'R') {
      // `AT-S.Reading:<n>:<m>`: n bytes follow, m were pending before this read (not used while closing:
      // a peer that keeps streaming must not hold the close)
      // (the payload's length once: on the board a string's length is counted over its blocks at each read)
      const p = res!.payload;
      const k = p.length;
      // (m is read only when bytes came: the framer then obeyed the first line, a well-formed header whose
      // counts are digits only, so a unary plus reads it exactly)
      const h = res!.lines[0] || '';
      const m = k && !(this.f & 4 /* closing */) ? +h.substr(h.indexOf(':', 13) + 1) : 0;
      const left = (m > this.known ? m : this.known) - k;
      if (k && left > 0) {
        this.known = left;
        this.f |= 8192 /* hinted */;
      } else {
        this.known = 0;
        this.f |= 1 /* read wanted */; // what arrived meanwhile: ask again before resting
      }
      if (k && !(this.f & 512 /* failed */)) this.emit('data', p);
    } else if (op === 'Q') {
      // `AT-S.Query:<n>`: the bytes pending now
      const l = res!.lines;
      let q = NaN;
      for (let i = 0; i < l.length; i++) if (l[i].startsWith('AT-S.Query:')) q = parseInt(l[i].substr(11), 10);
      if (q >= 0) {
        this.known = q;
        this.f &= ~8192 /* hinted */;
      } else this.failed(op, 0, spwfError('ModuleError', 'malformed query answer'));
    } else if (op === 'W') this.bytesWritten += n!;
    else if (op === 'C') this.fail(null, true);

    // The next command.
    const f = this.f;
    if (f & (2 /* busy */ | 32 /* closed */)) return;
    const readDue = this.known > 0 ? !(f & 1024 /* paused */) || (f & 4 /* closing */) !== 0
      : (f & 4096 /* query once */) !== 0 || ((f & 1 /* read wanted */) !== 0 && !(f & 1024 /* paused */) && (!(f & 4 /* closing */) || (f & 8 /* peer end */) !== 0));
    const writeDue = this.writableLength > 0;
    let next: string;
    let arg = '';
    if (readDue && !(writeDue && (f & 64 /* turn write */))) {
      if (this.known > 0) {
        next = 'R';
        arg = ',' + (this.known < SEGMENT ? this.known : SEGMENT);
        this.f |= 64 /* turn write */;
      } else {
        next = 'Q';
        this.f = (f & ~(1 /* read wanted */ | 4096 /* query once */)) | 128 /* queried */ | 64 /* turn write */;
      }
    } else if (writeDue) {
      // Small writes are joined into one segment; a large one is cut without copying its remainder.
      const out = this.out!;
      let woff = this.woff || 0;
      while (out.length && arg.length < SEGMENT) {
        const s = out[0];
        const end = s.length < woff + SEGMENT - arg.length ? s.length : woff + SEGMENT - arg.length;
        arg += woff === 0 && end === s.length ? s : s.substring(woff, end);
        if (end === s.length) {
          out.shift();
          woff = 0;
        } else woff = end;
      }
      this.woff = woff;
      if (!out.length) this.out = undefined;
      this.writableLength -= arg.length;
      this.f &= ~64 /* turn write */;
      next = 'W';
    } else if (f & 4 /* closing */) {
      this.tries++;
      next = 'C';
    } else {
      if ((f & (8 /* peer end */ | 16 /* ended */)) === 8 /* peer end */ && !(f & 1 /* read wanted */)) {
        this.f |= 16 /* ended */;
        this.emit('end');
        if (f & 2048 /* close after end */) this.close().then(undefined, function () { /* 'error' said why */ });
      }
      return;
    }
    const self = this;
    const len = arg.length;
    const line = 'AT+S.SOCK' + (typeof this.addr === 'string' ? 'D' : '') + next + '=' + this.addr;
    this.f |= 2 /* busy */;
    // The timeouts of ../at/command-line.ts's table, as literals (a top-level constant is a variable on the board).
    this.eng.send(next === 'W' ? { line: line + ',' + len, payload: arg, timeoutMs: 10000 }
      : { line: next === 'R' ? line + arg : line, timeoutMs: next === 'R' ? 13000 : next === 'Q' ? 2000 : 10000 },
    function (err, res) {
      self.f &= ~2 /* busy */;
      if (!(self.f & 32 /* closed */)) self.step(next, len, err, res); // nothing reaches the application after 'close'
    });
    if (next === 'W' && (this.f & (256 /* need drain */ | 512 /* failed */ | 32 /* closed */)) === 256 /* need drain */ && this.writableLength === 0) {
      // The last waiting bytes are on their way: the writer may go on while they are sent.
      this.f &= ~256 /* need drain */;
      this.emit('drain');
    }
  }

  /** The command `op` (of `n` bytes, for a write) failed. */
  private failed(op: string, n: number, err: SpwfError): void {
    const code = err.code;
    // Module errors 72 (socket not open) and 76 (invalid socket id): the module no longer knows it.
    const unknown = code === 'ModuleError' && (err.moduleCode === 76 || err.moduleCode === 72);
    if (op === 'W') {
      const reasons = [this.writableLength + ' more bytes not sent'];
      // A module restart during the write: the restart has closed the stream as well.
      if (code === 'ModuleReset' || code === 'Timeout') {
        // Never resent blindly: the application is told the outcome is unknown, and decides.
        err.message = 'write outcome unknown: ' + err.message;
        reasons.unshift('a segment of ' + n + ' bytes may or may not have reached the peer (its answer was lost)');
      } else reasons.unshift('a segment of ' + n + ' bytes was not sent');
      err.reasons = (err.reasons || []).concat(reasons);
      this.fail(err, code === 'ModuleReset');
    } else if (op === 'C') {
      // Refused over unread data (77): read what the module reports pending now (only that: a peer that
      // keeps streaming cannot hold the close forever), then try again. Answer lost: try again (a close
      // that did happen then answers 76: closed).
      const retry = this.tries < 3;
      if (retry && code === 'ModuleError' && err.moduleCode === 77) this.f |= 4096 /* query once */;
      else if (retry && code === 'Timeout') {
        // tried again by the loop
      } else if (!unknown && code !== 'ModuleReset' && !(this.f & 512 /* failed */)) {
        this.f &= ~4 /* closing */;
        const cb = this.closeErr;
        this.closeP = this.closeOk = this.closeErr = undefined;
        if (cb) cb(err);
      } else {
        // The module no longer knows the stream (or restarted): closed as well; or a failed stream whose
        // close the module refused: given up (resolves close()).
        this.fail(null, true);
      }
    } else {
      // A read or a query.
      const f = this.f;
      this.known = 0;
      // The next idle poll asks again; after a read that only an indication's count asked for, a query
      // asks at once (were the count more than the module holds, a module that does not cap the read
      // would refuse it).
      this.f = (f & ~(1 /* read wanted */ | 128 /* queried */ | 8192 /* hinted */)) | (op === 'R' && code === 'ModuleError' && f & 8192 /* hinted */ ? 1 /* read wanted */ : 0);
      if (f & 4 /* closing */) return; // the close goes on and reports its own outcome
      if (unknown) {
        this.fail(spwfError('SocketClosed', 'socket lost: the module no longer knows it'), true);
      } else if (op === 'R' && code !== 'ModuleError' && code !== 'ModuleReset') {
        // A read whose answer was lost took bytes out of the module that never arrived here.
        err.message = 'read outcome unknown: received bytes may be missing (' + err.message + ')';
        this.fail(err);
      }
      // Anything else lost nothing: the idle poll asks again. ModuleReset: the restart closes the stream
      // (hint 5).
    }
  }

  /** The stream cannot go on (`err`): one 'error' (none if it failed before), then it is closed in the
   *  module (SOCKC: its slot is freed) and 'close'. `gone`: the module no longer holds it (it restarted,
   *  does not know the id, or closed it): 'close' at once (without `err`: closed as asked). */
  private fail(err: SpwfError | null, gone?: boolean): void {
    const f = this.f;
    const waiting = this.writableLength;
    // (What is known to be pending is kept: a failed stream reads it, undelivered, before its close, which
    // the module would otherwise refuse over unread data, 77.)
    this.out = undefined;
    this.writableLength = 0;
    this.woff = 0;
    if (f & 32 /* closed */) return;
    if (err) {
      this.f |= 512 /* failed */;
      if (!(f & 512 /* failed */)) {
        // The module's OK to a write means it took the bytes, not that the peer got them.
        if (gone && this.bytesWritten) err.message += '; delivery unknown for the last of the ' + this.bytesWritten + ' bytes the module accepted';
        // Bytes write() took that never went to the module (behind a read, say): not sent, and said so.
        if (waiting) err.message += '; ' + waiting + ' bytes waiting to be written were not sent';
        this.emit('error', err);
      }
      if (!gone) {
        // closed in the module, unless the application closes it already (from its handler, or before)
        if (!(this.f & 4 /* closing */)) {
          this.f |= 4 /* closing */;
          this.tries = 0;
          this.step();
        }
        return;
      }
    }
    this.f |= 32 /* closed */;
    delete this.streams[this.id];
    this.emit('close');
    // A close() waiting (also behind a write when the stream was lost): it is closed.
    const cb = this.closeOk;
    this.closeP = this.closeOk = this.closeErr = undefined;
    if (cb) cb();
  }
}

(ModuleStream.prototype as any).highWater = 2 * SEGMENT;
