// The AT engine: one command in flight, a bounded queue behind it, a timeout on every command,
// resynchronisation after a timeout, and +WIND indications routed to a decoder.
//
// Line routing: `+WIND:` -> decoder; `AT-S.OK` / `AT-S.ERROR` -> final result of the command in flight;
// an echoed command line -> skipped; anything else -> the command in flight (or counted as unknown).
// Results and indications are queued while the parser runs and delivered after it returns, so no
// callback ever re-enters the parser, and no exception escapes a UART or timer callback.

import { Host } from '../host';
import { Framer } from './framer';
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

export interface EngineStats {
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
  cmd: Command;
  cb: Callback;
  lines: string[];
  payload: string;
  payloadLen: number;
  overflow: boolean;
  timer: any;
}

export type TraceFn = (dir: '>' | '<', text: string) => void;

// Resync probes rotate over variables the engine never queries otherwise, so that the late answer of
// an earlier probe cannot be taken for the answer of the current one (code, not a table: see wind.ts).
function probeVar(i: number): string {
  return i % 3 === 0 ? 'console_enabled' : i % 3 === 1 ? 'console_errs' : 'console_verbose';
}
const MAX_PROBE_WAIT_MS = 8000;
/** Probes without an answer after which queued commands fail (1 + 2 + 4 s with the default wait). */
const PROBES_BEFORE_GIVING_UP = 3;

export class Engine {
  state: EngineState = 'stopped';
  readonly stats: EngineStats = {
    sent: 0, completed: 0, failed: 0, timeouts: 0, resyncs: 0, echoes: 0, unknownLines: 0,
    strayPayload: 0, droppedLines: 0, droppedEvents: 0, resets: 0,
  };
  readonly framer: Framer;
  private queue: { cmd: Command; cb: Callback }[] = [];
  private cur: InFlight | null = null;
  /** Deferred work: callbacks, and +WIND events queued as they are (no closure per indication). */
  private events: any[] = [];
  private draining = false;
  private windHandlers: ((ev: WindEvent) => void)[] = [];
  private stateHandlers: ((s: EngineState) => void)[] = [];
  private trace: TraceFn | null = null;
  private timer: any = null; // boot or probe timer
  private probeVar = '';
  private probeSeen = false;
  private probeIndex = 0;
  private probeAttempts = 0;
  private maxQueue: number;
  private bootTimeoutMs: number;
  private probeTimeoutMs: number;
  private maxEvents: number;

  constructor(private host: Host, opts?: EngineOptions) {
    const o = opts || {};
    this.maxQueue = o.maxQueue || 8;
    this.bootTimeoutMs = o.bootTimeoutMs || 8000;
    this.probeTimeoutMs = o.probeTimeoutMs || 1000;
    this.maxEvents = o.maxEvents || 16;
    const self = this;
    this.framer = new Framer({
      line: function (t) { self.onLine(t); },
      payload: function (c, r) { self.onPayload(c, r); },
      error: function (e) { self.host.log('error', 'line handler failed: ' + e); },
    }, o.maxLine || 1024, o.maxPayload || 2048);
    host.uart.onData(function (bytes) {
      try {
        self.framer.push(bytes);
      } catch (e) {
        self.host.log('error', 'framer failed: ' + e);
      }
      self.drain();
    });
  }

  /** Begin: wait for the module's `Console active`, or probe it if it is already up. */
  start(): void {
    this.framer.reset();
    this.setState('booting');
    this.armTimer(this.bootTimeoutMs, this.onBootTimeout);
    this.drain();
  }

  /** Stop: fail everything queued or in flight with `Stopped`. */
  stop(): void {
    this.clearTimer();
    this.setState('stopped');
    this.failAll(spwfError('Stopped', 'engine stopped'));
    this.drain();
  }

  onWind(handler: (ev: WindEvent) => void): void {
    this.windHandlers.push(handler);
  }

