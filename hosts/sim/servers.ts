// Server sockets (SOCKDON): up to two servers, each a real Node server on SERVER_BIND_ADDRESS — TCP with
// `net`, UDP with `dgram`, TLS with `tls` (s1, s2: tls-server.ts) — with up to eight clients (two TLS
// clients overall). Arrivals are announced as the module does: +WIND:61 for a new client (for TLS, once
// its handshake is done and the module accepted it), +WIND:55 with <sid>:<cid> for data, +WIND:62 when a
// client leaves.

import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type * as tls from 'node:tls';
import {
  CLOSE_REASON_ERROR, CLOSE_REASON_PEER, GONE_CLIENT_WITH_DATA_STAYS, MAX_SERVER_CLIENTS, MAX_SERVERS,
  MAX_TLS_SERVER_CLIENTS, SERVER_BIND_ADDRESS, SOCKET_RX_LIMIT, TCP_SEGMENT,
} from './choices';
import type { ConsoleOutput } from './output';
import { clientVerdict, listenTls, type TlsServerParams } from './tls-server';
import type { ModuleTrust, SimTlsEvent } from './tls-trust';
import { W } from './winds';

/** 't' TCP, 'u' UDP, 's1' TLS one-way, 's2' TLS with client certificates. */
export type ServerKind = 't' | 'u' | 's1' | 's2';

/** What a TLS server needs besides its kind: the module's store and clock, and where verdicts go. */
export interface TlsServerOptions extends TlsServerParams {
  note(ev: SimTlsEvent): void;
}

export interface SimServerClientInfo {
  cid: number;
  ip: string;
  port: number;
  /** Bytes received and not yet read by the host. */
  pending: number;
  /** False once the client has gone. */
  connected: boolean;
}

export interface SimServerInfo {
  sid: number;
  kind: ServerKind;
  /** The port the host asked for. */
  port: number;
  /** The port actually bound on SERVER_BIND_ADDRESS (SimOptions.serverPort maps one to the other). */
  localPort: number;
  clients: SimServerClientInfo[];
}

interface ServerClient {
  cid: number;
  ip: string;
  port: number;
  rx: string;
  connected: boolean;
  tcp?: net.Socket;
}

interface Server {
  sid: number;
  kind: ServerKind;
  port: number;
  localPort: number;
  clients: (ServerClient | undefined)[];
  tcp?: net.Server;
  udp?: dgram.Socket;
}

export class ServerTable {
  private slots: (Server | undefined)[] = new Array(MAX_SERVERS).fill(undefined);
  /** Bumped by destroyAll(), so that a bind still in flight from before is thrown away. */
  private generation = 0;

  constructor(
    private readonly out: ConsoleOutput,
    /** Module port → port to bind on the desktop. */
    private readonly bindPort: (port: number) => number,
  ) {}

  get full(): boolean {
    return this.slots.indexOf(undefined) < 0;
  }

  usesPort(port: number): boolean {
    return this.slots.some((s) => s?.port === port);
  }

  find(sid: number): SimServerInfo | undefined {
    const server = this.slots[sid];
    return server && serverInfo(server);
  }

  findClient(sid: number, cid: number): SimServerClientInfo | undefined {
    const client = this.slots[sid]?.clients[cid];
    return client && clientInfo(client);
  }

  list(): SimServerInfo[] {
    return this.slots.filter((s): s is Server => s !== undefined).map(serverInfo);
  }

