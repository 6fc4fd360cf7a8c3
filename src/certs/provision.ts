// Makes the module hold exactly what the host's certificate store holds, and sends nothing when it
// already does. Per family (TLS, WPA2-Enterprise):
//   1. list what the module holds (content,1; or FSL for the filesystem convention) — one command;
//   2. compare with the store and with the record of what was last provisioned (provision-plan.ts);
//   3. only when they differ: check every item as the module would (check.ts), and when anything would
//      be refused, or a store entry is damaged, send NOTHING and fail with CertRejected listing every
//      reason; otherwise erase (content,2 / FSD), upload each item (≤ 2560 bytes), list again to confirm,
//      and write the record.
// The record is cleared before the module is erased, so a reset in the middle means "provision again".
// watch() re-verifies after every module reset (+WIND:1 Poweron), once its console is back.
// Secrets: key bytes go only into the command's data phase; logs and the engine trace show sizes.

import { Command, Engine, Response } from '../at/engine';
import * as at from '../at/commands';
import { parseFiles } from '../at/parse';
import { Log } from '../host';
import { spwfError } from '../errors';
import { Emitter } from '../util/emitter';
import { CertStore } from './store';
import { parseCertListing, parseKeyIdLine } from './module-listing';
import {
  CertFamily, difference, FamilyRecord, Held, listedConventionFiles, Plan, Planner, planStored, ProvisionMode, ProvisionRecord,
  readRecord, readWanted, Upload, Wanted, writeRecord,
} from './provision-plan';

export type { CertFamily, ProvisionMode } from './provision-plan';

export interface ProvisionOptions {
  /** Where TLS items go (default 'commands': AT+S.TLSCERT). WPA2-Enterprise always uses AT+S.WPAECERT. */
  tlsMode?: ProvisionMode;
  /** Families kept equal to the store (default both). A family left out is never listed or touched. */
  families?: CertFamily[];
  /** The module's time (seconds since 1970) for the validity check, e.g. ModuleClock.estimate; when it
   *  gives undefined, dates are not checked here. */
  now?: () => number | undefined;
  /** Store entry that keeps the record of what was provisioned (default 'prov-record'). */
  recordName?: string;
  /** How the uploads are planned and checked. Default: the stored items as they are (planStored, for a
   *  board whose items were checked on the desktop); checkedProvisioner() (checked-plan.ts) checks every
   *  item as the module would first. */
  plan?: Planner;
}

export interface FamilyReport {
  family: CertFamily;
  mode: ProvisionMode;
  /** 'unchanged': nothing was sent; 'provisioned': erased and uploaded; 'erased': the store holds
   *  nothing for the family and the module's items were removed. */
  action: 'unchanged' | 'provisioned' | 'erased';
  /** Why it was sent again. */
  why?: string;
  /** What the module holds now: slots (ca, cert, key, auth) or convention file names. */
  held: string[];
  warnings: string[];
}

interface Survey {
  family: CertFamily;
  mode: ProvisionMode;
  wanted: Wanted;
  held: Held;
  why?: string;
  plan?: Plan;
}

export class Provisioner extends Emitter {
  private tlsMode: ProvisionMode;
  private families: CertFamily[];
  private now: () => number | undefined;
  private recordName: string;
  private planner: Planner;
  /** How the running sync ends (its promise settles, the next one starts); null when none runs. */
  private end: ((err: any, reports?: FamilyReport[]) => void) | null = null;
  /** Syncs asked for while one runs, started one after the other (made when first needed). */
  private waiting: (() => void)[] | undefined;
  private watching = false;
  private afterReset = false;

  constructor(private engine: Engine, private store: CertStore, private log: Log, opts?: ProvisionOptions) {
    super();
    const o = opts || {};
    this.tlsMode = o.tlsMode || 'commands';
    this.families = o.families || ['tls', 'eap'];
    this.now = o.now || function () { return undefined; };
    this.recordName = o.recordName || 'prov-record';
    this.planner = o.plan || planStored;
    const self = this;
    // A reset may lose or keep the module's items: list them again once its console is back. PowerOn goes
    // to every handler; the smallest class besides is the time (rare), not socket traffic (most of them).
    engine.onWind(function (ev) {
      if (ev.kind === 'PowerOn') self.afterReset = true;
    }, undefined, 4 /* the time (and PowerOn) */);
    engine.onState(function (s) {
      if (s !== 'ready' || !self.afterReset || !self.watching) return;
      self.afterReset = false;
      self.sync().then(function (reports) { self.emit('provisioned', reports); }, function (err) {
        self.log('error', 'certificate provisioning after a module reset failed: ' + err.message);
        self.emit('error', err);
      });
    });
  }

