// WPA2-Enterprise authentication between the simulated module (the supplicant, with its WPAECERT flash
// and its clock) and the RADIUS server behind an access point (AN §2.2, §3.2.2), with real crypto:
//
// 1. the server must accept the method (wifi_eap_type);
// 2. the module validates the server's certificate chain against the CA in its WPAECERT flash
//    (X509Certificate.verify up the chain) and, unless wifi_eap_skip_datechecks=1, every certificate's
//    validity against the module's clock. Without a CA: EAP-TLS fails (the CA is required), TTLS/PEAP go on
//    without authenticating the server (AN: "optional but recommended");
// 3. the server authenticates the client: EAP-TLS — the module's certificate must match its key
//    (X509Certificate.checkPrivateKey), chain to the server's client CA and be valid (at the time of
//    RADIUS_CHECKS_DATES_WITH); TTLS/PEAP — identity and password of a known user.
// A failure of step 2 is the module's ("by: 'module'"), of steps 1 and 3 the server's; the radio turns
// them into indications (choices.ts: EAP_SERVER_CERT_REJECTED_WIND, EAP_FAILURE_DEAUTH_REASON).

import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { RADIUS_CHECKS_DATES_WITH } from './choices';
import { SIM_EAP_METHODS, type SimEapMethod, type SimRadius } from './network';

export interface EapSupplicant {
  method: SimEapMethod | undefined;
  identity: string;
  password: string;
  skipDateChecks: boolean;
  /** The module's clock, seconds since 1970. */
  moduleSeconds: number;
  /** The module's WPAECERT items, as uploaded (PEM or DER). */
  item(kind: 'ca' | 'cert' | 'key'): Buffer | undefined;
}

export type EapOutcome = { ok: true } | { ok: false; by: 'module' | 'server'; why: string };

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM text or DER blob. */
export function certificates(data: Buffer | string): X509Certificate[] {
  const text = Buffer.isBuffer(data) ? data.toString('latin1') : data;
  const pems = text.match(PEM_CERT);
  if (pems) return pems.map((p) => new X509Certificate(p));
  return [new X509Certificate(Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1'))];
}

function privateKey(data: Buffer): KeyObject {
  if (data.includes('-----BEGIN ')) return createPrivateKey(data.toString('latin1'));
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return createPrivateKey({ key: data, format: 'der', type });
    } catch {
      // next form
    }
  }
  throw new Error('not a private key');
}

/** Why a certificate is not valid at `seconds`, or undefined. */
function dateProblem(cert: X509Certificate, seconds: number): string | undefined {
  const from = Date.parse(cert.validFrom) / 1000;
  const to = Date.parse(cert.validTo) / 1000;
  if (seconds < from) return `"${cert.subject.replace(/\n/g, ', ')}" is not valid before ${cert.validFrom}`;
  if (seconds > to) return `"${cert.subject.replace(/\n/g, ', ')}" expired on ${cert.validTo}`;
  return undefined;
}

/** Why `chain` (leaf first) does not lead to `ca`, or undefined. Dates are checked when `seconds` is given. */
export function chainProblem(chain: X509Certificate[], ca: X509Certificate, seconds: number | undefined): string | undefined {
  for (let i = 0; i < chain.length; i++) {
    const issuer = i + 1 < chain.length ? chain[i + 1] : ca;
    if (chain[i].fingerprint256 === ca.fingerprint256) break; // the CA itself was sent along
    if (!chain[i].checkIssued(issuer) || !chain[i].verify(issuer.publicKey)) {
      return `"${chain[i].subject.replace(/\n/g, ', ')}" is not signed by "${issuer.subject.replace(/\n/g, ', ')}"`;
    }
  }
  if (seconds === undefined) return undefined;
  for (const c of chain.concat([ca])) {
    const p = dateProblem(c, seconds);
    if (p) return p;
  }
  return undefined;
}

export function authenticate(s: EapSupplicant, radius: SimRadius): EapOutcome {
  const method = s.method;
  const accepted: readonly SimEapMethod[] = radius.methods ?? SIM_EAP_METHODS;
  if (!method || !accepted.includes(method)) {
    return { ok: false, by: 'server', why: `method ${method ?? '?'} not accepted` };
  }
  // The module authenticates the server.
  const caData = s.item('ca');
  if (caData) {
    let problem: string | undefined;
    try {
      problem = chainProblem(certificates(radius.serverCert), certificates(caData)[0]!, s.skipDateChecks ? undefined : s.moduleSeconds);
    } catch (e) {
      problem = `unreadable certificate (${(e as Error).message})`;
    }
    if (problem) return { ok: false, by: 'module', why: 'server certificate: ' + problem };
  } else if (method === 'tls') {
    return { ok: false, by: 'module', why: 'EAP-TLS needs the RADIUS CA (WPAECERT ca)' };
  }
  // The server authenticates the client.
  if (method !== 'tls') {
    const known = (radius.users ?? []).some((u) => u.identity === s.identity && u.password === s.password);
    return known ? { ok: true } : { ok: false, by: 'server', why: `identity "${s.identity}" or its password rejected` };
  }
  const certData = s.item('cert');
  const keyData = s.item('key');
  if (!certData || !keyData) return { ok: false, by: 'server', why: 'no client certificate or key' };
  if (!radius.clientCa) return { ok: false, by: 'server', why: 'the server trusts no client CA' };
  try {
    const chain = certificates(certData);
    if (!chain[0]!.checkPrivateKey(privateKey(keyData))) return { ok: false, by: 'server', why: 'the client key does not match its certificate' };
    const seconds = RADIUS_CHECKS_DATES_WITH === 'module' ? s.moduleSeconds : Math.floor(Date.now() / 1000);
    const problem = chainProblem(chain, certificates(radius.clientCa)[0]!, seconds);
    return problem ? { ok: false, by: 'server', why: 'client certificate: ' + problem } : { ok: true };
  } catch (e) {
    return { ok: false, by: 'server', why: `unreadable client certificate or key (${(e as Error).message})` };
  }
}
