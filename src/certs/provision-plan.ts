// What the module should hold, and whether it already does. The module cannot give certificates back,
// so the provisioner keeps a small record in host storage: for each family, the hashes of the store
// entries it last provisioned from and what the module held right after (slots, or convention files
// with their sizes). "Unchanged" means: the record matches the store's current hashes AND the module's
// listing matches the record. Anything else (no record, a changed store, a module that lost or gained
// items) makes the family be provisioned again. Nothing here talks to the module.

import { CertSlot } from '../at/commands';
import { CertStore, StoreFailure } from './store';
import { checkItem, checkPair, CertUse } from './check';
import { toHex } from './der';
import { conventionFiles, conventionName } from './module-listing';
import { FileEntry } from '../at/parse';

export type CertFamily = 'tls' | 'eap';
/** 'commands': AT+S.TLSCERT / AT+S.WPAECERT into the module's certificate flash; 'files': the TLS items as
 *  files of the module's filesystem (tls.cert, tls.key, <subject key id>.ca; application note 3.1.5). */
export type ProvisionMode = 'commands' | 'files';

/** The store entry behind each slot. TLS `auth` is optional: by default it is derived from a PEM CA. */
export const FAMILY_ENTRIES: { [family: string]: { [slot: string]: string } } = {
  tls: { ca: 'tls-ca', cert: 'tls-cert', key: 'tls-key', auth: 'tls-auth' },
  eap: { ca: 'eap-ca', cert: 'eap-cert', key: 'eap-key' },
};
const SLOT_ORDER: CertSlot[] = ['ca', 'cert', 'key', 'auth'];
const USE: { [family: string]: { [slot: string]: CertUse } } = {
  tls: { ca: 'tls-ca', cert: 'tls-cert', key: 'tls-key' },
  eap: { ca: 'eap-ca', cert: 'eap-cert', key: 'eap-key' },
};

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
  const entries = FAMILY_ENTRIES[family];
  for (let i = 0; i < SLOT_ORDER.length; i++) {
    const slot = SLOT_ORDER[i];
    const entry = entries[slot];
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

function isHexText(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) || c === 58)) return false;
  }
  return s.length > 0;
}

/** Checks every item as the module would, and lists what to send. Parses the certificates: only called
 *  when something is to be sent (parsing costs the device time). */
export function planUploads(wanted: Wanted, family: CertFamily, mode: ProvisionMode, now: number | undefined): Plan {
  const plan: Plan = { uploads: [], autoAuth: false, problems: wanted.problems.slice(), warnings: wanted.warnings.slice() };
  const files = family === 'tls' && mode === 'files';
  let derivedAuth: string | undefined;
  let caFile: string | undefined;
  for (let i = 0; i < 3; i++) {
    const slot = SLOT_ORDER[i];
    const item = wanted.items[slot];
    if (!item) continue;
    const res = checkItem(item.bytes, USE[family][slot], now === undefined ? undefined : { now: now });
    for (let j = 0; j < res.problems.length; j++) plan.problems.push(item.entry + ': ' + res.problems[j]);
    for (let j = 0; j < res.warnings.length; j++) {
      // Without a clock the check says so on every item: the clock gate covers that, not this report.
      if (res.warnings[j].indexOf('cannot check validity') !== 0) plan.warnings.push(item.entry + ': ' + res.warnings[j]);
    }
    if (slot === 'ca' && res.info.authKeyId !== undefined) {
      plan.caKeyId = toHex(res.info.authKeyId);
      caFile = res.info.caFileName;
      if (res.info.format === 'PEM') derivedAuth = res.info.authKeyId;
      else plan.autoAuth = true;
    }
    const up: Upload = { entry: item.entry, bytes: item.bytes, secret: slot === 'key' };
    if (!files) up.slot = slot;
    else up.file = slot === 'cert' ? 'tls.cert' : slot === 'key' ? 'tls.key' : caFile;
    if (up.slot !== undefined || up.file !== undefined) plan.uploads.push(up);
  }
  // The device's certificate and its key must belong together (the module would fail every handshake).
  if (wanted.items.cert && wanted.items.key) {
    const pair = checkPair(wanted.items.cert.bytes, wanted.items.key.bytes, wanted.items.cert.entry, wanted.items.key.entry);
    for (let j = 0; j < pair.problems.length; j++) plan.problems.push(pair.problems[j]);
    for (let j = 0; j < pair.warnings.length; j++) plan.warnings.push(pair.warnings[j]);
  }
  const auth = wanted.items.auth;
  if (files) {
    if (auth) plan.warnings.push(auth.entry + ': not used with filesystem storage (the CA\'s file name carries its key id)');
  } else if (auth) {
    // An explicit entry wins over the derived id (it may name another key id on purpose).
    if (auth.bytes.length === 0 || auth.bytes.length > 64) {
      plan.problems.push(auth.entry + ': an authority key id is a short binary value (normally 20 bytes), not ' + auth.bytes.length + ' bytes');
    } else if (isHexText(auth.bytes) && auth.bytes.length >= 16) {
      plan.problems.push(auth.entry + ': the authority key id looks like hex text; the module takes it in binary (application note 3.1.5): ' +
        'store the bytes, e.g. xxd -r -p keyid.hex keyid.bin');
    }
    plan.uploads.push({ slot: 'auth', entry: auth.entry, bytes: auth.bytes, secret: false });
  } else if (derivedAuth !== undefined && wanted.items.ca) {
    plan.uploads.push({ slot: 'auth', entry: wanted.items.ca.entry + ' (its key id)', bytes: derivedAuth, secret: false });
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
