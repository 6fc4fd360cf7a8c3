// Firmware over the air (application note §3.3; protocol notes §7.5, §9.11): the module downloads a FOTA
// packet itself with AT+S.FWUPDATE, the host resets it, the module checks the packet at boot (SHA-256 of
// the image; for a secure packet first the AES-128-GCM tag with aes128_key) and installs it, or erases it
// and boots its old firmware. The only verdict the host gets is the version in the first
// `+WIND:1:Poweron:<date>-<build>-SPWF04S` after the reset.
//
//   update(opts) ─► link up? ─► (TLS) clock good? ─► aes128_key (only when it differs) ─► FWUPDATE
//                ─► progress lines … AT-S.OK ─► AT+S.RESET ─► Poweron version: changed = installed
//
// Decisions:
// * The key is never read back (GCFG would put it on the UART and into the engine's trace, which masks
//   only what the host sends). The host keeps a salted SHA-256 of the key it last saved into the module,
//   in its storage (entry "fota-key"); the key is written (SCFG, then WCFG so that it survives the reset
//   that installs) only when it differs from that record, or when there is no record or no storage. A
//   rejected update forgets the record, so a module whose key was changed behind the host's back (FCFG)
//   gets the key again at the next attempt.
// * Owning the engine: the engine runs one command at a time, so nothing interleaves with FWUPDATE itself;
//   between the steps, the façade refuses new operations (join, open, listen, another update) with
//   Busy "firmware update in progress" while busy() is true. Commands queued by services already running
//   (a socket read, a clock check) simply wait their turn; none of them resets the module or the radio.
// * Success means: the first Poweron after the reset shows another version than before the update (or,
//   when `version` is given, that version). The same version means the module rejected the packet and
//   kept its old firmware (FirmwareRejected). So an update to the version already running is reported as
//   rejected unless `version` is given. The running version is known from the last Poweron this updater
//   saw; when it saw none (the module was already up when the host started), `version` is required.
// * Failures are reported once and never retried: a download error (ModuleError with the module's code
//   and text and the last progress lines), a link loss (LinkDown), a module reset during the download
//   (ModuleReset: the download is lost), a module that does not come back (Timeout).
// * The link's recovery is held off from the download to the end of the install (RecoveryHandOff, the
//   suspendRecovery/resumeRecovery of ../wifi/recovery-hold): the reset that installs is the updater's own, not a loss to
//   report, and no recovery command (radio off/on, reset) may come between FWUPDATE, the reset and the
//   Poweron the verdict is read from. After the update the link comes back by the module's own rejoin; if
//   it does not, the link's normal recovery takes over (see resumeRecovery).

import { Engine, Command } from '../at/engine';
import { WindEvent } from '../at/wind';
import { Storage, Log } from '../host';
import * as at from '../at/commands';
import { spwfError, isSpwfError, SpwfError } from '../errors';
import { Emitter } from '../util/emitter';
import { sha256Hex } from '../certs/sha256';
import { normaliseFotaKey } from './key';
import type { Recovery } from '../wifi/recovery';
import { resumeRecovery, suspendRecovery } from '../wifi/recovery-hold';

export interface FirmwareUpdateOptions {
  /** The server: a host name or an IP address. */
  host: string;
  /** Path of the packet on the server, e.g. '/fw/SPWF04S-180101-abc1234.sfota'. */
  path: string;
  /** Default 80, or 443 with tls 2. */
  port?: number;
  /** 0 HTTP, 1 automatic, 2 HTTPS (application note table 6). 1 and 2 wait for a good module clock. */
  tls?: 0 | 1 | 2;
  /** HTTP authentication on the server. */
  user?: string;
  password?: string;
  /** The AES-128 key of a secure packet, 32 hex digits or 16 bytes (written to aes128_key only when it differs). */
  key?: string;
  /** The version in the packet (`<yymmdd>-<build>`); when given, success means the module boots it. */
  version?: string;
}

export interface FirmwareUpdateResult {
  /** Poweron text before and after, e.g. '171117-0328fe3-SPWF04S' → '180101-abc1234-SPWF04S'. */
  from: string;
  to: string;
}

export type UpdateState = 'idle' | 'preparing' | 'downloading' | 'installing' | 'done' | 'failed';

