// The module's own checks on an uploaded certificate, key or authority key id, as the application note
// states them (§3.1: X.509v3, CA certificates with Basic Constraints and a Subject Key Identifier, other
// certificates with an Authority Key Identifier, smaller than 4 KB; §3.1.5: PEM or DER, no password-
// protected keys, ECDSA keys only as PEM "EC PRIVATE KEY" with the EC PARAMETERS block). Written on
// Node's crypto and a few lines of DER walking, independently of the firmware core in src/, so that the
// core's own checks are tested against a second implementation.

import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { AUTH_KEY_ID_MAX_BYTES, CERT_DER_MAX_BYTES, CERT_REFUSED_ERROR, CERT_TOO_LARGE_ERROR } from './choices';

export type CertKind = 'ca' | 'cert' | 'key' | 'auth';

export type Inspection =
  | { ok: true; format: 'PEM' | 'DER'; /** ca: the subject key identifier */ subjectKeyId?: Buffer }
  | { ok: false; code: number; why: string };

const refuse = (why: string, code = CERT_REFUSED_ERROR): Inspection => ({ ok: false, code, why });

export function inspectUpload(kind: CertKind, data: Buffer): Inspection {
  if (kind === 'auth') {
    return data.length >= 1 && data.length <= AUTH_KEY_ID_MAX_BYTES ? { ok: true, format: 'DER' } : refuse('authority key id size');
  }
  const text = data.toString('latin1');
  const pem = text.includes('-----BEGIN ');
  if (!pem && data[0] !== 0x30) return refuse('neither PEM nor DER');
  return kind === 'key' ? inspectKey(data, text, pem) : inspectCertificate(kind, data, pem);
}

function inspectCertificate(kind: 'ca' | 'cert', data: Buffer, pem: boolean): Inspection {
  let x: X509Certificate;
  try {
    x = new X509Certificate(data);
  } catch {
    return refuse('not a certificate');
  }
  if (x.raw.length > CERT_DER_MAX_BYTES) return refuse('certificate of 4 KB or more', CERT_TOO_LARGE_ERROR);
  let facts: CertFacts;
  try {
    facts = certFacts(x.raw);
  } catch {
    return refuse('malformed certificate');
  }
  if (facts.version !== 3) return refuse('not X.509v3');
  if (kind === 'ca' && (!facts.isCa || !facts.subjectKeyId)) return refuse('CA without basic constraints CA:TRUE or subject key id');
  if (kind === 'cert' && x.subject !== x.issuer && !facts.authorityKeyId) return refuse('certificate without authority key id');
  return { ok: true, format: pem ? 'PEM' : 'DER', subjectKeyId: facts.subjectKeyId };
}

function inspectKey(data: Buffer, text: string, pem: boolean): Inspection {
  if (pem && (text.includes('ENCRYPTED') || text.includes('Proc-Type: 4,'))) return refuse('password-protected key');
  let key: KeyObject | undefined;
  if (pem) {
    try {
      key = createPrivateKey({ key: text, format: 'pem' });
    } catch {
      return refuse('not a private key');
    }
  } else {
    for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
      try {
        key = createPrivateKey({ key: data, format: 'der', type });
        break;
      } catch {
        // try the next form
      }
    }
    if (!key) return refuse('not a private key');
  }
  if (key.asymmetricKeyType === 'rsa') return { ok: true, format: pem ? 'PEM' : 'DER' };
  if (key.asymmetricKeyType !== 'ec') return refuse('key type ' + key.asymmetricKeyType);
  if (!pem) return refuse('EC key in DER');
  if (!text.includes('-----BEGIN EC PRIVATE KEY-----')) return refuse('EC key in PKCS#8');
  if (!text.includes('-----BEGIN EC PARAMETERS-----')) return refuse('EC key without EC PARAMETERS');
  return { ok: true, format: 'PEM' };
}

// ---- the few certificate fields the checks need -------------------------------------------------

interface CertFacts {
  version: number;
  isCa: boolean;
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
}

interface Element {
  tag: number;
  value: number;
  end: number;
}

function element(der: Buffer, at: number, limit: number): Element {
  let p = at + 2;
  let len = der[at + 1]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3) throw new Error('length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[p++]!;
  }
  if (p + len > limit) throw new Error('truncated');
  return { tag: der[at]!, value: p, end: p + len };
}

function inside(der: Buffer, e: Element): Element[] {
  const out: Element[] = [];
  for (let p = e.value; p < e.end;) {
    const c = element(der, p, e.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

const OID_SKI = '551d0e'; // 2.5.29.14
const OID_AKI = '551d23'; // 2.5.29.35
const OID_BC = '551d13'; // 2.5.29.19

function certFacts(der: Buffer): CertFacts {
  const tbs = inside(der, element(der, 0, der.length))[0]!;
  const fields = inside(der, tbs);
  const facts: CertFacts = { version: 1, isCa: false };
  if (fields[0]?.tag === 0xa0) facts.version = der[inside(der, fields[0])[0]!.end - 1]! + 1;
  const extensions = fields.find((f) => f.tag === 0xa3);
  if (!extensions) return facts;
  for (const ext of inside(der, inside(der, extensions)[0]!)) {
    const parts = inside(der, ext);
    const oid = der.subarray(parts[0]!.value, parts[0]!.end).toString('hex');
    const octets = parts[parts.length - 1]!;
    const inner = element(der, octets.value, octets.end);
    if (oid === OID_SKI && inner.tag === 0x04) facts.subjectKeyId = der.subarray(inner.value, inner.end);
    if (oid === OID_AKI) {
      const keyId = inside(der, inner).find((e) => e.tag === 0x80);
      if (keyId) facts.authorityKeyId = der.subarray(keyId.value, keyId.end);
    }
    if (oid === OID_BC) {
      const first = inside(der, inner)[0];
      facts.isCa = first?.tag === 0x01 && der[first.value] !== 0;
    }
  }
  return facts;
}
