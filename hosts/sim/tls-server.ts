// The module as a TLS server (SOCKDON s1 one-way, s2 mutual; AN §3.1.4): a Node tls.Server with the
// module's certificate and key from its TLS store. s2 asks every client for a certificate and checks it as
// the module checks a server's (tls-trust.ts: chain to a CA of the store, dates at the module's clock).
// The verdict is given once the handshake completes (choices.ts TLS_SERVER_VERDICT_AFTER_HANDSHAKE).

import * as net from 'node:net';
import * as tls from 'node:tls';
import { SERVER_BIND_ADDRESS, TLS_MAX_VERSION, TLS_MIN_VERSION } from './choices';
import type { SimTlsCredentials } from './cert-store';
import { caPems, chainVerdict, moduleTrust, peerChain, type ModuleTrust } from './tls-trust';

export type TlsServerKind = 's1' | 's2';

export interface TlsServerParams {
  /** The module's TLS store when SOCKDON ran. */
  credentials: SimTlsCredentials;
  /** The module's clock, seconds since 1970 (read at each client's handshake). */
  clockSeconds: () => number;
  handshakeTimeoutMs: number;
}

/** Why SOCKDON=<port>,s1|s2 cannot run with this store, or undefined. */
export function tlsServerProblem(kind: TlsServerKind, credentials: SimTlsCredentials): string | undefined {
  const trust = moduleTrust(credentials);
  if (!trust.own) return 'no usable certificate and key in the module\'s TLS store';
  if (kind === 's2' && trust.cas.length === 0) return 'no CA in the module\'s TLS store to check clients with';
  return undefined;
}

export interface TlsListening {
  server: tls.Server;
  trust: ModuleTrust;
  localPort: number;
}

/** Listen on SERVER_BIND_ADDRESS:port. Clients arrive as 'secureConnection' sockets; `admit` tells whether
 *  the module keeps one. */
export function listenTls(port: number, kind: TlsServerKind, p: TlsServerParams): Promise<TlsListening> {
  const trust = moduleTrust(p.credentials);
  const server = tls.createServer({
    cert: trust.own!.cert,
    key: trust.own!.key,
    requestCert: kind === 's2',
    rejectUnauthorized: false, // the module's checks follow the handshake (admit)
    ca: kind === 's2' ? caPems(trust) : undefined,
    minVersion: TLS_MIN_VERSION,
    maxVersion: TLS_MAX_VERSION,
    handshakeTimeout: p.handshakeTimeoutMs,
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, SERVER_BIND_ADDRESS, () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      resolve({ server, trust, localPort: (server.address() as net.AddressInfo).port });
    });
  });
}

/** s2: why the module refuses this client's certificate, or undefined (s1 takes every client). */
export function clientVerdict(socket: tls.TLSSocket, kind: TlsServerKind, trust: ModuleTrust, moduleSeconds: number): string | undefined {
  if (kind === 's1') return undefined;
  try {
    return chainVerdict(peerChain(socket), trust, moduleSeconds);
  } catch (e) {
    return 'unreadable client certificate (' + (e as Error).message + ')';
  }
}
