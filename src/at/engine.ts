// The AT engine: one command in flight, a bounded queue behind it, a timeout on every command,
// resynchronisation after a timeout, and +WIND indications routed to a decoder.
//
// Line routing: `+WIND:` -> decoder; `AT-S.OK` / `AT-S.ERROR` -> final result of the command in flight;
// an echoed command line -> skipped; anything else -> the command in flight (or counted as unknown).
// Results and indications are queued while the parser runs and delivered after it returns, so no
// callback ever re-enters the parser, and no exception escapes a UART or timer callback.
// Speed on Espruino: the interpreter pays for every call and every token it reads, so a line goes from
// the framer to line() and, for a +WIND, to decodeWind(): two calls; nothing per line is a closure.

import { Host } from '../host';
import { Framer, FramerStats } from './framer';
import { decodeWind, WindEvent } from './wind';
import { spwfError, SpwfError } from '../errors';
import { moduleErrorName } from './error-codes';

export interface Command {
  /** The command line without its CR, already validated. */
  line: string;
  /** Bytes of the data phase (`<len><CR><data>`), when the command has one. */
  payload?: string;
  timeoutMs: number;
  /** The line as it may be logged (secrets masked); defaults to `line`. */
  show?: string;
  /** The command reboots the module (AT+S.RESET): it completes at `+WIND:0:Console active`. */
  reboots?: boolean;
  /** Stream a raw payload to this callback instead of collecting it. */
  onPayload?: (chunk: string, remaining: number) => void;
  /** Bound on collected intermediate lines (default 32); extra lines are dropped and counted. */
  maxLines?: number;
  /**
   * An intermediate line starting with this is followed by a raw block of unknown length that ends at
   * the final result (the HTTP status line, then the body).
   */
  rawAfter?: string;
  /** Bound on a collected payload (default 4096); stream with onPayload to go beyond. */
  maxPayload?: number;
  /** Sees each intermediate line as it arrives (progress of a long command), besides collecting it. */
  onLine?: (line: string) => void;
}

export interface Response {
  /** Intermediate lines (echo and indications removed). */
  lines: string[];
  /** Collected raw payload (empty when streamed or absent). */
  payload: string;
  /** The final line, e.g. `AT-S.OK` or `AT-S.OK:<heap>:<state>`. */
  final: string;
}

export type Callback = (err: SpwfError | null, res?: Response) => void;

export type EngineState = 'booting' | 'ready' | 'resync' | 'stopped';

export interface EngineOptions {
  maxQueue?: number;
  maxLine?: number;
  /** How long to wait for `+WIND:0:Console active` before probing. */
  bootTimeoutMs?: number;
  /** Timeout of one resynchronisation probe. */
  probeTimeoutMs?: number;
  /** Bound on undelivered indications; extra ones are dropped and counted. */
  maxEvents?: number;
  /** Largest counted block (SOCKR/FSP) a header may announce; the module reads at most 730 bytes. */
  maxPayload?: number;
}

/** The engine's counters, and the framer's (engine.framer.stats is the same object). */
export interface EngineStats extends FramerStats {
  sent: number;
  completed: number;
  failed: number;
  timeouts: number;
  resyncs: number;
  echoes: number;
  unknownLines: number;
  strayPayload: number;
  droppedLines: number;
  droppedEvents: number;
  resets: number;
}

interface InFlight {
  /** Bytes of payload it may still collect; -1: its payload is streamed (cmd.onPayload); -2: its payload
   *  went over the bound (the rest is dropped, and it fails with Overflow), or it restarts the module (it
   *  takes none: what arrives meanwhile is stray). First, and settled when it is sent: every chunk of a block
   *  reads it, and on the board a property the object lacks (an option left out of the command) costs a
   *  walk up the prototype chain at each read. */
  room: number;
  payload: string;
  cmd: Command;
  cb: Callback;
  lines: string[];
  /** Payload bytes streamed or dropped (with the collected ones, the trace's count). */
  payloadLen: number;
  timer: any;
  /** Set when finished: the outcome, delivered from the queue (no closure per result). */
  err?: SpwfError | null;
  res?: Response;
}

export type TraceFn = (dir: '>' | '<', text: string) => void;

