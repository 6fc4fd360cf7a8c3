// X.509 certificate fields from DER: names, validity, the extensions the SPWF04S cares about
// (application note 3.1: basic constraints, subject and authority key identifiers), subject alternative
// names, the public key and the signature algorithm. Only the fields needed are decoded; the walk is a
// fixed number of levels deep (no recursion over the input). Malformed input throws InvalidParameter.

import { daysFromCivil } from '../util/civil-time';
import {
  BIT_STRING, BMP_STRING, BOOLEAN, children, derError, encodingOf, expectTlv, GENERALIZED_TIME, INTEGER,
  integerValue, OCTET_STRING, OID, oidText, SEQUENCE, SET, Tlv, toHex, UNIVERSAL_STRING, UTC_TIME,
  valueOf,
} from './der';
import {
  attributeName, describePublicKey, KeyDescription, OID_AUTHORITY_KEY_ID, OID_BASIC_CONSTRAINTS, OID_CN,
  OID_SUBJECT_ALT_NAME, OID_SUBJECT_KEY_ID, signatureOf,
} from './oids';

export interface BasicConstraints {
  cA: boolean;
  pathLen?: number;
  critical: boolean;
}

export interface Certificate {
  /** Size of the certificate's DER encoding in bytes. */
  size: number;
  /** 1, 2 or 3 (X.509v3 is the one with extensions). */
  version: number;
  /** Serial number, lower-case hex. */
  serial: string;
  /** Signature algorithm, OpenSSL's name ("sha256WithRSAEncryption", "ecdsa-with-SHA256") or the OID. */
  signatureAlgorithm: string;
  /** The hash it uses ("SHA1", "SHA256", …; '' when it names none, e.g. Ed25519 or RSASSA-PSS). */
  signatureHash: string;
  /** Names as one line, like `openssl x509 -subject`: "C = IT, O = STM, CN = CA domain". */
  subject: string;
  issuer: string;
  /** The (last, most specific) common name, as bytes (UTF-8 for non-ASCII). */
  subjectCN?: string;
  issuerCN?: string;
  /** Subject and issuer names are byte-identical. */
  selfSigned: boolean;
  /** Validity, seconds since 1970-01-01 UTC. */
  notBefore: number;
  notAfter: number;
  basicConstraints?: BasicConstraints;
  /** Subject key identifier (bytes). */
  subjectKeyId?: string;
  /** The authority key identifier extension is present (it may lack a keyIdentifier). */
  hasAuthorityKeyId: boolean;
  /** Its keyIdentifier (bytes). */
  authorityKeyId?: string;
  /** subjectAltName dNSName entries and iPAddress entries (as text). */
  dnsNames: string[];
  ipAddresses: string[];
  publicKey: KeyDescription;
  /** OIDs of every extension, in order. */
  extensions: string[];
}

