// The SPWF04S FOTA packet (../shared/spwf04s-protocol.md §7; the security note §3.3): a 140-byte header,
// the firmware image (plain, or AES-128-GCM ciphertext of the same length), a 4-byte trailer. Integers are
// little-endian.
//
//   off size field
//     0    4 id       0x00228800
//     4    4 hdrlen   140
//     8    4 base     offset into main flash (0)
//    12    4 len      payload length, a multiple of 4
//    16   32 model    ASCII, NUL-padded ("SPWF04S")
//    48   32 version  ASCII "<yymmdd>-<build>", NUL-padded
//    80   32 hash     SHA-256 of the plaintext image
//   112   12 iv       AES-GCM IV, zero when not encrypted
//   124   16 tag      AES-GCM tag, zero when not encrypted
//   140  len payload
//   140+len 4 trailer 0x8505E11A
//
// Encryption: AES-128-GCM, the first 16 bytes of the key file as key, a random non-zero 12-byte IV, the
// whole header with iv and tag zeroed as additional authenticated data; the ciphertext replaces the
// payload; the trailer is outside the computation.
//
// Pure functions over Buffers (no files, no printing); what a simulated module needs to accept or refuse a
// downloaded packet is `openPacket` (and `verifyPacket` for the detail).

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';

export const FOTA_ID = 0x00228800;
export const FOTA_HEADER_LENGTH = 140;
export const FOTA_TRAILER = 0x8505e11a;
export const FOTA_TRAILER_LENGTH = 4;
export const FOTA_MODEL = 'SPWF04S';
export const AES_KEY_LENGTH = 16;
export const GCM_IV_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

/** Field offsets in the header. */
export const FOTA_OFFSET = {
  id: 0,
  headerLength: 4,
  base: 8,
  length: 12,
  model: 16,
  version: 48,
  hash: 80,
  iv: 112,
  tag: 124,
} as const;

/** Sizes of the byte fields. */
export const FOTA_FIELD_SIZE = { model: 32, version: 32, hash: 32, iv: GCM_IV_LENGTH, tag: GCM_TAG_LENGTH } as const;

/** Bytes processed between two progress reports. */
const CHUNK = 64 * 1024;

export type FotaPhase = 'hash' | 'encrypt' | 'decrypt';
export type FotaProgress = (phase: FotaPhase, done: number, total: number) => void;

export type FotaProblemCode =
  | 'truncated-header' // shorter than the 140-byte header
  | 'bad-id'
  | 'bad-header-length'
  | 'bad-payload-length' // len not a multiple of 4
  | 'length-mismatch' // file length != 140 + len + 4
  | 'missing-trailer' // the file ends before the trailer
  | 'bad-trailer'
  | 'missing-iv' // tag set, IV zero
  | 'missing-tag' // IV set, tag zero
  | 'needs-key' // encrypted packet, no key given
  | 'bad-key' // key shorter than 16 bytes
  | 'auth-failed' // GCM tag check failed: wrong key or altered packet
  | 'hash-mismatch';

export interface FotaProblem {
  code: FotaProblemCode;
  message: string;
}

export class FotaError extends Error {
  readonly code: FotaProblemCode | 'bad-image' | 'bad-version' | 'bad-model' | 'bad-iv';
  readonly problems: FotaProblem[];
  constructor(code: FotaError['code'], message: string, problems: FotaProblem[] = []) {
    super(message);
    this.name = 'FotaError';
    this.code = code;
    this.problems = problems;
  }
}

// ---- text fields ----------------------------------------------------------------------------------

/** A 32-byte ASCII field as found: its text, and whatever else is in it. */
export interface FotaText {
  /** The 32 bytes. */
  raw: Buffer;
  /** The text: for the version the `<yymmdd>-<build>` found in it, else the longest printable ASCII run. */
  text: string;
  /** Bytes before the text, before the first NUL. */
  strayBefore: Buffer;
  /** Bytes after the text, before the first NUL. */
  strayAfter: Buffer;
  /** Non-zero bytes after the first NUL (the padding should be all NUL). */
  strayInPadding: number;
  /** Only the text, then NULs to the end of the field. */
  clean: boolean;
  /** The field up to its first NUL, non-printable bytes written \xHH (\\ and " escaped). */
  display: string;
}

const VERSION_PATTERN = /\d{6}-[0-9A-Za-z][0-9A-Za-z._+-]*/;

