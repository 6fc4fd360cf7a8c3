// Checks a certificate or key file against what the SPWF04S accepts, before it is stored or uploaded.
// Sources: the security application note, 3.1 (X.509v3 restrictions, RSA sizes), 3.1.3 (2.5 KB files,
// date and CN checks), 3.1.5 (keys: no passwords, ECDSA only as SEC1 PEM with EC PARAMETERS) and
// 3.2.2.1 (WPA2-Enterprise: RSA up to 4096 bits). Every problem is listed, in words a user can act on;
// nothing throws.
//
// Decisions where the note is silent or inconsistent (each is a warning, not a refusal, unless stated):
// * RSA sizes. TLS: the module's own key (tls-cert leaf, tls-key) must be 1024 or 2048 bits, the sizes
//   3.1 lists for signatures and key exchange (refused otherwise). A TLS CA key is refused outside
//   1024–4096 and warned about when not 1024/2048: the note lists 1024/2048 for TLS, but the same
//   firmware verifies RSA up to 4096 for WPA2-Enterprise and many public roots are 4096-bit.
//   WPA2-Enterprise: any RSA size from 1024 to 4096 bits (3.2.2.1), refused outside.
// * EC curves: prime256v1 (P-256) and prime192v1 (P-192, the curve of the note's appendix A); any other
//   curve, and any other key type (Ed25519, DSA, RSA-PSS…), is refused. ECDSA for WPA2-Enterprise is
//   not documented: warned about.
// * RSA keys in PKCS#8 ("BEGIN PRIVATE KEY"): 3.1 says PKCS#1, but appendix A makes PKCS#8 RSA keys
//   with `openssl genpkey` and loads them: warned about, with the conversion command.
// * The X.509 restrictions of 3.1 (authority key id on non-roots; basic constraints and subject key id
//   on CAs) are applied to WPA2-Enterprise files too: the same firmware parses them.
// * "Smaller than 4 KB" is checked on each certificate's DER size (at most 4095 bytes); the 2.5 KB
//   upload limit (at most 2560 bytes) on the file as given (PEM text or DER).
// * An unknown clock is not a problem: it is reported as a warning ("cannot check validity…").
// * The host name: a match on the CN or on a DNS subject alternative name is accepted; a match on a
//   SAN only is a warning, because the module itself compares the host with the CN (3.1.2).

import { parsePem, PemBlock, toHex } from './der';
import { keyFormOfLabel, parsePrivateKeyBlock, parsePrivateKeyDer, PrivateKey, ecParametersCurve } from './keys';
import { KeyDescription } from './oids';
import { Certificate, formatTime, parseCertificate } from './x509';

export type CertUse = 'tls-ca' | 'tls-cert' | 'tls-key' | 'eap-ca' | 'eap-cert' | 'eap-key';

/** The largest file the module accepts for any upload (2.5 KB, application note 3.1.3). */
export const MAX_FILE_BYTES = 2560;
/** The largest certificate ("smaller than 4 KBs", application note 3.1). */
export const MAX_CERTIFICATE_BYTES = 4095;

export interface CheckOptions {
  /** The module's clock in seconds since 1970 UTC; undefined when it is not known (not set). */
  now?: number;
  /** The host name the (first) certificate must name (not checked on CA files). */
  host?: string;
}

export interface CheckInfo {
  use: CertUse;
  format: 'PEM' | 'DER' | 'unknown';
  /** File size in bytes, as given. */
  size: number;
  /** PEM block labels, in order. */
  labels: string[];
  certificates: Certificate[];
  key?: PrivateKey;
  /** tls-ca: the key id for `AT+S.TLSCERT=auth` (binary): the CA's subject key identifier. */
  authKeyId?: string;
  /** tls-ca: the module's filesystem name for this CA: "<subject key id, lower-case hex>.ca" (3.1.5). */
  caFileName?: string;
  /** Certificates: against options.now. */
  validity?: 'valid' | 'expired' | 'not-yet-valid' | 'unknown';
  /** options.host: which name of the first certificate matched. */
  hostMatch?: 'cn' | 'san' | 'none';
}

