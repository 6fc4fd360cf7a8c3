// Object identifiers that certificates and keys use, with OpenSSL's names, and the public-key
// description shared by certificates (SubjectPublicKeyInfo) and private keys.

import { BIT_STRING, children, derError, expectTlv, integerBits, INTEGER, OID, oidText, readTlv, SEQUENCE, Tlv, toHex, valueOf } from './der';

export const OID_RSA = '1.2.840.113549.1.1.1';
export const OID_RSA_PSS = '1.2.840.113549.1.1.10';
export const OID_EC = '1.2.840.10045.2.1';
export const OID_DSA = '1.2.840.10040.4.1';
export const OID_ED25519 = '1.3.101.112';
export const OID_ED448 = '1.3.101.113';
export const OID_X25519 = '1.3.101.110';
export const OID_X448 = '1.3.101.111';

export const OID_CN = '2.5.4.3';
export const OID_SUBJECT_KEY_ID = '2.5.29.14';
export const OID_KEY_USAGE = '2.5.29.15';
export const OID_SUBJECT_ALT_NAME = '2.5.29.17';
export const OID_BASIC_CONSTRAINTS = '2.5.29.19';
export const OID_AUTHORITY_KEY_ID = '2.5.29.35';

// "oid=name;…" tables: one string each, searched with indexOf (no object with dozens of keys in RAM).
const CURVES =
  ';1.2.840.10045.3.1.1=prime192v1/192;1.3.132.0.33=secp224r1/224;1.2.840.10045.3.1.7=prime256v1/256' +
  ';1.3.132.0.34=secp384r1/384;1.3.132.0.35=secp521r1/521;1.3.132.0.10=secp256k1/256' +
  ';1.3.36.3.3.2.8.1.1.7=brainpoolP256r1/256;1.3.36.3.3.2.8.1.1.11=brainpoolP384r1/384' +
  ';1.3.36.3.3.2.8.1.1.13=brainpoolP512r1/512;';

const SIGNATURES =
  ';1.2.840.113549.1.1.4=md5WithRSAEncryption/MD5;1.2.840.113549.1.1.5=sha1WithRSAEncryption/SHA1' +
  ';1.2.840.113549.1.1.14=sha224WithRSAEncryption/SHA224;1.2.840.113549.1.1.11=sha256WithRSAEncryption/SHA256' +
  ';1.2.840.113549.1.1.12=sha384WithRSAEncryption/SHA384;1.2.840.113549.1.1.13=sha512WithRSAEncryption/SHA512' +
  ';1.2.840.113549.1.1.10=rsassaPss/;1.2.840.10045.4.1=ecdsa-with-SHA1/SHA1;1.2.840.10045.4.3.1=ecdsa-with-SHA224/SHA224' +
  ';1.2.840.10045.4.3.2=ecdsa-with-SHA256/SHA256;1.2.840.10045.4.3.3=ecdsa-with-SHA384/SHA384' +
  ';1.2.840.10045.4.3.4=ecdsa-with-SHA512/SHA512;1.3.101.112=ED25519/;1.3.101.113=ED448/' +
  ';1.2.840.10040.4.3=dsaWithSHA1/SHA1;2.16.840.1.101.3.4.3.2=dsa_with_SHA256/SHA256;';

const KEY_TYPES =
  ';1.2.840.113549.1.1.1=RSA;1.2.840.113549.1.1.10=RSA-PSS;1.2.840.10045.2.1=EC;1.2.840.10040.4.1=DSA' +
  ';1.3.101.112=Ed25519;1.3.101.113=Ed448;1.3.101.110=X25519;1.3.101.111=X448;';

// Short names of name attributes, as `openssl x509 -subject` prints them.
const ATTRIBUTES =
  ';2.5.4.3=CN;2.5.4.6=C;2.5.4.7=L;2.5.4.8=ST;2.5.4.10=O;2.5.4.11=OU;2.5.4.5=serialNumber;2.5.4.9=street' +
  ';2.5.4.12=title;2.5.4.4=SN;2.5.4.42=GN;2.5.4.43=initials;2.5.4.46=dnQualifier;1.2.840.113549.1.9.1=emailAddress' +
  ';0.9.2342.19200300.100.1.25=DC;0.9.2342.19200300.100.1.1=UID;';

function lookup(table: string, oid: string): string | undefined {
  const key = ';' + oid + '=';
  const i = table.indexOf(key); // fits
  if (i < 0 || i + key.length > table.length) return undefined;
  return table.substring(i + key.length, table.indexOf(';', i + 1));
}

/** OpenSSL's curve name ("prime256v1") and size in bits for a named-curve OID. */
export function curveOf(oid: string): { name: string; bits: number } | undefined {
  const v = lookup(CURVES, oid);
  if (v === undefined) return undefined;
  const slash = v.indexOf('/');
  return { name: v.substring(0, slash), bits: parseInt(v.substring(slash + 1), 10) };
}

/** OpenSSL's signature algorithm name and its hash ('' when the algorithm names none). */
export function signatureOf(oid: string): { name: string; hash: string } {
  const v = lookup(SIGNATURES, oid);
  if (v === undefined) return { name: oid, hash: '' };
  const slash = v.indexOf('/');
  return { name: v.substring(0, slash), hash: v.substring(slash + 1) };
}

/** Short name of a name attribute ("CN"), or its dotted OID when unknown. */
export function attributeName(oid: string): string {
  const v = lookup(ATTRIBUTES, oid);
  return v === undefined ? oid : v;
}