  /** Listen; rejects when the port cannot be bound. TLS kinds need `tlsOptions` (checked by the caller:
   *  tlsServerProblem). */
  async open(port: number, kind: ServerKind, tlsOptions?: TlsServerOptions): Promise<SimServerInfo> {
    const generation = this.generation;
    const tlsKind = kind === 's1' || kind === 's2' ? kind : undefined;
    const transport: Listening = tlsKind
      ? await listenTls(this.bindPort(port), tlsKind, tlsOptions!).then((l) => ({ tcp: l.server as net.Server, localPort: l.localPort, trust: l.trust }))
      : kind === 't' ? await listenTcp(this.bindPort(port)) : await bindUdp(this.bindPort(port));
    const sid = this.slots.indexOf(undefined);
    if (generation !== this.generation || sid < 0) {
      transport.tcp?.close();
      transport.udp?.close();
      throw new Error('server table reset while binding');
    }
    const server: Server = { sid, kind, port, localPort: transport.localPort, clients: new Array(MAX_SERVER_CLIENTS).fill(undefined) };
    if (tlsKind) {
      const tlsServer = transport.tcp as tls.Server;
      server.tcp = tlsServer;
      // Before the handshake: the module has room for two TLS clients overall.
      const dropped = new WeakSet<net.Socket>();
      tlsServer.on('connection', (raw: net.Socket) => {
        if (this.tlsClients() < MAX_TLS_SERVER_CLIENTS) return;
        raw.on('error', () => undefined);
        dropped.add(raw);
        raw.destroy();
        tlsOptions!.note({ role: 'server', peer: `${raw.remoteAddress}:${raw.remotePort}`, ok: false, why: `limit: ${MAX_TLS_SERVER_CLIENTS} TLS clients already` });
        this.out.wind(W.sockdDroppingClient, [raw.remoteAddress ?? '', raw.remotePort ?? 0, server.sid]);
      });
      tlsServer.on('tlsClientError', (e: Error, socket: tls.TLSSocket) => {
        // (Node keeps the raw socket of a TLS socket as `_parent`.)
        if (dropped.has((socket as unknown as { _parent: net.Socket })._parent)) return;
        tlsOptions!.note({ role: 'server', peer: `${socket.remoteAddress}:${socket.remotePort}`, ok: false, why: 'handshake: ' + e.message });
      });
      tlsServer.on('secureConnection', (socket: tls.TLSSocket) => {
        const peer = `${socket.remoteAddress}:${socket.remotePort}`;
        socket.on('error', () => undefined);
        const why = clientVerdict(socket, tlsKind, transport.trust!, tlsOptions!.clockSeconds());
        if (why || this.tlsClients() >= MAX_TLS_SERVER_CLIENTS) {
          tlsOptions!.note({ role: 'server', peer, ok: false, why: why ? 'verify: ' + why : `limit: ${MAX_TLS_SERVER_CLIENTS} TLS clients already` });
          socket.destroy();
          return;
        }
        tlsOptions!.note({ role: 'server', peer, ok: true });
        this.accept(server, socket);
      });
    } else if (transport.tcp) {
      server.tcp = transport.tcp;
      transport.tcp.on('connection', (socket) => this.accept(server, socket));
    } else {
      server.udp = transport.udp;
      transport.udp!.on('message', (msg, from) => this.datagram(server, msg, from));
    }
    this.slots[sid] = server;
    return serverInfo(server);
  }

  /** Take up to `max` pending bytes of a client (all of them when max is undefined). */
  read(sid: number, cid: number, max: number | undefined): string {
    const client = this.slots[sid]!.clients[cid]!;
    const n = max === undefined ? client.rx.length : Math.min(max, client.rx.length);
    const data = client.rx.substring(0, n);
    client.rx = client.rx.substring(n);
    if (client.tcp?.isPaused() && client.rx.length <= SOCKET_RX_LIMIT) client.tcp.resume();
    return data;
  }

  /** false when the client has gone. */
  write(sid: number, cid: number, data: string): boolean {
    const server = this.slots[sid]!;
    const client = server.clients[cid]!;
    if (!client.connected) return false;
    const bytes = Buffer.from(data, 'latin1');
    if (client.tcp) client.tcp.write(bytes);
    else server.udp?.send(bytes, client.port, client.ip);
    return true;
  }

  /** SOCKDC=<sid>,<cid>: drop the client quietly and free its cid. */
  closeClient(sid: number, cid: number): void {
    const server = this.slots[sid];
    const client = server?.clients[cid];
    if (!server || !client) return;
    server.clients[cid] = undefined;
    client.tcp?.destroy();
  }

  /** SOCKDC=<sid>: the server and all its clients. */
  close(sid: number): void {
    const server = this.slots[sid];
    if (!server) return;
    for (let cid = 0; cid < server.clients.length; cid++) this.closeClient(sid, cid);
    this.slots[sid] = undefined;
    server.tcp?.close();
    server.udp?.close();
  }

  destroyAll(): void {
    this.generation++;
    for (let sid = 0; sid < this.slots.length; sid++) this.close(sid);
  }