export interface CheckResult {
  /** No problems (warnings do not count). */
  ok: boolean;
  /** What the module would refuse, each with what to do about it. */
  problems: string[];
  /** What may not work, or could not be checked. */
  warnings: string[];
  info: CheckInfo;
}

const CLOCK_UNKNOWN = "cannot check validity: the module's clock is not set";

/** Checks one file (PEM text or DER bytes, as a byte string) for an intended use. Never throws. */
export function checkItem(item: string, use: CertUse, options?: CheckOptions): CheckResult {
  const opts: CheckOptions = options || {};
  const res: CheckResult = {
    ok: false,
    problems: [],
    warnings: [],
    info: { use: use, format: 'unknown', size: typeof item === 'string' ? item.length : 0, labels: [], certificates: [] },
  };
  if (typeof item !== 'string' || item.length === 0) {
    res.problems.push('the file is empty');
    return res;
  }
  const isKey = use === 'tls-key' || use === 'eap-key';
  let blocks: PemBlock[] | undefined;
  if (item.lastIndexOf('-----BEGIN ') >= 0) {
    res.info.format = 'PEM';
    blocks = parsePem(item);
    for (let i = 0; i < blocks.length; i++) res.info.labels.push(blocks[i].label);
  } else if (item.charCodeAt(0) === 0x30) res.info.format = 'DER';
  else {
    res.problems.push('the file is neither PEM (no "-----BEGIN" line) nor DER');
    return res;
  }
  try {
    if (isKey) checkKeyFile(item, blocks, use, res);
    else checkCertificateFile(item, blocks, use, opts, res);
  } catch (e) {
    // The checks above catch parse errors themselves; this is a last guard so that nothing escapes.
    res.problems.push('the file could not be checked: ' + ((e && (e as Error).message) || String(e)));
  }
  if (item.length > MAX_FILE_BYTES) res.problems.unshift(sizeProblem(item.length, res));
  res.ok = res.problems.length === 0;
  return res;
}

function sizeProblem(size: number, res: CheckResult): string {
  let p = 'the file is ' + size + ' bytes; the module accepts files of at most ' + MAX_FILE_BYTES + ' bytes (2.5 KB)';
  const certs = res.info.certificates;
  const key = res.info.key;
  if (certs.length > 1) p += ': it holds ' + certs.length + ' certificates; upload only the one the module needs';
  else if (certs.length === 1 && res.info.format === 'PEM') {
    p += certs[0].size <= MAX_FILE_BYTES
      ? ': in DER it is ' + certs[0].size + ' bytes (openssl x509 -in cert.pem -outform DER -out cert.der)'
      : ': use a certificate with fewer names or extensions, or a smaller key';
  } else if (key && key.type === 'RSA' && res.info.format === 'PEM' && !key.encrypted) {
    p += key.size <= MAX_FILE_BYTES
      ? ': in DER it is about ' + key.size + ' bytes (openssl rsa -in key.pem -traditional -outform DER -out key.der)'
      : ': use a 2048-bit key';
  } else p += ': use a smaller key or certificate';
  return p;
}

// ---- certificates -----------------------------------------------------------------------------