/** Emitted as 'progress': a line the module printed during the download, with the percentage in it. */
export interface UpdateProgress {
  line: string;
  percent?: number;
}

/** The link's recovery, held off while the updater owns the module (../wifi/recovery-hold). */
export type RecoveryHandOff = Recovery;

export interface UpdaterOptions {
  /** Bound on the download (FWUPDATE until its OK/ERROR); default 300 s. */
  downloadTimeoutMs?: number;
  /** Bound on the reset that installs (AT+S.RESET until Console active); default 120 s. */
  installTimeoutMs?: number;
}

/** Host storage entry of the key record. */
export const KEY_RECORD = 'fota-key';

const KEEP_LINES = 4;

export class FirmwareUpdater extends Emitter {
  state: UpdateState = 'idle';
  /** The module's firmware as its last Poweron said ('' until one was seen). */
  firmware = '';
  private running = false;
  private awaitingBoot = false;
  private bootFirmware = '';
  private linkLost = false;
  private lastLines: string[] = [];
  private lastPercent = -1;
  private downloadTimeoutMs: number;
  private installTimeoutMs: number;
  /** Recovery is suspended by this updater now. */
  private holding = false;
  /** Set by whoever made the updater to let it go once an update has ended (the façade: see
   *  features/fota.ts); the updater then stops following the module's indications until its next update. */
  onIdle: (() => void) | null = null;
  /** Its handler of the module's indications, while it follows them (null once let go). */
  private windFn: ((ev: WindEvent) => void) | null = null;

  /**
   * @param linkUp whether the Wi-Fi link is up now
   * @param gate resolves once certificates may be validated (the module clock is good), else TimeNotSet
   * @param recovery the link's recovery, suspended from the download to the end of the install
   */
  constructor(private engine: Engine, private linkUp: () => boolean, private gate: () => Promise<void>,
    private storage: Storage | undefined, private log: Log, opts?: UpdaterOptions, private recovery?: RecoveryHandOff) {
    super();
    const o = opts || {};
    this.downloadTimeoutMs = o.downloadTimeoutMs || 300000;
    this.installTimeoutMs = o.installTimeoutMs || 120000;
    this.follow();
  }

  /** Follow the module's indications: PowerOn (which every handler gets) and the losses of the link; no
   *  socket traffic, no time. */
  private follow(): void {
    const self = this;
    this.windFn = function (ev) { self.onWind(ev); };
    this.engine.onWind(this.windFn, undefined, 2 /* all but socket traffic and the time */);
  }

  /** An update is running: the façade refuses other operations meanwhile. */
  busy(): boolean {
    return this.running;
  }

  update(o: FirmwareUpdateOptions): Promise<FirmwareUpdateResult> {
    const self = this;
    if (this.running) return Promise.reject(busyError());
    let cmd: Command;
    let key: string | undefined;
    try {
      key = checkOptions(o);
      cmd = at.fwUpdate({ host: o.host, path: o.path, port: o.port, tls: o.tls, user: o.user, password: o.password });
    } catch (e) {
      return Promise.reject(e);
    }
    if (!this.linkUp()) {
      return Promise.reject(spwfError('LinkDown', 'firmware update refused: the Wi-Fi link is not up'));
    }
    if (!this.windFn) {
      // Let go after an earlier update, and used again: the module may have restarted meanwhile.
      this.follow();
      this.firmware = this.engine.firmware || this.firmware;
    }
    const from = this.firmware;
    if (!from && !o.version) {
      return Promise.reject(spwfError('NotReady', 'firmware update refused: the running version is unknown (no Poweron seen): restart the module or pass `version`'));
    }
    this.running = true;
    this.setState('preparing');
    // One promise for the whole update, its steps by engine callbacks: on Espruino every pending promise of
    // a chain holds its handlers and their scopes until the chain ends.
    return new Promise<FirmwareUpdateResult>(function (resolve, reject) {
      const failed = function (err: any): void {
        self.finish('failed');
        self.log('error', 'firmware update failed: ' + (err && err.code ? err.code + ': ' : '') + (err && err.message ? err.message : err));
        reject(err);
      };
      const installed = function (err: any, to?: string): void {
        if (err) return failed(err);
        self.finish('done');
        self.log('info', 'firmware updated: ' + from + ' -> ' + to);
        resolve({ from: from, to: to! });
      };
      const keyed = function (err?: any): void {
        if (err) return failed(err);
        self.holdRecovery();
        self.download(cmd, function (err2) {
          if (err2) failed(err2);
          else self.install(from, o, installed);
        });
      };
      // The steps run in engine callbacks, which must not throw: the first ones are guarded here.
      const ready = function (): void {
        try {
          if (key) self.ensureKey(key, keyed);
          else keyed();
        } catch (e) {
          failed(e);
        }
      };
      if (o.tls) self.gate().then(ready, failed);
      else ready();
    });
  }

