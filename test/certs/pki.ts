// Certificates and keys made by openssl at test time, in a temporary directory (the commands of the
// application note's appendix A, plus configurations that omit extensions, fixed dates and big files).
// Made once per process (the first test file to ask pays, ~2-4 s with the RSA 4096 keys) and removed
// at exit.

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OPENSSL_CA_SECTIONS, prepareCaDatabase } from '../helpers/openssl-ca';

export const SUBJ = '/C=IT/ST=Lombardia/L=Milan/O=STM/OU=R&D/CN=';

const CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused

[v3_root]
basicConstraints = critical,CA:true
subjectKeyIdentifier = hash
keyUsage = critical, keyCertSign, cRLSign
[v3_root_aki]
basicConstraints = critical,CA:true
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_root_noski]
basicConstraints = critical,CA:true
subjectKeyIdentifier = none
authorityKeyIdentifier = none
[v3_root_nobc]
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
[v3_root_cafalse]
basicConstraints = critical,CA:false
subjectKeyIdentifier = hash
[v3_inter]
basicConstraints = critical,CA:true,pathlen:0
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_inter_nobc]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = CA:false
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:server.example, DNS:Alt.Example.NET, IP:127.0.0.1
[v3_leaf_noaki]
basicConstraints = CA:false
subjectKeyIdentifier = hash
authorityKeyIdentifier = none
[v3_leaf_bigsan]
basicConstraints = CA:false
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = @bigsan
[v1]
[bigsan]
${Array.from({ length: 160 }, (_, i) => 'DNS.' + i + ' = host-number-' + i + '.a-rather-long-domain.example').join('\n')}