  onState(handler: (s: EngineState) => void): void {
    this.stateHandlers.push(handler);
  }

  offState(handler: (s: EngineState) => void): void {
    const i = this.stateHandlers.indexOf(handler);
    if (i >= 0) this.stateHandlers.splice(i, 1);
  }

  setTrace(fn: TraceFn | null): void {
    this.trace = fn;
  }

  /** Commands waiting behind the one in flight. */
  queued(): number {
    return this.queue.length;
  }

  busy(): boolean {
    return this.cur !== null;
  }

  /** Queue a command. A full queue fails it at once with `Busy`; nothing is dropped silently. */
  send(cmd: Command, cb: Callback): void {
    if (this.state === 'stopped') {
      cb(spwfError('NotReady', 'engine not started', { command: show(cmd) }));
      return;
    }
    if (cmd.line.indexOf('\r') >= 0 || cmd.line.indexOf('\n') >= 0) {
      cb(spwfError('InvalidParameter', 'command line contains CR or LF', { command: show(cmd) }));
      return;
    }
    if (this.state === 'resync' && this.probeAttempts > PROBES_BEFORE_GIVING_UP) {
      cb(spwfError('Timeout', 'module not answering', { command: show(cmd) }));
      return;
    }
    if (this.queue.length >= this.maxQueue) {
      cb(spwfError('Busy', 'command queue full (' + this.maxQueue + ')', { command: show(cmd) }));
      return;
    }
    this.queue.push({ cmd: cmd, cb: cb });
    this.pump();
  }

  // ---- internals -------------------------------------------------------------------------------

  private setState(s: EngineState): void {
    if (this.state === s) return;
    this.state = s;
    const self = this;
    this.defer(function () {
      // A copy: a handler may remove itself (start() does), which must not skip the next one.
      const hs = self.stateHandlers.slice();
      for (let i = 0; i < hs.length; i++) hs[i](s);
    });
  }

  private pump(): void {
    if (this.state !== 'ready' || this.cur || !this.queue.length) return;
    const next = this.queue.shift()!;
    const cmd = next.cmd;
    const self = this;
    const inFlight: InFlight = { cmd: cmd, cb: next.cb, lines: [], payload: '', payloadLen: 0, overflow: false, timer: null };
    inFlight.timer = this.host.clock.setTimeout(function () {
      inFlight.timer = null; // fired: never cleared again (Espruino throws on a stale id)
      self.guard(self.onCommandTimeout);
    }, cmd.timeoutMs);
    this.cur = inFlight;
    this.stats.sent++;
    if (this.trace) this.trace('>', show(cmd) + (cmd.payload ? ' <' + cmd.payload.length + ' bytes>' : ''));
    this.host.uart.write(cmd.payload !== undefined ? cmd.line + '\r' + cmd.payload : cmd.line + '\r');
  }

  private onLine(text: string): void {
    if (this.trace) this.trace('<', text);
    const c0 = text.charCodeAt(0);
    if (c0 === 43 /* + */ && text.startsWith('+WIND:')) {
      const ev = decodeWind(text);
      if (ev) this.onIndication(ev);
      else this.stats.unknownLines++;
      return;
    }
    if (this.state === 'resync') {
      this.onProbeLine(text);
      return;
    }
    const cur = this.cur;
    const c5 = text.charCodeAt(5);
    const isFinal = c0 === 65 /* A */ && (c5 === 79 /* O */ || c5 === 69 /* E */) && (text.startsWith('AT-S.OK') || text.startsWith('AT-S.ERROR'));
    if (!cur) {
      if (isEcho(text)) this.stats.echoes++;
      else this.stats.unknownLines++;
      return;
    }
    if (isFinal) {
      if (text.charCodeAt(5) === 69 /* E */) this.finish(moduleError(text, show(cur.cmd)));
      else if (cur.cmd.reboots) {
        // AT+S.RESET: the OK (if the module prints one) precedes the reboot; wait for Console active.
      } else if (cur.overflow) {
        this.finish(spwfError('Overflow', 'answer larger than ' + (cur.cmd.maxPayload || 4096) + ' bytes; stream it', { command: show(cur.cmd) }));
      } else this.finish(null, text);
      return;
    }
    if (isEcho(text)) {
      this.stats.echoes++;
      return;
    }
    if (cur.lines.length < (cur.cmd.maxLines || 32)) cur.lines.push(text);
    else this.stats.droppedLines++;
    if (cur.cmd.onLine) {
      const f = cur.cmd.onLine;
      this.defer(function () { f(text); });
    }
    if (cur.cmd.rawAfter && text.indexOf(cur.cmd.rawAfter) === 0) this.framer.expectRawUntilFinal();
  }