  // ---- steps -----------------------------------------------------------------------------------

  /** Write aes128_key (and save it) unless the host's record says the module already holds it. */
  private ensureKey(hex: string, then: (err?: any) => void): void {
    const key = hex.toLowerCase();
    const rec = readKeyRecord(this.storage);
    if (rec && sha256Hex(rec.s + key) === rec.k) {
      this.log('debug', 'aes128_key unchanged: not written');
      return then();
    }
    const e = this.engine;
    const self = this;
    e.send(at.scfg('aes128_key', key), function (err) {
      if (err) return then(err);
      e.send(at.wcfg(), function (err2) {
        if (!err2 && self.storage && !writeKeyRecord(self.storage, key)) self.log('warn', 'aes128_key record not saved: it will be written again next time');
        then(err2);
      });
    });
  }

  private download(cmd: Command, then: (err: any) => void): void {
    const self = this;
    if (!this.linkUp()) return then(spwfError('LinkDown', 'firmware update refused: the Wi-Fi link is not up'));
    this.linkLost = false;
    this.lastLines = [];
    this.lastPercent = -1;
    this.setState('downloading');
    cmd.timeoutMs = this.downloadTimeoutMs;
    cmd.onLine = function (line) { self.onProgress(line); };
    this.engine.send(cmd, function (err) { then(err ? self.downloadError(err) : null); });
  }

  /** AT+S.RESET; the first Poweron after it tells whether the module installed the packet. */
  private install(from: string, o: FirmwareUpdateOptions, then: (err: any, to?: string) => void): void {
    const self = this;
    this.setState('installing');
    this.awaitingBoot = true;
    this.bootFirmware = '';
    const c = at.reset();
    c.timeoutMs = this.installTimeoutMs;
    this.engine.send(c, function (err) {
      self.awaitingBoot = false;
      if (err) {
        return then(isSpwfError(err, 'Timeout') ? spwfError('Timeout', 'the module did not restart after the download: outcome unknown') : err);
      }
      const to = self.bootFirmware;
      if (!to) return then(spwfError('NotReady', 'the module restarted without a Poweron version: outcome unknown'));
      const v = o.version;
      if (v ? to === v || to.indexOf(v + '-') === 0 : to !== from) return then(null, to);
      if (o.key) forgetKeyRecord(self.storage);
      const why = o.key ? 'wrong AES key (aes128_key), or a corrupt or altered packet' : 'corrupt or altered packet, or an encrypted one without `key`';
      then(spwfError('FirmwareRejected', to === from
        ? 'the module rejected the new firmware and kept its old firmware ' + to + ' (' + why + ')'
        : 'the module booted ' + to + ', not ' + v, { reasons: [why] }));
    });
  }

  // ---- events ----------------------------------------------------------------------------------

  private onWind(ev: WindEvent): void {
    if (ev.kind === 'PowerOn') {
      this.firmware = ev.firmware || '';
      if (this.awaitingBoot && !this.bootFirmware) this.bootFirmware = this.firmware;
    } else if (this.state === 'downloading' && (ev.kind === 'NetworkLost' || ev.kind === 'PoweredDown' || ev.kind === 'BssLost')) {
      this.linkLost = true;
    }
  }

  private onProgress(line: string): void {
    this.lastLines.push(line);
    if (this.lastLines.length > KEEP_LINES) this.lastLines.shift();
    const m = percentIn(line);
    const p: UpdateProgress = { line: line };
    if (m >= 0) p.percent = this.lastPercent = m;
    this.emit('progress', p);
  }

