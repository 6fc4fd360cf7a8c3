// The hand-off of the link's recovery (see recovery.ts): whoever resets the module or drops its link on
// purpose (the firmware updater) suspends recovery first and resumes it after. Functions of the optional
// module that uses them, not methods of Recovery: each method of the core is variables on the board.

import type { Recovery } from './recovery';
import { securityOf } from './profile';

/**
 * The module is taken over by someone who resets it or drops its link on purpose (the firmware updater,
 * around its download and install). Until resumeRecovery(r), a loss — a module restart included — is
 * neither reported ('lost', 'recovering') nor recovered from: no recovery command is sent, and a recovery
 * under way pauses. The state stays as it is; the addresses are cleared when the link goes down. What
 * still runs: the re-initialisation after a restart (echo off, the WPA2-Enterprise clock), which the
 * module's own rejoin needs, and a WiFi Up ('address' on an up link). Not nested: one owner at a time.
 */
export function suspendRecovery(r: Recovery, reason: string): void {
  r.recoverySuspended = reason || 'suspended';
  r.host.log('info', 'link recovery suspended: ' + r.recoverySuspended);
  r.disarm('grace');
  if (r.state === 'lost' || r.state === 'recovering') {
    r.disarm('step');
    r.deferred = true;
  }
}

/**
 * The module is the link's again. Up (or back up meanwhile): nothing to do. Down after a module restart
 * (the one that installs new firmware): the module rejoins by itself from its saved settings, so the link
 * enters 'joining' (info `{ ssid, security, after: <reason> }`, no loss reported) and gives it ownRejoinMs;
 * WiFi Up makes it 'up' again; without one by then, the loss is reported ('lost', 'module-restarted') and
 * recovery goes on from the step after that wait. Down for another cause (network lost, deauthenticated,
 * radio off, a fault): the loss is reported now and recovery starts as usual. A paused recovery goes on.
 */
export function resumeRecovery(r: Recovery): void {
  const reason = r.recoverySuspended;
  if (!reason) return;
  const held = r.held;
  const deferred = r.deferred;
  r.host.log('info', 'link recovery resumed (' + reason + ')' + (held ? ': the link went down (' + held + ')' : ''));
  r.recoverySuspended = '';
  r.held = null;
  r.deferred = false;
  const s = r.state;
  if (s === 'up') {
    if (held === 'module-restarted') {
      // The module rejoins by itself from its saved settings: given ownRejoinMs, no loss reported yet.
      const n = r.network;
      r.enter('joining', { ssid: n ? n.ssid : undefined, security: n ? securityOf(n) : undefined, after: reason });
      r.arm('grace', r.o.ownRejoinMs || 30000);
    } else if (held) {
      r.report(held, false);
    }
  } else if (deferred && (s === 'lost' || s === 'recovering')) {
    r.schedule();
  }
}