function checkCertificateFile(item: string, blocks: PemBlock[] | undefined, use: CertUse, opts: CheckOptions, res: CheckResult): void {
  const certs = res.info.certificates;
  if (!blocks) {
    try {
      certs.push(parseCertificate(item));
    } catch (e) {
      res.problems.push('the file is not a DER certificate: ' + (e as Error).message);
      return;
    }
  } else {
    let n = 0;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      if (b.label === 'CERTIFICATE') {
        n++;
        if (b.error) {
          res.problems.push('certificate block ' + n + ' cannot be read: ' + b.error);
          continue;
        }
        try {
          certs.push(parseCertificate(b.der));
        } catch (e) {
          res.problems.push('certificate block ' + n + ' is not a valid certificate: ' + (e as Error).message);
        }
      } else if (keyFormOfLabel(b.label) !== undefined) {
        res.problems.push('the file holds a private key ("' + b.label + '"); a certificate file must not carry the key: ' +
          'upload the key on its own, as the ' + (use.indexOf('eap') === 0 ? 'eap-key' : 'tls-key') + ' file');
      } else if (b.label === 'TRUSTED CERTIFICATE' || b.label === 'X509 CERTIFICATE') {
        res.problems.push('the file has a "' + b.label + '" block; the module expects "CERTIFICATE": ' +
          'convert it with openssl x509 -in cert.pem -out cert-plain.pem');
      } else if (b.label === 'EC PARAMETERS') {
        res.warnings.push('the EC PARAMETERS block is not needed in a certificate file (it belongs with the EC private key)');
      } else {
        res.problems.push('the file has a "' + b.label + '" block, which is not a certificate');
      }
    }
  }
  if (certs.length === 0) {
    if (res.problems.length === 0) res.problems.push('the file holds no certificate (no "-----BEGIN CERTIFICATE-----" block)');
    return;
  }
  const caFile = use === 'tls-ca' || use === 'eap-ca';
  const eap = use.indexOf('eap') === 0;
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i];
    const name = certName(c, i, certs.length);
    const bc = c.basicConstraints;
    const asCa = caFile || i > 0 || (bc !== undefined && bc.cA);
    if (c.size > MAX_CERTIFICATE_BYTES) {
      res.problems.push(name + ' is ' + c.size + ' bytes; the module accepts certificates of at most ' + MAX_CERTIFICATE_BYTES +
        ' bytes (smaller than 4 KB): use one with fewer names or extensions, or a smaller key');
    }
    if (c.version !== 3) {
      res.problems.push(name + ' is X.509 version ' + c.version + '; the module needs version 3 certificates: ' +
        're-issue it with an extensions section (openssl x509 -req ... -extfile ext.cnf -extensions v3)');
    }
    if (!c.selfSigned && c.authorityKeyId === undefined) {
      res.problems.push(name + (c.hasAuthorityKeyId ? "'s Authority Key Identifier has no key identifier" : ' has no Authority Key Identifier') +
        '; the module needs one on every certificate that is not a self-signed root: re-issue it with ' +
        '"authorityKeyIdentifier=keyid" in its extensions (and an issuer that has a Subject Key Identifier)');
    }
    if (i === 0 && !caFile && bc !== undefined && bc.cA) {
      res.problems.push(name + ' is a CA certificate (Basic Constraints CA:TRUE); the device\'s own certificate (' + use +
        ') must be an end-entity certificate issued for the device: re-issue it with "basicConstraints=CA:FALSE"' +
        ' (a CA certificate belongs in ' + (eap ? 'eap-ca' : 'tls-ca') + ')');
    }
    if (asCa) {
      if (bc === undefined) {
        res.problems.push(name + ' is used as a CA but has no Basic Constraints; the module needs them on CA certificates: ' +
          're-issue it with "basicConstraints=critical,CA:true"');
      } else if (!bc.cA) {
        res.problems.push(name + ' is used as a CA but its Basic Constraints say CA:FALSE (it is not a CA certificate): ' +
          'use the certificate of the CA that issued it, or re-issue it with "basicConstraints=critical,CA:true"');
      }
      if (c.subjectKeyId === undefined) {
        res.problems.push(name + ' is used as a CA but has no Subject Key Identifier; the module needs it on CA certificates: ' +
          're-issue it with "subjectKeyIdentifier=hash"');
      }
    }
    checkKeyType(c.publicKey, name + "'s public key", asCa ? 'ca' : 'own', eap, res);
    if (!c.selfSigned && c.signatureHash !== 'SHA1' && c.signatureHash !== 'SHA256' && c.signatureHash !== 'SHA384') {
      res.warnings.push(name + ' is signed with ' + c.signatureAlgorithm + '; the module hashes with SHA-1, SHA-256 and SHA-384 only ' +
        '(application note 3.1), so it may not verify this signature');
    }
  }
  if (caFile) {
    const first = certs[0];
    if (certs.length > 1) {
      res.warnings.push('the file holds ' + certs.length + ' certificates; the note loads one CA per file (3.1.5): ' +
        'if the module does not find the CA, upload the root CA alone');
    }
    if (!first.selfSigned) {
      res.warnings.push(certName(first, 0, certs.length) + ' is not a self-signed root; the note asks for the issuing root CA (3.1.3)');
    }
    if (first.subjectKeyId !== undefined && use === 'tls-ca') {
      res.info.authKeyId = first.subjectKeyId;
      res.info.caFileName = toHex(first.subjectKeyId) + '.ca';
    }
  }
  checkValidity(certs, opts.now, res);
  // Only a certificate that presents itself under a name is checked against one: a CA is not.
  if (opts.host !== undefined && !caFile) checkHost(certs[0], certName(certs[0], 0, certs.length), opts.host, res);
}

