// What the module should hold, and whether it already does. The module cannot give certificates back,
// so the provisioner keeps a small record in host storage: for each family, the hashes of the store
// entries it last provisioned from and what the module held right after (slots, or convention files
// with their sizes). "Unchanged" means: the record matches the store's current hashes AND the module's
// listing matches the record. Anything else (no record, a changed store, a module that lost or gained
// items) makes the family be provisioned again. Nothing here talks to the module.

import { CertSlot } from '../at/commands';
import { CertStore, StoreFailure } from './store';
import { CertUse } from './check';
import { conventionFiles, conventionName } from './module-listing';
import { FileEntry } from '../at/parse';

export type CertFamily = 'tls' | 'eap';
/** 'commands': AT+S.TLSCERT / AT+S.WPAECERT into the module's certificate flash; 'files': the TLS items as
 *  files of the module's filesystem (tls.cert, tls.key, <subject key id>.ca; application note 3.1.5). */
export type ProvisionMode = 'commands' | 'files';

/** The store entry behind a slot (tls-ca, tls-cert, tls-key, tls-auth; eap-ca, eap-cert, eap-key), or
 *  undefined. TLS `auth` is optional: by default it is derived from a PEM CA. Code rather than a table:
 *  the board keeps code in flash. The entry names are also the checker's uses (check.ts CertUse). */
export function entryOf(family: CertFamily, slot: CertSlot): CertUse | 'tls-auth' | undefined {
  if (family === 'eap' && slot === 'auth') return undefined;
  return (family + '-' + slot) as any;
}

/** The slots in the order they are uploaded (the CA first). */
export function slotAt(i: number): CertSlot | undefined {
  return i === 0 ? 'ca' : i === 1 ? 'cert' : i === 2 ? 'key' : i === 3 ? 'auth' : undefined;
}

export interface WantedItem {
  entry: string;
  bytes: string;
  hash: string;
}

/** The store's side: what the family should hold, read without parsing anything (cheap). */
export interface Wanted {
  items: { [slot: string]: WantedItem };
  /** slot -> SHA-256 of the entry: what the record compares. */
  sources: { [slot: string]: string };
  /** Damaged or unreadable entries, "entry: why". */
  problems: string[];
  warnings: string[];
}

export function readWanted(store: CertStore, family: CertFamily): Wanted {
  const w: Wanted = { items: {}, sources: {}, problems: [], warnings: [] };
  for (let i = 0; i < 4; i++) {
    const slot = slotAt(i)!;
    const entry = entryOf(family, slot);
    if (entry === undefined) continue;
    const got = store.get(entry);
    if (got.ok) {
      w.items[slot] = { entry: entry, bytes: got.bytes, hash: got.hash };
      w.sources[slot] = got.hash;
      if (got.warning) w.warnings.push(entry + ': ' + got.warning);
    } else if (got.reason !== 'missing') {
      w.problems.push(entry + ': ' + got.error.message);
    }
  }
  return w;
}

/** One thing to send: a slot of TLSCERT/WPAECERT, or a file (FSC). */
export interface Upload {
  slot?: CertSlot;
  file?: string;
  entry: string;
  bytes: string;
  /** A private key: only its size may ever be shown. */
  secret: boolean;
}

export interface Plan {
  uploads: Upload[];
  /** The CA goes up in DER: the module extracts its key id itself and may list `auth` without one sent. */
  autoAuth: boolean;
  /** The CA's subject key id, lower-case hex (to compare with what the module reports). */
  caKeyId?: string;
  problems: string[];
  warnings: string[];
}

/** Makes the plan of a family from what the store holds: `now` is the module's time for date checks. */
export type Planner = (wanted: Wanted, family: CertFamily, mode: ProvisionMode, now: number | undefined) => Plan;

/**
 * The plan from the stored items as they are, parsing nothing: for a board, whose items were checked on
 * the desktop (`spwf04 cert add` checks each item and pair; `spwf04 flash --certs` stores the CA's key id
 * as tls-auth when the module needs it). The filesystem convention needs the CA's key id for a file name:
 * the desktop's planner (checked-plan.ts) makes that.
 */
