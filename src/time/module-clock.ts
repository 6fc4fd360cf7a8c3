// The module's clock, judged before anything validates a certificate. The module's clock starts at 0
// after every reset; it becomes good when the module's NTP client sets it after WiFi Up, or when the
// host sets it from a clock it trusts (AT+S.TIME=<seconds>). A reading below a floor compiled into the
// build can never be right. Every operation that checks a certificate waits in ensureGood(), which
// fails with TimeNotSet rather than let the module validate against 1970.
//
// The clock's one owner: the time carried across a module restart is kept here too. The module's clock
// restarts at 1970 with the module while the host's keeps running, so the offset between them at the
// last good reading gives the module's time after a restart (restore(): WPA2-Enterprise needs it before
// the link is up, when NTP cannot answer).

import { Engine } from '../at/engine';
import { WindEvent } from '../at/wind';
import { Clock, Log } from '../host';
import * as at from '../at/commands';
import { parseTime } from '../at/parse';
import { run } from '../at/run';
import { spwfError } from '../errors';
import { Emitter } from '../util/emitter';

/** 2026-11-01T00:00:00Z: no correct clock reads earlier than the build of this firmware. */
export const CLOCK_FLOOR_SECONDS = 1793491200;
// The constructor writes it as a literal: the exported constant would be a variable of the core on the board.

export type ClockState = 'unknown' | 'good' | 'not-set';

export interface ModuleClockOptions {
  /** Seconds below which the module's clock is wrong (default CLOCK_FLOOR_SECONDS). */
  floorSeconds?: number;
  /** Set the module's clock from the host's wall clock when the host has a trusted one. */
  trustHostClock?: boolean;
  /** How long ensureGood() waits for NTP before failing with TimeNotSet (default 30 s). */
  waitMs?: number;
  /** How often the clock is queried while waiting for NTP (default 5 s). */
  pollMs?: number;
  /** How often a good clock is re-checked (default 1 h); 0 = never. */
  recheckMs?: number;
  /** A backwards jump larger than this is reported (default 5 s). */
  jumpToleranceSeconds?: number;
  /** Skip date checks altogether (wifi_eap_skip_datechecks): an explicit, logged choice. */
  skipDateChecks?: boolean;
}

interface Waiter { resolve: () => void; reject: (e: any) => void; timer: any }

// Few methods and few fields on purpose: on Espruino every method is a live function and every field a
// property of the one instance, for as long as the layer runs (issue 10's memory budget).
export class ModuleClock extends Emitter {
  state: ClockState = 'unknown';
  /** Module seconds minus host seconds at the last good reading (to estimate the module's time); kept
   *  across module restarts; undefined before the first good reading. */
  private offset: number | undefined;
  /** Host milliseconds of the last good reading. */
  private lastCheckAt: number | undefined;
  private recheckTimer: any;
  private pollTimer: any;
  /** ensureGood() calls waiting for NTP; undefined when none waits. */
  private waiters: Waiter[] | undefined;
  /** The options (waits and periods are read where they are used, with their defaults there). */
  private o: ModuleClockOptions;
  /** Seconds below which a reading is wrong (the option, or CLOCK_FLOOR_SECONDS): one field, read in four
   *  places, rather than four copies of the default. */
  private floor: number;
  /** Set (true) only when date checks are skipped by configuration. */
  readonly skipDateChecks: boolean | undefined;

  constructor(private engine: Engine, private clock: Clock, private log: Log, opts?: ModuleClockOptions) {
    super();
    const o = this.o = opts || {};
    this.floor = o.floorSeconds || 1793491200;
    if (o.skipDateChecks) {
      this.skipDateChecks = true;
      log('warn', 'certificate date checks are skipped by configuration (skipDateChecks)');
    }
    engine.onWind(this.onWind, this, 4 /* the time (and PowerOn) */);
  }

  /** The module's time as last known, in seconds since 1970, or undefined when not good. */
  estimate(): number | undefined {
    if (this.state !== 'good') return undefined;
    return Math.floor(this.clock.now() / 1000) + this.offset!;
  }

  /** Query the module's clock and judge it: 'not-set' below the floor; else 'good', a backwards jump
   *  reported, the waiters released and the next re-check armed. With `cb`, by callback and no promise:
   *  the gate's own uses (ensureGood, the polls, the re-check) make none (on Espruino each pending one
   *  holds its handlers until it settles; one method, not two: each is variables of the core). */
  check(): Promise<ClockState>;
  check(cb: (err: any, st?: ClockState) => void): void;
  check(cb?: (err: any, st?: ClockState) => void): Promise<ClockState> | void {
    const self = this;
    if (!cb) {
      return new Promise<ClockState>(function (resolve, reject) {
        self.check(function (err, st) {
          if (err) reject(err);
          else resolve(st!);
        });
      });
    }
    // The next re-check (armed after a good reading) is made here, so that its pending timer holds this
    // small scope only, not the answer's; `cb` is cleared once called, or the hour-long timer would hold
    // the caller's promise and all that waits on it (a socket's open, the application's callbacks).
    const recheck = function (): void {
      self.recheckTimer = null;
      self.check(function (e) { if (e) self.log('warn', 'clock re-check failed: ' + e.message); });
    };
    this.engine.send(at.time(), function (err, res) {
      const done = cb!;
      cb = null as any;
      let seconds: number;
      try {
        if (err) throw err;
        seconds = parseTime(res!);
      } catch (e) {
        return done(e);
      }
      const o = self.o;
      const before = self.estimate();
      const good = seconds >= self.floor;
      if (good) {
        if (before !== undefined && seconds < before - (o.jumpToleranceSeconds || 5)) {
          self.log('warn', 'module clock jumped backwards by ' + (before - seconds) + ' s');
          self.emit('jump', before - seconds);
        }
        self.lastCheckAt = self.clock.now();
        self.offset = seconds - Math.floor(self.lastCheckAt / 1000);
      }
      const st: ClockState = good ? 'good' : 'not-set';
      if (self.state !== st) {
        self.state = st;
        self.emit('state', st);
      }
      if (good) {
        self.release(null);
        // The next re-check, in place of any armed.
        self.clock.clearTimeout(self.recheckTimer);
        self.recheckTimer = null;
        const recheckMs = o.recheckMs === undefined ? 3600000 : o.recheckMs;
        if (recheckMs) self.recheckTimer = self.clock.setTimeout(recheck, recheckMs);
      }
      done(null, self.state);
    });
  }

