// Shared by the end-to-end network tests: certificates made by openssl at test time with the commands of
// the application note's appendix A (2048-bit RSA instead of its 1024 bits, which current OpenSSL builds
// refuse at their default security level), openssl s_server / s_client processes on 127.0.0.1 that are
// always stopped, free ports, and a connectivity session against the simulator whose TLS store is
// provisioned through the core (CertStore + Provisioner) and whose clock is set from the host's
// (ModuleClock trustHostClock).

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { simSession, upAndJoined, type SimSession } from '../helpers/sim-session';
import type { SimOptions } from '../../hosts/sim/module';
import type { ConnectivityOptions, Socket, ServerClient } from '../../src/index';
import { CertStore } from '../../src/certs/store';
import { checkedProvisioner } from '../../src/certs/checked-plan';
import type { Provisioner } from '../../src/certs/provision';
import { parsePem } from '../../src/certs/der';
import { parseCertificate } from '../../src/certs/x509';
import { OPENSSL_CA_SECTIONS, prepareCaDatabase } from '../helpers/openssl-ca';

export const SUBJ = '/C=IT/ST=Lombardia/L=Milan/O=STM/OU=R&D/CN=';

const CONFIG = `
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:true
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
keyUsage = critical, keyCertSign, cRLSign
${OPENSSL_CA_SECTIONS}[san_localhost]
basicConstraints = CA:FALSE
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
subjectAltName = DNS:localhost, IP:127.0.0.1
`;

export interface NetPki {
  dir: string;
  file(name: string): string;
  /** A file as a byte string. */
  read(name: string): string;
  /** Environment for openssl processes: our configuration, not the system's. */
  env: NodeJS.ProcessEnv;
}

let made: NetPki | undefined;

/**
 * Made once per process, removed at exit:
 *  ca.pem / ca.key            "CA domain" (appendix A's CA)
 *  server.pem / server.key    "server domain", issued by it (openssl ca)
 *  client.pem / client.key    "client domain", issued by it
 *  localhost.pem              "localhost" (key server.key), for <host> = localhost
 *  expired.pem                "localhost", valid 2020-01-01 .. 2021-01-01
 *  san-only.pem               "server domain" with subjectAltName localhost, 127.0.0.1
 *  other-ca.pem / .key        another CA, ALSO named "CA domain"
 *  other-server.pem           "server domain" issued by the other CA (key server.key)
 *  other-localhost.pem        "localhost" issued by the other CA
 *  other-client.pem           "client domain" issued by the other CA (key client.key)
 */
export function netPki(): NetPki {
  if (made) return made;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf-net-'));
  fs.writeFileSync(path.join(dir, 'openssl.cnf'), CONFIG);
  prepareCaDatabase(dir);
  const env = { ...process.env, OPENSSL_CONF: path.join(dir, 'openssl.cnf') };
  const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: NetPki = {
    dir,
    env,
    file: (name) => path.join(dir, name),
    read: (name) => fs.readFileSync(path.join(dir, name)).toString('latin1'),
  };
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

  const key = (name: string) => openssl(['genpkey', '-out', name, '-outform', 'PEM', '-algorithm', 'rsa', '-pkeyopt', 'rsa_keygen_bits:2048']);
  const rootCa = (k: string, out: string) =>
    openssl(['req', '-new', '-key', k, '-days', '6500', '-set_serial', '1111', '-subj', SUBJ + 'CA domain', '-out', out, '-x509']);
  const issue = (k: string, cn: string, caCert: string, caKey: string, out: string, extra: string[] = []) => {
    openssl(['req', '-new', '-key', k, '-subj', SUBJ + cn, '-out', out + '.csr']);
    openssl(['ca', '-in', out + '.csr', '-out', out, '-days', '6500', '-keyfile', caKey, '-cert', caCert, '-notext', '-batch', ...extra]);
  };
  key('ca.key');
  rootCa('ca.key', 'ca.pem');
  key('server.key');
  issue('server.key', 'server domain', 'ca.pem', 'ca.key', 'server.pem');
  key('client.key');
  issue('client.key', 'client domain', 'ca.pem', 'ca.key', 'client.pem');
  issue('server.key', 'localhost', 'ca.pem', 'ca.key', 'localhost.pem');
  issue('server.key', 'localhost', 'ca.pem', 'ca.key', 'expired.pem', ['-startdate', '20200101000000Z', '-enddate', '20210101000000Z']);
  issue('server.key', 'server domain', 'ca.pem', 'ca.key', 'san-only.pem', ['-extensions', 'san_localhost']);
  key('other-ca.key');
  rootCa('other-ca.key', 'other-ca.pem');
  issue('server.key', 'server domain', 'other-ca.pem', 'other-ca.key', 'other-server.pem');
  issue('server.key', 'localhost', 'other-ca.pem', 'other-ca.key', 'other-localhost.pem');
  issue('client.key', 'client domain', 'other-ca.pem', 'other-ca.key', 'other-client.pem');
  made = p;
  return p;
}

