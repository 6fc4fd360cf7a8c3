// Client sockets (ids 0..7) backed by real Node sockets: TCP with `net`, UDP with `dgram`, TLS with `tls`
// over TCP and the module's own checks (tls-client.ts). Received bytes wait in the socket's buffer until the host reads them; each arrival is announced with
// +WIND:55, a peer close with +WIND:58, and the id stays taken until the host closes it (SOCKC).

import * as dgram from 'node:dgram';
import * as dns from 'node:dns';
import * as net from 'node:net';
import { CLOSE_REASON_ERROR, CLOSE_REASON_PEER, MAX_CLIENT_SOCKETS, SOCKET_RX_LIMIT, TCP_SEGMENT } from './choices';
import type { ConsoleOutput } from './output';
import { secureClient, type TlsClientParams } from './tls-client';
import { W } from './winds';

/** 't' TCP, 'u' UDP, 's' TLS (with the host or an explicit domain as the expected name). */
export type SocketKind = 't' | 'u' | 's';

export interface SimSocketInfo {
  id: number;
  kind: SocketKind;
  host: string;
  port: number;
  remoteIp: string;
  /** Bytes received and not yet read by the host. */
  pending: number;
  /** False once the peer closed or the connection failed. */
  connected: boolean;
}

interface ClientSocket extends Omit<SimSocketInfo, 'pending'> {
  /** Received bytes not yet read by the host. */
  rx: string;
  tcp?: net.Socket;
  udp?: dgram.Socket;
}

export class SocketTable {
  private slots: (ClientSocket | undefined)[] = new Array(MAX_CLIENT_SOCKETS).fill(undefined);
  /** Aborted at every destroyAll(), so that a connect still in flight from before is thrown away. */
  private connects = new AbortController();

  constructor(private readonly out: ConsoleOutput) {}

  get full(): boolean {
    return this.freeId() === undefined;
  }

  find(id: number): SimSocketInfo | undefined {
    const socket = this.slots[id];
    return socket && infoOf(socket);
  }

  list(): SimSocketInfo[] {
    return this.slots.filter((s): s is ClientSocket => s !== undefined).map(infoOf);
  }

  /** TLS client sockets held now. */
  get tlsCount(): number {
    return this.slots.filter((s) => s?.kind === 's').length;
  }

  /** Connect; resolves with the new socket, rejects when the peer cannot be reached within timeoutMs (or,
   *  for 's', when the TLS open fails: TlsOpenError). */
  async open(host: string, port: number, kind: SocketKind, timeoutMs: number, tlsParams?: TlsClientParams): Promise<SimSocketInfo> {
    const signal = this.connects.signal;
    const { address } = await dns.promises.lookup(host, { family: 4 });
    if (signal.aborted) throw new Error('socket table reset while connecting');
    let transport = kind === 'u' ? await connectUdp(address, port) : await connectTcp(address, port, timeoutMs, signal);
    if (kind === 's') transport = await secureClient(transport as net.Socket, tlsParams!, signal);
    const id = this.freeId();
    if (signal.aborted || id === undefined) {
      transport.destroy();
      throw new Error('socket table reset while connecting');
    }
    const socket: ClientSocket = { id, kind, host, port, remoteIp: address, connected: true, rx: '' };
    if (transport instanceof net.Socket) this.attachTcp(socket, transport);
    else this.attachUdp(socket, transport.udp);
    this.slots[id] = socket;
    return infoOf(socket);
  }

  /** false when the socket is no longer connected. */
  write(id: number, data: string): boolean {
    const socket = this.slots[id];
    if (!socket || !socket.connected) return false;
    const bytes = Buffer.from(data, 'latin1');
    if (socket.tcp) socket.tcp.write(bytes);
    else socket.udp?.send(bytes);
    return true;
  }

  /** Take up to `max` pending bytes (all of them when max is undefined). */
  read(id: number, max: number | undefined): string {
    const socket = this.slots[id]!;
    const n = max === undefined ? socket.rx.length : Math.min(max, socket.rx.length);
    const data = socket.rx.substring(0, n);
    socket.rx = socket.rx.substring(n);
    if (socket.tcp?.isPaused() && socket.rx.length <= SOCKET_RX_LIMIT) socket.tcp.resume();
    return data;
  }

