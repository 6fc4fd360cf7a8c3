// For `spwf04 cert`: what a certificate or key file is for (when the user does not say), and a one-line
// description of a file or store entry that never shows key material.

import { CertUse, CheckResult, formatTime, parseCertificate, parsePem, parsePrivateKeyDer, keyFormOfLabel } from '../../src/certs/index';

export const USES: CertUse[] = ['tls-ca', 'tls-cert', 'tls-key', 'eap-ca', 'eap-cert', 'eap-key'];

/** The use a file most likely has: a key file is tls-key, a CA certificate tls-ca, another one tls-cert.
 *  (Nothing in a file tells TLS from WPA2-Enterprise: give --use eap-… for those.) */
export function guessUse(bytes: string): CertUse {
  if (bytes.indexOf('-----BEGIN ') >= 0) {
    const blocks = parsePem(bytes);
    for (const b of blocks) if (keyFormOfLabel(b.label) !== undefined || b.label === 'EC PARAMETERS') return 'tls-key';
    for (const b of blocks) {
      if (b.label !== 'CERTIFICATE' || b.error) continue;
      try {
        const c = parseCertificate(b.der);
        return c.basicConstraints && c.basicConstraints.cA ? 'tls-ca' : 'tls-cert';
      } catch {
        return 'tls-cert';
      }
    }
    return 'tls-cert';
  }
  try {
    const c = parseCertificate(bytes);
    return c.basicConstraints && c.basicConstraints.cA ? 'tls-ca' : 'tls-cert';
  } catch {
    // not a certificate: a key, or nothing the module takes (the check will say)
  }
  try {
    parsePrivateKeyDer(bytes);
    return 'tls-key';
  } catch {
    return 'tls-cert';
  }
}

const day = (seconds: number) => formatTime(seconds).substring(0, 10);

/** "certificate "CA domain" (CA), RSA 2048, valid 2026-01-01 to 2043-10-17" or "RSA 2048-bit private key". */
export function describe(res: CheckResult): string {
  const info = res.info;
  const parts: string[] = [];
  const cert = info.certificates[0];
  if (cert) {
    const key = cert.publicKey;
    parts.push('certificate ' + (cert.subjectCN !== undefined ? '"' + cert.subjectCN + '"' : '(' + cert.subject + ')') +
      (cert.basicConstraints && cert.basicConstraints.cA ? ' (CA)' : '') +
      ', ' + key.type + (key.curve ? ' ' + key.curve : key.bits ? ' ' + key.bits : '') +
      ', valid ' + day(cert.notBefore) + ' to ' + day(cert.notAfter));
    if (info.certificates.length > 1) parts.push('(and ' + (info.certificates.length - 1) + ' more in the file)');
  } else if (info.key) {
    const k = info.key;
    parts.push((k.encrypted ? 'password-protected ' : '') + (k.type === 'unknown' ? '' : k.type + ' ') +
      (k.curve ? k.curve + ' ' : k.bits ? k.bits + '-bit ' : '') + 'private key');
  }
  return parts.join(' ');
}