function escapeBytes(b: Buffer): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 0x20 && c < 0x7f && c !== 0x5c && c !== 0x22) s += String.fromCharCode(c);
    else s += '\\x' + ('0' + c.toString(16)).slice(-2);
  }
  return s;
}

export function readTextField(raw: Buffer, kind: 'model' | 'version'): FotaText {
  let nul = raw.indexOf(0);
  if (nul < 0) nul = raw.length;
  const content = raw.subarray(0, nul);
  let strayInPadding = 0;
  for (let i = nul; i < raw.length; i++) if (raw[i] !== 0) strayInPadding++;
  const latin = content.toString('latin1');
  let start = -1;
  let length = 0;
  const m = kind === 'version' ? VERSION_PATTERN.exec(latin) : null;
  if (m) {
    start = m.index;
    length = m[0].length;
  } else {
    const runs = latin.match(/[\x20-\x7e]+/g) || [];
    let best = '';
    for (const r of runs) if (r.length > best.length) best = r;
    if (best) {
      start = latin.indexOf(best);
      length = best.length;
    }
  }
  const text = start >= 0 ? latin.substr(start, length) : '';
  const strayBefore = Buffer.from(content.subarray(0, start >= 0 ? start : content.length));
  const strayAfter = Buffer.from(start >= 0 ? content.subarray(start + length) : Buffer.alloc(0));
  return {
    raw: Buffer.from(raw),
    text,
    strayBefore,
    strayAfter,
    strayInPadding,
    clean: strayBefore.length === 0 && strayAfter.length === 0 && strayInPadding === 0 && text.length > 0,
    display: escapeBytes(content),
  };
}

/** Throws FotaError('bad-version') unless `v` is `<yymmdd>-<build>` (a real date, build of [0-9A-Za-z._+-]) in at most 31 bytes. */
export function checkVersion(v: string): void {
  const m = /^(\d\d)(\d\d)(\d\d)-[0-9A-Za-z][0-9A-Za-z._+-]*$/.exec(v);
  if (!m) throw new FotaError('bad-version', 'version ' + JSON.stringify(v) + ' is not <yymmdd>-<build> (e.g. 170210-c3b6d33)');
  const month = Number(m[2]);
  const day = Number(m[3]);
  const days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day < 1 || day > days[month - 1]) {
    throw new FotaError('bad-version', 'version ' + JSON.stringify(v) + ': ' + m[1] + m[2] + m[3] + ' is not a date (yymmdd)');
  }
  if (v.length > FOTA_FIELD_SIZE.version - 1) {
    throw new FotaError('bad-version', 'version ' + JSON.stringify(v) + ' is longer than ' + (FOTA_FIELD_SIZE.version - 1) + ' characters');
  }
}

/** Throws FotaError('bad-model') unless `m` is 1..31 printable ASCII characters without surrounding spaces. */
export function checkModel(m: string): void {
  if (!/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(m) || m.length > FOTA_FIELD_SIZE.model - 1) {
    throw new FotaError('bad-model', 'model ' + JSON.stringify(m) + ' must be 1 to ' + (FOTA_FIELD_SIZE.model - 1) + ' printable ASCII characters');
  }
}

/** The AES-128 key from key material: at least 16 bytes, the first 16 are the key (as create_ota does). */
export function aesKey(material: Buffer): Buffer {
  if (material.length < AES_KEY_LENGTH) {
    throw new FotaError('bad-key', 'the key must hold at least ' + AES_KEY_LENGTH + ' bytes, it holds ' + material.length);
  }
  return Buffer.from(material.subarray(0, AES_KEY_LENGTH));
}

// ---- hashing and GCM in chunks ---------------------------------------------------------------------