  /** Re-verify (and provision if needed) after every module reset. Events: 'provisioned', 'error'. */
  watch(): void {
    this.watching = true;
  }

  unwatch(): void {
    this.watching = false;
  }

  /**
   * Make the module hold what the store holds. Calls made while one runs wait for it.
   * One promise per sync; its steps are engine callbacks (send()). On Espruino every pending promise of a
   * chain holds its handlers and their scopes until the chain ends: as a chain of promises per step, a
   * provisioning held about 300 variables more at its peak.
   */
  sync(): Promise<FamilyReport[]> {
    const self = this;
    return new Promise<FamilyReport[]>(function (resolve, reject) {
      const go = function (): void {
        self.end = function (err, reports) {
          self.end = null;
          if (err) reject(err);
          else resolve(reports!);
          const next = self.waiting && self.waiting.shift();
          if (next) next();
        };
        try {
          self.runOnce();
        } catch (e) {
          if (self.end) self.end(e);
        }
      };
      if (self.end) (self.waiting || (self.waiting = [])).push(go);
      else go();
    });
  }

  /**
   * A step of the running sync: `cmd` sent, `then` given the answer. A failed command, or anything `then`
   * throws (a problem found, a builder's refusal in the next step), fails the sync: its steps stop there.
   */
  private send(cmd: Command, then: (res: Response) => void): void {
    const self = this;
    this.engine.send(cmd, function (err, res) {
      try {
        if (err) throw err;
        then(res!);
      } catch (e) {
        if (self.end) self.end(e);
      }
    });
  }

  private runOnce(): void {
    const self = this;
    const rec = readRecord(this.store, this.recordName);
    if (rec.warning) this.log('warn', rec.warning);
    const record = rec.record;
    const surveys: Survey[] = [];
    each(this.families, function (family: CertFamily, next: () => void) {
      self.survey(family, record, function (s) {
        surveys.push(s);
        next();
      });
    }, function () {
      // Everything is checked before anything is sent: a half-provisioned module fails later, less legibly.
      const reasons: string[] = [];
      for (let i = 0; i < surveys.length; i++) {
        const s = surveys[i];
        if (s.why === undefined) continue;
        s.plan = self.planner(s.wanted, s.family, s.mode, self.now());
        for (let j = 0; j < s.plan.problems.length; j++) reasons.push(s.plan.problems[j]);
      }
      if (reasons.length) {
        throw spwfError('CertRejected', 'certificates not provisioned, nothing was sent: ' + reasons.length +
          (reasons.length === 1 ? ' problem: ' : ' problems, the first: ') + reasons[0], { reasons: reasons });
      }
      const reports: FamilyReport[] = [];
      each(surveys, function (s: Survey, next: () => void) {
        self.apply(s, function (r) {
          reports.push(r);
          next();
        });
      }, function () {
        self.end!(null, reports);
      });
    });
  }

  /** List the family's items on the module and compare. */
  private survey(family: CertFamily, record: ProvisionRecord, then: (s: Survey) => void): void {
    const mode: ProvisionMode = family === 'tls' ? this.tlsMode : 'commands';
    const wanted = readWanted(this.store, family);
    this.list(family, mode, function (held) {
      const s: Survey = { family: family, mode: mode, wanted: wanted, held: held };
      s.why = difference(record[family], mode, wanted, held);
      // A damaged entry is always reported, even when the module still holds its last good copy.
      if (s.why === undefined && wanted.problems.length) s.why = 'a store entry is damaged';
      then(s);
    });
  }

  private list(family: CertFamily, mode: ProvisionMode, then: (held: Held) => void): void {
    if (mode === 'files') this.send(at.fsList(), function (res) { then({ files: parseFiles(res) }); });
    else this.send(at.certContent(family === 'tls' ? 'TLSCERT' : 'WPAECERT', 1), function (res) { then({ slots: parseCertListing(res) }); });
  }

