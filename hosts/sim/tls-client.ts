// The module as a TLS client (SOCKON s / <domain>, HTTPS, SMTPS and STARTTLS): the handshake over an open
// TCP connection with Node's tls, then the module's own checks (tls-trust.ts) on the server's chain, with
// the module's clock and the expected name. The module's certificate and key go along when the store holds
// both (mutual authentication). Any failure ends the connection and rejects with TlsOpenError.

import * as dns from 'node:dns';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { TLS_CLIENT_CERT_WHEN_STORED, TLS_MAX_VERSION, TLS_MIN_VERSION, tlsServerName } from './choices';
import type { SimTlsCredentials } from './cert-store';
import { connectTcp } from './sockets';
import { moduleTrust, serverVerdict } from './tls-trust';

export interface TlsClientParams {
  /** The name the server certificate's CN must equal. */
  expectedName: string;
  /** The module's TLS store, as it is now. */
  credentials: SimTlsCredentials;
  /** The module's clock, seconds since 1970. */
  clockSeconds: () => number;
  handshakeTimeoutMs: number;
}

/** Why a TLS open failed: 'handshake' = the TLS exchange itself (the peer does not speak TLS, refused the
 *  module's certificate, never answered); 'verify' = the module refused the server's certificate. */
export class TlsOpenError extends Error {
  constructor(readonly stage: 'handshake' | 'verify', readonly why: string) {
    super(stage + ': ' + why);
  }
}

/** Make a connected TCP socket a TLS one, as the module would; resolves once the module accepts the server. */
export function secureClient(tcp: net.Socket, p: TlsClientParams, signal?: AbortSignal): Promise<tls.TLSSocket> {
  const trust = moduleTrust(p.credentials);
  const opts: tls.ConnectionOptions = {
    socket: tcp,
    rejectUnauthorized: false, // the module's checks follow the handshake (tls-trust.ts)
    minVersion: TLS_MIN_VERSION,
    maxVersion: TLS_MAX_VERSION,
  };
  const sni = tlsServerName(p.expectedName);
  if (sni) opts.servername = sni;
  if (trust.own && TLS_CLIENT_CERT_WHEN_STORED) {
    opts.cert = trust.own.cert;
    opts.key = trust.own.key;
  }
  return new Promise((resolve, reject) => {
    let socket: tls.TLSSocket;
    let done = false;
    const timer = setTimeout(() => fail('handshake', `no TLS handshake within ${p.handshakeTimeoutMs} ms`), p.handshakeTimeoutMs);
    const aborted = () => fail('handshake', 'the module reset');
    function settle(): boolean {
      if (done) return false;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', aborted);
      return true;
    }
    function fail(stage: 'handshake' | 'verify', why: string): void {
      if (!settle()) return;
      socket?.destroy();
      tcp.destroy();
      reject(new TlsOpenError(stage, why));
    }
    signal?.addEventListener('abort', aborted);
    try {
      socket = tls.connect(opts);
    } catch (e) {
      return fail('handshake', (e as Error).message);
    }
    const onError = (e: Error) => fail('handshake', e.message);
    const onClose = () => fail('handshake', 'the server closed the connection');
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.once('secureConnect', () => {
      let why: string | undefined;
      try {
        why = serverVerdict(socket, trust, p.expectedName, p.clockSeconds());
      } catch (e) {
        why = 'unreadable server certificate (' + (e as Error).message + ')';
      }
      if (why) return fail('verify', why);
      if (!settle()) return;
      socket.off('close', onClose);
      // Until its user attaches its own handlers, an error must not go unhandled.
      socket.on('error', () => undefined);
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

/** DNS (IPv4, as SOCKON) and a TCP connection within timeoutMs. */
export async function dialTcp(host: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<{ socket: net.Socket; ip: string }> {
  const { address } = await dns.promises.lookup(host, { family: 4 });
  if (signal.aborted) throw new Error('the module reset');
  return { socket: await connectTcp(address, port, timeoutMs, signal), ip: address };
}
