// Private keys: which form (RSA PKCS#1, EC SEC1, PKCS#8, encrypted), which type, size and curve.
// Nothing secret is kept: only the shape of the key is read (the modulus length, the curve) and its
// public part (RSA modulus and exponent, EC public point), to tell whether a certificate goes with it.

import {
  children, derError, expectTlv, INTEGER, integerBits, integerValue, OCTET_STRING, OID, oidText, parsePem,
  PemBlock, readTlv, SEQUENCE, Tlv, BIT_STRING,
} from './der';
import { describeAlgorithm, ecPublicId, KeyDescription, OID_EC, OID_RSA, rsaPublicId, setCurve } from './oids';

export type KeyForm = 'pkcs1' | 'sec1' | 'dsa' | 'pkcs8' | 'encrypted-pkcs8' | 'encrypted-pem';

export interface PrivateKey extends KeyDescription {
  /** pkcs1 = BEGIN RSA PRIVATE KEY; sec1 = BEGIN EC PRIVATE KEY; pkcs8 = BEGIN PRIVATE KEY;
   *  encrypted-pkcs8 = BEGIN ENCRYPTED PRIVATE KEY; encrypted-pem = a traditional PEM key with a
   *  "Proc-Type: 4,ENCRYPTED" header; dsa = BEGIN DSA PRIVATE KEY. */
  form: KeyForm;
  /** Password-protected (its type is known only from a traditional PEM label). */
  encrypted: boolean;
  /** Read from PEM text (else DER). */
  pem: boolean;
  /** The PEM label. */
  label?: string;
  /** Size of the key's DER encoding. */
  size: number;
  /** SEC1: the curve is named inside the key itself ([0] parameters). */
  curveInKey?: boolean;
  /** PEM text: a BEGIN EC PARAMETERS block is present in the same text, and the curve it names. */
  ecParameters?: boolean;
  ecParametersCurve?: string;
}

/** The PEM labels of private keys, and the form each announces. */
export function keyFormOfLabel(label: string): KeyForm | undefined {
  if (label === 'RSA PRIVATE KEY') return 'pkcs1';
  if (label === 'EC PRIVATE KEY') return 'sec1';
  if (label === 'DSA PRIVATE KEY') return 'dsa';
  if (label === 'PRIVATE KEY') return 'pkcs8';
  if (label === 'ENCRYPTED PRIVATE KEY') return 'encrypted-pkcs8';
  return undefined;
}

/** Recognises a private key in DER (PKCS#1, SEC1, DSA, PKCS#8 or encrypted PKCS#8). Throws InvalidParameter. */
export function parsePrivateKeyDer(der: string): PrivateKey {
  const top = expectTlv(der, 0, der.length, SEQUENCE, 'private key');
  if (top.end !== der.length) throw derError((der.length - top.end) + ' bytes after the private key');
  const f = children(der, top);
  const k: PrivateKey = { form: 'pkcs8', type: 'unknown', algorithm: '', encrypted: false, pem: false, size: der.length };
  if (f.length === 2 && f[0].tag === SEQUENCE && f[1].tag === OCTET_STRING) {
    // EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData }
    k.form = 'encrypted-pkcs8';
    k.encrypted = true;
    const alg = children(der, f[0]);
    if (alg.length > 0 && alg[0].tag === OID) k.algorithm = oidText(der, alg[0]);
  } else if (f.length >= 3 && f[0].tag === INTEGER && f[1].tag === SEQUENCE && f[2].tag === OCTET_STRING) {
    // PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm, privateKey, … }
    const d = describeAlgorithm(der, f[1]);
    k.type = d.type;
    k.algorithm = d.algorithm;
    if (d.bits !== undefined) k.bits = d.bits;
    if (d.curve !== undefined) k.curve = d.curve;
    if (d.curveOid !== undefined) k.curveOid = d.curveOid;
    if (d.type === 'RSA' || d.type === 'RSA-PSS') {
      const inner = expectTlv(der, f[2].value, f[2].end, SEQUENCE, 'RSA private key');
      k.bits = rsaBits(der, inner);
      const rf = children(der, inner);
      k.publicId = rsaPublicId(der, rf[1], rf[2]);
    } else if (d.type === 'EC') {
      const inner = expectTlv(der, f[2].value, f[2].end, SEQUENCE, 'EC private key');
      if (k.curve === undefined) readSec1(der, inner, k);
      else {
        if (k.bits === undefined) k.bits = sec1Bits(der, inner);
        sec1Point(der, children(der, inner), k);
      }
    }
  } else if (f.length >= 2 && f[0].tag === INTEGER && f[1].tag === OCTET_STRING) {
    // ECPrivateKey ::= SEQUENCE { version(1), privateKey, [0] parameters OPTIONAL, [1] publicKey OPTIONAL }
    k.form = 'sec1';
    k.type = 'EC';
    k.algorithm = OID_EC;
    readSec1(der, top, k);
  } else if (f.length >= 9 && allIntegers(f)) {
    // RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, privateExponent, p, q, dP, dQ, qInv, … }
    k.form = 'pkcs1';
    k.type = 'RSA';
    k.algorithm = OID_RSA;
    k.bits = integerBits(der, f[1]);
    k.publicId = rsaPublicId(der, f[1], f[2]);
  } else if (f.length === 6 && allIntegers(f)) {
    // OpenSSL's traditional DSA key: { version, p, q, g, y, x }
    k.form = 'dsa';
    k.type = 'DSA';
    k.algorithm = '1.2.840.10040.4.1';
    k.bits = integerBits(der, f[1]);
  } else throw derError('not a private key in PKCS#1, SEC1 or PKCS#8 form');
  return k;
}