  private downloadError(err: any): any {
    if (!isSpwfError(err)) return err;
    const e = err as SpwfError;
    const extra = { moduleCode: e.moduleCode, moduleName: e.moduleName, moduleText: e.moduleText, command: e.command, reasons: this.lastLines.slice() };
    const nothing = ': nothing was installed';
    if (e.code === 'ModuleReset') {
      return spwfError('ModuleReset', 'the module reset during the firmware download: the download is lost' + nothing + '; it runs ' + this.firmware, extra);
    }
    if (e.code === 'ModuleError' && (e.moduleCode === 60 || this.linkLost || !this.linkUp())) {
      return spwfError('LinkDown', 'the Wi-Fi link was lost during the firmware download (' + e.message + ')' + nothing, extra);
    }
    if (e.code === 'ModuleError' || e.code === 'Timeout') {
      return spwfError(e.code, 'firmware download failed: ' + e.message + (this.lastPercent >= 0 ? ' at ' + this.lastPercent + '%' : '') +
        (this.lastLines.length ? ' (module said: ' + this.lastLines.join(' | ') + ')' : '') + nothing, extra);
    }
    return e;
  }

  private finish(s: UpdateState): void {
    this.running = false;
    this.awaitingBoot = false;
    this.releaseRecovery();
    this.setState(s);
    if (this.onIdle && this.windFn) {
      this.engine.off(this.windFn);
      this.windFn = null;
      this.onIdle();
    }
  }

  /** The module is the updater's: the link neither reports a loss nor recovers until releaseRecovery(). */
  private holdRecovery(): void {
    if (!this.recovery || this.holding) return;
    this.holding = true;
    suspendRecovery(this.recovery, 'firmware update');
  }

  private releaseRecovery(): void {
    if (!this.holding) return;
    this.holding = false;
    resumeRecovery(this.recovery!);
  }

  private setState(s: UpdateState): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', s);
  }
}

export function busyError(): SpwfError {
  return spwfError('Busy', 'firmware update in progress');
}

/** Throws InvalidParameter for bad options; returns the key as 32 hex digits, if one is given. */
function checkOptions(o: FirmwareUpdateOptions): string | undefined {
  if (!o || !o.host || !o.path) throw spwfError('InvalidParameter', 'host and path are required');
  if (o.key === undefined) return undefined;
  const k = normaliseFotaKey(o.key);
  if (!k.ok) throw spwfError('InvalidParameter', k.reason);
  return k.hex;
}

// ---- the key record: { s: salt, k: sha256(salt + key) } --------------------------------------------

function readKeyRecord(st: Storage | undefined): { s: string; k: string } | null {
  try {
    const r = st ? st.read(KEY_RECORD) : undefined;
    const o = r ? JSON.parse(r) : null;
    if (o && typeof o.s === 'string' && typeof o.k === 'string') return o;
  } catch (e) {
    // unreadable: as if absent
  }
  return null;
}

function writeKeyRecord(st: Storage, key: string): boolean {
  let salt = '';
  for (let i = 0; i < 4; i++) salt += ('0000' + Math.floor(Math.random() * 65536).toString(16)).slice(-4);
  try {
    return st.write(KEY_RECORD, JSON.stringify({ s: salt, k: sha256Hex(salt + key) }));
  } catch (e) {
    return false;
  }
}

function forgetKeyRecord(st: Storage | undefined): void {
  try {
    if (st && st.read(KEY_RECORD) !== undefined) st.erase(KEY_RECORD);
  } catch (e) {
    // nothing to do
  }
}

/** The number before the first '%' of a line (spaces allowed between), 0..100, or -1. No RegExp: Espruino
 *  silently never matches `{1,3}`. */
export function percentIn(line: string): number {
  let i = line.indexOf('%');
  while (i > 0 && line.charCodeAt(i - 1) === 32) i--;
  let start = i;
  while (start > 0 && start > i - 3 && isDigit(line.charCodeAt(start - 1))) start--;
  if (start === i || (start > 0 && isDigit(line.charCodeAt(start - 1)))) return -1;
  const n = parseInt(line.substring(start, i), 10);
  return n <= 100 ? n : -1;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
