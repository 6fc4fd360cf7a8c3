// Staying connected: what the link does when an up link goes down, and the module's reset.
//
// Recovery escalates, one step per attempt, with a capped exponential backoff and jitter between attempts
// (backoff.ts):  wait for the module's own rejoin -> rejoin (radio off/on) -> AT+S.RESET -> reset pin -> ...
// A module fault (+WIND:8 hard fault, +WIND:5 hardware failure, a console that stopped answering) makes the
// next step a reset. The reset pin is owned here (the façade's start() pulses it through pulse() too): a
// pulse that brings no +WIND:1 within bootWaitMs marks it unusable (the IDW04A1 defect of boards without
// the WIFI_RST fix) and AT+S.RESET is used from then on.
//
// The hand-off: whoever resets the module or drops its link on purpose (the firmware updater) suspends
// recovery first and resumes it after (Link.suspendRecovery / resumeRecovery); in between a loss is held,
// neither reported nor recovered from, and settled at the resume.

import * as at from '../at/commands';
import { backoffDelay } from './backoff';
import { sequence, wifiOff, wifiOn } from './steps';
import { securityOf } from './profile';
import type { Link, LinkState, LostCause, RecoveryStep } from './link';

export class Recovery {
  /** Attempts since the link was last stable (the ladder's position). */
  private attempt = 0;
  /** When the link came up (host ms), undefined while it is not up. */
  private upAt: number | undefined;
  /** A fault was seen: the next step is a reset. */
  private fault: boolean | undefined;
  /** A restart is on its way (a reset of ours): its +WIND:1 is no loss. */
  private expectBoot: boolean | undefined;
  private pinBroken: boolean | undefined;
  /** Why recovery is suspended (suspendRecovery), undefined when it is not. */
  suspendedFor: string | undefined;
  /** The last loss seen while suspended and not reported (cleared when the link comes back). */
  private held: LostCause | null | undefined;
  /** A recovery was under way (or asked for) while suspended: it goes on at the resume. */
  private deferred: boolean | undefined;

  constructor(private link: Link) {}

  /** The link is up: the ladder's clock starts, nothing is held or pending. */
  up(): void {
    const l = this.link;
    l.disarm('step');
    l.disarm('grace');
    this.held = null;
    if (l.state !== 'up') this.upAt = l.host.clock.now();
  }

  /** Forget everything pending (the link is left or stopped). */
  clear(): void {
    this.held = null;
    this.deferred = false;
    if (this.link.t.pulse != null) this.link.host.pins!.setReset!(false); // a pulse is completed
  }

  /** An up link went down: reported and recovered from, or, while recovery is suspended, held. */
  lose(cause: LostCause): void {
    const l = this.link;
    if (l.state !== 'up') return;
    l.ip = '';
    l.ipv6 = '';
    if (this.suspendedFor) this.held = cause; // for resume(): the latest cause counts
    else this.report(cause, false);
  }

  /** 'lost', then recovery. `waited`: the module has already been given ownRejoinMs to rejoin by itself
   *  (after a resume), so recovery does not start with that wait again. */
  private report(cause: LostCause, waited: boolean): void {
    const l = this.link;
    l.disarm('grace');
    l.ip = '';
    l.ipv6 = '';
    l.enter('lost', { cause: cause });
    if ((l.state as LinkState) !== 'lost') return; // a listener acted (leave(), join())
    if (this.upAt !== undefined && l.host.clock.now() - this.upAt >= (l.o.stableMs || 60000)) this.attempt = 0;
    this.upAt = undefined;
    if (waited && !this.fault && this.attempt % 4 === 0) this.attempt++; // the ladder's wait is done
    this.schedule();
  }

  /** +WIND:8, +WIND:5 or a silent console: the next step is a reset. */
  onFault(cause: LostCause): void {
    const l = this.link;
    if (!l.wanted) return;
    l.host.log('error', 'module fault (' + cause + '): it will be reset' + (this.suspendedFor ? ' once recovery resumes' : ''));
    this.fault = true;
    if (l.state === 'up') this.lose(cause);
    else if (l.t.grace != null) this.report(cause, false); // waiting for the rejoin after a resume: reset now
    else if (l.state === 'recovering' || l.done) this.schedule();
  }

  /** +WIND:1: whether it was expected (a reset of ours); an unexpected one is a loss. */
  poweredOn(): void {
    const expected = this.expectBoot;
    this.expectBoot = false;
    this.fault = false;
    this.link.disarm('boot');
    if (!expected) this.lose('module-restarted');
  }