export function sha256(data: Buffer, onProgress?: FotaProgress): Buffer {
  const h = createHash('sha256');
  if (onProgress) onProgress('hash', 0, data.length);
  for (let off = 0; off < data.length; off += CHUNK) {
    h.update(data.subarray(off, Math.min(off + CHUNK, data.length)));
    if (onProgress) onProgress('hash', Math.min(off + CHUNK, data.length), data.length);
  }
  return h.digest();
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** The additional authenticated data: the header with iv and tag set to zero. */
export function headerAad(header: Buffer): Buffer {
  const aad = Buffer.from(header.subarray(0, FOTA_HEADER_LENGTH));
  aad.fill(0, FOTA_OFFSET.iv, FOTA_OFFSET.tag + GCM_TAG_LENGTH);
  return aad;
}

// ---- build -----------------------------------------------------------------------------------------

export interface BuildOptions {
  /** `<yymmdd>-<build>`, written NUL-padded. */
  version: string;
  /** Default "SPWF04S". */
  model?: string;
  /** Key material (at least 16 bytes, the first 16 used). Without it the packet is plain. */
  key?: Buffer;
  /** The 12-byte IV (tests); default random, drawn again while all zero. Must not be all zero. */
  iv?: Buffer;
  /** Offset into main flash (default 0, as in ST's packets). */
  base?: number;
  onProgress?: FotaProgress;
}

/** Makes a FOTA packet from a flash image (its length a non-zero multiple of 4). Throws FotaError. */
export function buildPacket(image: Buffer, opts: BuildOptions): Buffer {
  if (image.length === 0) throw new FotaError('bad-image', 'the image is empty');
  if (image.length % 4 !== 0) {
    throw new FotaError(
      'bad-image',
      'the image is ' + image.length + ' bytes, not a multiple of 4 (' + (4 - (image.length % 4)) + ' more would make it ' +
        (image.length + 4 - (image.length % 4)) + '): the module takes whole 32-bit words',
    );
  }
  if (image.length > 0xffffffff - FOTA_HEADER_LENGTH - FOTA_TRAILER_LENGTH) throw new FotaError('bad-image', 'the image is too large');
  checkVersion(opts.version);
  const model = opts.model ?? FOTA_MODEL;
  checkModel(model);
  const base = opts.base ?? 0;
  if (!Number.isInteger(base) || base < 0 || base > 0xffffffff) throw new FotaError('bad-image', 'base must be a 32-bit unsigned integer');
  const key = opts.key ? aesKey(opts.key) : undefined;
  let iv: Buffer | undefined;
  if (key) {
    if (opts.iv) {
      if (opts.iv.length !== GCM_IV_LENGTH || isZero(opts.iv)) {
        throw new FotaError('bad-iv', 'the IV must be ' + GCM_IV_LENGTH + ' bytes and not all zero');
      }
      iv = Buffer.from(opts.iv);
    } else {
      do iv = randomBytes(GCM_IV_LENGTH);
      while (isZero(iv));
    }
  }

  const out = Buffer.alloc(FOTA_HEADER_LENGTH + image.length + FOTA_TRAILER_LENGTH); // zeroed: clean fields
  out.writeUInt32LE(FOTA_ID, FOTA_OFFSET.id);
  out.writeUInt32LE(FOTA_HEADER_LENGTH, FOTA_OFFSET.headerLength);
  out.writeUInt32LE(base, FOTA_OFFSET.base);
  out.writeUInt32LE(image.length, FOTA_OFFSET.length);
  out.write(model, FOTA_OFFSET.model, 'latin1');
  out.write(opts.version, FOTA_OFFSET.version, 'latin1');
  sha256(image, opts.onProgress).copy(out, FOTA_OFFSET.hash);
  out.writeUInt32LE(FOTA_TRAILER, FOTA_HEADER_LENGTH + image.length);

  if (!key || !iv) {
    image.copy(out, FOTA_HEADER_LENGTH);
    return out;
  }
  const cipher = createCipheriv('aes-128-gcm', key, iv, { authTagLength: GCM_TAG_LENGTH });
  cipher.setAAD(headerAad(out)); // iv and tag are still zero here
  let at = FOTA_HEADER_LENGTH;
  if (opts.onProgress) opts.onProgress('encrypt', 0, image.length);
  for (let off = 0; off < image.length; off += CHUNK) {
    const end = Math.min(off + CHUNK, image.length);
    at += cipher.update(image.subarray(off, end)).copy(out, at);
    if (opts.onProgress) opts.onProgress('encrypt', end, image.length);
  }
  at += cipher.final().copy(out, at);
  if (at !== FOTA_HEADER_LENGTH + image.length) throw new Error('GCM produced ' + (at - FOTA_HEADER_LENGTH) + ' bytes for ' + image.length);
  iv.copy(out, FOTA_OFFSET.iv);
  cipher.getAuthTag().copy(out, FOTA_OFFSET.tag);
  return out;
}

// ---- parse -----------------------------------------------------------------------------------------

export interface FotaHeader {
  /** The 140 header bytes as found. */
  raw: Buffer;
  id: number;
  headerLength: number;
  base: number;
  length: number;
  model: FotaText;
  version: FotaText;
  hash: Buffer;
  iv: Buffer;
  tag: Buffer;
}

export interface ParsedPacket {
  fileLength: number;
  /** Absent when the file is shorter than the header. */
  header?: FotaHeader;
  /** 140 + len + 4, from the header. */
  expectedFileLength?: number;
  /** The payload bytes present (shorter than len when the file is truncated). */
  payload: Buffer;
  /** The 4 bytes after the payload, if the file has them. */
  trailer?: number;
  /** IV or tag set. */
  encrypted: boolean;
  /** Structural problems: any of them makes the packet unusable. */
  problems: FotaProblem[];
  /** Things worth saying that do not make the packet unusable (stray bytes in the version, ...). */
  notes: string[];
}

function hex32(n: number): string {
  return '0x' + ('0000000' + n.toString(16)).slice(-8);
}

/** Reads the header and checks the structure (id, header length, len, file length, trailer, IV/tag). */
export function parsePacket(file: Buffer): ParsedPacket {
  const problems: FotaProblem[] = [];
  const notes: string[] = [];
  if (file.length < FOTA_HEADER_LENGTH) {
    problems.push({
      code: 'truncated-header',
      message: 'the file is ' + file.length + ' bytes, shorter than the ' + FOTA_HEADER_LENGTH + '-byte header',
    });
    return { fileLength: file.length, payload: Buffer.alloc(0), encrypted: false, problems, notes };
  }
  const raw = Buffer.from(file.subarray(0, FOTA_HEADER_LENGTH));
  const header: FotaHeader = {
    raw,
    id: raw.readUInt32LE(FOTA_OFFSET.id),
    headerLength: raw.readUInt32LE(FOTA_OFFSET.headerLength),
    base: raw.readUInt32LE(FOTA_OFFSET.base),
    length: raw.readUInt32LE(FOTA_OFFSET.length),
    model: readTextField(raw.subarray(FOTA_OFFSET.model, FOTA_OFFSET.model + FOTA_FIELD_SIZE.model), 'model'),
    version: readTextField(raw.subarray(FOTA_OFFSET.version, FOTA_OFFSET.version + FOTA_FIELD_SIZE.version), 'version'),
    hash: Buffer.from(raw.subarray(FOTA_OFFSET.hash, FOTA_OFFSET.hash + 32)),
    iv: Buffer.from(raw.subarray(FOTA_OFFSET.iv, FOTA_OFFSET.iv + GCM_IV_LENGTH)),
    tag: Buffer.from(raw.subarray(FOTA_OFFSET.tag, FOTA_OFFSET.tag + GCM_TAG_LENGTH)),
  };
  if (header.id !== FOTA_ID) {
    problems.push({ code: 'bad-id', message: 'id is ' + hex32(header.id) + ', not ' + hex32(FOTA_ID) + ': not a SPWF04S FOTA packet' });
  }
  if (header.headerLength !== FOTA_HEADER_LENGTH) {
    problems.push({ code: 'bad-header-length', message: 'header length is ' + header.headerLength + ', not ' + FOTA_HEADER_LENGTH });
  }
  if (header.length % 4 !== 0) {
    problems.push({ code: 'bad-payload-length', message: 'payload length ' + header.length + ' is not a multiple of 4' });
  }
  const expected = FOTA_HEADER_LENGTH + header.length + FOTA_TRAILER_LENGTH;
  const payloadEnd = Math.min(file.length, FOTA_HEADER_LENGTH + header.length);
  const payload = file.subarray(FOTA_HEADER_LENGTH, payloadEnd);
  let trailer: number | undefined;
  if (file.length >= expected) trailer = file.readUInt32LE(FOTA_HEADER_LENGTH + header.length);
  if (file.length !== expected) {
    const diff = file.length - expected;
    let message =
      'the file is ' + file.length + ' bytes, the header says ' + FOTA_HEADER_LENGTH + ' + ' + header.length + ' + ' + FOTA_TRAILER_LENGTH +
      ' = ' + expected + ' (' + Math.abs(diff) + (Math.abs(diff) === 1 ? ' byte ' : ' bytes ') + (diff < 0 ? 'missing: truncated' : 'too many') + ')';
    if (file.length >= FOTA_HEADER_LENGTH + FOTA_TRAILER_LENGTH && file.readUInt32LE(file.length - FOTA_TRAILER_LENGTH) === FOTA_TRAILER) {
      message += '; the file does end with the trailer, after ' + (file.length - FOTA_HEADER_LENGTH - FOTA_TRAILER_LENGTH) + ' payload bytes';
    }
    problems.push({ code: 'length-mismatch', message });
  }
  if (trailer === undefined) {
    problems.push({ code: 'missing-trailer', message: 'the file ends before the trailer (expected at offset ' + (FOTA_HEADER_LENGTH + header.length) + ')' });
  } else if (trailer !== FOTA_TRAILER) {
    problems.push({ code: 'bad-trailer', message: 'trailer is ' + hex32(trailer) + ', not ' + hex32(FOTA_TRAILER) });
  }
  const ivZero = isZero(header.iv);
  const tagZero = isZero(header.tag);
  const encrypted = !ivZero || !tagZero;
  if (ivZero && !tagZero) problems.push({ code: 'missing-iv', message: 'the tag is set but the IV is zero (missing initialization vector)' });
  if (!ivZero && tagZero) problems.push({ code: 'missing-tag', message: 'the IV is set but the tag is zero' });

  const v = header.version;
  if (!v.clean) {
    const parts: string[] = [];
    if (v.strayBefore.length) parts.push(v.strayBefore.length + ' stray byte' + (v.strayBefore.length > 1 ? 's' : '') + ' before it');
    if (v.strayAfter.length) parts.push(v.strayAfter.length + ' stray byte' + (v.strayAfter.length > 1 ? 's' : '') + ' after it');
    if (v.strayInPadding) parts.push(v.strayInPadding + ' non-zero byte' + (v.strayInPadding > 1 ? 's' : '') + ' in the NUL padding');
    if (!v.text) parts.push('no <yymmdd>-<build> text');
    notes.push('version field is not clean: ' + parts.join(', ') + ' (ST\'s own packets have 4 stray bytes there; the module does not seem to mind)');
  }
  if (!header.model.clean) notes.push('model field is not clean: "' + header.model.display + '"');
  if (header.model.text !== FOTA_MODEL) notes.push('model is "' + header.model.display + '", not ' + FOTA_MODEL);
  if (header.base !== 0) notes.push('base is ' + hex32(header.base) + ' (ST\'s packets use 0, the start of main flash)');

  return { fileLength: file.length, header, expectedFileLength: expected, payload, trailer, encrypted, problems, notes };
}

// ---- verify ----------------------------------------------------------------------------------------

export type CheckState = 'ok' | 'failed' | 'not-checked';

export interface FotaVerification {
  /** Structure sound, tag (encrypted) authentic, SHA-256 of the plaintext equal to the header's. */
  ok: boolean;
  packet: ParsedPacket;
  encrypted: boolean;
  /** GCM tag: 'not-checked' for plain packets or when the structure is already bad. */
  tag: CheckState;
  hash: CheckState;
  /** SHA-256 of the plaintext image, when it could be computed. */
  computedHash?: Buffer;
  /** The plaintext image, only when ok. */
  image?: Buffer;
  /** The version text ("170210-c3b6d33"), '' without a header. */
  version: string;
  model: string;
  problems: FotaProblem[];
  notes: string[];
}

export interface VerifyOptions {
  /** Key material (at least 16 bytes, the first 16 used); needed for encrypted packets. */
  key?: Buffer;
  onProgress?: FotaProgress;
}

/**
 * Checks a packet as the module does before installing: the structure, then for an encrypted packet
 * the GCM decryption and tag (AAD = header with iv and tag zeroed), then the SHA-256 of the plaintext
 * against the header. Never throws on bad packets; the problems say why.
 */
export function verifyPacket(file: Buffer, opts: VerifyOptions = {}): FotaVerification {
  const packet = parsePacket(file);
  const problems = packet.problems.slice();
  const notes = packet.notes.slice();
  const result: FotaVerification = {
    ok: false,
    packet,
    encrypted: packet.encrypted,
    tag: 'not-checked',
    hash: 'not-checked',
    version: packet.header ? packet.header.version.text : '',
    model: packet.header ? packet.header.model.text : '',
    problems,
    notes,
  };
  const header = packet.header;
  if (!header || problems.length > 0) return result;

  let key: Buffer | undefined;
  if (opts.key) {
    try {
      key = aesKey(opts.key);
    } catch (e) {
      problems.push({ code: 'bad-key', message: (e as Error).message });
      return result;
    }
  }

  let plain: Buffer;
  if (packet.encrypted) {
    if (!key) {
      problems.push({ code: 'needs-key', message: 'the packet is encrypted (IV and tag set): the AES-128 key is needed to check it' });
      return result;
    }
    const decipher = createDecipheriv('aes-128-gcm', key, header.iv, { authTagLength: GCM_TAG_LENGTH });
    decipher.setAAD(headerAad(header.raw));
    decipher.setAuthTag(header.tag);
    plain = Buffer.alloc(header.length);
    let at = 0;
    const ct = packet.payload;
    if (opts.onProgress) opts.onProgress('decrypt', 0, ct.length);
    for (let off = 0; off < ct.length; off += CHUNK) {
      const end = Math.min(off + CHUNK, ct.length);
      at += decipher.update(ct.subarray(off, end)).copy(plain, at);
      if (opts.onProgress) opts.onProgress('decrypt', end, ct.length);
    }
    try {
      at += decipher.final().copy(plain, at);
      result.tag = 'ok';
    } catch {
      result.tag = 'failed';
      problems.push({
        code: 'auth-failed',
        message: 'authentication failed: the GCM tag does not match (wrong key, or the header or payload was altered)',
      });
      return result;
    }
  } else {
    if (key) notes.push('the packet is not encrypted: the key was not needed');
    plain = packet.payload;
  }

  const digest = sha256(plain, opts.onProgress);
  result.computedHash = digest;
  if (!digest.equals(header.hash)) {
    result.hash = 'failed';
    problems.push({
      code: 'hash-mismatch',
      message: 'hash mismatch: the SHA-256 of the ' + (packet.encrypted ? 'decrypted ' : '') + 'image is ' + digest.toString('hex') +
        ', the header says ' + header.hash.toString('hex'),
    });
    return result;
  }
  result.hash = 'ok';
  result.ok = true;
  result.image = packet.encrypted ? plain : Buffer.from(plain);
  return result;
}

export interface FotaInspection {
  /** No problem found: structure sound and, for a plain packet, the hash equal to the header's. */
  ok: boolean;
  packet: ParsedPacket;
  encrypted: boolean;
  /** 'not-checked' for encrypted packets (that needs the key: verifyPacket) or a broken structure. */
  hash: CheckState;
  computedHash?: Buffer;
  problems: FotaProblem[];
  notes: string[];
}

/**
 * What can be checked without a key: the structure, and the hash of a plain packet. An encrypted
 * packet is not a problem here (its tag and hash are left to verifyPacket with the key).
 */
export function inspectPacket(file: Buffer, opts: { onProgress?: FotaProgress } = {}): FotaInspection {
  const packet = parsePacket(file);
  if (packet.encrypted || packet.problems.length > 0) {
    const notes = packet.notes.slice();
    if (packet.encrypted && packet.problems.length === 0) notes.push('the payload is encrypted: the tag and the hash need the key (verify --key)');
    return { ok: packet.problems.length === 0, packet, encrypted: packet.encrypted, hash: 'not-checked', problems: packet.problems.slice(), notes };
  }
  const v = verifyPacket(file, { onProgress: opts.onProgress });
  return { ok: v.ok, packet: v.packet, encrypted: false, hash: v.hash, computedHash: v.computedHash, problems: v.problems, notes: v.notes };
}

/** What a module gets from a good packet. */
export interface OpenedPacket {
  image: Buffer;
  /** "<yymmdd>-<build>" as found in the version field (stray bytes left out). */
  version: string;
  model: string;
  base: number;
  encrypted: boolean;
  header: FotaHeader;
}

/**
 * For a simulated module: the plaintext image and version of a downloaded packet, or a FotaError whose
 * code is the first problem's (truncated-header, bad-id, length-mismatch, bad-trailer, missing-iv,
 * needs-key, auth-failed, hash-mismatch, ...) and whose `problems` lists them all.
 */
export function openPacket(file: Buffer, key?: Buffer): OpenedPacket {
  const v = verifyPacket(file, { key });
  if (!v.ok || !v.image || !v.packet.header) {
    const first = v.problems[0];
    throw new FotaError(first ? first.code : 'hash-mismatch', v.problems.map(function (p) { return p.message; }).join('; '), v.problems);
  }
  return { image: v.image, version: v.version, model: v.model, base: v.packet.header.base, encrypted: v.encrypted, header: v.packet.header };
}
