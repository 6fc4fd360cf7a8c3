// DER/ASN.1 reader over byte strings (one char per byte), base64 decoding and PEM parsing.
//
// The reader is bounded: every element must fit inside its parent (or the input), lengths are at most
// 3 bytes long (16 MB, far beyond any certificate), indefinite lengths and high tag numbers (neither used
// in DER certificates or keys) are refused. It never recurses: callers walk the few levels they need
// with readTlv/children. Malformed input throws an InvalidParameter SpwfError whose message says where.
//
// base64Decode does not use atob (Moddable XS lacks it): a small table decoder that writes 3 bytes per
// 4 characters into short chunks, so it allocates per chunk, not per byte.

import { spwfError, SpwfError } from '../errors';

/** One element: its identifier octet, where its value starts and ends. */
export interface Tlv {
  /** The identifier octet: class (bits 8-7), constructed (bit 6), tag number (< 31). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first value byte. */
  value: number;
  /** Value length in bytes. */
  len: number;
  /** Offset just past the value. */
  end: number;
}

// Universal tags (identifier octets) used by certificates and keys.
export const BOOLEAN = 0x01;
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const NULL = 0x05;
export const OID = 0x06;
export const UTF8_STRING = 0x0c;
export const PRINTABLE_STRING = 0x13;
export const T61_STRING = 0x14;
export const IA5_STRING = 0x16;
export const UTC_TIME = 0x17;
export const GENERALIZED_TIME = 0x18;
export const UNIVERSAL_STRING = 0x1c;
export const BMP_STRING = 0x1e;
export const SEQUENCE = 0x30;
export const SET = 0x31;

export function derError(message: string): SpwfError {
  return spwfError('InvalidParameter', 'malformed DER: ' + message);
}

/**
 * Reads the element at `pos`; it and its value must end at or before `limit` (the parent's end, or the
 * input's length). Throws InvalidParameter when they do not.
 */
export function readTlv(der: string, pos: number, limit: number): Tlv {
  if (limit > der.length) limit = der.length;
  if (pos + 2 > limit) throw derError('element at offset ' + pos + ' is truncated');
  const tag = der.charCodeAt(pos);
  if ((tag & 0x1f) === 0x1f) throw derError('high tag number at offset ' + pos);
  let p = pos + 2;
  let len = der.charCodeAt(pos + 1);
  if (len === 0x80) throw derError('indefinite length at offset ' + pos);
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 3) throw derError('length of ' + n + ' bytes at offset ' + pos);
    if (p + n > limit) throw derError('length at offset ' + pos + ' is truncated');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der.charCodeAt(p++);
  }
  if (len > limit - p) throw derError('element at offset ' + pos + ' claims ' + len + ' bytes; only ' + (limit - p) + ' remain');
  return { tag: tag, start: pos, value: p, len: len, end: p + len };
}

/** Reads the element at `pos` and checks its tag. */
export function expectTlv(der: string, pos: number, limit: number, tag: number, what: string): Tlv {
  const t = readTlv(der, pos, limit);
  if (t.tag !== tag) throw derError(what + ' expected at offset ' + pos + ' (tag 0x' + hex2(tag) + '), found tag 0x' + hex2(t.tag));
  return t;
}