// Literals where used, as a top-level constant would be a variable of the core on the board: the longest
// wait for a probe's answer is 8000 ms; after 3 probes without an answer queued commands fail (1 + 2 + 4 s
// with the default wait).

export class Engine {
  state: EngineState = 'stopped';
  /** The module's firmware as its last Poweron said ('' until one was seen): services made later (the
   *  firmware updater, an optional module loaded on first use) start from it. */
  firmware = '';
  /** The framer's counters first: payloadBytes is counted at every chunk of a read, and on the board a
   *  property is found by a walk over those before it. */
  readonly stats: EngineStats = {
    payloadBytes: 0, overlong: 0, sinkErrors: 0, badHeaders: 0,
    sent: 0, completed: 0, failed: 0, timeouts: 0, resyncs: 0, echoes: 0, unknownLines: 0,
    strayPayload: 0, droppedLines: 0, droppedEvents: 0, resets: 0,
  };
  readonly framer: Framer;
  private queue: { cmd: Command; cb: Callback }[] = [];
  private cur: InFlight | null = null;
  /** Deferred work, delivered by flush() outside the parser, without a closure for the frequent items:
   *  a +WIND event (has `kind`), a finished command (an InFlight: has `cb`), or a function (a new
   *  state, a progress line, a failure of what was queued). */
  private events: any[] = [];
  // Fields left undefined until first set (draining and the probe's): on the board each field made by the
  // constructor is held for as long as the layer runs. (Not the trace: a field read on every line is
  // found faster on the object than on its prototype chain.)
  declare private draining: boolean | undefined;
  /** Handlers bound to their `this` (bound once here, not called with .call per event: on the board .call
   *  costs a native lookup each time), in one list per class of indication (see onWind): at index 1 those
   *  that want socket traffic, 2 the rest, 6 the time, 7 PowerOn (all). An indication goes down its list
   *  without a test per handler (on the board a test per handler per indication cost a sixth of a line). */
  private windHandlers: any[] = [];
  private stateHandlers: any[] = [];
  /** Set to trace the exchange. A field, not a setter: each method of the core is variables on the board. */
  trace: TraceFn | null = null;
  private timer: any = null; // boot or probe timer
  declare private probeVar: string | undefined;
  declare private probeSeen: boolean | undefined;
  declare private probeIndex: number | undefined;
  /** Set to 0 when a resync begins. */
  declare private probeAttempts: number;
  private o: EngineOptions;

  // Memory on Espruino: every method and every field costs variables on the board, so the engine keeps
  // its options as given (defaults applied where used) and is the framer's sink itself (line, payload,
  // error below) instead of handing it three closures.
  constructor(private host: Host, opts?: EngineOptions) {
    const o = this.o = opts || {};
    this.framer = new Framer(this, o.maxLine || 1024, o.maxPayload || 2048);
    const self = this;
    // The UART handler: nothing escapes it (on Espruino a 'data' listener that throws is removed, and the
    // layer would go deaf), so a host registers it as it is, without a guard of its own (a call per chunk).
    host.uart.onData(function data(bytes) {
      const f = self.framer;
      const n = bytes.length; // (once: on the board a string's length is counted over its blocks at each read)
      const left = f.raw - n;
      const cur = self.cur;
      // The middle of a collected block (most chunks of a socket read): taken here, as payload() would,
      // with nothing else to do (nothing can throw, nothing is queued). A command in flight is one of the
      // ready state, or one that restarts the module, which has no room. The block's last chunk goes the
      // long way (its trace).
      if (left > 0 && cur && cur.room > n) {
        f.raw = left;
        f.stats.payloadBytes += n;
        cur.room -= n;
        cur.payload += bytes;
        return;
      }
      try {
        if (left < 0 || f.raw <= 0) {
          // A large chunk (a host such as Node's hands them over) in parts of 128 bytes, each drained
          // before the next: a part holds at most 15 indications (9 bytes or more each), fewer than the
          // bound of undelivered ones (maxEvents, 16), so none is dropped however the host chunks its bytes.
          if (n > 128) {
            for (let i = 0; i < n; i += 128) data(bytes.substr(i, 128));
            return;
          }
          f.push(bytes);
        } else {
          // All payload, but not the middle of a collected block (a block's last chunk, a streamed or stray
          // one): straight to payload(), without the framer's loop. (A block with a declaration: the build
          // keeps its braces, and the interpreter skips a braced block at half the cost of an expression.)
          const k = f.stats;
          f.raw = left;
          k.payloadBytes += n;
          self.payload(bytes, left);
        }
        if (self.events.length) self.flush(); // most chunks of a block queue nothing
      } catch (e) {
        // push() and flush() never throw (they count and report what they call); payload() may
        f.stats.sinkErrors++;
        self.error(e);
      }
    });
  }