export function planStored(wanted: Wanted, family: CertFamily, mode: ProvisionMode): Plan {
  const plan: Plan = { uploads: [], autoAuth: false, problems: wanted.problems.slice(), warnings: wanted.warnings.slice() };
  if (family === 'tls' && mode === 'files') {
    plan.problems.push('the filesystem convention is planned on a desktop (spwf04 cert sync); use tlsMode "commands" here');
    return plan;
  }
  for (let i = 0; i < 4; i++) {
    const slot = slotAt(i)!;
    const item = wanted.items[slot];
    if (item) plan.uploads.push({ slot: slot, entry: item.entry, bytes: item.bytes, secret: slot === 'key' });
  }
  return plan;
}

// ---- the record ---------------------------------------------------------------------------------

export interface FamilyRecord {
  mode: ProvisionMode;
  sources: { [slot: string]: string };
  /** What the module held right after: slot (or convention file name) -> bytes sent. */
  held: { [name: string]: number };
  /** A DER CA was sent: the module may list `auth` on its own. */
  autoAuth?: boolean;
}

export interface ProvisionRecord {
  v: number;
  tls?: FamilyRecord;
  eap?: FamilyRecord;
}

const RECORD_VERSION = 1;

/** The record, or an empty one when there is none or it cannot be trusted (then everything is sent again). */
export function readRecord(store: CertStore, name: string): { record: ProvisionRecord; warning?: string } {
  const got = store.get(name);
  if (!got.ok) {
    return { record: { v: RECORD_VERSION }, warning: got.reason === 'missing' ? undefined : 'provisioning record unusable: ' + got.error.message };
  }
  try {
    const r = JSON.parse(got.bytes);
    if (r && r.v === RECORD_VERSION) return { record: r };
  } catch (e) {
    // fall through: an unreadable record is no record
  }
  return { record: { v: RECORD_VERSION }, warning: 'provisioning record unreadable: everything is provisioned again' };
}

export function writeRecord(store: CertStore, name: string, record: ProvisionRecord): StoreFailure | undefined {
  const r = store.put(name, JSON.stringify(record));
  return r.ok ? undefined : r;
}

function sameKeys(a: { [k: string]: any }, b: { [k: string]: any }): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (let i = 0; i < ka.length; i++) if (!Object.prototype.hasOwnProperty.call(b, ka[i]) || a[ka[i]] !== b[ka[i]]) return false;
  return true;
}

/** What the module lists: slots (commands) or convention files (files). */
export interface Held {
  slots?: CertSlot[];
  files?: FileEntry[];
}

/** Why the family must be provisioned again, or undefined when the module already holds the store's items. */
export function difference(rec: FamilyRecord | undefined, mode: ProvisionMode, wanted: Wanted, held: Held): string | undefined {
  const nothingWanted = Object.keys(wanted.sources).length === 0;
  const listed: { [name: string]: number } = {};
  if (held.slots) for (let i = 0; i < held.slots.length; i++) listed[held.slots[i]] = -1;
  if (held.files) {
    const conv = conventionFiles(held.files);
    const names = Object.keys(conv);
    for (let i = 0; i < names.length; i++) listed[names[i]] = conv[names[i]].size;
  }
  const listedNames = Object.keys(listed);
  if (!rec) {
    if (nothingWanted && listedNames.length === 0) return undefined;
    return nothingWanted ? 'the module holds items the store does not' : 'no record of what the module was given';
  }
  if (rec.mode !== mode) return 'the storage mode changed (' + rec.mode + ' to ' + mode + ')';
  if (!sameKeys(rec.sources, wanted.sources)) return 'the store changed';
  const heldNames = Object.keys(rec.held);
  for (let i = 0; i < heldNames.length; i++) {
    const n = heldNames[i];
    if (!Object.prototype.hasOwnProperty.call(listed, n)) return 'the module no longer lists ' + n;
    if (listed[n] >= 0 && listed[n] !== rec.held[n]) return 'the module lists ' + n + ' with ' + listed[n] + ' bytes, not ' + rec.held[n];
  }
  for (let i = 0; i < listedNames.length; i++) {
    const n = listedNames[i];
    if (Object.prototype.hasOwnProperty.call(rec.held, n)) continue;
    if (n === 'auth' && rec.autoAuth) continue;
    return 'the module lists ' + n + ', which it was not given';
  }
  return undefined;
}

/** The convention files a listing shows (their names as listed, for deleting them). */
export function listedConventionFiles(files: FileEntry[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < files.length; i++) if (conventionName(files[i].name) !== undefined) out.push(files[i].name);
  return out;
}
