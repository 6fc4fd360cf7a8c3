// The Node peers of the device flows, on 127.0.0.1, each closed by close(): a TCP echo server, a stream
// peer that sends or checks a byte pattern on request, and an HTTP(S) server.

import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { patternBytes } from './scripts';

export interface Peer {
  port: number;
  close(): Promise<void>;
}

function listening(server: net.Server, sockets: Set<net.Socket>): Promise<Peer> {
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as net.AddressInfo).port,
      close: () => {
        for (const s of sockets) s.destroy();
        return new Promise<void>((r) => server.close(() => r()));
      },
    }));
  });
}

/** Echoes every byte back. */
export function echoServer(): Promise<Peer> {
  const server = net.createServer((c) => {
    c.on('error', () => undefined);
    c.pipe(c);
  });
  return listening(server, new Set());
}

export interface StreamPeer extends Peer {
  /** Bytes it received in RECV mode that matched the pattern, and the first mismatch (-1: none). */
  received: number;
  mismatchAt: number;
  log: string[];
}

/**
 * Commands on the socket, one line each:
 *   SEND <n>\n   the peer sends n bytes of the pattern (byte i = "a" + i % 26)
 *   RECV <n>\n   the next n bytes must be the pattern; then the peer answers "GOT <n> OK\n" or
 *                "GOT <k> BAD <position>\n"
 */
export async function streamPeer(): Promise<StreamPeer> {
  const state = { received: 0, mismatchAt: -1, log: [] as string[] };
  const server = net.createServer((c) => {
    c.on('error', () => undefined);
    let line = '';
    let expect = 0;
    let got = 0;
    c.on('data', (d: Buffer) => {
      let i = 0;
      while (i < d.length) {
        if (expect > 0) {
          const n = Math.min(expect - got, d.length - i);
          for (let k = 0; k < n; k++) {
            if (state.mismatchAt < 0 && d[i + k] !== 97 + ((got + k) % 26)) state.mismatchAt = got + k;
          }
          got += n;
          i += n;
          state.received = got;
          if (got === expect) {
            c.write(state.mismatchAt < 0 ? `GOT ${got} OK\n` : `GOT ${got} BAD ${state.mismatchAt}\n`);
            state.log.push('received ' + got);
            expect = 0;
          }
          continue;
        }
        const ch = d[i++]!;
        if (ch !== 10) {
          line += String.fromCharCode(ch);
          continue;
        }
        const [cmd, arg] = line.trim().split(' ');
        line = '';
        const n = Number(arg);
        state.log.push(cmd + ' ' + n);
        if (cmd === 'SEND') {
          // In pieces, each after the previous one left (the socket's own flow control).
          let off = 0;
          const more = () => {
            while (off < n) {
              const k = Math.min(4096, n - off);
              const ok = c.write(patternBytes(off, k));
              off += k;
              if (!ok) {
                c.once('drain', more);
                return;
              }
            }
          };
          more();
        } else if (cmd === 'RECV') {
          expect = n;
          got = 0;
          state.mismatchAt = -1;
        }
      }
    });
  });
  const peer = await listening(server, new Set());
  return {
    port: peer.port,
    close: peer.close,
    log: state.log,
    get received() { return state.received; },
    get mismatchAt() { return state.mismatchAt; },
  };
}

/** An HTTPS server answering every GET with `body` (status 200). */
export function httpsServer(key: string, cert: string, body: string): Promise<Peer & { paths: string[] }> {
  return webServer(body, { key, cert });
}

/** The same over plain HTTP. */
export function httpServer(body: string): Promise<Peer & { paths: string[] }> {
  return webServer(body);
}

function webServer(body: string, tls?: { key: string; cert: string }): Promise<Peer & { paths: string[] }> {
  const paths: string[] = [];
  const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
    paths.push(req.url || '');
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };
  const server = tls ? https.createServer(tls, answer) : http.createServer(answer);
  server.on('tlsClientError', () => undefined);
  return listening(server, new Set()).then((p) => Object.assign(p, { paths }));
}

export interface LinePeer extends Peer {
  /** Every line received ("W <k> ..."), in order, over every connection. */
  received: string[];
  /** Every line sent back ("R <k> ..."). */
  sent: string[];
  connections: number;
}

/** Answers each line "W <k> <text>" with "R <k> <text>" on the same connection; records both. */
export async function linePeer(): Promise<LinePeer> {
  const received: string[] = [];
  const sent: string[] = [];
  let connections = 0;
  const server = net.createServer((c) => {
    connections++;
    c.on('error', () => undefined);
    let buf = '';
    c.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        received.push(line);
        if (line.indexOf('W ') === 0) {
          const reply = 'R ' + line.slice(2);
          sent.push(reply);
          c.write(reply + '\n');
        }
      }
      if (buf.length > 4096) buf = ''; // garbage without a newline: bounded
    });
  });
  const peer = await listening(server, new Set());
  return { port: peer.port, close: peer.close, received, sent, get connections() { return connections; } };
}