  /** Begin: wait for the module's `Console active`, or probe it if it is already up. Started again after
   *  stop() (it has had answers), the module is up, as stop() does not reset it: it is probed at once, not
   *  after the boot wait, in which no `Console active` would come. */
  start(): void {
    this.framer.reset();
    this.enter('booting', this.stats.completed ? 1 : this.o.bootTimeoutMs || 8000);
    this.flush();
  }

  /** Stop: fail everything queued or in flight with `Stopped`. */
  stop(): void {
    this.enter('stopped', -1);
    const err = spwfError('Stopped', 'engine stopped');
    if (this.cur) this.finish(err);
    const q = this.queue;
    this.queue = [];
    for (let i = 0; i < q.length; i++) {
      const cb = q[i].cb;
      this.events.push(function () { cb(err); });
    }
    this.flush();
  }

  /**
   * The +WIND indications a handler wants, decoded, delivered outside the parser; `ctx` is the handler's
   * `this`. `wants` (default: all) is a sum of 1 (socket traffic: 55, 58, 61, 62, most of what the
   * module says), 2 (everything else) and 4 (the time: 84); PowerOn goes to every handler. Numbers, not
   * named constants: on the board a constant is a variable.
   */
  onWind(handler: (ev: WindEvent) => void, ctx?: any, wants?: number): void {
    const f = ctx ? handler.bind(ctx) : handler;
    const w = wants || 7;
    const hs = this.windHandlers;
    for (let c = 1; c < 8; c++) if ((c < 3 || c > 5) && w & c) (hs[c] || (hs[c] = [])).push(f);
  }

  /** Every change of the engine's state; `ctx` is the handler's `this`. */
  onState(handler: (s: EngineState) => void, ctx?: any): void {
    this.stateHandlers.push(handler, ctx);
  }

  /** Remove a handler given to onState, or to onWind without `ctx` (with one, the engine holds a bound
   *  copy). One method for both: each costs variables on the board. A list of indication handlers is
   *  replaced, not changed in place: a handler that removes itself while an indication goes down its list
   *  does not make the next one miss it. */
  off(handler: (x: any) => void): void {
    const hs = this.stateHandlers;
    for (let i = 0; i < hs.length; i += 2) {
      if (hs[i] === handler) {
        hs.splice(i, 2);
        return;
      }
    }
    const ws = this.windHandlers;
    for (let c = 1; c < 8; c++) {
      const l = ws[c];
      if (l && l.indexOf(handler) >= 0) ws[c] = l.filter(function (f: any) { return f !== handler; });
    }
  }


  /** Queue a command. A full queue fails it at once with `Busy`; nothing is dropped silently. */
  send(cmd: Command, cb: Callback): void {
    const max = this.o.maxQueue || 8;
    const err = this.state === 'stopped' ? spwfError('NotReady', 'engine not started')
      : cmd.line.indexOf('\r') >= 0 || cmd.line.indexOf('\n') >= 0 ? spwfError('InvalidParameter', 'command line contains CR or LF')
        : this.state === 'resync' && this.probeAttempts > 3 ? spwfError('Timeout', 'module not answering')
          : this.queue.length >= max ? spwfError('Busy', 'command queue full (' + max + ')') : null;
    if (err) {
      err.command = cmd.show || cmd.line;
      cb(err);
      return;
    }
    this.queue.push({ cmd: cmd, cb: cb });
    this.pump();
  }

  // ---- the framer's sink -----------------------------------------------------------------------