function certName(c: Certificate, i: number, n: number): string {
  if (c.subjectCN !== undefined) return 'certificate "' + c.subjectCN + '"';
  return n > 1 ? 'certificate ' + (i + 1) + ' (' + (c.subject || 'no subject') + ')' : 'the certificate (' + (c.subject || 'no subject') + ')';
}

function checkValidity(certs: Certificate[], now: number | undefined, res: CheckResult): void {
  if (now === undefined || typeof now !== 'number' || !isFinite(now)) {
    res.warnings.push(CLOCK_UNKNOWN);
    res.info.validity = 'unknown';
    return;
  }
  let validity: 'valid' | 'expired' | 'not-yet-valid' = 'valid';
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i];
    const name = certName(c, i, certs.length);
    if (now < c.notBefore) {
      res.problems.push(name + ' is not valid yet: valid from ' + formatTime(c.notBefore) + ', and the module\'s clock says ' +
        formatTime(now) + ' (if the clock is wrong, set it with AT+S.TIME or NTP)');
      if (validity === 'valid') validity = 'not-yet-valid';
    } else if (now > c.notAfter) {
      res.problems.push(name + ' expired on ' + formatTime(c.notAfter) + ' (the module\'s clock says ' + formatTime(now) + '): renew it');
      validity = 'expired';
    }
  }
  res.info.validity = validity;
}

function checkHost(c: Certificate, name: string, host: string, res: CheckResult): void {
  const h = host.toLowerCase();
  if (c.subjectCN !== undefined && c.subjectCN.toLowerCase() === h) {
    res.info.hostMatch = 'cn';
    return;
  }
  let san = false;
  for (let i = 0; i < c.dnsNames.length; i++) if (c.dnsNames[i].toLowerCase() === h) san = true;
  for (let i = 0; i < c.ipAddresses.length; i++) if (c.ipAddresses[i] === h) san = true;
  const cn = c.subjectCN === undefined ? 'no CN' : 'CN "' + c.subjectCN + '"';
  if (san) {
    res.info.hostMatch = 'san';
    res.warnings.push(name + ' names "' + host + '" only in its subject alternative names; the module compares the host with the ' +
      'Common Name (' + cn + ', application note 3.1.2): give the CN as the server domain (AT+S.SOCKON=<host>,<port>,,<CN>) ' +
      'or use a certificate whose CN is "' + host + '"');
    return;
  }
  res.info.hostMatch = 'none';
  const names = c.dnsNames.concat(c.ipAddresses);
  res.problems.push(name + ' is not for "' + host + '" (' + cn + (names.length ? '; alternative names: ' + names.join(', ') : '') +
    '); the module checks that the host equals the certificate\'s Common Name (application note 3.1.2)');
}

// ---- key types and sizes ----------------------------------------------------------------------

function checkKeyType(d: KeyDescription, what: string, role: 'own' | 'ca', eap: boolean, res: CheckResult): void {
  const bits = d.bits === undefined ? 0 : d.bits;
  if (d.type === 'RSA') {
    if (eap) {
      if (bits < 1024 || bits > 4096) {
        res.problems.push(what + ' is RSA ' + bits + ' bits; for WPA2-Enterprise the module handles RSA keys of 1024 to 4096 bits ' +
          '(application note 3.2.2.1)');
      }
    } else if (role === 'own') {
      if (bits !== 1024 && bits !== 2048) {
        res.problems.push(what + ' is RSA ' + bits + ' bits; for TLS the module signs and exchanges keys with RSA 1024 or 2048 bits only ' +
          '(application note 3.1): make a 2048-bit key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048)');
      }
    } else if (bits < 1024 || bits > 4096) {
      res.problems.push(what + ' is RSA ' + bits + ' bits; the module verifies RSA keys of 1024 to 4096 bits only');
    } else if (bits !== 1024 && bits !== 2048) {
      res.warnings.push(what + ' is RSA ' + bits + ' bits; the note lists RSA 1024 and 2048 for TLS (3.1) and up to 4096 bits only for ' +
        'WPA2-Enterprise (3.2.2.1): if the module refuses the connection, use a CA with a 2048-bit key');
    }
  } else if (d.type === 'EC') {
    if (d.curve !== 'prime256v1' && d.curve !== 'prime192v1') {
      res.problems.push(what + ' is ECDSA on ' + (d.curve === undefined ? 'an unknown curve' : d.curve) + '; the module supports ' +
        'the curves prime256v1 (P-256) and prime192v1 (P-192) only: make a key with openssl ecparam -name prime256v1 -genkey -out key.pem');
    }
    if (eap) res.warnings.push(what + ' is ECDSA; the note documents only RSA keys for WPA2-Enterprise (3.2.2.1)');
  } else {
    res.problems.push(what + ' is ' + (d.type === 'unknown' ? 'of an unknown type (' + d.algorithm + ')' : d.type) +
      '; the module supports RSA and ECDSA (P-256, P-192) keys only');
  }
}