  private onPayload(chunk: string, remaining: number): void {
    const cur = this.cur;
    if (!cur || this.state !== 'ready') {
      this.stats.strayPayload += chunk.length;
      return;
    }
    cur.payloadLen += chunk.length;
    if (cur.cmd.onPayload) cur.cmd.onPayload(chunk, remaining);
    else if (cur.payload.length + chunk.length <= (cur.cmd.maxPayload || 4096)) cur.payload += chunk;
    else {
      cur.overflow = true;
      this.stats.strayPayload += chunk.length;
    }
    if (remaining === 0 && this.trace) this.trace('<', '[' + cur.payloadLen + ' bytes of data]');
  }

  private onIndication(ev: WindEvent): void {
    if (ev.kind === 'PowerOn' || ev.kind === 'Reset') {
      // The module rebooted: whatever was in flight will never be answered.
      this.stats.resets++;
      this.clearTimer();
      if (this.state === 'stopped') return;
      this.setState('booting');
      const cur = this.cur;
      if (cur && !cur.cmd.reboots) this.finish(spwfError('ModuleReset', 'module reset during command', { command: show(cur.cmd) }));
      this.armTimer(this.bootTimeoutMs, this.onBootTimeout);
    } else if (ev.kind === 'ConsoleActive') {
      if (this.state === 'booting' || this.state === 'resync') {
        this.clearTimer();
        this.setState('ready');
        const cur = this.cur;
        if (cur && cur.cmd.reboots) this.finish(null, '+WIND:0:Console active');
        this.pump();
      }
    }
    if (this.events.length >= this.maxEvents) {
      this.stats.droppedEvents++;
      return;
    }
    this.events.push(ev);
  }

  private finish(err: SpwfError | null, final?: string): void {
    const cur = this.cur;
    if (!cur) return;
    this.cur = null;
    if (cur.timer !== null) this.host.clock.clearTimeout(cur.timer);
    if (err) this.stats.failed++;
    else this.stats.completed++;
    const res: Response | undefined = err ? undefined : { lines: cur.lines, payload: cur.payload, final: final || '' };
    this.defer(function () { cur.cb(err, res); });
    this.pump();
  }

  private onCommandTimeout(): void {
    const cur = this.cur;
    if (!cur) return;
    this.stats.timeouts++;
    this.host.log('warn', 'timeout: ' + show(cur.cmd));
    if (cur.cmd.reboots) {
      // The module did not come back after a reset: keep waiting for it in the booting state.
      this.finish(spwfError('Timeout', 'module did not restart', { command: show(cur.cmd) }));
      return;
    }
    // Resync before finishing, so that finish() cannot put the next command on the wire first.
    this.startResync();
    this.finish(spwfError('Timeout', 'no answer within ' + cur.cmd.timeoutMs + ' ms', { command: show(cur.cmd) }));
  }

  private onBootTimeout(): void {
    // No `Console active` seen: the module may have been up already. Probe it.
    if (this.state === 'booting') this.startResync();
  }