  /**
   * A line from the module (called by the framer). Routing: see the top of this file. Short on purpose:
   * the interpreter reads every token of a function it runs, taken or skipped, so the rarer paths are
   * functions of their own (reply, boot).
   */
  line(text: string): void {
    if (this.trace) this.trace('<', text);
    if (text[0] !== '+') return this.reply(text); // (most lines: an answer)
    const ev = decodeWind(text);
    if (!ev) this.reply(text);
    else if ((ev.id > 2 || this.boot(ev)) && this.events.push(ev) > (this.o.maxEvents || 16)) {
      this.events.pop();
      this.stats.droppedEvents++;
    }
  }

  /** Console active, PowerOn or Reset: the engine's state follows; false when the event is not delivered. */
  private boot(ev: WindEvent): boolean {
    const st = this.state;
    if (ev.id === 0) {
      if (st === 'booting' || st === 'resync') {
        this.enter('ready', -1);
        const c = this.cur;
        if (c && c.cmd.reboots) this.finish(null, '+WIND:0:Console active');
        this.pump();
      }
      return true;
    }
    // The module rebooted: whatever was in flight will never be answered. (The boot wait armed below
    // replaces any timer; a stopped engine has none.)
    if (ev.firmware) this.firmware = ev.firmware;
    this.stats.resets++;
    if (st === 'stopped') return false;
    this.enter('booting', this.o.bootTimeoutMs || 8000);
    const cur = this.cur;
    if (cur && !cur.cmd.reboots) this.finish(spwfError('ModuleReset', 'module reset during command', { command: cur.cmd.show || cur.cmd.line }));
    return true;
  }

  /** Any line but a well-formed +WIND: a final result, an answer, an echo, or a stray line. The answer to
   *  the command in flight first (most lines). */
  private reply(text: string): void {
    // Characters by index, not charCodeAt: on Espruino a quarter of the cost (past the end: undefined).
    const c0 = text[0];
    const c5 = text[5];
    const cur = this.cur;
    const isFinal = c0 === 'A' && (c5 === 'O' || c5 === 'E') && (text.startsWith('AT-S.OK') || text.startsWith('AT-S.ERROR'));
    // 1: an echoed command (`AT+...` or `AT`, in either case), 2: a malformed indication (`+WIND:`), else
    // falsy. The module's own lines (`AT-S.`, most lines) are neither: their third character says so at once.
    const other = text[2] !== '-' && ((text[2] === '+' || text.length === 2) && (c0 === 'A' || c0 === 'a') && (text[1] === 'T' || text[1] === 't') ? 1
      : c0 === '+' && text.startsWith('+WIND:') ? 2 : 0);
    if (cur && !other && this.state !== 'resync') {
      const cmd = cur.cmd;
      if (isFinal) {
        if (c5 === 'E') this.finish(moduleError(text, cmd.show || cmd.line));
        // (room -2: over the bound, or AT+S.RESET, whose OK, if the module prints one, precedes the reboot:
        // it completes at Console active)
        else if (cur.room !== -2) this.finish(null, text);
        else if (!cmd.reboots) {
          this.finish(spwfError('Overflow', 'answer larger than ' + (cmd.maxPayload || 4096) + ' bytes; stream it', { command: cmd.show || cmd.line }));
        }
        return;
      }
      if (cur.lines.length < (cmd.maxLines || 32)) cur.lines.push(text);
      else this.stats.droppedLines++;
      const f = cmd.onLine;
      if (f) this.events.push(function () { f(text); });
      if (cmd.rawAfter && text.startsWith(cmd.rawAfter)) this.framer.raw = -1; // a raw block until the final result
    } else if (other === 2) this.stats.unknownLines++;
    else if (this.state === 'resync') {
      // Only the current probe's answer ends the resync; anything else is a late answer to a command
      // that already timed out: discarded.
      if (text.startsWith('AT-S.Var:' + this.probeVar + '=')) this.probeSeen = true;
      else if (this.probeSeen && c5 === 'O' && isFinal) {
        this.enter('ready', -1);
        this.pump();
      }
    } else if (other === 1) this.stats.echoes++;
    else this.stats.unknownLines++;
  }