// ---- keys -------------------------------------------------------------------------------------

/** The command that writes EC PARAMETERS + a SEC1 key (the curve named as the key's, prime256v1 when unknown). */
function ecCommand(curve: string | undefined, input: string): string {
  const name = curve !== undefined && curve !== 'explicit' && curve.charAt(0) > '9' ? curve : 'prime256v1';
  return '(openssl ecparam -name ' + name + '; openssl ec ' + input + ') > key-module.pem';
}

function checkKeyFile(item: string, blocks: PemBlock[] | undefined, use: CertUse, res: CheckResult): void {
  const keys: PrivateKey[] = [];
  let paramsCurve: string | undefined;
  let paramsCount = 0;
  let paramsAfterKey = false;
  const eap = use === 'eap-key';
  if (!blocks) {
    try {
      keys.push(parsePrivateKeyDer(item));
    } catch (e) {
      res.problems.push('the file is not a DER private key: ' + (e as Error).message);
      return;
    }
  } else {
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      if (keyFormOfLabel(b.label) !== undefined) {
        try {
          keys.push(parsePrivateKeyBlock(b));
        } catch (e) {
          res.problems.push('the "' + b.label + '" block cannot be read: ' + (e as Error).message);
        }
      } else if (b.label === 'EC PARAMETERS') {
        paramsCount++;
        if (keys.length > 0) paramsAfterKey = true;
        try {
          if (b.error) throw new Error(b.error);
          if (paramsCurve === undefined) paramsCurve = ecParametersCurve(b.der);
        } catch (e) {
          res.problems.push('the EC PARAMETERS block cannot be read: ' + (e as Error).message);
        }
      } else if (b.label === 'CERTIFICATE') {
        res.warnings.push('the key file also holds a certificate; upload the certificate on its own (as the ' +
          (eap ? 'eap-cert' : 'tls-cert') + ' file): here it only takes room');
      } else {
        res.problems.push('the file has a "' + b.label + '" block, which is not a private key');
      }
    }
  }
  if (keys.length === 0) {
    if (res.problems.length === 0) res.problems.push('the file holds no private key');
    return;
  }
  if (keys.length > 1) res.problems.push('the file holds ' + keys.length + ' private keys; the module takes one key per file');
  const k = keys[0];
  if (blocks) {
    k.ecParameters = paramsCount > 0;
    if (paramsCurve !== undefined) k.ecParametersCurve = paramsCurve;
  }
  res.info.key = k;
  if (k.encrypted) {
    let how: string;
    if (k.type === 'RSA') how = 'openssl rsa -in key.pem -traditional -out key-plain.pem (OpenSSL 3; without -traditional on 1.x)';
    else if (k.type === 'EC') how = ecCommand(undefined, '-in key.pem') + ' (use the key\'s curve in ecparam)';
    else how = 'openssl pkey -in key.pem -traditional -out key-plain.pem (for an EC key, put the output of openssl ecparam -name <curve> in front)';
    res.problems.push('the private key is password-protected (' + (k.form === 'encrypted-pkcs8' ? '"ENCRYPTED PRIVATE KEY"' : '"Proc-Type: 4,ENCRYPTED"') +
      '); the module cannot use protected keys (application note 3.1.5): remove the password with ' + how);
    return;
  }
  if (k.type === 'EC') {
    if (k.curve === undefined && paramsCurve !== undefined) k.curve = paramsCurve;
    if (!k.pem) {
      res.problems.push('the EC private key is in DER; the module takes ECDSA keys only as PEM ("BEGIN EC PRIVATE KEY" with the ' +
        'EC PARAMETERS block, application note 3.1.5): convert it with ' + ecCommand(k.curve, '-inform DER -in key.der'));
    } else if (k.form === 'pkcs8') {
      res.problems.push('the EC private key is in PKCS#8 form ("BEGIN PRIVATE KEY"); the module takes ECDSA keys only as ' +
        '"BEGIN EC PRIVATE KEY" with the EC PARAMETERS block (application note 3.1.5): convert it with ' + ecCommand(k.curve, '-in key.pem'));
    } else if (paramsCount === 0) {
      res.problems.push('the EC private key has no EC PARAMETERS block; the module needs it in the same file, before the key ' +
        '(application note 3.1.5): ' + ecCommand(k.curve, '-in key.pem'));
    } else {
      if (paramsCurve !== undefined && k.curveInKey && paramsCurve !== k.curve) {
        res.problems.push('the EC PARAMETERS block names ' + paramsCurve + ' but the key is on ' + k.curve + ': ' + ecCommand(k.curve, '-in key.pem'));
      }
      if (paramsAfterKey) res.warnings.push('the EC PARAMETERS block comes after the key; the note puts it before the key (3.1.5)');
      if (paramsCount > 1) res.warnings.push('the file has ' + paramsCount + ' EC PARAMETERS blocks; one is enough');
    }
  } else if (k.type === 'RSA' && k.form === 'pkcs8') {
    res.warnings.push('the RSA private key is in PKCS#8 form ("PRIVATE KEY"); the note lists RSA keys as PKCS#1 (3.1), though its ' +
      'appendix A makes PKCS#8 keys: if the module refuses it, convert it with openssl rsa -in key.pem -traditional -out key-pkcs1.pem');
  }
  checkKeyType(k, 'the private key', 'own', eap, res);
}