/** Parses one certificate; the DER must hold exactly the certificate. Throws InvalidParameter. */
export function parseCertificate(der: string): Certificate {
  const cert = expectTlv(der, 0, der.length, SEQUENCE, 'certificate');
  if (cert.end !== der.length) throw derError((der.length - cert.end) + ' bytes after the certificate');
  const top = children(der, cert);
  if (top.length !== 3 || top[0].tag !== SEQUENCE || top[1].tag !== SEQUENCE || top[2].tag !== BIT_STRING) {
    throw derError('a certificate is {tbsCertificate, signatureAlgorithm, signature}');
  }
  const sigAlg = children(der, top[1]);
  if (sigAlg.length < 1 || sigAlg[0].tag !== OID) throw derError('signature algorithm without an OID');
  const sig = signatureOf(oidText(der, sigAlg[0]));

  const tbs = children(der, top[0]);
  let i = 0;
  let version = 1;
  if (tbs.length > 0 && tbs[0].tag === 0xa0) {
    version = integerValue(der, expectTlv(der, tbs[0].value, tbs[0].end, INTEGER, 'version')) + 1;
    i = 1;
  }
  if (tbs.length < i + 6) throw derError('tbsCertificate has ' + tbs.length + ' fields');
  const serialT = tbs[i];
  const issuerT = tbs[i + 2];
  const validityT = tbs[i + 3];
  const subjectT = tbs[i + 4];
  const spkiT = tbs[i + 5];
  if (serialT.tag !== INTEGER) throw derError('serial number expected at offset ' + serialT.start);
  if (issuerT.tag !== SEQUENCE || subjectT.tag !== SEQUENCE) throw derError('issuer and subject names expected');
  if (validityT.tag !== SEQUENCE || spkiT.tag !== SEQUENCE) throw derError('validity and public key expected');
  const validity = children(der, validityT);
  if (validity.length !== 2) throw derError('validity is {notBefore, notAfter}');

  const issuer = readName(der, issuerT);
  const subject = readName(der, subjectT);
  const c: Certificate = {
    size: der.length,
    version: version,
    serial: toHex(valueOf(der, serialT)),
    signatureAlgorithm: sig.name,
    signatureHash: sig.hash,
    subject: subject.text,
    issuer: issuer.text,
    selfSigned: encodingOf(der, subjectT) === encodingOf(der, issuerT),
    notBefore: decodeTime(der, validity[0]),
    notAfter: decodeTime(der, validity[1]),
    hasAuthorityKeyId: false,
    dnsNames: [],
    ipAddresses: [],
    publicKey: describePublicKey(der, spkiT),
    extensions: [],
  };
  if (subject.cn !== undefined) c.subjectCN = subject.cn;
  if (issuer.cn !== undefined) c.issuerCN = issuer.cn;
  for (let j = i + 6; j < tbs.length; j++) {
    if (tbs[j].tag === 0xa3) readExtensions(der, tbs[j], c);
  }
  return c;
}

function readExtensions(der: string, wrapper: Tlv, c: Certificate): void {
  const list = expectTlv(der, wrapper.value, wrapper.end, SEQUENCE, 'extensions');
  const exts = children(der, list);
  for (let i = 0; i < exts.length; i++) {
    if (exts[i].tag !== SEQUENCE) throw derError('extension expected at offset ' + exts[i].start);
    const parts = children(der, exts[i]);
    if (parts.length < 2 || parts[0].tag !== OID) throw derError('extension without an OID at offset ' + exts[i].start);
    const oid = oidText(der, parts[0]);
    let critical = false;
    let v = parts[1];
    if (v.tag === BOOLEAN && parts.length > 2) {
      critical = v.len === 1 && der.charCodeAt(v.value) !== 0;
      v = parts[2];
    }
    if (v.tag !== OCTET_STRING) throw derError('extension ' + oid + ' has no value');
    c.extensions.push(oid);
    if (oid === OID_BASIC_CONSTRAINTS) {
      const seq = expectTlv(der, v.value, v.end, SEQUENCE, 'basic constraints');
      const bc: BasicConstraints = { cA: false, critical: critical };
      const f = children(der, seq);
      for (let k = 0; k < f.length; k++) {
        if (f[k].tag === BOOLEAN) bc.cA = f[k].len === 1 && der.charCodeAt(f[k].value) !== 0;
        else if (f[k].tag === INTEGER) bc.pathLen = integerValue(der, f[k]);
      }
      c.basicConstraints = bc;
    } else if (oid === OID_SUBJECT_KEY_ID) {
      c.subjectKeyId = valueOf(der, expectTlv(der, v.value, v.end, OCTET_STRING, 'subject key identifier'));
    } else if (oid === OID_AUTHORITY_KEY_ID) {
      c.hasAuthorityKeyId = true;
      const f = children(der, expectTlv(der, v.value, v.end, SEQUENCE, 'authority key identifier'));
      for (let k = 0; k < f.length; k++) {
        if (f[k].tag === 0x80) c.authorityKeyId = valueOf(der, f[k]);
      }
    } else if (oid === OID_SUBJECT_ALT_NAME) {
      const f = children(der, expectTlv(der, v.value, v.end, SEQUENCE, 'subject alternative names'));
      for (let k = 0; k < f.length; k++) {
        if (f[k].tag === 0x82) c.dnsNames.push(valueOf(der, f[k]));
        else if (f[k].tag === 0x87) c.ipAddresses.push(ipText(valueOf(der, f[k])));
      }
    }
  }
}

