// Staying connected: what the link does when an up link goes down, and the module's reset. This is the base
// class of Link (link.ts adds the joins and the indications): one object, so that on the board the link
// costs one instance and its methods once, with no delegating methods between two objects.
//
// Recovery escalates, one step per attempt, with a capped exponential backoff and jitter between attempts
// (backoff.ts):  wait for the module's own rejoin -> rejoin (radio off/on) -> AT+S.RESET -> reset pin -> ...
// A module fault (+WIND:8 hard fault, +WIND:5 hardware failure, a console that stopped answering) makes the
// next step a reset. The reset pin is owned here (the façade's start() pulses it through pulse() too): a
// pulse that brings no +WIND:1 within bootWaitMs marks it unusable (the IDW04A1 defect of boards without
// the WIFI_RST fix) and AT+S.RESET is used from then on.
//
// The hand-off: whoever resets the module or drops its link on purpose (the firmware updater) suspends
// recovery first and resumes it after (suspendRecovery / resumeRecovery, in recovery-hold.ts); in between a loss is held,
// neither reported nor recovered from, and settled at the resume.
//
// Timers: one per slot in `t` (join, wind: the joins'; step, grace, silent, pulse, boot: here), each firing
// fire(slot), one method with a switch: on the board every method costs variables, a closure per timer more.

import * as at from '../at/commands';
import { Engine } from '../at/engine';
import { Host } from '../host';
import { Emitter } from '../util/emitter';
import { backoffDelay } from './backoff';
import { sequence, wifiOff, wifiOn } from './steps';
import { Network } from './profile';
import type { LinkOptions, LinkState, LostCause, RecoveryStep } from './link';

export abstract class Recovery extends Emitter {
  state!: LinkState;
  ip!: string;
  ipv6!: string;
  /** The network of the last join; recovery keeps it (WPA2-Enterprise: the clock after a restart). */
  network: Network | null | undefined;
  readonly engine!: Engine;
  readonly host!: Host;
  /** The options, read where they are used (with their defaults there). */
  readonly o!: LinkOptions;
  /** Pending timers by slot (see fire); a slot is there only while its timer is. */
  readonly t!: { [slot: string]: any };
  /** The link is to be kept up (a join asked for it, or it came up). */
  wanted: boolean | undefined;
  /** A join is running. */
  joining: boolean | undefined;
  /** The join's wait for WiFi Up (wait()). */
  done: ((err: any) => void) | null | undefined;
  /** Where every change of state also goes, as its 'link' event, before the link's own listeners (the
   *  façade: a field, not a listener bound to it, which would be one more function and call per change). */
  forward: Emitter | undefined;
  /** Why recovery is suspended (suspendRecovery in recovery-hold.ts), '' when it is not. */
  recoverySuspended!: string;

  /** Attempts since the link was last stable (the ladder's position). */
  private attempt: number | undefined;
  /** When the link came up (host ms), undefined while it is not up. */
  protected upAt: number | undefined;
  /** A fault was seen: the next step is a reset. */
  protected fault: boolean | undefined;
  /** A restart is on its way (a reset of ours): its +WIND:1 is no loss. */
  protected expectBoot: boolean | undefined;
  private pinBroken: boolean | undefined;
  /** The last loss seen while suspended and not reported (cleared when the link comes back). */
  held: LostCause | null | undefined;
  /** A recovery was under way (or asked for) while suspended: it goes on at the resume. */
  deferred: boolean | undefined;
  /** The step the 'step' timer runs; null once it runs (the timer is then the step's time limit). */
  private step: RecoveryStep | null | undefined;
  /** pulse(): AT+S.RESET when the pin turns out not to work. */
  private thenSoft: boolean | undefined;

  /** The join's timer ('join') or its wait for an indication ('wind') ran out (link.ts). */
  protected abstract timedOut(slot: string): void;
  /** A new join or recovery attempt: what the last one saw is forgotten (link.ts). */
  abstract newAttempt(): void;

  // An explicit constructor: on Espruino a subclass without one costs two variables more (its implicit one).
  constructor() {
    super();
  }

  enter(s: LinkState, info?: any): void {
    if (this.state === s && s !== 'recovering') return;
    this.state = s;
    // (emit() called only for an event that has listeners: a link changes state several times a loss)
    const f = this.forward;
    if (f) f.emit('link', s, info);
    const all = this.listeners;
    if (!all) return;
    if (all.state) this.emit('state', s, info);
    if (all[s]) this.emit(s, info);
  }

  arm(slot: string, ms: number): void {
    this.disarm(slot);
    const self = this;
    this.t[slot] = this.host.clock.setTimeout(function () {
      delete self.t[slot];
      try {
        self.fire(slot);
      } catch (e) {
        self.host.log('error', 'link timer failed: ' + e);
      }
    }, ms);
  }

  disarm(slot: string): void {
    const id = this.t[slot];
    if (id != null) {
      delete this.t[slot]; // not set to null: on the board a property left behind costs variables
      this.host.clock.clearTimeout(id);
    }
  }