// ---- a certificate and its key -------------------------------------------------------------------

export interface PairResult {
  problems: string[];
  warnings: string[];
}

function keyWords(d: KeyDescription): string {
  if (d.type === 'EC') return 'EC (' + (d.curve || 'unknown curve') + ')';
  return d.type + (d.bits ? ' ' + d.bits + '-bit' : '');
}

/**
 * Whether a private key belongs to a certificate: the same public key (RSA modulus and exponent, EC
 * public point), compared with the certificate's SubjectPublicKeyInfo. `certName`/`keyName` name the
 * two files in the messages. Files that cannot be read are reported by checkItem, not here. Never throws.
 */
export function checkPair(cert: string, key: string, certName: string, keyName: string): PairResult {
  const out: PairResult = { problems: [], warnings: [] };
  const c = checkItem(cert, 'tls-cert').info.certificates[0];
  const k = checkItem(key, 'tls-key').info.key;
  if (!c || !k || k.encrypted) return out;
  const pub = c.publicKey;
  if (pub.type !== k.type || (pub.type === 'EC' && pub.curve !== undefined && k.curve !== undefined && pub.curve !== k.curve)) {
    out.problems.push(keyName + ' does not belong to ' + certName + ': the certificate holds an ' + keyWords(pub) +
      ' public key and the private key is ' + keyWords(k) + '; use the key the certificate was issued for');
  } else if (pub.publicId === undefined || k.publicId === undefined) {
    out.warnings.push('cannot check that ' + keyName + ' belongs to ' + certName + ': ' + (k.publicId === undefined
      ? 'the private key does not carry its public part (openssl ec -in key.pem -out key-full.pem adds it)'
      : 'the certificate\'s public key could not be read'));
  } else if (pub.publicId !== k.publicId) {
    out.problems.push(keyName + ' does not belong to ' + certName + ': their public keys differ (' + keyWords(pub) +
      ' both); use the key the certificate was issued for, or re-issue the certificate for this key');
  }
  return out;
}