function ipText(b: string): string {
  let out = '';
  if (b.length === 4) {
    for (let i = 0; i < 4; i++) out += (i > 0 ? '.' : '') + b.charCodeAt(i);
    return out;
  }
  if (b.length === 16) {
    for (let i = 0; i < 16; i += 2) out += (i > 0 ? ':' : '') + ((b.charCodeAt(i) << 8) | b.charCodeAt(i + 1)).toString(16);
    return out;
  }
  return toHex(b, ':');
}

/** A Name as one line ("C = IT, CN = x", multi-valued RDNs joined by " + ") and its last CN. */
function readName(der: string, name: Tlv): { text: string; cn?: string } {
  let text = '';
  let cn: string | undefined;
  const rdns = children(der, name);
  for (let i = 0; i < rdns.length; i++) {
    if (rdns[i].tag !== SET) throw derError('relative distinguished name expected at offset ' + rdns[i].start);
    const atvs = children(der, rdns[i]);
    for (let j = 0; j < atvs.length; j++) {
      const f = atvs[j].tag === SEQUENCE ? children(der, atvs[j]) : [];
      if (f.length !== 2 || f[0].tag !== OID) throw derError('name attribute expected at offset ' + atvs[j].start);
      const oid = oidText(der, f[0]);
      const value = stringValue(der, f[1]);
      if (oid === OID_CN) cn = value;
      text += (text === '' ? '' : j > 0 ? ' + ' : ', ') + attributeName(oid) + ' = ' + value;
    }
  }
  const r: { text: string; cn?: string } = { text: text };
  if (cn !== undefined) r.cn = cn;
  return r;
}

/** A directory string as a byte string: UTF-8 for BMPString/UniversalString, the bytes otherwise. */
function stringValue(der: string, t: Tlv): string {
  if (t.tag !== BMP_STRING && t.tag !== UNIVERSAL_STRING) return valueOf(der, t);
  const step = t.tag === BMP_STRING ? 2 : 4;
  let out = '';
  for (let p = t.value; p + step <= t.end; p += step) {
    let cp = 0;
    for (let k = 0; k < step; k++) cp = cp * 256 + der.charCodeAt(p + k);
    out += utf8(cp);
  }
  return out;
}

function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  return String.fromCharCode(0xf0 | ((cp >> 18) & 7), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

// ---- time -------------------------------------------------------------------------------------

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) throw derError('time "' + s + '" is not YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ');
    v = v * 10 + c;
  }
  return v;
}

/** UTCTime (YYMMDDHHMMSSZ, 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ) → seconds since 1970 UTC. */
export function decodeTime(der: string, t: Tlv): number {
  const s = valueOf(der, t);
  let year: number;
  let p: number;
  if (t.tag === UTC_TIME && s.length === 13) {
    year = digits(s, 0, 2);
    year += year < 50 ? 2000 : 1900;
    p = 2;
  } else if (t.tag === GENERALIZED_TIME && s.length === 15) {
    year = digits(s, 0, 4);
    p = 4;
  } else throw derError('time at offset ' + t.start + ' is not a UTCTime or GeneralizedTime in the form RFC 5280 requires');
  if (s.charAt(s.length - 1) !== 'Z') throw derError('time "' + s + '" does not end with Z');
  const month = digits(s, p, 2);
  const day = digits(s, p + 2, 2);
  const hour = digits(s, p + 4, 2);
  const minute = digits(s, p + 6, 2);
  const second = digits(s, p + 8, 2);
  const days = daysFromCivil(year, month, 1);
  const monthDays = (month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)) - days;
  if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 60) {
    throw derError('time "' + s + '" is not a valid date');
  }
  return (days + day - 1) * 86400 + hour * 3600 + minute * 60 + second;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : '' + n;
}

/** Seconds since 1970 UTC as "2025-01-31 23:59:59 UTC" (civil-from-days, no Date). */
export function formatTime(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  const rem = seconds - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const hh = Math.floor(rem / 3600);
  const mm = Math.floor((rem % 3600) / 60);
  return y + '-' + pad2(m) + '-' + pad2(d) + ' ' + pad2(hh) + ':' + pad2(mm) + ':' + pad2(rem % 60) + ' UTC';
}