  /** A timer of `slot` ran out. */
  private fire(slot: string): void {
    const o = this.o;
    switch (slot) {
      case 'step': {
        // The backoff is over: the step runs, then the step's time limit; after it, the next attempt.
        const step = this.step;
        if (!step) {
          if (this.state === 'recovering') this.schedule();
          return;
        }
        this.step = null;
        this.newAttempt();
        const self = this;
        const failed = function (e: any): void {
          if (e) self.host.log('warn', 'recovery: ' + step + ' failed: ' + e.message);
        };
        if (step === 'rejoin') sequence(this.engine, [wifiOff, wifiOn], failed);
        else if (step === 'soft-reset') this.softReset(failed);
        else if (step === 'hard-reset') this.pulse(true);
        this.arm('step', step === 'wait' ? o.ownRejoinMs || 30000 : o.joinTimeoutMs || 60000);
        return;
      }
      case 'grace':
        // No WiFi Up within ownRejoinMs of a resume after a restart (resumeRecovery).
        if (this.state === 'joining' && !this.joining) this.report('module-restarted', true);
        return;
      case 'silent':
        this.lose('module-not-answering', true);
        return;
      case 'pulse':
        this.host.pins!.setReset!(false);
        this.arm('boot', o.bootWaitMs || 8000);
        return;
      case 'boot':
        this.pinBroken = true;
        this.expectBoot = false;
        this.host.log('warn', 'the reset pin did not restart the module (an IDW04A1 without the WIFI_RST fix?): AT+S.RESET from now on');
        if (!this.thenSoft) return;
        if (this.recoverySuspended) this.deferred = true; // no reset while the module is someone else's: after the resume
        else this.softReset(null);
        return;
    }
    this.timedOut(slot);
  }

  /**
   * An up link went down: reported and recovered from, or, while recovery is suspended, held. `fault`:
   * +WIND:8, +WIND:5 or a silent console, so the next step is a reset (and a link not up that is being
   * recovered or joined gets that reset now).
   */
  lose(cause: LostCause, fault?: boolean): void {
    if (fault) {
      if (!this.wanted) return;
      this.host.log('error', 'module fault (' + cause + '): it will be reset' + (this.recoverySuspended ? ' once recovery resumes' : ''));
      this.fault = true;
    }
    if (this.state !== 'up') {
      if (!fault) return;
      if (this.t.grace != null) this.report(cause, false); // waiting for the rejoin after a resume: reset now
      else if (this.state === 'recovering' || this.done) this.schedule();
      return;
    }
    if (!this.recoverySuspended) {
      this.report(cause, false);
      return;
    }
    this.ip = '';
    this.ipv6 = '';
    this.held = cause; // for resume: the latest cause counts
  }

  /** 'lost', then recovery. `waited`: the module has already been given ownRejoinMs to rejoin by itself
   *  (after a resume), so recovery does not start with that wait again. */
  report(cause: LostCause, waited: boolean): void {
    if (this.t.grace != null) this.disarm('grace');
    this.ip = '';
    this.ipv6 = '';
    this.enter('lost', { cause: cause });
    if ((this.state as LinkState) !== 'lost') return; // a listener acted (leave(), join())
    if (this.upAt !== undefined && this.host.clock.now() - this.upAt >= (this.o.stableMs || 60000)) this.attempt = 0;
    this.upAt = undefined;
    if (waited && !this.fault && (this.attempt || 0) % 4 === 0) this.attempt = (this.attempt || 0) + 1; // the ladder's wait is done
    this.schedule();
  }

  /** The next recovery attempt, after its backoff (none for the first: it runs now). */
  schedule(): void {
    if (this.recoverySuspended) {
      this.deferred = true;
      return;
    }
    const o = this.o;
    const n = this.attempt = (this.attempt || 0) + 1;
    // The ladder: wait, rejoin, soft-reset, hard-reset, again; a fault goes straight to a reset.
    const i = (n - 1) % 4;
    let step: RecoveryStep = this.fault || i === 3 ? 'hard-reset' : i === 0 ? 'wait' : i === 1 ? 'rejoin' : 'soft-reset';
    if (step === 'hard-reset' && !this.pinUsable()) step = 'soft-reset';
    const delay = n > 1 ? backoffDelay(n - 1, o.backoff, o.random || Math.random) : 0;
    this.enter('recovering', { step: step, attempt: n, delayMs: delay });
    if ((this.state as LinkState) !== 'recovering') return; // a listener acted (leave(), join())
    this.step = step;
    if (delay) this.arm('step', delay); // (replaces a step's time limit still running: a fault)
    else this.fire('step');
  }

  /** Whether a pulse can reset the module: a pin, not disabled, not found unusable. */
  pinUsable(): boolean {
    const pins = this.host.pins;
    return !this.pinBroken && this.o.useResetPin !== false && !!(pins && pins.setReset);
  }

  /** AT+S.RESET; its restart is expected. A failure goes to `onFail`, or is logged without one. Only a
   *  failure: a promise's reject can be given as it is (the join's, so that nothing of the join's module
   *  stays alive during the restart). */
  softReset(onFail: ((err: any) => void) | null): void {
    const self = this;
    this.expectBoot = true;
    this.engine.send(at.reset(), function (err) {
      if (!err) return;
      self.expectBoot = false;
      if (onFail) onFail(err);
      else self.host.log('warn', 'AT+S.RESET failed: ' + err.message);
    });
  }

  /**
   * The one reset pulse (start() and the ladder): nothing when the pin is not usable (returns false). A
   * pulse that brings no restart within bootWaitMs marks the pin unusable; `thenSoft`: AT+S.RESET then.
   */
  pulse(thenSoft: boolean): boolean {
    if (!this.pinUsable()) return false;
    this.expectBoot = true;
    this.thenSoft = thenSoft;
    this.host.pins!.setReset!(true); // called as a method: a host may implement it on its prototype
    this.arm('pulse', this.o.resetPulseMs || 200);
    return true;
  }
}