  /** Set the module's clock (seconds since 1970 UTC), then read it back. */
  set(seconds: number): Promise<ClockState> {
    const self = this;
    const floor = this.floor;
    if (seconds < floor) return Promise.reject(spwfError('InvalidParameter', 'refusing to set the module clock before ' + floor));
    return run(this.engine, function () { return at.time(Math.floor(seconds)); }).then(function () { return self.check(); });
  }

  /**
   * After a module restart (or whenever the clock is not good): set the module's clock from what the host
   * knows — the time carried over from the last good reading, else the trusted host clock — and read it
   * back. Resolves with the state; 'not-set' when the host knows no time (nothing is sent then).
   */
  restore(): Promise<ClockState> {
    const c = this.clock;
    const s = this.offset !== undefined ? Math.floor(c.now() / 1000) + this.offset : this.o.trustHostClock && c.wallSeconds ? c.wallSeconds() : undefined;
    if (s === undefined || s < this.floor) return Promise.resolve<ClockState>('not-set');
    return this.set(s);
  }

  /**
   * Resolve once the module's clock is good: now, or after setting it from a trusted host clock, or
   * when NTP sets it; fail with TimeNotSet when none of these happens within the wait.
   */
  ensureGood(): Promise<void> {
    const self = this;
    const o = this.o;
    if (this.skipDateChecks) return Promise.resolve();
    const recheckMs = o.recheckMs === undefined ? 3600000 : o.recheckMs;
    if (this.state === 'good' && (recheckMs === 0 || this.clock.now() - this.lastCheckAt! < recheckMs)) {
      return Promise.resolve();
    }
    // One promise: the check, a set from the host clock or the wait for NTP by callbacks.
    return new Promise<void>(function (resolve, reject) {
      self.check(function (err, st) {
        if (err) return reject(err);
        if (st === 'good') return resolve();
        const wall = o.trustHostClock && self.clock.wallSeconds ? self.clock.wallSeconds() : undefined;
        if (wall !== undefined && wall >= self.floor) {
          self.log('info', 'setting the module clock from the host clock');
          self.set(wall).then(function (st2) {
            if (st2 !== 'good') reject(spwfError('TimeNotSet', 'the module did not keep the time it was given'));
            else resolve();
          }, reject);
          return;
        }
        // Wait for NTP: polled, and checked at once on its +WIND:84 (onWind).
        const waitMs = o.waitMs || 30000;
        const w: Waiter = {
          resolve: resolve, reject: reject,
          timer: self.clock.setTimeout(function () {
            const ws = self.waiters || [];
            const i = ws.indexOf(w);
            if (i >= 0) ws.splice(i, 1);
            if (!ws.length) self.release(null); // stops polling
            reject(spwfError('TimeNotSet', 'the module clock is not set: NTP did not set it within ' + waitMs / 1000 +
              ' s and no trusted host clock is configured', {
              reasons: ['no NTP answer yet (is the network up and an NTP server reachable?)', 'set trustHostClock to use the host clock'],
            }));
          }, waitMs),
        };
        (self.waiters || (self.waiters = [])).push(w);
        // Query the clock every pollMs while someone waits (release() stops it); one poll for all waiters.
        const poll = function (): void {
          if (self.pollTimer || !self.waiters) return;
          self.pollTimer = self.clock.setTimeout(function () {
            self.pollTimer = null;
            self.check(poll);
          }, o.pollMs || 5000);
        };
        poll();
      });
    });
  }

  stop(): void {
    this.clock.clearTimeout(this.recheckTimer);
    this.recheckTimer = null;
    this.release(spwfError('Stopped', 'clock check stopped'));
  }

  /** Every waiter released (resolved, or rejected with `err`), polling stopped. Fields are written only when
   *  there is something to clear (each one written is a property the instance keeps). */
  private release(err: any): void {
    if (this.pollTimer) {
      this.clock.clearTimeout(this.pollTimer);
      this.pollTimer = null;
    }
    const ws = this.waiters;
    if (!ws) return;
    this.waiters = undefined;
    for (let i = 0; i < ws.length; i++) {
      this.clock.clearTimeout(ws[i].timer);
      if (err) ws[i].reject(err);
      else ws[i].resolve();
    }
  }

  private onWind(ev: WindEvent): void {
    if (ev.kind === 'PowerOn') {
      // The module's clock restarts at 0 with the module. (The timer's field is written only when there is
      // one: at every restart, and each field written is one the instance keeps.)
      if (this.recheckTimer) {
        this.clock.clearTimeout(this.recheckTimer);
        this.recheckTimer = null;
      }
      if (this.state !== 'unknown') {
        this.state = 'unknown';
        this.emit('state', 'unknown');
      }
    } else if (ev.kind === 'NtpDelivery' && this.waiters) {
      this.check(function () { /* polling continues */ });
    }
  }
}