/** The elements inside a constructed element, in order (one level, no recursion). */
export function children(der: string, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.value;
  while (p < parent.end) {
    const t = readTlv(der, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** The value bytes of an element. */
export function valueOf(der: string, t: Tlv): string {
  return der.substring(t.value, t.end);
}

/** The whole encoding of an element (identifier, length and value). */
export function encodingOf(der: string, t: Tlv): string {
  return der.substring(t.start, t.end);
}

/** An OBJECT IDENTIFIER's value as dotted text ("1.2.840.113549.1.1.11"). */
export function oidText(der: string, t: Tlv): string {
  if (t.len < 1 || t.len > 64) throw derError('object identifier of ' + t.len + ' bytes at offset ' + t.start);
  let out = '';
  let v = 0;
  let first = true;
  for (let i = t.value; i < t.end; i++) {
    const b = der.charCodeAt(i);
    if (v > 0x1fffffffffff) throw derError('object identifier arc too large at offset ' + t.start);
    v = v * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      const a = v < 40 ? 0 : v < 80 ? 1 : 2;
      out = a + '.' + (v - a * 40);
      first = false;
    } else out += '.' + v;
    v = 0;
  }
  if (der.charCodeAt(t.end - 1) & 0x80) throw derError('object identifier at offset ' + t.start + ' is truncated');
  return out;
}

/** Bit length of a non-negative INTEGER (leading zero bytes ignored). */
export function integerBits(der: string, t: Tlv): number {
  let p = t.value;
  while (p < t.end && der.charCodeAt(p) === 0) p++;
  if (p === t.end) return 0;
  let b = der.charCodeAt(p);
  let bits = (t.end - p - 1) * 8;
  while (b > 0) {
    bits++;
    b = b >> 1;
  }
  return bits;
}

/** A small non-negative INTEGER (at most 6 bytes) as a number. */
export function integerValue(der: string, t: Tlv): number {
  if (t.len < 1 || t.len > 6) throw derError('integer of ' + t.len + ' bytes at offset ' + t.start + ' (small integer expected)');
  if (der.charCodeAt(t.value) & 0x80) throw derError('negative integer at offset ' + t.start);
  let v = 0;
  for (let i = t.value; i < t.end; i++) v = v * 256 + der.charCodeAt(i);
  return v;
}

const HEX = '0123456789abcdef';

function hex2(b: number): string {
  return HEX.charAt((b >> 4) & 15) + HEX.charAt(b & 15);
}

/** Lower-case hex of a byte string, optionally with a separator between bytes ("c0:7a:…"). */
export function toHex(bytes: string, sep?: string): string {
  const s = sep === undefined ? '' : sep;
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += s;
    // Not hex2(): toHex is in the core (shared by optional modules), hex2 and its table would be too.
    const b = bytes.charCodeAt(i);
    out += (b < 16 ? '0' : '') + b.toString(16);
  }
  return out;
}

// ---- base64 -----------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
// Decode table for char codes 0..127: 0..63 = value, 64 = whitespace, 65 = '=', 255 = invalid.
let b64Table: Uint8Array | undefined;

function table(): Uint8Array {
  if (b64Table) return b64Table;
  const t = new Uint8Array(128);
  t.fill(255);
  for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i;
  t[0x20] = 64; // space
  t[0x09] = 64; // tab
  t[0x0a] = 64; // LF
  t[0x0b] = 64; // VT
  t[0x0c] = 64; // FF
  t[0x0d] = 64; // CR
  t[0x3d] = 65; // '='
  b64Table = t;
  return t;
}

/**
 * Decodes base64 text between `start` and `end` (default: all of it) into a byte string. Whitespace
 * anywhere is skipped (RFC 7468 lax parsing); padding is optional but nothing may follow it. Returns
 * undefined when the text is not base64.
 */
export function base64Decode(text: string, start?: number, end?: number): string | undefined {
  const t = table();
  const from = start === undefined ? 0 : start;
  const to = end === undefined ? text.length : end;
  const parts: string[] = [];
  let chunk = '';
  let acc = 0;
  let n = 0; // sextets in acc
  let pad = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? t[c] : 255;
    if (v < 64) {
      if (pad > 0) return undefined;
      acc = (acc << 6) | v;
      if (++n === 4) {
        chunk += String.fromCharCode((acc >> 16) & 255, (acc >> 8) & 255, acc & 255);
        if (chunk.length >= 240) {
          parts.push(chunk);
          chunk = '';
        }
        acc = 0;
        n = 0;
      }
    } else if (v === 64) {
      continue;
    } else if (v === 65) {
      pad++;
      if (pad > 2 || n < 2) return undefined;
    } else return undefined;
  }
  if (n === 1) return undefined;
  if (pad > 0 && n + pad !== 4) return undefined;
  if (n === 2) chunk += String.fromCharCode((acc >> 4) & 255);
  else if (n === 3) chunk += String.fromCharCode((acc >> 10) & 255, (acc >> 2) & 255);
  parts.push(chunk);
  return parts.join('');
}

