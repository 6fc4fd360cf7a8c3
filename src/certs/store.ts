// Certificates and keys kept in host flash as named entries, each with its SHA-256.
//
// Espruino's Storage is not atomic: writing a new version of a file erases the old one first, so a reset
// in between loses it. Each entry therefore has two slot files, "<prefix><name>.0" and ".1"; a put
// writes the slot that does NOT hold the current copy, reads it back, and only then erases the old slot.
// At every step at least one slot verifies: a reset mid-put leaves the old entry or the new one.
//
// Slot file = header (52 bytes) + data:
//   0  "SPC1"                      magic and format version
//   4  sequence number             uint32 big-endian, +1 per put of the entry
//   8  data length                 uint32 big-endian
//   12 SHA-256 of the data         32 bytes: the content's identity, returned by get()
//   44 header check                first 8 bytes of SHA-256(bytes 0..43 + entry name)
// A slot is good only when the magic, length, header check and data hash all agree; reading picks the
// good slot with the highest sequence number. A damaged entry (no good slot) is reported, never returned.

import { Storage } from '../host';
import { spwfError, SpwfError } from '../errors';
import { toHex } from './der';
import { sha256 } from './sha256';

/** The entries the connectivity layer keeps (any name validName accepts can be used). */
export const CERT_ENTRIES = ['tls-ca', 'tls-cert', 'tls-key', 'tls-auth', 'eap-ca', 'eap-cert', 'eap-key'];

/** Storage file names are at most 28 characters: prefix (≤ 6) + name (≤ 20) + ".0". */
const MAX_NAME = 20;

/** 1 to 20 of A-Z a-z 0-9 _ - . (not starting with "-" or "."); no RegExp: Espruino's is minimal. */
function validName(name: string): boolean {
  if (typeof name !== 'string' || name.length < 1 || name.length > MAX_NAME) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!alnum && (i === 0 || (c !== 45 && c !== 46))) return false;
  }
  return true;
}
const DEFAULT_PREFIX = 'spwfc.';
const MAGIC = 'SPC1';
const HEADER = 52;
/** The largest entry kept (the module itself takes files of at most 2.5 KB). */
export const MAX_ENTRY_BYTES = 16384;

export interface StoredEntry {
  ok: true;
  bytes: string;
  /** SHA-256 of the bytes, lower-case hex. */
  hash: string;
  /** The entry's sequence number (1 for the first put). */
  seq: number;
  /** Set when the other slot is present but damaged (e.g. a put was interrupted). */
  warning?: string;
}

export interface StoreFailure {
  ok: false;
  /** 'missing': no slot file; 'damaged': slot files exist but none verifies; 'invalid': bad name or data;
   *  'failed': the storage refused or threw. */
  reason: 'missing' | 'damaged' | 'invalid' | 'failed';
  error: SpwfError;
}

export interface PutResult {
  ok: true;
  hash: string;
  seq: number;
  /** The entry already held these bytes: nothing was written. */
  unchanged: boolean;
}

interface Slot {
  /** 'absent' | 'good' | 'bad' */
  state: string;
  seq: number;
  data: string;
  hash: string;
  why: string;
}

