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

import { Engine } from '../at/engine';
import * as at from '../at/commands';
import { parseFiles } from '../at/parse';
import { run } from '../at/run';
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
  private chain: Promise<any> = Promise.resolve();
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
    // A reset may lose or keep the module's items: list them again once its console is back.
    engine.onWind(function (ev) {
      if (ev.kind === 'PowerOn') self.afterReset = true;
    });
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

  /** Make the module hold what the store holds. Calls made while one runs wait for it. */
  sync(): Promise<FamilyReport[]> {
    const self = this;
    const p = this.chain.then(function () { return self.runOnce(); }, function () { return self.runOnce(); });
    this.chain = p.then(noop, noop);
    return p;
  }

  private runOnce(): Promise<FamilyReport[]> {
    const self = this;
    const rec = readRecord(this.store, this.recordName);
    if (rec.warning) this.log('warn', rec.warning);
    const record = rec.record;
    const surveys: Survey[] = [];
    return inSequence(this.families, function (family: CertFamily) {
      return self.survey(family, record).then(function (s) { surveys.push(s); });
    }).then(function () {
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
      return inSequence(surveys, function (s: Survey) {
        return self.apply(s).then(function (r) { reports.push(r); });
      }).then(function () { return reports; });
    });
  }

  /** List the family's items on the module and compare. */
  private survey(family: CertFamily, record: ProvisionRecord): Promise<Survey> {
    const mode: ProvisionMode = family === 'tls' ? this.tlsMode : 'commands';
    const wanted = readWanted(this.store, family);
    return this.list(family, mode).then(function (held) {
      const s: Survey = { family: family, mode: mode, wanted: wanted, held: held };
      s.why = difference(record[family], mode, wanted, held);
      // A damaged entry is always reported, even when the module still holds its last good copy.
      if (s.why === undefined && wanted.problems.length) s.why = 'a store entry is damaged';
      return s;
    });
  }

  private list(family: CertFamily, mode: ProvisionMode): Promise<Held> {
    if (mode === 'files') {
      return run(this.engine, function () { return at.fsList(); }).then(function (res) { return { files: parseFiles(res) }; });
    }
    return run(this.engine, function () { return at.certContent(family === 'tls' ? 'TLSCERT' : 'WPAECERT', 1); }).then(function (res) {
      return { slots: parseCertListing(res) };
    });
  }

  private apply(s: Survey): Promise<FamilyReport> {
    const self = this;
    const report: FamilyReport = { family: s.family, mode: s.mode, action: 'unchanged', held: [], warnings: s.wanted.warnings.slice() };
    if (s.why === undefined) {
      report.held = s.held.slots ? s.held.slots.slice() : listedConventionFiles(s.held.files || []);
      return Promise.resolve(report);
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
    const cleared = this.saveRecord(s.family, undefined);
    return cleared.then(function () { return self.erase(s); }).then(function () {
      return inSequence(plan.uploads, function (up: Upload) { return self.upload(s.family, up, plan); });
    }).then(function () {
      return self.list(s.family, s.mode);
    }).then(function (held) {
      const fr = confirm(s, plan, held);
      report.held = held.slots ? held.slots.slice() : listedConventionFiles(held.files || []);
      return self.saveRecord(s.family, fr);
    }).then(function () {
      self.log('info', 'certificates (' + s.family + '): the module holds ' + (report.held.join(', ') || 'nothing'));
      return report;
    });
  }

  /** Remove the family's items: content,2, and for TLS also the convention files (whichever mode is
   *  used now, the other store must not keep stale items). */
  private erase(s: Survey): Promise<any> {
    const e = this.engine;
    let chain: Promise<any> = run(e, function () { return at.certContent(s.family === 'tls' ? 'TLSCERT' : 'WPAECERT', 2); });
    if (s.family !== 'tls') return chain;
    const listed = s.held.files;
    return chain.then(function (): any {
      return listed ? undefined : run(e, function () { return at.fsList(); });
    }).then(function (res: any) {
      return inSequence(listedConventionFiles(listed || parseFiles(res)), function (n: string) {
        return run(e, function () { return at.fsDelete(n); });
      });
    });
  }

  private upload(family: CertFamily, up: Upload, plan: Plan): Promise<any> {
    const self = this;
    const bytes = up.bytes;
    if (up.file !== undefined) {
      const file = up.file;
      return run(this.engine, function () { return at.fsCreate(file, bytes); });
    }
    const slot = up.slot!;
    return run(this.engine, function () { return at.certStore(family === 'tls' ? 'TLSCERT' : 'WPAECERT', slot, bytes); }).then(function (res) {
      // The module may answer a CA with the key id it found: a different one means another CA than meant.
      if (slot !== 'ca' || plan.caKeyId === undefined) return;
      for (let i = 0; i < res.lines.length; i++) {
        const id = parseKeyIdLine(res.lines[i]);
        if (id !== undefined && id !== plan.caKeyId) {
          self.log('warn', 'the module reports authority id ' + id + ' for the CA; the store\'s CA has ' + plan.caKeyId);
        }
      }
    });
  }

  /** Read-modify-write in one go (no await in between), so that provisioners of other families sharing the
   *  store (e.g. the link's WPA2-Enterprise one) never overwrite each other's part. */
  private saveRecord(family: CertFamily, fr: FamilyRecord | undefined): Promise<void> {
    const record = readRecord(this.store, this.recordName).record;
    if (fr) record[family] = fr;
    else if (record[family]) delete record[family];
    else return Promise.resolve();
    const failed = writeRecord(this.store, this.recordName, record);
    // Not fatal: without a record the next sync sends everything again.
    if (failed) this.log('warn', 'could not save the provisioning record: ' + failed.error.message);
    return Promise.resolve();
  }
}

function noop(): void {}

/** One step per item, each after the previous one. (forEach, not a for loop: Espruino gives closures made
 *  in a loop body no binding of their own per iteration.) */
/** One step after the other, each started when the previous one settled (a chain built up front would hold
 *  a promise and a closure per item on Espruino until the last step). */
function inSequence<T>(items: T[], step: (item: T) => Promise<any>): Promise<void> {
  return new Promise<void>(function (resolve, reject) {
    let i = 0;
    function next(): void {
      if (i >= items.length) return resolve();
      try {
        step(items[i++]).then(next, reject);
      } catch (e) {
        reject(e);
      }
    }
    next();
  });
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