  /** Free the id and drop the Node socket; `announce` prints +WIND:58 for it. */
  close(id: number, announce = false): void {
    const socket = this.slots[id];
    if (!socket) return;
    this.slots[id] = undefined;
    socket.tcp?.destroy();
    socket.udp?.close();
    if (announce) this.out.wind(W.socketClosed, [id, CLOSE_REASON_PEER]);
  }

  /** The link went away: every connected socket ends as if its connection failed; ids stay taken. */
  disconnectAll(): void {
    for (const socket of this.slots) {
      if (!socket?.connected) continue;
      socket.connected = false;
      socket.tcp?.removeAllListeners('close');
      socket.tcp?.destroy();
      this.out.wind(W.socketClosed, [socket.id, CLOSE_REASON_ERROR]);
    }
  }

  destroyAll(): void {
    this.connects.abort();
    this.connects = new AbortController();
    for (let id = 0; id < this.slots.length; id++) this.close(id);
  }

  private freeId(): number | undefined {
    const id = this.slots.indexOf(undefined);
    return id < 0 ? undefined : id;
  }

  private received(socket: ClientSocket, bytes: string): void {
    socket.rx += bytes;
    this.out.wind(W.pendingData, ['', socket.id, bytes.length, socket.rx.length]);
  }

  private attachTcp(socket: ClientSocket, tcp: net.Socket): void {
    socket.tcp = tcp;
    tcp.on('data', (chunk: Buffer) => {
      const bytes = chunk.toString('latin1');
      for (let at = 0; at < bytes.length; at += TCP_SEGMENT) this.received(socket, bytes.substring(at, at + TCP_SEGMENT));
      if (socket.rx.length > SOCKET_RX_LIMIT) tcp.pause();
    });
    let reason = CLOSE_REASON_PEER;
    tcp.on('error', () => { reason = CLOSE_REASON_ERROR; });
    tcp.on('close', () => {
      // A close the host asked for (SOCKC, reset) has already freed the slot: nothing to announce.
      if (this.slots[socket.id] !== socket) return;
      socket.connected = false;
      this.out.wind(W.socketClosed, [socket.id, reason]);
    });
  }

  private attachUdp(socket: ClientSocket, udp: dgram.Socket): void {
    socket.udp = udp;
    udp.on('message', (msg: Buffer) => this.received(socket, msg.toString('latin1')));
  }
}

function infoOf({ rx, tcp, udp, ...info }: ClientSocket): SimSocketInfo {
  return { ...info, pending: rx.length };
}

/** A TCP connection to ip:port within timeoutMs (also used by the HTTP and SMTP clients). */
export function connectTcp(ip: string, port: number, timeoutMs: number, signal: AbortSignal): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const tcp = net.connect({ host: ip, port });
    const timer = setTimeout(() => fail(new Error('connect timeout')), timeoutMs);
    const aborted = () => fail(new Error('socket table reset while connecting'));
    const settle = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', aborted);
      tcp.off('error', fail);
    };
    function fail(e: Error) {
      settle();
      tcp.destroy();
      reject(e);
    }
    signal.addEventListener('abort', aborted);
    tcp.once('error', fail);
    tcp.once('connect', () => {
      settle();
      // Until the table attaches its own handlers, an error must not go unhandled.
      tcp.on('error', () => undefined);
      resolve(tcp);
    });
  });
}

interface UdpTransport {
  udp: dgram.Socket;
  destroy(): void;
}

function connectUdp(ip: string, port: number): Promise<UdpTransport> {
  return new Promise((resolve, reject) => {
    const udp = dgram.createSocket('udp4');
    udp.once('error', (e) => {
      udp.close();
      reject(e);
    });
    udp.connect(port, ip, () => {
      udp.removeAllListeners('error');
      // A refused datagram (ICMP port unreachable) must not crash the process; UDP has no close to report.
      udp.on('error', () => undefined);
      resolve({ udp, destroy: () => udp.close() });
    });
  });
}
