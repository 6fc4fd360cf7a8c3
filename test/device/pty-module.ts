// The simulated SPWF04S in this (mocha) process, its UART on a pseudo-terminal that the real Espruino engine
// opens as Serial1: sim ⇄ TCP on 127.0.0.1 ⇄ socat ⇄ pty. In-process so that a test can reach sim.faults,
// the access point and the module's state, and count the commands the layer sent (every line the host
// wrote, in order), e.g. how many AT+S.WCFG a second join made.

import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { SimModule, type SimOptions } from '../../hosts/sim/module';
import { FAST_TIMING } from '../helpers/sim-session';

export class PtyModule {
  readonly sim: SimModule;
  /** Every line the host wrote (host → module), without its CR/LF; payload bytes too (they are lines
   *  only by accident): look for commands with `commands()`. */
  readonly hostLines: string[] = [];
  private partial = '';
  private commandWatchers: { prefix: string; fn: (line: string) => void }[] = [];
  private server: net.Server | undefined;
  private client: net.Socket | undefined;
  private socat: ChildProcess | undefined;
  private socatLog = '';

  private constructor(simOpts: SimOptions) {
    this.sim = new SimModule(Object.assign({ chunkSize: 64, serverPort: () => 0 }, simOpts, {
      timing: Object.assign({}, FAST_TIMING, simOpts.timing || {}),
    }));
  }

  /** A module whose UART is the pseudo-terminal `ptyPath` (a symbolic link socat makes). The module powers
   *  on when socat connects, before the engine opens the terminal: its boot log waits in the terminal. */
  static async open(ptyPath: string, simOpts: SimOptions = {}): Promise<PtyModule> {
    const m = new PtyModule(simOpts);
    try {
      await m.listenAndLink(ptyPath);
    } catch (e) {
      await m.close();
      throw e;
    }
    return m;
  }

  /** Calls fn once, for the next line the host sends that starts with `prefix` (before the module sees it). */
  onNextCommand(prefix: string, fn: (line: string) => void): void {
    this.commandWatchers.push({ prefix, fn });
  }

  /** The AT commands the host sent, in order (e.g. `AT+S.WCFG`). */
  commands(): string[] {
    return this.hostLines.filter((l) => l.indexOf('AT') === 0);
  }

  /** How many commands start with `prefix` (e.g. 'AT+S.WCFG', 'AT+S.RESET'). */
  count(prefix: string): number {
    return this.commands().filter((c) => c === prefix || c.indexOf(prefix + '=') === 0).length;
  }

  async close(): Promise<void> {
    this.client?.destroy();
    this.sim.close();
    const socat = this.socat;
    this.socat = undefined;
    if (socat && socat.exitCode === null && socat.signalCode === null) {
      await new Promise<void>((resolve) => {
        socat.once('exit', () => resolve());
        socat.kill('SIGTERM');
      });
    }
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private record(bytes: string): void {
    const text = this.partial + bytes;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 || c === 10) {
        if (i > start) {
          const line = text.substring(start, i);
          this.hostLines.push(line);
          for (const w of this.commandWatchers.slice()) {
            if (line.indexOf(w.prefix) === 0) {
              this.commandWatchers.splice(this.commandWatchers.indexOf(w), 1);
              w.fn(line);
            }
          }
        }
        start = i + 1;
      }
    }
    this.partial = text.substring(start);
    if (this.hostLines.length > 20000) this.hostLines.splice(0, 10000);
  }

  private async listenAndLink(ptyPath: string): Promise<void> {
    this.sim.onOutput((bytes) => this.client?.write(Buffer.from(bytes, 'latin1')));
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      if (this.client) {
        socket.destroy();
        return;
      }
      this.client = socket;
      this.sim.powerOn();
      socket.on('data', (d: Buffer) => {
        const bytes = d.toString('latin1');
        this.record(bytes);
        this.sim.write(bytes);
      });
      socket.on('close', () => {
        if (this.client === socket) this.client = undefined;
      });
    });
    this.server = server;
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
    const connected = new Promise<void>((resolve) => server.once('connection', () => resolve()));
    // -d -d: socat says when both ends are open ("starting data transfer loop"); the link exists by then.
    const socat = spawn('socat', ['-d', '-d', `PTY,link=${ptyPath},raw,echo=0`, `TCP:127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.socat = socat;
    const ready = new Promise<void>((resolve, reject) => {
      socat.stderr!.on('data', (d: Buffer) => {
        this.socatLog += d.toString();
        if (this.socatLog.indexOf('starting data transfer loop') >= 0) resolve();
      });
      socat.once('error', (e) => reject(new Error('cannot run socat (apt-get install socat): ' + e.message)));
      socat.once('exit', (code) => reject(new Error(`socat stopped (exit ${code}): ${this.socatLog.trim()}`)));
    });
    await withTimeout(Promise.all([ready, connected]), 10000, 'socat did not make the pseudo-terminal in 10 s');
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

/** Put an item into the module's certificate flash as if it had been provisioned earlier (the flash keeps
 *  it across resets): for flows that need a trusted CA without the certificates module. */
export function preloadCertificate(m: PtyModule, family: 'tls' | 'eap', kind: 'ca' | 'cert' | 'key', data: Buffer): void {
  const flash = (m.sim as unknown as { certFlash: { store(f: string, k: string, d: Buffer): { code: number } } }).certFlash;
  const r = flash.store(family, kind, data);
  if (r.code !== 0) throw new Error(`the simulated module refused the ${family} ${kind} (error ${r.code})`);
}
