// FOTA test helpers: random firmware images, packets made by the packet tool's buildPacket, a real HTTP(S)
// server on 127.0.0.1 that serves them (whole, cut short, or held half-way until the test lets it go), a
// small PKI made by openssl for the HTTPS download (fixed dates and a subjectAltName-only name too), and
// event-driven waits (no sleeping).

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Socket } from 'node:net';
import { buildPacket } from '../../hosts/node/ota/packet';
import type { SimModule } from '../../hosts/sim/module';
import { prepareCaDatabase } from '../helpers/openssl-ca';

/** A random flash image of `size` bytes (a multiple of 4). */
export function image(size = 48 * 1024): Buffer {
  return randomBytes(size);
}

/** A FOTA packet of a random image; encrypted when `key` is given. */
export function packet(version: string, key?: Buffer, size?: number): Buffer {
  return buildPacket(image(size), { version, key });
}

export interface Held {
  /** Resolves once the first part of the body has been written. */
  sent: Promise<void>;
  /** Send the rest and end. */
  release(): void;
}

type Route =
  | { kind: 'full'; body: Buffer }
  | { kind: 'truncated'; body: Buffer; bytes: number }
  | { kind: 'held'; body: Buffer; bytes: number; held: Held & { go?: () => void; onSent?: () => void } }
  | { kind: 'status'; code: number };

export interface ServedRequest {
  path: string;
  authorization?: string;
}

/** An HTTP (or, with `tls`, HTTPS) server on 127.0.0.1 with routes set by the test. */
export class PacketServer {
  readonly requests: ServedRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly sockets = new Set<Socket>();
  port = 0;

  private constructor(private readonly server: http.Server) {
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  static async start(tls?: { key: string; cert: string }): Promise<PacketServer> {
    let self: PacketServer | undefined;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => self!.handle(req, res);
    const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, handler) : http.createServer(handler);
    self = new PacketServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self.port = (server.address() as AddressInfo).port;
    return self;
  }

  full(p: string, body: Buffer): void {
    this.routes.set(p, { kind: 'full', body });
  }

  /** Announces the whole length, sends `bytes` of it, then closes the connection. */
  truncated(p: string, body: Buffer, bytes: number): void {
    this.routes.set(p, { kind: 'truncated', body, bytes });
  }

  /** Announces the whole length, sends `bytes` of it, then waits for release() (or the client leaving). */
  held(p: string, body: Buffer, bytes: number): Held {
    let onSent!: () => void;
    const held: Held & { go?: () => void; onSent?: () => void } = {
      sent: new Promise<void>((resolve) => { onSent = resolve; }),
      release: () => { if (held.go) held.go(); },
    };
    held.onSent = onSent;
    this.routes.set(p, { kind: 'held', body, bytes, held });
    return held;
  }

  status(p: string, code: number): void {
    this.routes.set(p, { kind: 'status', code });
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const route = this.routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404).end('not found');
      return;
    }
    if (route.kind === 'status') {
      res.writeHead(route.code).end('no');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': route.body.length });
    if (route.kind === 'full') {
      res.end(route.body);
      return;
    }
    res.write(route.body.subarray(0, route.bytes), () => {
      if (route.kind === 'truncated') {
        res.socket?.destroy();
        return;
      }
      route.held.go = () => res.end(route.body.subarray(route.bytes));
      route.held.onSent!();
    });
  }
}

/** Resolves with the first event `name` of `emitter` that `accept` takes. */
export function nextEvent<T>(emitter: { on(e: string, f: (a?: any, b?: any) => void): void; off(e: string, f: (a?: any, b?: any) => void): void },
  name: string, accept: (a: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const f = (a: T) => {
      if (!accept(a)) return;
      emitter.off(name, f);
      resolve(a);
    };
    emitter.on(name, f);
  });
}

/** What the simulated module printed, with a wait for a text (or pattern) to arrive (event-driven). */
export class ModuleOutput {
  all = '';
  private waiters: { find: (from: number) => number; from: number; resolve: (upTo: string) => void }[] = [];
  private taken = 0;