function allIntegers(f: Tlv[]): boolean {
  for (let i = 0; i < f.length; i++) if (f[i].tag !== INTEGER) return false;
  return true;
}

function rsaBits(der: string, seq: Tlv): number {
  const f = children(der, seq);
  if (f.length < 9 || !allIntegers(f)) throw derError('RSA private key is not {version, modulus, ...}');
  return integerBits(der, f[1]);
}

function sec1Bits(der: string, seq: Tlv): number {
  const f = children(der, seq);
  if (f.length < 2 || f[1].tag !== OCTET_STRING) throw derError('EC private key is not {version, privateKey, ...}');
  return f[1].len * 8;
}

function readSec1(der: string, seq: Tlv, k: PrivateKey): void {
  const f = children(der, seq);
  if (f.length < 2 || f[0].tag !== INTEGER || f[1].tag !== OCTET_STRING || integerValue(der, f[0]) !== 1) {
    throw derError('EC private key is not {version 1, privateKey, ...}');
  }
  for (let i = 2; i < f.length; i++) {
    if (f[i].tag === 0xa0 && f[i].len > 0) {
      setCurve(der, expectParams(der, f[i]), k);
      k.curveInKey = true;
    }
  }
  if (k.bits === undefined) k.bits = f[1].len * 8;
  sec1Point(der, f, k);
}

/** SEC1's optional [1] publicKey (a BIT STRING holding the point): its identity, when present. */
function sec1Point(der: string, f: Tlv[], k: PrivateKey): void {
  for (let i = 2; i < f.length; i++) {
    if (f[i].tag !== 0xa1 || f[i].len < 3) continue;
    const bits = readTlv(der, f[i].value, f[i].end);
    if (bits.tag !== BIT_STRING || bits.len < 2) continue;
    const id = ecPublicId(der.substring(bits.value + 1, bits.end));
    if (id !== undefined) k.publicId = id;
  }
}

function expectParams(der: string, wrapper: Tlv): Tlv {
  const f = children(der, wrapper);
  if (f.length !== 1) throw derError('EC parameters expected at offset ' + wrapper.start);
  return f[0];
}

/** The curve an "EC PARAMETERS" block names (OpenSSL's name, the OID, or "explicit"). */
export function ecParametersCurve(der: string): string {
  const t = curveParameters(der);
  const d: KeyDescription = { type: 'EC', algorithm: OID_EC };
  setCurve(der, t, d);
  if (d.curve === undefined) throw derError('EC PARAMETERS is neither a named curve nor explicit parameters');
  return d.curve;
}

/** The single element of an EC PARAMETERS block: a named-curve OID or explicit parameters. */
function curveParameters(der: string): Tlv {
  const t = der.length > 0 && der.charCodeAt(0) === OID ? expectTlv(der, 0, der.length, OID, 'curve') : expectTlv(der, 0, der.length, SEQUENCE, 'curve');
  if (t.end !== der.length) throw derError('bytes after the EC parameters');
  return t;
}

/**
 * A private key from one PEM block: the label says which form to expect, and the DER must agree. A
 * traditional key with a "Proc-Type: 4,ENCRYPTED" header is reported as encrypted without decoding it.
 * Throws InvalidParameter when the block is not a key or does not match its label.
 */
export function parsePrivateKeyBlock(block: PemBlock): PrivateKey {
  const form = keyFormOfLabel(block.label);
  if (form === undefined) throw derError('a "' + block.label + '" block is not a private key');
  if (block.error) throw derError('the "' + block.label + '" block: ' + block.error);
  let encryptedHeader = false;
  for (let i = 0; i < block.headers.length; i++) {
    const h = block.headers[i].toUpperCase();
    if (h.indexOf('PROC-TYPE:') === 0 && h.lastIndexOf('ENCRYPTED') >= 0) encryptedHeader = true;
  }
  let k: PrivateKey;
  if (encryptedHeader) {
    k = { form: 'encrypted-pem', type: 'unknown', algorithm: '', encrypted: true, pem: true, size: block.der.length };
    if (form === 'pkcs1') {
      k.type = 'RSA';
      k.algorithm = OID_RSA;
    } else if (form === 'sec1') {
      k.type = 'EC';
      k.algorithm = OID_EC;
    } else if (form === 'dsa') k.type = 'DSA';
  } else {
    k = parsePrivateKeyDer(block.der);
    if (k.form !== form) throw derError('the "' + block.label + '" block holds a key in ' + k.form + ' form');
    k.pem = true;
  }
  k.label = block.label;
  return k;
}

/**
 * The private key in an item (PEM text or DER): the first key block of a PEM text, with whether the
 * same text has an EC PARAMETERS block. Throws InvalidParameter when there is no key.
 */
export function recognisePrivateKey(item: string): PrivateKey {
  if (item.lastIndexOf('-----BEGIN ') < 0) return parsePrivateKeyDer(item);
  const blocks = parsePem(item);
  let key: PrivateKey | undefined;
  let params: string | undefined;
  let hasParams = false;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b.label === 'EC PARAMETERS') {
      hasParams = true;
      if (!b.error && params === undefined) params = ecParametersCurve(b.der);
    } else if (!key && keyFormOfLabel(b.label) !== undefined) key = parsePrivateKeyBlock(b);
  }
  if (!key) throw derError('no private key block in the text');
  key.ecParameters = hasParams;
  if (params !== undefined) key.ecParametersCurve = params;
  return key;
}