  private startResync(): void {
    this.stats.resyncs++;
    this.probeAttempts = 0;
    this.setState('resync');
    this.sendProbe();
  }

  private sendProbe(): void {
    this.probeVar = probeVar(this.probeIndex++);
    this.probeSeen = false;
    this.probeAttempts++;
    // An unanswered probe may mean the framer is swallowing bytes after a damaged count: stop that.
    if (this.probeAttempts > 1) this.framer.abortPayload();
    // Each probe waits twice as long as the last (capped): a module that answers slowly is still
    // caught, where a fixed period would always be just too short and never resynchronise.
    const wait = Math.min(this.probeTimeoutMs * Math.pow(2, this.probeAttempts - 1), MAX_PROBE_WAIT_MS);
    this.armTimer(wait, this.onProbeTimeout);
    const line = 'AT+S.GCFG=' + this.probeVar;
    if (this.trace) this.trace('>', line + ' (resync)');
    this.host.uart.write(line + '\r');
  }

  private onProbeLine(text: string): void {
    if (text.indexOf('AT-S.Var:' + this.probeVar + '=') === 0) {
      this.probeSeen = true;
    } else if (this.probeSeen && text.indexOf('AT-S.OK') === 0) {
      this.clearTimer();
      this.setState('ready');
      this.pump();
    }
    // Anything else is a late answer to a command that already timed out: discarded.
  }

  private onProbeTimeout(): void {
    if (this.state !== 'resync') return;
    if (this.probeAttempts === PROBES_BEFORE_GIVING_UP) {
      // Nothing waits forever: what is queued fails now; probing goes on for what comes next.
      this.host.log('error', 'module not answering');
      const q = this.queue;
      this.queue = [];
      for (let i = 0; i < q.length; i++) {
        const item = q[i];
        this.defer(function () { item.cb(spwfError('Timeout', 'module not answering', { command: show(item.cmd) })); });
      }
      this.stats.failed += q.length;
    }
    this.sendProbe();
  }

  private armTimer(ms: number, fn: () => void): void {
    this.clearTimer();
    const self = this;
    this.timer = this.host.clock.setTimeout(function () {
      self.timer = null;
      self.guard(fn);
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.host.clock.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private failAll(err: SpwfError): void {
    const cur = this.cur;
    if (cur) this.finish(err);
    const q = this.queue;
    this.queue = [];
    for (let i = 0; i < q.length; i++) {
      const cb = q[i].cb;
      this.defer(function () { cb(err); });
    }
  }

  /** Run a timer handler: never let an exception escape, and deliver what it produced. */
  private guard(fn: () => void): void {
    try {
      fn.call(this);
    } catch (e) {
      this.host.log('error', 'timer handler failed: ' + e);
    }
    this.drain();
  }

  private defer(fn: () => void): void {
    this.events.push(fn);
  }

  /** Deliver queued results and indications, outside the parser. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    const q = this.events;
    const hs = this.windHandlers;
    // By index, not shift(): work queued while draining is delivered in the same pass.
    for (let i = 0; i < q.length; i++) {
      const item = q[i];
      q[i] = null;
      try {
        if (typeof item === 'function') item();
        else for (let h = 0; h < hs.length; h++) hs[h](item);
      } catch (e) {
        this.host.log('error', 'callback failed: ' + e);
      }
    }
    q.length = 0;
    this.draining = false;
  }

  /** Deliver anything queued by calls made outside a UART or timer callback (e.g. `stop`). */
  flush(): void {
    this.drain();
  }
}

function show(cmd: Command): string {
  return cmd.show || cmd.line;
}

function isEcho(text: string): boolean {
  // The module's own lines start with `AT-S.`; an echoed command starts with `AT+` (or is `AT`).
  const c = text.charCodeAt(2);
  return (text.charCodeAt(0) | 32) === 97 && (text.charCodeAt(1) | 32) === 116 && (c === 43 || text.length === 2);
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
