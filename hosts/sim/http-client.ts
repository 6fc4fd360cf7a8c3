// The module's HTTP client (AT+S.HTTPGET / AT+S.HTTPPOST, and the download of AT+S.FWUPDATE): a real
// HTTP/1.1 exchange with Node's http over a connection the module opened itself — plain TCP, or TLS with the
// module's checks (tls-client.ts), so that HTTPS trusts exactly the module's store and clock and compares
// <host> with the certificate's CN. The response is handed on as it arrives: the status when its head is in,
// then the bytes. openServerConnection and moduleRequest are the building blocks FWUPDATE (fota.ts) shares.
// Choices: choices.ts "HTTP client" (and "FOTA").

import * as http from 'node:http';
import type * as net from 'node:net';
import { HTTP_CONNECT_ERROR, HTTP_REQUEST_FAILED_ERROR, HTTP_RESPONSE_INCLUDES_HEADERS, HTTP_USER_AGENT } from './choices';
import type { SimServiceEnvironment } from './sessions';
import { dialTcp, secureClient, TlsOpenError } from './tls-client';
import type { SimTlsEvent } from './tls-trust';

export interface SimHttpRequest {
  method: 'GET' | 'POST';
  host: string;
  path: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  /** POST: the body (a byte string) and its content type. */
  body?: string;
  contentType?: string;
}

/** The environment of the module's HTTP client. */
export type SimHttpEnvironment = SimServiceEnvironment;

/** Where a connection goes: the server, and whether the module speaks TLS to it. */
export interface SimHttpTarget {
  host: string;
  port: number;
  secure: boolean;
}

/**
 * The module's own connection to a server: DNS and TCP (dialTcp), then, when secure, the module's TLS open
 * and checks (secureClient: its CA store, its clock, <host> equal to the certificate's CN), the verdict
 * noted under `role`. Tracked in env.sessions, so that a reset ends it. Rejects with the dial's error or a
 * TlsOpenError (stage 'verify': the module refused the server's certificate).
 */
export async function openServerConnection(target: SimHttpTarget, env: SimHttpEnvironment, role: SimTlsEvent['role']): Promise<net.Socket> {
  const signal = env.sessions.signal;
  const dialled = await dialTcp(target.host, target.port, env.connectTimeoutMs, signal);
  const socket = env.sessions.track(dialled.socket);
  if (!target.secure) return socket;
  const peer = `${target.host}:${target.port}`;
  try {
    const secured = env.sessions.track(await secureClient(socket, {
      expectedName: target.host,
      credentials: env.credentials(),
      clockSeconds: env.clockSeconds,
      handshakeTimeoutMs: env.handshakeTimeoutMs,
    }, signal));
    env.noteTls({ role, peer, ok: true });
    return secured;
  } catch (e) {
    env.noteTls({ role, peer, ok: false, why: e instanceof TlsOpenError ? e.message : String(e) });
    throw e;
  }
}

/** The module's request over its open connection (not sent yet: end() it): HTTP/1.1 with Host,
 *  `User-Agent: HTTP_USER_AGENT`, `Connection: close`, Basic authentication when a user is given, and for
 *  POST the body's type and length. */
export function moduleRequest(req: SimHttpRequest, socket: net.Socket, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest {
  const headers: http.OutgoingHttpHeaders = { 'User-Agent': HTTP_USER_AGENT, Connection: 'close' };
  if (req.method === 'POST') {
    headers['Content-Type'] = req.contentType;
    headers['Content-Length'] = req.body === undefined ? 0 : Buffer.byteLength(req.body, 'latin1');
  }
  const options: http.RequestOptions = {
    host: req.host,
    port: req.port,
    path: req.path,
    method: req.method,
    headers,
    // The connection is the module's, already open (and checked, for HTTPS).
    createConnection: () => socket,
  };
  if (req.user !== '') options.auth = req.user + ':' + req.password;
  return http.request(options, onResponse);
}

/** Where the answer goes (the command's Reply, through the command handler). */
export interface SimHttpSink {
  status(code: number): void;
  data(bytes: string): void;
}

/** Resolves with undefined when the whole response came, or with the module's error code. */
export async function httpExchange(req: SimHttpRequest, env: SimHttpEnvironment, sink: SimHttpSink): Promise<number | undefined> {
  const signal = env.sessions.signal;
  let socket: net.Socket;
  try {
    socket = await openServerConnection(req, env, 'http');
  } catch {
    return HTTP_CONNECT_ERROR;
  }
  return new Promise((resolve) => {
    let done = false;
    const finish = (code: number | undefined) => {
      if (done) return;
      done = true;
      socket.setTimeout(0);
      socket.destroy();
      resolve(code);
    };
    const request = moduleRequest(req, socket, (res) => {
      sink.status(res.statusCode ?? 0);
      if (HTTP_RESPONSE_INCLUDES_HEADERS) sink.data(head(res));
      res.on('data', (chunk: Buffer) => { if (!done) sink.data(chunk.toString('latin1')); });
      res.on('end', () => finish(res.complete ? undefined : HTTP_REQUEST_FAILED_ERROR));
      res.on('error', () => finish(HTTP_REQUEST_FAILED_ERROR));
      res.on('close', () => finish(res.complete ? undefined : HTTP_REQUEST_FAILED_ERROR));
    });
    request.on('error', () => finish(HTTP_REQUEST_FAILED_ERROR));
    socket.setTimeout(env.serviceTimeoutMs, () => finish(HTTP_REQUEST_FAILED_ERROR));
    signal.addEventListener('abort', () => finish(HTTP_REQUEST_FAILED_ERROR), { once: true });
    request.end(req.body === undefined ? undefined : Buffer.from(req.body, 'latin1'));
  });
}

/** The status line and headers as received (HTTP_RESPONSE_INCLUDES_HEADERS). */
function head(res: http.IncomingMessage): string {
  let text = `HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage ?? ''}\r\n`;
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) text += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
  return text + '\r\n';
}