  /** Raw payload bytes (called by the framer, and by the UART handler for a chunk that is all payload).
   *  A collected block first: it is every chunk of a socket read. */
  payload(chunk: string, remaining: number): void {
    // (none in flight, or none that can take it: a resync or a restart is under way)
    const cur = this.state === 'ready' ? this.cur : null;
    if (cur && cur.room >= chunk.length) {
      cur.room -= chunk.length;
      cur.payload += chunk;
    } else if (!cur) this.stats.strayPayload += chunk.length;
    else {
      cur.payloadLen += chunk.length;
      if (cur.room === -1) cur.cmd.onPayload!(chunk, remaining);
      else {
        cur.room = -2; // over the bound: nothing more is collected
        this.stats.strayPayload += chunk.length;
      }
    }
    if (remaining === 0 && cur && this.trace) this.trace('<', '[' + (cur.payload.length + cur.payloadLen) + ' bytes of data]');
  }

  /** A line or payload handler threw (called by the framer). */
  error(e: any): void {
    this.host.log('error', 'line handler failed: ' + e);
  }

  /** Deliver queued results and indications, outside the parser (also for calls made outside a UART
   *  or timer callback, e.g. `stop`). */
  flush(): void {
    if (this.draining) return;
    this.draining = true;
    const q = this.events;
    const hs = this.windHandlers;
    // Locals declared here, none in the loops (on Espruino a `let` in a loop body costs on every pass).
    let item: any;
    let l: any[];
    let h = 0;
    // shift(), so that work queued while draining is delivered in the same pass and a callback that
    // throws is not called again: the drain goes on with the next item, by a new call.
    try {
      while (q.length) {
        item = q.shift();
        if (item.kind) {
          // An indication, only to the handlers that want it (see onWind): socket traffic never reaches
          // the link. The socket numbers are all above 54: one comparison for most of the others.
          h = item.id; // (h: the number here, then the index in the handlers' list)
          l = hs[h > 54 && (h === 55 || h === 58 || h === 61 || h === 62) ? 1 : h === 1 ? 7 : h === 84 ? 6 : 2];
          if (l) for (h = 0; h < l.length; h++) l[h](item);
        } else if (item.cb) item.cb(item.err, item.res);
        else item();
      }
    } catch (e) {
      this.host.log('error', 'callback failed: ' + e);
      this.draining = false;
      this.flush();
      return;
    }
    this.draining = false;
  }

  // ---- internals -------------------------------------------------------------------------------

  private pump(): void {
    if (this.state !== 'ready' || this.cur || !this.queue.length) return;
    const next = this.queue.shift()!;
    const cmd = next.cmd;
    const self = this;
    const inFlight: InFlight = {
      room: cmd.onPayload ? -1 : cmd.reboots ? -2 : cmd.maxPayload || 4096, payload: '', cmd: cmd, cb: next.cb, lines: [], payloadLen: 0, timer: null,
    };
    inFlight.timer = this.host.clock.setTimeout(function () {
      inFlight.timer = null; // fired: never cleared again (Espruino throws on a stale id)
      self.onTimer(true);
    }, cmd.timeoutMs);
    this.cur = inFlight;
    this.stats.sent++;
    if (this.trace) this.trace('>', (cmd.show || cmd.line) + (cmd.payload ? ' <' + cmd.payload.length + ' bytes>' : ''));
    this.host.uart.write(cmd.payload !== undefined ? cmd.line + '\r' + cmd.payload : cmd.line + '\r');
  }

  private finish(err: SpwfError | null, final?: string): void {
    const cur = this.cur;
    if (!cur) return;
    this.cur = null;
    if (cur.timer !== null) this.host.clock.clearTimeout(cur.timer);
    if (err) this.stats.failed++;
    else this.stats.completed++;
    cur.err = err;
    if (!err) cur.res = { lines: cur.lines, payload: cur.payload, final: final || '' };
    this.events.push(cur);
    if (this.queue.length) this.pump(); // (mostly none queued: no call)
  }