  /** Clients of TLS servers, over all servers. */
  private tlsClients(): number {
    let n = 0;
    for (const server of this.slots) {
      if (server && (server.kind === 's1' || server.kind === 's2')) n += server.clients.filter((c) => c !== undefined).length;
    }
    return n;
  }

  private freeCid(server: Server): number {
    return server.clients.indexOf(undefined);
  }

  private received(server: Server, client: ServerClient, bytes: string): void {
    client.rx += bytes;
    this.out.wind(W.pendingData, [server.sid, client.cid, bytes.length, client.rx.length]);
  }

  private accept(server: Server, socket: net.Socket): void {
    const ip = socket.remoteAddress ?? '';
    const port = socket.remotePort ?? 0;
    socket.on('error', () => undefined);
    const cid = this.freeCid(server);
    if (this.slots[server.sid] !== server || cid < 0) {
      socket.destroy();
      if (cid < 0) this.out.wind(W.sockdDroppingClient, [ip, port, server.sid]);
      return;
    }
    const client: ServerClient = { cid, ip, port, rx: '', connected: true, tcp: socket };
    server.clients[cid] = client;
    this.out.wind(W.incomingSocketClient, [ip, port, server.sid, cid]);
    socket.on('data', (chunk: Buffer) => {
      const bytes = chunk.toString('latin1');
      for (let at = 0; at < bytes.length; at += TCP_SEGMENT) this.received(server, client, bytes.substring(at, at + TCP_SEGMENT));
      if (client.rx.length > SOCKET_RX_LIMIT) socket.pause();
    });
    let reason = CLOSE_REASON_PEER;
    socket.on('error', () => { reason = CLOSE_REASON_ERROR; });
    socket.on('close', () => {
      // A close the host asked for (SOCKDC, reset) has already freed the cid: nothing to announce.
      if (server.clients[cid] !== client) return;
      client.connected = false;
      this.out.wind(W.socketClientGone, [ip, port, server.sid, cid, reason]);
      if (client.rx.length === 0 || !GONE_CLIENT_WITH_DATA_STAYS) server.clients[cid] = undefined;
    });
  }

  /** UDP: each peer address:port is a client (UDP_SERVER_CLIENT_PER_PEER). */
  private datagram(server: Server, msg: Buffer, from: dgram.RemoteInfo): void {
    let client = server.clients.find((c) => c !== undefined && c.ip === from.address && c.port === from.port);
    if (!client) {
      const cid = this.freeCid(server);
      if (cid < 0) {
        this.out.wind(W.sockdDroppingClient, [from.address, from.port, server.sid]);
        return;
      }
      client = { cid, ip: from.address, port: from.port, rx: '', connected: true };
      server.clients[cid] = client;
      this.out.wind(W.incomingSocketClient, [client.ip, client.port, server.sid, cid]);
    }
    this.received(server, client, msg.toString('latin1'));
  }
}

function clientInfo({ rx, tcp, ...info }: ServerClient): SimServerClientInfo {
  return { ...info, pending: rx.length };
}

function serverInfo(server: Server): SimServerInfo {
  const clients = server.clients.filter((c): c is ServerClient => c !== undefined).map(clientInfo);
  return { sid: server.sid, kind: server.kind, port: server.port, localPort: server.localPort, clients };
}

interface Listening {
  localPort: number;
  tcp?: net.Server;
  udp?: dgram.Socket;
  /** TLS servers: what the module's TLS works with. */
  trust?: ModuleTrust;
}

function listenTcp(port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const tcp = net.createServer();
    tcp.once('error', reject);
    tcp.listen(port, SERVER_BIND_ADDRESS, () => {
      tcp.off('error', reject);
      tcp.on('error', () => undefined);
      resolve({ tcp, localPort: (tcp.address() as net.AddressInfo).port });
    });
  });
}

function bindUdp(port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const udp = dgram.createSocket('udp4');
    udp.once('error', (e) => {
      udp.close();
      reject(e);
    });
    udp.bind(port, SERVER_BIND_ADDRESS, () => {
      udp.removeAllListeners('error');
      // A refused datagram (ICMP port unreachable) must not crash the process.
      udp.on('error', () => undefined);
      resolve({ udp, localPort: udp.address().port });
    });
  });
}
