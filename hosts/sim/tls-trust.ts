// The module's own TLS checks (AN §3.1.2-3.1.4), made on what its TLS store holds and on ITS clock:
//  - a peer's chain must lead, by signature, to a CA of the store, and every certificate of it (the CA
//    included) must be valid at the module's time — the desktop's time plays no part;
//  - a server's certificate must carry the expected name as its Common Name, exactly (the module compares
//    the CN, not the alternative names);
//  - the module's own certificate and key (for mutual authentication and for its servers) come from the
//    same store.
// Node's TLS runs with its own verification off; these checks are made on the chain the peer sent.
// Choices: choices.ts "TLS".

import { createPrivateKey, X509Certificate } from 'node:crypto';
import type * as tls from 'node:tls';
import type { SimTlsCredentials, SimTlsItem } from './cert-store';
import { TLS_NAME_MATCH, TLS_REQUIRES_CA } from './choices';
import { certificates, chainProblem } from './eap';

/** What the module's TLS works with, readable by Node. */
export interface ModuleTrust {
  /** The CAs it trusts (unreadable items are left out). */
  cas: X509Certificate[];
  /** Its certificate (chain, PEM) and key (PEM), when both are stored and readable. */
  own?: { cert: string; key: string };
}

/** One verdict of the module's TLS, kept in SimModule.tlsLog (for tests and the curious). */
export interface SimTlsEvent {
  /** 'client': SOCKON; 'server': a client of an s1/s2 server; 'http', 'smtp': those commands; 'fota': the
   *  download of FWUPDATE. */
  role: 'client' | 'server' | 'http' | 'smtp' | 'fota';
  /** host:port (client roles) or ip:port of the client (server role). */
  peer: string;
  ok: boolean;
  /** Why it failed: 'handshake: …' (the TLS exchange itself), 'verify: …' (the module's checks),
   *  'limit: …'. */
  why?: string;
}

export function moduleTrust(creds: SimTlsCredentials): ModuleTrust {
  const cas: X509Certificate[] = [];
  for (const item of creds.cas) {
    try {
      cas.push(...certificates(item.data));
    } catch {
      // an unreadable CA verifies nothing
    }
  }
  const trust: ModuleTrust = { cas };
  const cert = creds.cert && certPem(creds.cert);
  const key = creds.key && keyPem(creds.key);
  if (cert && key) trust.own = { cert, key };
  return trust;
}

/** The CA certificates as PEM (what a Node server sends as acceptable CA names). */
export function caPems(trust: ModuleTrust): string[] {
  return trust.cas.map((c) => c.toString());
}

function certPem(item: SimTlsItem): string | undefined {
  try {
    return certificates(item.data).map((c) => c.toString()).join('');
  } catch {
    return undefined;
  }
}

function keyPem(item: SimTlsItem): string | undefined {
  try {
    if (item.format === 'PEM') return createPrivateKey(item.data.toString('latin1')).export({ format: 'pem', type: 'pkcs8' }).toString();
    for (const type of ['pkcs1', 'sec1', 'pkcs8'] as const) {
      try {
        return createPrivateKey({ key: item.data, format: 'der', type }).export({ format: 'pem', type: 'pkcs8' }).toString();
      } catch {
        // next form
      }
    }
  } catch {
    // unreadable
  }
  return undefined;
}

/** The chain a peer sent, leaf first (what getPeerCertificate(true) links), without repeats. */
export function peerChain(socket: tls.TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate;
  while (c && c.raw && c.raw.length) {
    const x = new X509Certificate(c.raw);
    if (seen.has(x.fingerprint256)) break;
    seen.add(x.fingerprint256);
    out.push(x);
    c = c.issuerCertificate;
  }
  return out;
}

/** Why the module refuses this chain (leaf first), or undefined: signature to a CA of the store first, then
 *  the dates at the module's clock. */
export function chainVerdict(chain: X509Certificate[], trust: ModuleTrust, moduleSeconds: number): string | undefined {
  if (chain.length === 0) return 'no certificate was presented';
  if (trust.cas.length === 0) return TLS_REQUIRES_CA ? 'no CA in the module\'s TLS store' : undefined;
  let firstProblem: string | undefined;
  for (const ca of trust.cas) {
    const signature = chainProblem(chain, ca, undefined);
    if (signature) {
      firstProblem ??= signature;
      continue;
    }
    const dates = chainProblem(chain, ca, moduleSeconds);
    return dates ? dates + ' (module clock ' + new Date(moduleSeconds * 1000).toISOString() + ')' : undefined;
  }
  return firstProblem;
}

/** The certificate's Common Name (the last one when there are several), or undefined. */
export function commonName(cert: X509Certificate): string | undefined {
  let cn: string | undefined;
  for (const line of cert.subject.split('\n')) if (line.startsWith('CN=')) cn = line.substring(3);
  return cn;
}

/** The client role's checks on a server: chain, dates, then the CN against the expected name. */
export function serverVerdict(socket: tls.TLSSocket, trust: ModuleTrust, expectedName: string, moduleSeconds: number): string | undefined {
  const chain = peerChain(socket);
  const problem = chainVerdict(chain, trust, moduleSeconds);
  if (problem) return problem;
  const cn = commonName(chain[0]!);
  if (TLS_NAME_MATCH === 'cn-exact' && cn !== expectedName) return `name mismatch: the certificate's CN is ${cn === undefined ? 'absent' : '"' + cn + '"'}, expected "${expectedName}"`;
  return undefined;
}