  private apply(s: Survey, then: (r: FamilyReport) => void): void {
    const self = this;
    const report: FamilyReport = { family: s.family, mode: s.mode, action: 'unchanged', held: [], warnings: s.wanted.warnings.slice() };
    if (s.why === undefined) {
      report.held = s.held.slots ? s.held.slots.slice() : listedConventionFiles(s.held.files || []);
      return then(report);
    }
    const plan = s.plan!;
    report.why = s.why;
    report.warnings = plan.warnings.slice();
    report.action = plan.uploads.length ? 'provisioned' : 'erased';
    const parts: string[] = [];
    for (let i = 0; i < plan.uploads.length; i++) parts.push((plan.uploads[i].file || plan.uploads[i].slot) + ' (' + plan.uploads[i].bytes.length + ' bytes)');
    this.log('info', 'certificates (' + s.family + ', ' + s.mode + '): ' + s.why + '; ' + (parts.length ? 'uploading ' +
      parts.join(', ') : 'erasing what the module holds'));
    for (let i = 0; i < plan.warnings.length; i++) this.log('warn', plan.warnings[i]);
    // Forget the family first: if the module resets halfway, the next sync provisions it again.
    this.saveRecord(s.family, undefined);
    this.erase(s, function () {
      each(plan.uploads, function (up: Upload, next: () => void) {
        self.upload(s.family, up, plan, next);
      }, function () {
        self.list(s.family, s.mode, function (held) {
          const fr = confirm(s, plan, held);
          report.held = held.slots ? held.slots.slice() : listedConventionFiles(held.files || []);
          self.saveRecord(s.family, fr);
          self.log('info', 'certificates (' + s.family + '): the module holds ' + (report.held.join(', ') || 'nothing'));
          then(report);
        });
      });
    });
  }

  /** Remove the family's items: content,2, and for TLS also the convention files (whichever mode is
   *  used now, the other store must not keep stale items). */
  private erase(s: Survey, then: () => void): void {
    const self = this;
    const listed = s.held.files;
    const remove = function (names: string[]): void {
      each(names, function (n: string, next: () => void) { self.send(at.fsDelete(n), next); }, then);
    };
    this.send(at.certContent(s.family === 'tls' ? 'TLSCERT' : 'WPAECERT', 2), function () {
      if (s.family !== 'tls') then();
      else if (listed) remove(listedConventionFiles(listed));
      else self.send(at.fsList(), function (res) { remove(listedConventionFiles(parseFiles(res))); });
    });
  }

  private upload(family: CertFamily, up: Upload, plan: Plan, then: () => void): void {
    const self = this;
    const bytes = up.bytes;
    if (up.file !== undefined) return this.send(at.fsCreate(up.file, bytes), function () { then(); });
    const slot = up.slot!;
    this.send(at.certStore(family === 'tls' ? 'TLSCERT' : 'WPAECERT', slot, bytes), function (res) {
      // The module may answer a CA with the key id it found: a different one means another CA than meant.
      if (slot === 'ca' && plan.caKeyId !== undefined) {
        for (let i = 0; i < res.lines.length; i++) {
          const id = parseKeyIdLine(res.lines[i]);
          if (id !== undefined && id !== plan.caKeyId) {
            self.log('warn', 'the module reports authority id ' + id + ' for the CA; the store\'s CA has ' + plan.caKeyId);
          }
        }
      }
      then();
    });
  }

  /** Read-modify-write in one go, so that provisioners of other families sharing the store (e.g. the
   *  link's WPA2-Enterprise one) never overwrite each other's part. */
  private saveRecord(family: CertFamily, fr: FamilyRecord | undefined): void {
    const record = readRecord(this.store, this.recordName).record;
    if (fr) record[family] = fr;
    else if (record[family]) delete record[family];
    else return;
    const failed = writeRecord(this.store, this.recordName, record);
    // Not fatal: without a record the next sync sends everything again.
    if (failed) this.log('warn', 'could not save the provisioning record: ' + failed.error.message);
  }
}

/** `step` for each item, each once the previous one called its `next`; then `done`. (Closures, not a for
 *  loop: Espruino gives closures made in a loop body no binding of their own per iteration.) */
function each<T>(items: T[], step: (item: T, next: () => void) => void, done: () => void): void {
  let i = 0;
  const next = function (): void {
    if (i < items.length) step(items[i++], next);
    else done();
  };
  next();
}

/** After the uploads, the module must list every one of them (files with their exact sizes). */
function confirm(s: Survey, plan: Plan, held: Held): FamilyRecord {
  const fr: FamilyRecord = { mode: s.mode, sources: s.wanted.sources, held: {} };
  if (plan.autoAuth) fr.autoAuth = true;
  for (let i = 0; i < plan.uploads.length; i++) {
    const up = plan.uploads[i];
    fr.held[(up.file || up.slot)!] = up.bytes.length;
  }
  const why = difference(fr, s.mode, s.wanted, held);
  if (why !== undefined) {
    throw spwfError('CertRejected', 'the module did not keep what it was given: ' + why, { reasons: [why] });
  }
  return fr;
}