  constructor(sim: SimModule) {
    sim.onOutput((bytes) => {
      this.all += bytes;
      for (const w of this.waiters.slice()) {
        const end = w.find(w.from);
        if (end >= 0) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          this.taken = end;
          w.resolve(this.all.substring(w.from, end));
        }
      }
    });
  }

  /** Resolves with everything since the last until() (or the start) up to and including the first match. */
  until(what: string | RegExp): Promise<string> {
    const find = (from: number): number => {
      if (typeof what === 'string') {
        const at = this.all.indexOf(what, from);
        return at < 0 ? -1 : at + what.length;
      }
      const re = new RegExp(what.source, what.flags.includes('g') ? what.flags : what.flags + 'g');
      re.lastIndex = from;
      const m = re.exec(this.all);
      return m ? m.index + m[0].length : -1;
    };
    const from = this.taken;
    const end = find(from);
    if (end >= 0) {
      this.taken = end;
      return Promise.resolve(this.all.substring(from, end));
    }
    return new Promise<string>((resolve) => this.waiters.push({ find, from, resolve }));
  }
}

/** A CA and server certificates (P-256, made by openssl; `openssl ca` for fixed dates), in PEM. All the server
 *  certificates share `key`. */
export interface TestPki {
  /** "FOTA test CA", valid 2019-01-01 .. 2045-12-31 (so that a module clock in 2020 accepts it too). */
  ca: string;
  key: string;
  /** CN 127.0.0.1 (and subjectAltName IP:127.0.0.1), valid from now for ten years. */
  cert: string;
  /** CN "FOTA test server", subjectAltName IP:127.0.0.1: only the alternative name matches 127.0.0.1. */
  sanOnly: string;
  /** CN 127.0.0.1, valid 2020-01-01 .. 2021-01-01: expired by the desktop's clock. */
  expired: string;
}

/** When `expired` is valid: 2020-06-01 00:00 UTC, in seconds since 1970. */
export const EXPIRED_CERT_VALID_AT = Date.UTC(2020, 5, 1) / 1000;

let pkiMade: TestPki | undefined;

export function testPki(): TestPki {
  if (pkiMade) return pkiMade;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf-fota-'));
  prepareCaDatabase(dir);
  const env = { ...process.env, OPENSSL_CONF: path.join(dir, 'openssl.cnf') };
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  fs.writeFileSync(path.join(dir, 'openssl.cnf'), [
    '[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', 'CN = unused',
    '[ca]', 'default_ca = CA_default',
    '[CA_default]', 'database = ./cadb/index.txt', 'new_certs_dir = ./cadb', 'default_md = sha256', 'policy = policy_any',
    'unique_subject = no', 'email_in_dn = no', 'copy_extensions = none', 'rand_serial = yes',
    '[policy_any]', 'organizationName = optional', 'commonName = supplied',
    '[v3_ca]', 'basicConstraints = critical,CA:true', 'subjectKeyIdentifier = hash', 'keyUsage = critical, keyCertSign, cRLSign',
    '[leaf]', 'basicConstraints = CA:false', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid',
    'subjectAltName = IP:127.0.0.1',
  ].join('\n') + '\n');
  const sign = (csr: string, out: string, ext: string, dates: string[], selfSign = false) => run(['ca', '-batch', '-notext',
    ...(selfSign ? ['-selfsign', '-keyfile', 'ca.key'] : ['-cert', 'ca.pem', '-keyfile', 'ca.key']),
    '-in', csr, '-out', out, '-extensions', ext, ...dates]);
  const leaf = (cn: string, out: string, dates: string[]) => {
    run(['req', '-new', '-key', 'server.key', '-subj', '/O=FOTA test/CN=' + cn, '-out', out + '.csr']);
    sign(out + '.csr', out, 'leaf', dates);
  };
  try {
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key']);
    run(['req', '-new', '-key', 'ca.key', '-subj', '/O=FOTA test/CN=FOTA test CA', '-out', 'ca.csr']);
    sign('ca.csr', 'ca.pem', 'v3_ca', ['-startdate', '20190101000000Z', '-enddate', '20451231000000Z'], true);
    run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key']);
    leaf('127.0.0.1', 'server.pem', ['-days', '3650']);
    leaf('FOTA test server', 'san-only.pem', ['-days', '3650']);
    leaf('127.0.0.1', 'expired.pem', ['-startdate', '20200101000000Z', '-enddate', '20210101000000Z']);
    const read = (name: string) => fs.readFileSync(path.join(dir, name), 'latin1');
    pkiMade = { ca: read('ca.pem'), key: read('server.key'), cert: read('server.pem'), sanOnly: read('san-only.pem'), expired: read('expired.pem') };
    return pkiMade;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