${OPENSSL_CA_SECTIONS}`;

export interface Pki {
  dir: string;
  /** Runs openssl in the directory; returns stdout as a latin1 (byte) string. */
  openssl(args: string[], input?: string): string;
  /** A file of the directory as a byte string. */
  read(name: string): string;
  file(name: string): string;
}

let made: Pki | undefined;

function create(): Pki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf-certs-'));
  fs.writeFileSync(path.join(dir, 'openssl.cnf'), CONFIG);
  prepareCaDatabase(dir);
  const env = Object.assign({}, process.env, { OPENSSL_CONF: path.join(dir, 'openssl.cnf') });
  const pki: Pki = {
    dir,
    openssl(args, input) {
      return execFileSync('openssl', args, { cwd: dir, env, input: input === undefined ? undefined : Buffer.from(input, 'latin1'), stdio: ['pipe', 'pipe', 'pipe'] }).toString('latin1');
    },
    read(name) {
      return fs.readFileSync(path.join(dir, name)).toString('latin1');
    },
    file(name) {
      return path.join(dir, name);
    },
  };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  generate(pki);
  return pki;
}

/** The PKI, generated on first use. */
export function pki(): Pki {
  if (!made) made = create();
  return made;
}

const CNF = ['-config', 'openssl.cnf'];

function rsaKey(p: Pki, name: string, bits: number): void {
  p.openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:' + bits, '-out', name]);
}

function ecKey(p: Pki, name: string, curve: string): void {
  // Appendix A: "openssl ecparam -out key.pem -name prime192v1 -genkey" (EC PARAMETERS + EC PRIVATE KEY).
  p.openssl(['ecparam', '-name', curve, '-genkey', '-out', name]);
}

function root(p: Pki, key: string, cn: string, out: string, ext: string, extra?: string[]): void {
  p.openssl(['req', '-x509', '-new', '-key', key, '-days', '6500', '-set_serial', '1111', '-subj', SUBJ + cn]
    .concat(CNF, ['-extensions', ext, '-out', out], extra || []));
}

function issue(p: Pki, key: string, cn: string, caCert: string, caKey: string, out: string, ext: string, serial: string): void {
  const csr = out + '.csr';
  p.openssl(['req', '-new', '-key', key, '-subj', SUBJ + cn].concat(CNF, ['-out', csr]));
  p.openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', serial, '-days', '6500',
    '-extfile', 'openssl.cnf', '-extensions', ext, '-out', out]);
}

/** `openssl ca` with fixed dates (YYYYMMDDHHMMSSZ): the way to make expired and not-yet-valid certificates. */
function issueDated(p: Pki, key: string, cn: string, caCert: string, caKey: string, out: string, start: string, end: string): void {
  const csr = out + '.csr';
  p.openssl(['req', '-new', '-key', key, '-subj', SUBJ + cn].concat(CNF, ['-out', csr]));
  p.openssl(['ca', '-batch'].concat(CNF, ['-cert', caCert, '-keyfile', caKey, '-in', csr, '-out', out, '-notext',
    '-startdate', start, '-enddate', end]));
}

function toDer(p: Pki, pem: string, der: string): void {
  p.openssl(['x509', '-in', pem, '-outform', 'DER', '-out', der]);
}

function generate(p: Pki): void {
  // RSA: appendix A (genpkey → PKCS#8 PEM; self-signed CA; server and client certificates).
  for (const bits of [1024, 2048, 4096]) {
    const r = 'rsa' + bits;
    rsaKey(p, r + '-ca.key', bits);
    root(p, r + '-ca.key', 'CA domain', r + '-ca.pem', 'v3_root');
    rsaKey(p, r + '-server.key', bits);
    issue(p, r + '-server.key', 'server.example', r + '-ca.pem', r + '-ca.key', r + '-server.pem', 'v3_leaf', '2222');
    p.openssl(['rsa', '-in', r + '-server.key', '-traditional', '-out', r + '-server-pkcs1.key']);
    toDer(p, r + '-ca.pem', r + '-ca.der');
  }
  // Appendix A with `openssl ca` (extensions from the configuration's usr_cert, like the stock openssl.cnf).
  rsaKey(p, 'appx-client.key', 1024);
  p.openssl(['req', '-new', '-key', 'appx-client.key', '-subj', SUBJ + 'client domain'].concat(CNF, ['-out', 'appx-client.csr']));
  p.openssl(['ca', '-batch'].concat(CNF, ['-in', 'appx-client.csr', '-out', 'appx-client.pem', '-days', '6500', '-keyfile',
    'rsa1024-ca.key', '-cert', 'rsa1024-ca.pem', '-notext']));

  // ECDSA: appendix A uses prime192v1; also P-256, and P-384 (refused by the module).
  for (const curve of ['prime192v1', 'prime256v1', 'secp384r1']) {
    ecKey(p, curve + '-ca.key', curve);
    root(p, curve + '-ca.key', 'CA domain', curve + '-ca.pem', 'v3_root');
    ecKey(p, curve + '-server.key', curve);
    issue(p, curve + '-server.key', 'server.example', curve + '-ca.pem', curve + '-ca.key', curve + '-server.pem', 'v3_leaf', '2222');
    // SEC1 without EC PARAMETERS (openssl ec output), PKCS#8, DER, encrypted.
    p.openssl(['ec', '-in', curve + '-server.key', '-out', curve + '-server-noparams.key']);
    p.openssl(['pkey', '-in', curve + '-server.key', '-out', curve + '-server-pkcs8.key']);
    p.openssl(['ec', '-in', curve + '-server.key', '-outform', 'DER', '-out', curve + '-server.key.der']);
  }
  p.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'p256-genpkey.key']);

  // Chain with an intermediate (P-256 keys under the RSA 2048 root: a two-certificate PEM file under
  // 2.5 KB), and one whose intermediate lacks basic constraints.
  ecKey(p, 'inter.key', 'prime256v1');
  issue(p, 'inter.key', 'Intermediate CA', 'rsa2048-ca.pem', 'rsa2048-ca.key', 'inter.pem', 'v3_inter', '3333');
  ecKey(p, 'inter-leaf.key', 'prime256v1');
  issue(p, 'inter-leaf.key', 'leaf.example', 'inter.pem', 'inter.key', 'inter-leaf.pem', 'v3_leaf', '4444');
  issue(p, 'inter.key', 'Intermediate without BC', 'rsa2048-ca.pem', 'rsa2048-ca.key', 'inter-nobc.pem', 'v3_inter_nobc', '3334');

  // Missing extensions.
  root(p, 'rsa2048-ca.key', 'Root without SKI', 'root-noski.pem', 'v3_root_noski');
  root(p, 'rsa2048-ca.key', 'Root without BC', 'root-nobc.pem', 'v3_root_nobc');
  root(p, 'rsa2048-ca.key', 'Root CA false', 'root-cafalse.pem', 'v3_root_cafalse');
  root(p, 'rsa2048-ca.key', 'Root with AKI', 'root-aki.pem', 'v3_root_aki');
  issue(p, 'rsa2048-server.key', 'noaki.example', 'rsa2048-ca.pem', 'rsa2048-ca.key', 'leaf-noaki.pem', 'v3_leaf_noaki', '5555');
  issue(p, 'rsa2048-server.key', 'v1.example', 'rsa2048-ca.pem', 'rsa2048-ca.key', 'leaf-v1.pem', 'v1', '5556');

  // Fixed dates: expired, not yet valid, GeneralizedTime (after 2049).
  issueDated(p, 'rsa2048-server.key', 'expired.example', 'rsa2048-ca.pem', 'rsa2048-ca.key', 'expired.pem', '20200101000000Z', '20210101000000Z');
  issueDated(p, 'rsa2048-server.key', 'future.example', 'rsa2048-ca.pem', 'rsa2048-ca.key', 'future.pem', '20991231235959Z', '21000101000000Z');
  issueDated(p, 'rsa2048-server.key', 'gentime.example', 'rsa2048-ca.pem', 'rsa2048-ca.key', 'gentime.pem', '400229120000Z', '20600101120000Z');

  // Oversize: a certificate with many names (> 4 KB), and a 4096-bit chain file (> 2.5 KB).
  issue(p, 'rsa2048-server.key', 'big.example', 'rsa2048-ca.pem', 'rsa2048-ca.key', 'bigsan.pem', 'v3_leaf_bigsan', '6666');
  toDer(p, 'bigsan.pem', 'bigsan.der');
  fs.writeFileSync(p.file('rsa4096-chain.pem'), p.read('rsa4096-server.pem') + p.read('rsa4096-ca.pem'), 'latin1');

  // Other keys: encrypted (PKCS#8 and traditional), Ed25519, RSA 512, RSA PKCS#1 DER.
  p.openssl(['pkey', '-in', 'rsa2048-server.key', '-aes256', '-passout', 'pass:secret', '-out', 'rsa-enc-pkcs8.key']);
  p.openssl(['rsa', '-in', 'rsa2048-server.key', '-traditional', '-aes128', '-passout', 'pass:secret', '-out', 'rsa-enc-trad.key']);
  p.openssl(['ec', '-in', 'prime256v1-server.key', '-aes128', '-passout', 'pass:secret', '-out', 'ec-enc-trad.key']);
  p.openssl(['genpkey', '-algorithm', 'ed25519', '-out', 'ed25519.key']);
  p.openssl(['req', '-x509', '-new', '-key', 'ed25519.key', '-days', '30', '-subj', '/CN=ed', '-out', 'ed25519.pem'].concat(CNF, ['-extensions', 'v3_root']));
  p.openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:512', '-out', 'rsa512.key']);
  p.openssl(['rsa', '-in', 'rsa2048-server.key', '-traditional', '-outform', 'DER', '-out', 'rsa2048-server-pkcs1.der']);
  p.openssl(['rsa', '-in', 'rsa4096-server.key', '-traditional', '-outform', 'DER', '-out', 'rsa4096-server-pkcs1.der']);
  p.openssl(['pkcs8', '-topk8', '-nocrypt', '-in', 'rsa2048-server.key', '-outform', 'DER', '-out', 'rsa2048-server-pkcs8.der']);
}

/** What openssl reports about a certificate. */
export interface OpensslCert {
  subject: string;
  issuer: string;
  serial: string;
  notBefore: number;
  notAfter: number;
  ski?: string;
  aki?: string;
  basicConstraints?: string;
  san?: string;
  keyBits: number;
  curve?: string;
  keyAlgorithm: string;
  signatureAlgorithm: string;
  fingerprint: string;
  version: number;
}

function hexOf(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const m = /((?:[0-9A-F]{2}:)*[0-9A-F]{2})/.exec(s);
  return m ? m[1].replace(/:/g, '').toLowerCase() : undefined;
}

export function opensslCert(p: Pki, file: string): OpensslCert {
  const inform = file.endsWith('.der') ? ['-inform', 'DER'] : [];
  const out = p.openssl(['x509', '-in', file].concat(inform, ['-noout', '-subject', '-issuer', '-serial', '-dates', '-fingerprint', '-sha256']));
  const field = (name: string) => {
    const m = new RegExp('^' + name + '=(.*)$', 'm').exec(out);
    return m ? m[1] : '';
  };
  let ext = '';
  try {
    ext = p.openssl(['x509', '-in', file].concat(inform, ['-noout', '-ext', 'subjectKeyIdentifier,authorityKeyIdentifier,basicConstraints,subjectAltName']));
  } catch {
    ext = '';
  }
  const section = (title: string) => {
    const m = new RegExp(title + ':.*\\n\\s+(.*)').exec(ext);
    return m ? m[1].trim() : undefined;
  };
  const text = p.openssl(['x509', '-in', file].concat(inform, ['-noout', '-text']));
  const bits = /Public-Key: \((\d+) bit\)/.exec(text) || /(\d+) bit/.exec(text);
  const curve = /ASN1 OID: (\S+)/.exec(text);
  return {
    subject: field('subject'),
    issuer: field('issuer'),
    serial: field('serial').toLowerCase(),
    notBefore: Date.parse(field('notBefore')) / 1000,
    notAfter: Date.parse(field('notAfter')) / 1000,
    ski: hexOf(section('X509v3 Subject Key Identifier')),
    aki: hexOf(section('X509v3 Authority Key Identifier')),
    basicConstraints: section('X509v3 Basic Constraints'),
    san: section('X509v3 Subject Alternative Name'),
    keyBits: bits ? parseInt(bits[1], 10) : 0,
    curve: curve ? curve[1] : undefined,
    keyAlgorithm: (/Public Key Algorithm: (\S+)/.exec(text) || ['', ''])[1],
    signatureAlgorithm: (/Signature Algorithm: (\S+)/.exec(text) || ['', ''])[1],
    fingerprint: field('sha256 Fingerprint').replace(/:/g, '').toLowerCase(),
    version: parseInt((/Version: (\d)/.exec(text) || ['', '0'])[1], 10),
  };
}