export type KeyType = 'RSA' | 'RSA-PSS' | 'EC' | 'DSA' | 'Ed25519' | 'Ed448' | 'X25519' | 'X448' | 'unknown';

export function keyTypeOf(oid: string): KeyType {
  const v = lookup(KEY_TYPES, oid);
  return v === undefined ? 'unknown' : (v as KeyType);
}

/** A public key (of a certificate) or the key inside a private key. */
export interface KeyDescription {
  type: KeyType;
  /** The algorithm OID (dotted). */
  algorithm: string;
  /** RSA: modulus bits; EC: curve bits; DSA: size of p; Ed25519: 256. */
  bits?: number;
  /** EC: OpenSSL's curve name ("prime256v1", "secp384r1"), or "explicit" for explicit parameters, or the OID. */
  curve?: string;
  /** EC: the named curve's OID. */
  curveOid?: string;
  /** The public key itself, to tell whether a key and a certificate belong together: RSA "<modulus
   *  hex>:<exponent hex>", EC the compressed point in hex (public values only). */
  publicId?: string;
}

/** RSA public identity from the modulus and exponent INTEGERs (leading zero bytes dropped). */
export function rsaPublicId(der: string, n: Tlv, e: Tlv): string {
  return toHex(stripZeros(valueOf(der, n))) + ':' + toHex(stripZeros(valueOf(der, e)));
}

function stripZeros(v: string): string {
  let i = 0;
  while (i < v.length - 1 && v.charCodeAt(i) === 0) i++;
  return v.substring(i);
}

/** EC public identity from the point's bytes (04|X|Y, or compressed 02|X / 03|X): the compressed form,
 *  so that a certificate and a key that encode the same point differently still compare equal. */
export function ecPublicId(point: string): string | undefined {
  const f = point.charCodeAt(0);
  if (f === 4 && point.length >= 3 && (point.length & 1) === 1) {
    const half = (point.length - 1) >> 1;
    const odd = point.charCodeAt(point.length - 1) & 1;
    return (odd ? '03' : '02') + toHex(point.substring(1, 1 + half));
  }
  if ((f === 2 || f === 3) && point.length >= 2) return toHex(point);
  return undefined;
}

/**
 * Describes an AlgorithmIdentifier ({algorithm, parameters}) and, for EC, the curve in its parameters.
 * Bits of RSA/DSA keys are filled in by the caller, who has the key material.
 */
export function describeAlgorithm(der: string, algId: Tlv): KeyDescription {
  if (algId.tag !== SEQUENCE) throw derError('algorithm identifier expected at offset ' + algId.start);
  const parts = children(der, algId);
  if (parts.length < 1 || parts[0].tag !== OID) throw derError('algorithm OID expected at offset ' + algId.value);
  const algorithm = oidText(der, parts[0]);
  const d: KeyDescription = { type: keyTypeOf(algorithm), algorithm: algorithm };
  if (d.type === 'EC' && parts.length > 1) setCurve(der, parts[1], d);
  else if (d.type === 'DSA' && parts.length > 1 && parts[1].tag === SEQUENCE) {
    const pqg = children(der, parts[1]);
    if (pqg.length > 0 && pqg[0].tag === INTEGER) d.bits = integerBits(der, pqg[0]);
  } else if (d.type === 'Ed25519' || d.type === 'X25519') d.bits = 256;
  else if (d.type === 'Ed448' || d.type === 'X448') d.bits = 448;
  return d;
}

/** ECParameters: a namedCurve OID (the only form the module and RFC 5480 accept) or explicit parameters. */
export function setCurve(der: string, params: Tlv, d: KeyDescription): void {
  if (params.tag === OID) {
    const oid = oidText(der, params);
    const c = curveOf(oid);
    d.curveOid = oid;
    d.curve = c ? c.name : oid;
    if (c) d.bits = c.bits;
  } else if (params.tag === SEQUENCE) d.curve = 'explicit';
}

/** SubjectPublicKeyInfo → key description (RSA modulus bits read from the key). */
export function describePublicKey(der: string, spki: Tlv): KeyDescription {
  const parts = children(der, spki);
  if (parts.length !== 2 || parts[1].tag !== BIT_STRING) throw derError('public key info at offset ' + spki.start + ' is not {algorithm, BIT STRING}');
  const d = describeAlgorithm(der, parts[0]);
  if ((d.type === 'RSA' || d.type === 'RSA-PSS') && parts[1].len > 1) {
    // BIT STRING: one byte of unused-bit count, then RSAPublicKey ::= SEQUENCE { modulus, publicExponent }.
    const key = expectTlv(der, parts[1].value + 1, parts[1].end, SEQUENCE, 'RSA public key');
    const n = expectTlv(der, key.value, key.end, INTEGER, 'RSA modulus');
    d.bits = integerBits(der, n);
    const e = readTlv(der, n.end, key.end);
    if (e.tag === INTEGER) d.publicId = rsaPublicId(der, n, e);
  }
  if (d.type === 'EC' && parts[1].len > 2) {
    // Unknown curve: an uncompressed point is 04 || X || Y.
    if (d.bits === undefined) d.bits = ((parts[1].len - 2) >> 1) * 8;
    const id = ecPublicId(der.substring(parts[1].value + 1, parts[1].end));
    if (id !== undefined) d.publicId = id;
  }
  return d;
}