/** A port nobody listens on now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** An openssl process (s_server, s_client) in the PKI directory. Every one is stopped by stopAll(). */
export class OpensslProcess {
  out = '';
  err = '';
  exitCode: number | null | undefined;
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor(pki: NetPki, args: string[]) {
    this.child = spawn('openssl', args, { cwd: pki.dir, env: pki.env, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(this);
    this.child.stdout!.on('data', (d: Buffer) => { this.out += d.toString('latin1'); this.wake(); });
    this.child.stderr!.on('data', (d: Buffer) => { this.err += d.toString('latin1'); this.wake(); });
    this.child.stdin!.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exitCode = code;
        running.delete(this);
        this.wake();
        resolve();
      });
    });
  }

  /** Resolves once stdout (or stderr) holds the text; rejects if the process ends first. */
  waitFor(text: string | RegExp, stream: 'out' | 'err' = 'out'): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const s = stream === 'out' ? this.out : this.err;
        if (typeof text === 'string' ? s.includes(text) : text.test(s)) return resolve();
        if (this.exitCode !== undefined) return reject(new Error(`openssl ended (${this.exitCode}) before "${text}"; out: ${this.out}\nerr: ${this.err}`));
        this.waiters.push(check);
      };
      check();
    });
  }

  write(text: string): void {
    this.child.stdin!.write(text);
  }

  async stop(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGTERM');
    await this.exited;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

const running = new Set<OpensslProcess>();

/** Stop every openssl process still running (afterEach). */
export async function stopAllOpenssl(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

export function opensslCount(): number {
  return running.size;
}

/** s_server on 127.0.0.1:<port>, ready (its ACCEPT line) when resolved. */
export async function sServer(pki: NetPki, port: number, args: string[]): Promise<OpensslProcess> {
  const p = new OpensslProcess(pki, ['s_server', '-accept', `127.0.0.1:${port}`, ...args]);
  await p.waitFor('ACCEPT');
  return p;
}

/** A stream's bytes until they contain `text` (event-driven). */
export function receiveUntil(stream: Socket | ServerClient, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (d: string) => {
      got += d;
      if (got.includes(text)) {
        stream.off('data', onData);
        resolve(got);
      }
    };
    stream.on('data', onData);
    stream.on('error', reject);
  });
}

export interface NetBench extends SimSession {
  store: CertStore;
  prov: Provisioner;
}

export const CLOCK_FLOOR = 1700000000; // 2023-11: the host's clock is trusted above this

/** A joined session with a certificate store, a provisioner (TLS family), and a clock gate that sets the
 *  module's clock from the host's (the simulated NTP never answers, so nothing else sets it). */
export async function netBench(simOpts: SimOptions = {}, connOpts: ConnectivityOptions = {}): Promise<NetBench> {
  let store: CertStore | undefined;
  const s = simSession({ ntp: { answers: false }, ...simOpts, timing: { tlsHandshakeTimeoutMs: 2000, serviceTimeoutMs: 3000, ...simOpts.timing } }, {
    clock: { trustHostClock: true, floorSeconds: CLOCK_FLOOR, waitMs: 300, pollMs: 100 },
    tlsStore: () => storeFacts(store!),
    ...connOpts,
  });
  store = new CertStore(s.host.storage!);
  const prov = checkedProvisioner(s.conn.engine, store, s.host.log, { families: ['tls'] });
  await upAndJoined(s);
  return { ...s, store, prov };
}

/** What the store says about the module's TLS items (the ConnectivityOptions.tlsStore hook). */
export function storeFacts(store: CertStore): { caNames: string[]; clientCertificate: boolean } {
  const caNames: string[] = [];
  const ca = store.get('tls-ca');
  if (ca.ok) {
    const blocks = parsePem(ca.bytes);
    const ders = blocks.length ? blocks.map((b) => b.der) : [ca.bytes];
    for (const der of ders) caNames.push(parseCertificate(der).subjectCN || '?');
  }
  return { caNames, clientCertificate: store.get('tls-cert').ok && store.get('tls-key').ok };
}

/** Make the module's TLS store hold exactly these PKI files, through the core's provisioner. */
export async function provision(b: NetBench, pki: NetPki, items: { ca?: string; cert?: string; key?: string }): Promise<void> {
  for (const slot of ['ca', 'cert', 'key'] as const) {
    const file = items[slot];
    const r = file ? b.store.put('tls-' + slot, pki.read(file)) : b.store.remove('tls-' + slot);
    if (!r.ok && !(!file && r.reason === 'missing')) throw r.error;
  }
  await b.prov.sync();
}