// ---- PEM --------------------------------------------------------------------------------------

export interface PemBlock {
  /** The label between "-----BEGIN " and "-----" ("CERTIFICATE", "EC PRIVATE KEY", …). */
  label: string;
  /** The decoded bytes ('' when `error` is set). */
  der: string;
  /** RFC 1421 header lines ("Proc-Type: 4,ENCRYPTED", "DEK-Info: …"), continuation lines joined. */
  headers: string[];
  /** Offsets of the BEGIN line and just past the END line in the text. */
  start: number;
  end: number;
  /** Why the block could not be decoded (no matching END line, not base64, headers without a blank line). */
  error?: string;
}

const BEGIN = '-----BEGIN ';
const DASHES = '-----';

/**
 * Every "-----BEGIN X-----" … "-----END X-----" block in a text, in order. Text outside the blocks is
 * ignored (RFC 7468 allows explanatory text); whitespace inside the base64 is tolerated. A block whose
 * END line is missing or whose body is not base64 is returned with `error` set, never dropped.
 */
export function parsePem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  let pos = 0;
  for (;;) {
    // Each position is checked to hold the whole marker: Espruino's indexOf also reports one that only
    // starts at the end of the text (build/check-string-search.mjs), as in a PEM without a final newline.
    const b = text.indexOf(BEGIN, pos); // fits
    if (b < 0 || b + BEGIN.length > text.length) break;
    const labelEnd = text.indexOf(DASHES, b + BEGIN.length); // fits
    if (labelEnd < 0 || labelEnd + DASHES.length > text.length) break;
    const label = text.substring(b + BEGIN.length, labelEnd);
    if (label.indexOf('\n') >= 0 || label.indexOf('\r') >= 0) {
      pos = b + BEGIN.length;
      continue;
    }
    const bodyStart = labelEnd + DASHES.length;
    const endLine = '-----END ' + label + DASHES;
    let e = text.indexOf(endLine, bodyStart); // fits
    if (e + endLine.length > text.length) e = -1;
    let nextBegin = text.indexOf(BEGIN, bodyStart); // fits
    if (nextBegin + BEGIN.length > text.length) nextBegin = -1;
    if (e < 0 || (nextBegin >= 0 && nextBegin < e)) {
      const stop = nextBegin >= 0 ? nextBegin : text.length;
      out.push({ label: label, der: '', headers: [], start: b, end: stop, error: 'no "' + endLine + '" line' });
      pos = stop;
      continue;
    }
    const block: PemBlock = { label: label, der: '', headers: [], start: b, end: e + endLine.length };
    let dataStart = bodyStart;
    // RFC 1421 headers: a ':' (not a base64 character) before the data means header lines, ended by a blank line.
    const colon = text.indexOf(':', bodyStart);
    if (colon >= 0 && colon < e) {
      const blank = blankLine(text, bodyStart, e);
      if (blank < 0) {
        block.error = 'header lines without the blank line that ends them';
        out.push(block);
        pos = block.end;
        continue;
      }
      block.headers = headerLines(text.substring(bodyStart, blank));
      dataStart = blank;
    }
    const der = base64Decode(text, dataStart, e);
    if (der === undefined) block.error = 'the text between the BEGIN and END lines is not base64';
    else if (der.length === 0) block.error = 'the block is empty';
    else block.der = der;
    out.push(block);
    pos = block.end;
  }
  return out;
}

/** Offset just past the first blank line (LF, spaces/tabs/CR, LF) between `from` and `to`, or -1. */
function blankLine(text: string, from: number, to: number): number {
  let p = text.indexOf('\n', from);
  while (p >= 0 && p < to) {
    let q = p + 1;
    let c = text.charAt(q);
    while (q < to && (c === ' ' || c === '\t' || c === '\r')) c = text.charAt(++q);
    if (q < to && c === '\n') return q + 1;
    p = text.indexOf('\n', p + 1);
  }
  return -1;
}

function headerLines(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const l = raw.trim();
    if (l === '') continue;
    const c = raw.charAt(0);
    if ((c === ' ' || c === '\t') && out.length > 0) out[out.length - 1] += l;
    else out.push(l);
  }
  return out;
}