function u32(n: number): string {
  return String.fromCharCode((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

function readU32(s: string, at: number): number {
  return ((s.charCodeAt(at) << 24) | (s.charCodeAt(at + 1) << 16) | (s.charCodeAt(at + 2) << 8) | s.charCodeAt(at + 3)) >>> 0;
}

// errors.ts has no code for "storage failed" or "not found": the `reason` field is the discriminator.
function failure(reason: 'missing' | 'damaged' | 'invalid' | 'failed', message: string, reasons?: string[], tooBig?: boolean): StoreFailure {
  const code = tooBig ? 'Overflow' : reason === 'damaged' ? 'CertRejected' : reason === 'failed' ? 'NotReady' : 'InvalidParameter';
  return { ok: false, reason: reason, error: spwfError(code, message, reasons ? { reasons: reasons } : undefined) };
}

/** Index of the good slot with the highest sequence number, or -1. */
function newest(slots: Slot[]): number {
  let best = -1;
  for (let i = 0; i < slots.length; i++) {
    if (slots[i].state === 'good' && (best < 0 || slots[i].seq > slots[best].seq)) best = i;
  }
  return best;
}

export class CertStore {
  private storage: Storage;
  private prefix: string;

  /** `prefix` (at most 6 characters, default "spwfc.") keeps the store's files apart from others. */
  constructor(storage: Storage, prefix?: string) {
    this.storage = storage;
    this.prefix = prefix === undefined ? DEFAULT_PREFIX : prefix;
    if (this.prefix.length > 6) throw spwfError('InvalidParameter', 'the store prefix "' + this.prefix + '" is longer than 6 characters');
  }

  private file(name: string, slot: number): string {
    return this.prefix + name + '.' + slot;
  }

  private readSlot(name: string, slot: number): Slot {
    const s: Slot = { state: 'absent', seq: 0, data: '', hash: '', why: '' };
    let raw: string | undefined;
    try {
      raw = this.storage.read(this.file(name, slot));
    } catch (e) {
      s.state = 'bad';
      s.why = 'cannot be read (' + (((e as any) && (e as any).message) || String(e)) + ')';
      return s;
    }
    if (raw === undefined) return s;
    s.state = 'bad';
    if (raw.length < HEADER || raw.substring(0, 4) !== MAGIC) {
      s.why = 'has no valid header';
      return s;
    }
    if (sha256(raw.substring(0, 44) + name).substring(0, 8) !== raw.substring(44, HEADER)) {
      s.why = 'has a damaged header';
      return s;
    }
    const len = readU32(raw, 8);
    if (raw.length !== HEADER + len) {
      s.why = 'is ' + (raw.length - HEADER) + ' bytes long instead of ' + len + ' (an interrupted write?)';
      return s;
    }
    const data = raw.substring(HEADER);
    const hash = sha256(data);
    if (hash !== raw.substring(12, 44)) {
      s.why = 'has damaged data (its SHA-256 does not match)';
      return s;
    }
    s.state = 'good';
    s.seq = readU32(raw, 4);
    s.data = data;
    s.hash = hash;
    return s;
  }

  private checkName(name: string): StoreFailure | undefined {
    if (!validName(name)) {
      return failure('invalid', 'invalid entry name "' + name + '": 1 to 20 letters, digits, "_", "-" or "."');
    }
    return undefined;
  }

  /** The entry's bytes and hash, from the newest slot that verifies. */
  get(name: string): StoredEntry | StoreFailure {
    const bad = this.checkName(name);
    if (bad) return bad;
    const slots = [this.readSlot(name, 0), this.readSlot(name, 1)];
    const i = newest(slots);
    if (i < 0) {
      if (slots[0].state === 'absent' && slots[1].state === 'absent') return failure('missing', 'no entry "' + name + '" in the store');
      const reasons: string[] = [];
      for (let j = 0; j < 2; j++) if (slots[j].state === 'bad') reasons.push('slot ' + j + ' ' + slots[j].why);
      return failure('damaged', 'the entry "' + name + '" is damaged: ' + reasons.join('; ') + '; store it again', reasons);
    }
    const r: StoredEntry = { ok: true, bytes: slots[i].data, hash: toHex(slots[i].hash), seq: slots[i].seq };
    const other = slots[1 - i];
    if (other.state === 'bad') r.warning = 'slot ' + (1 - i) + ' of "' + name + '" ' + other.why + '; using version ' + slots[i].seq;
    return r;
  }

  /**
   * Stores bytes under a name. The current copy stays intact until the new one has been written and read
   * back; only then is the old slot erased. Identical bytes are not written again.
   */
  put(name: string, bytes: string): PutResult | StoreFailure {
    const bad = this.checkName(name);
    if (bad) return bad;
    if (typeof bytes !== 'string') return failure('invalid', 'the data for "' + name + '" is not a byte string');
    if (bytes.length > MAX_ENTRY_BYTES) {
      return failure('invalid', 'the data for "' + name + '" is ' + bytes.length + ' bytes; the store keeps at most ' + MAX_ENTRY_BYTES, undefined, true);
    }
    const slots = [this.readSlot(name, 0), this.readSlot(name, 1)];
    const cur = newest(slots);
    const hash = sha256(bytes);
    if (cur >= 0 && slots[cur].hash === hash && slots[cur].data === bytes) {
      if (slots[1 - cur].state !== 'absent') this.tryErase(name, 1 - cur);
      return { ok: true, hash: toHex(hash), seq: slots[cur].seq, unchanged: true };
    }
    const target = cur < 0 ? 0 : 1 - cur;
    const seq = cur < 0 ? 1 : (slots[cur].seq + 1) >>> 0;
    const head = MAGIC + u32(seq) + u32(bytes.length) + hash;
    const file = this.file(name, target);
    const content = head + sha256(head + name).substring(0, 8) + bytes;
    const kept = cur >= 0 ? '; the previous version is kept' : '';
    let written: boolean;
    let back: string | undefined;
    try {
      written = this.storage.write(file, content);
      back = written ? this.storage.read(file) : undefined;
    } catch (e) {
      return failure('failed', 'writing "' + file + '" failed: ' + (((e as any) && (e as any).message) || String(e)) + kept);
    }
    if (!written) return failure('failed', 'the storage refused to write "' + file + '" (full?)' + kept);
    // Read back and compare (a native string comparison, not another hash).
    if (back !== content) return failure('failed', '"' + file + '" did not read back as written' + kept);
    // The new copy verifies: now the other slot (the previous version, or a damaged file) can go.
    if (slots[1 - target].state !== 'absent') this.tryErase(name, 1 - target);
    return { ok: true, hash: toHex(hash), seq: seq, unchanged: false };
  }

  private tryErase(name: string, slot: number): boolean {
    try {
      this.storage.erase(this.file(name, slot));
      return true;
    } catch (e) {
      return false;
    }
  }

  /** Removes an entry (the older or damaged slot first, so an interrupted remove leaves the entry whole). */
  remove(name: string): { ok: true } | StoreFailure {
    const bad = this.checkName(name);
    if (bad) return bad;
    const slots = [this.readSlot(name, 0), this.readSlot(name, 1)];
    const cur = newest(slots);
    const order = cur === 0 ? [1, 0] : [0, 1];
    for (let i = 0; i < 2; i++) {
      const slot = order[i];
      if (slots[slot].state === 'absent') continue;
      try {
        this.storage.erase(this.file(name, slot));
      } catch (e) {
        return failure('failed', 'erasing "' + this.file(name, slot) + '" failed: ' + (((e as any) && (e as any).message) || String(e)));
      }
    }
    return { ok: true };
  }

  /** Names of the entries that have at least one slot file (good or not), sorted. */
  list(): string[] {
    let files: string[];
    try {
      files = this.storage.list(this.prefix);
    } catch (e) {
      return [];
    }
    const seen: { [name: string]: boolean } = {};
    const out: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (f.indexOf(this.prefix) !== 0) continue;
      const tail = f.substring(f.length - 2);
      if (tail !== '.0' && tail !== '.1') continue;
      const name = f.substring(this.prefix.length, f.length - 2);
      if (!validName(name) || seen[name]) continue;
      seen[name] = true;
      out.push(name);
    }
    out.sort();
    return out;
  }
}