  /**
   * A timer fired: the command in flight timed out (`command`), or the boot wait or a probe did: a
   * resync probe is sent (the first of a resynchronisation, or the next). Never lets an exception escape,
   * and delivers what it produced. The probe is sent here, not by a method of its own: each method costs
   * variables on the board.
   */
  private onTimer(command: boolean): void {
    try {
      const cur = this.cur;
      // 1: start a resynchronisation, 2: probe again, 0: no probe
      let step = command || this.state === 'booting' ? 1 : this.state === 'resync' ? 2 : 0;
      let failure: SpwfError | null = null;
      if (command) {
        if (!cur) return;
        const cmd = cur.cmd;
        this.stats.timeouts++;
        this.host.log('warn', 'timeout: ' + (cmd.show || cmd.line));
        failure = spwfError('Timeout', cmd.reboots ? 'module did not restart' : 'no answer within ' + cmd.timeoutMs + ' ms', { command: cmd.show || cmd.line });
        // The module did not come back after a reset: keep waiting for it in the booting state. Otherwise
        // resync before finishing, so that finish() cannot put the next command on the wire first.
        if (cmd.reboots) step = 0;
      } else if (step === 2 && this.probeAttempts === 3) {
        // Nothing waits forever: what is queued fails now; probing goes on for what comes next.
        this.host.log('error', 'module not answering');
        const q = this.queue;
        this.queue = [];
        for (let i = 0; i < q.length; i++) {
          const item = q[i];
          this.events.push(function () { item.cb(spwfError('Timeout', 'module not answering', { command: item.cmd.show || item.cmd.line })); });
        }
        this.stats.failed += q.length;
      }
      if (step) {
        if (step === 1) {
          this.stats.resyncs++;
          this.probeAttempts = 0;
        }
        // Probes rotate over variables the engine never queries otherwise, so that the late answer of an
        // earlier probe cannot be taken for the answer of the current one (code, not a table: see wind.ts).
        const i = (this.probeIndex || 0) % 3;
        this.probeIndex = i + 1;
        const v = this.probeVar = i === 0 ? 'console_enabled' : i === 1 ? 'console_errs' : 'console_verbose';
        this.probeSeen = false;
        const n = ++this.probeAttempts;
        // An unanswered probe may mean the framer is swallowing bytes after a damaged count: stop that.
        if (n > 1) this.framer.raw = 0;
        // Each probe waits twice as long as the last (capped): a module that answers slowly is still
        // caught, where a fixed period would always be just too short and never resynchronise.
        this.enter('resync', Math.min((this.o.probeTimeoutMs || 1000) * Math.pow(2, n - 1), 8000));
        if (this.trace) this.trace('>', 'AT+S.GCFG=' + v + ' (resync)');
        this.host.uart.write('AT+S.GCFG=' + v + '\r');
      }
      if (failure) this.finish(failure);
    } catch (e) {
      this.host.log('error', 'timer handler failed: ' + e);
    }
    this.flush();
  }

  /** Into state `s` (its handlers told from the queue, by a closure: a state changes seldom), with the
   *  boot/probe timer (re)armed for `ms`, or only cleared when ms < 0. One method for both: each costs
   *  variables on the board, and every change of state sets the timer. */
  private enter(s: EngineState, ms: number): void {
    if (this.state !== s) {
      this.state = s;
      const hs = this.stateHandlers;
      this.events.push(function () {
        // A copy: a handler may remove itself (start() does), which must not skip the next one.
        const ss = hs.slice();
        for (let h = 0; h < ss.length; h += 2) ss[h].call(ss[h + 1], s);
      });
    }
    if (this.timer !== null) {
      this.host.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    if (ms < 0) return;
    const self = this;
    this.timer = this.host.clock.setTimeout(function () {
      self.timer = null;
      self.onTimer(false);
    }, ms);
  }
}

/** `AT-S.ERROR:<code>:<text>` -> a ModuleError carrying the code (kept even when unknown). */
export function moduleError(line: string, command?: string): SpwfError {
  const rest = line.substring('AT-S.ERROR'.length);
  let code = -1;
  let text = '';
  if (rest.charAt(0) === ':') {
    const c = rest.indexOf(':', 1);
    code = parseInt(rest.substring(1, c < 0 ? rest.length : c), 10);
    if (isNaN(code)) code = -1;
    text = c < 0 ? '' : rest.substring(c + 1);
  }
  return spwfError('ModuleError', 'module error ' + (code >= 0 ? code : '?') + (text ? ': ' + text : ''), {
    moduleCode: code, moduleName: code >= 0 ? moduleErrorName(code) : 'Unknown', moduleText: text, command: command,
  });
}