  /** The next recovery attempt, after its backoff. */
  schedule(): void {
    if (this.suspendedFor) {
      this.deferred = true;
      return;
    }
    const l = this.link;
    const n = ++this.attempt;
    // The ladder: wait, rejoin, soft-reset, hard-reset, again; a fault goes straight to a reset.
    const i = (n - 1) % 4;
    let step: RecoveryStep = this.fault || i === 3 ? 'hard-reset' : i === 0 ? 'wait' : i === 1 ? 'rejoin' : 'soft-reset';
    if (step === 'hard-reset' && !this.pinUsable()) step = 'soft-reset';
    const delay = n > 1 ? backoffDelay(n - 1, l.o.backoff || {}, l.o.random || Math.random) : 0;
    l.enter('recovering', { step: step, attempt: n, delayMs: delay });
    const self = this;
    l.arm('step', delay, function () { self.runStep(step); });
  }

  private runStep(step: RecoveryStep): void {
    const l = this.link;
    const self = this;
    l.newAttempt();
    function failed(e: any): void {
      if (e) l.host.log('warn', 'recovery: ' + step + ' failed: ' + e.message);
    }
    if (step === 'rejoin') sequence(l.engine, [wifiOff, wifiOn], failed);
    else if (step === 'soft-reset') this.softReset(failed);
    else if (step === 'hard-reset') this.pulse(true);
    l.arm('step', step === 'wait' ? l.o.ownRejoinMs || 30000 : l.o.joinTimeoutMs || 60000, function () {
      if (l.state === 'recovering') self.schedule();
    });
  }

  /** Whether a pulse can reset the module: a pin, not disabled, not found unusable. */
  pinUsable(): boolean {
    const pins = this.link.host.pins;
    return !this.pinBroken && this.link.o.useResetPin !== false && !!(pins && pins.setReset);
  }

  /** AT+S.RESET; its restart is expected. `cb` gets the command's failure, or null. */
  softReset(cb: (err: any) => void): void {
    const self = this;
    this.expectBoot = true;
    this.link.engine.send(at.reset(), function (err) {
      if (err) self.expectBoot = false;
      cb(err);
    });
  }

  /**
   * The one reset pulse (start() and the ladder): nothing when the pin is not usable (returns false). A
   * pulse that brings no restart within bootWaitMs marks the pin unusable; `thenSoft`: AT+S.RESET then.
   */
  pulse(thenSoft: boolean): boolean {
    if (!this.pinUsable()) return false;
    const l = this.link;
    const self = this;
    const pins = l.host.pins!; // called as a method: a host may implement it on its prototype
    this.expectBoot = true;
    pins.setReset!(true);
    l.arm('pulse', l.o.resetPulseMs || 200, function () {
      pins.setReset!(false);
      l.arm('boot', l.o.bootWaitMs || 8000, function () {
        self.pinBroken = true;
        self.expectBoot = false;
        l.host.log('warn', 'the reset pin did not restart the module (an IDW04A1 without the WIFI_RST fix?): AT+S.RESET from now on');
        if (!thenSoft) return;
        if (self.suspendedFor) self.deferred = true; // no reset while the module is someone else's: after the resume
        else self.softReset(function (e) { if (e) l.host.log('warn', 'AT+S.RESET failed: ' + e.message); });
      });
    });
    return true;
  }

  /** See Link.suspendRecovery. */
  suspend(reason: string): void {
    const l = this.link;
    this.suspendedFor = reason || 'suspended';
    l.host.log('info', 'link recovery suspended: ' + this.suspendedFor);
    l.disarm('grace');
    if (l.state === 'lost' || l.state === 'recovering') {
      l.disarm('step');
      this.deferred = true;
    }
  }

  /** See Link.resumeRecovery. */
  resume(): void {
    const reason = this.suspendedFor;
    if (!reason) return;
    const l = this.link;
    const self = this;
    const held = this.held;
    const deferred = this.deferred;
    l.host.log('info', 'link recovery resumed (' + reason + ')' + (held ? ': the link went down (' + held + ')' : ''));
    this.suspendedFor = undefined;
    this.held = null;
    this.deferred = false;
    if (l.state === 'up') {
      if (held === 'module-restarted') {
        // The module rejoins by itself from its saved settings: given ownRejoinMs, no loss reported yet.
        const n = l.network;
        l.enter('joining', { ssid: n ? n.ssid : undefined, security: n ? securityOf(n) : undefined, after: reason });
        l.arm('grace', l.o.ownRejoinMs || 30000, function () {
          if (l.state === 'joining' && !l.joining) self.report('module-restarted', true);
        });
      } else if (held) {
        this.report(held, false);
      }
    } else if (deferred && (l.state === 'lost' || l.state === 'recovering')) {
      this.schedule();
    }
  }
}
