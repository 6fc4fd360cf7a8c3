// The demo: the firmware core against the simulated module (no hardware needed), or against a real
// SPWF04S on a serial port (--port). It boots the module, turns echo off, joins a WPA2-PSK network, opens
// a TCP socket to an echo server it runs on this machine, sends a message, reads the echo back, closes,
// and prints the exchange as it happens.

import * as net from 'net';
import * as os from 'os';
import { openSerialLink } from './serial-link';
import type { ByteLink } from './host';
import { createTraceFileWriter, TraceWriter } from './trace/writer';
import { SimModule } from '../sim/module';
import { SimTiming } from '../sim/timing';
import { createNodeHost } from './host';
import { createConnectivity, Socket, isSpwfError } from '../../src/index';
import { CliIo, EXIT_OK, Print, UsageError, parseCommandLine, stringOption, oneLine, usageFailure, wantsHelp, wholeNumber } from './cli-args';

export const DEMO_SUMMARY = [
  'run the firmware core against the simulated module (no hardware needed),',
  'or against a real SPWF04S on a serial port (--port /dev/ttyUSB0)',
];

export const DEMO_USAGE = [
  'usage: spwf04 demo [--ssid <name>] [--psk <phrase>] [--message <text>] [--chunk <n>] [--quiet] [--trace <file>]',
  '       spwf04 demo --port <device> [--baud <n>] [--echo <address>] --ssid <name> --psk <phrase> ...',
  '',
  'The module boots, joins, opens a TCP socket to an echo server the demo runs on this machine, sends',
  'a message, reads the echo back and closes, printing every line exchanged (the passphrase masked).',
  'Without --port the module is the simulator; with --port it is a real SPWF04S on that serial port',
  '(a USB-UART adapter wired to the module, or a simulator\'s pseudo-terminal: spwf04 sim --pty).',
  '',
  '  --ssid <name>      network to join (default "SPWF-Lab", the simulated access point)',
  '  --psk <phrase>     WPA2 passphrase (default "correct horse battery", the simulated one)',
  '  --message <text>   what to send to the echo server',
  '  --chunk <n>        simulated module output chunk size in bytes, 1 to 65536 (default 64)',
  '  --quiet            print only the steps, not the line-by-line exchange',
  '  --trace <file>     also write the exchange to <file> (JSON Lines; see spwf04 trace)',
  '  --port <device>    a real module on this serial port (e.g. /dev/ttyUSB0)',
  '  --baud <n>         its speed (default 115200, the module\'s factory setting)',
  '  --echo <address>   where the echo server listens, an address of this machine the module can reach',
  '                     (default 127.0.0.1 for the simulator; with --port the first non-loopback IPv4)',
  '  -h, --help         this help',
  '',
  'exit status: 0 the echo came back, 1 the flow failed (the reason is on stderr), 2 a usage error',
].join('\n');

const DEMO_OPTIONS = {
  ssid: { type: 'string' as const },
  psk: { type: 'string' as const },
  message: { type: 'string' as const },
  chunk: { type: 'string' as const },
  quiet: { type: 'boolean' as const },
  port: { type: 'string' as const },
  baud: { type: 'string' as const },
  echo: { type: 'string' as const },
  trace: { type: 'string' as const },
};

/** `spwf04 demo [options]`; resolves with the exit status. */
export function runDemoCommand(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.out(DEMO_USAGE);
    return Promise.resolve(EXIT_OK);
  }
  let opts: DemoOptions;
  try {
    opts = parseDemoArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return Promise.resolve(usageFailure(io, e, DEMO_USAGE));
  }
  return runDemo(opts, io);
}

/** The demo's options from its command line (a UsageError for a mistake). */
export function parseDemoArgs(args: string[]): DemoOptions {
  const p = parseCommandLine(args, DEMO_OPTIONS, 0);
  const chunk = stringOption(p, 'chunk');
  const port = stringOption(p, 'port');
  const baud = stringOption(p, 'baud');
  const echo = stringOption(p, 'echo');
  if (port === undefined && baud !== undefined) throw new UsageError('--baud goes with --port');
  if (port !== undefined && chunk !== undefined) throw new UsageError('--chunk is for the simulated module, not with --port');
  if (port === '') throw new UsageError('--port needs a device path');
  if (echo !== undefined && net.isIP(echo) === 0) throw new UsageError('--echo wants an IP address of this machine, not "' + echo + '"');
  return {
    ssid: stringOption(p, 'ssid'),
    psk: stringOption(p, 'psk'),
    message: stringOption(p, 'message'),
    chunkSize: chunk === undefined ? undefined : wholeNumber(chunk, '--chunk', 1, 65536),
    trace: !p.values.quiet,
    port: port,
    baud: baud === undefined ? undefined : wholeNumber(baud, '--baud', 1200, 921600),
    echoHost: echo,
    traceFile: stringOption(p, 'trace'),
  };
}

export interface DemoOptions {
  ssid?: string;
  psk?: string;
  message?: string;
  /** Module output chunk size (default 64 bytes, as Espruino's UART delivers it). */
  chunkSize?: number;
  /** Print the module's exchange line by line. */
  trace?: boolean;
  /** Also write the exchange, with the demo's steps as notes, to this trace file (docs/trace-format.md). */
  traceFile?: string;
  joinTimeoutMs?: number;
  /** The simulated module's delays (tests make them short). */
  simTiming?: Partial<SimTiming>;
  /** A real module on this serial port instead of the simulator. */
  port?: string;
  /** Its speed (default 115200). */
  baud?: number;
  /** The address the echo server listens on and the module connects to. */
  echoHost?: string;
}

/** The module the demo talks to: the simulator in this process, or a device on a serial port. */
interface ModuleLink {
  link: ByteLink;
  setReset?: (asserted: boolean) => void;
  /** Rejects when the device goes away (never settles for the simulator). */
  lost: Promise<never>;
  close(): Promise<void>;
}

function simulatedModule(opts: DemoOptions): ModuleLink {
  const sim = new SimModule({ chunkSize: opts.chunkSize || 64, timing: opts.simTiming });
  return {
    link: { write: function (b) { sim.write(b); }, onData: function (cb) { sim.onOutput(cb); } },
    setReset: function (asserted) { if (!asserted) sim.hardReset(); },
    lost: new Promise<never>(function () { /* the simulator does not go away */ }),
    close: function () { sim.close(); return Promise.resolve(); },
  };
}

function serialModule(path: string, baud: number): Promise<ModuleLink> {
  return openSerialLink(path, baud).then(function (serial) {
    return {
      link: serial,
      lost: new Promise<never>(function (_resolve, reject) { serial.onLost(function (why) { reject(new Error(why)); }); }),
      close: function () { return serial.close(); },
    };
  });
}

/** The first IPv4 address of this machine that is not a loopback (where a real module can reach us). */
function lanAddress(): string | undefined {
  const all = os.networkInterfaces();
  for (const name of Object.keys(all)) {
    for (const a of all[name] || []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export type { Print };

/** Runs the demo: progress to io.out, the failure to io.err; resolves with the exit status (0 = echo received). */
export function runDemo(opts: DemoOptions, io: CliIo): Promise<number> {
  const print = io.out;
  const ssid = opts.ssid || 'SPWF-Lab';
  const psk = opts.psk === undefined ? 'correct horse battery' : opts.psk;
  const message = opts.message || 'Hello from the SPWF04S demo';
  const echoHost = opts.echoHost || (opts.port ? lanAddress() : '127.0.0.1');
  if (!echoHost) {
    io.err('Failed: this machine has no IPv4 address a module could reach for the echo server: give one with --echo');
    return Promise.resolve(1);
  }
  let file: TraceWriter | null = null;
  try {
    if (opts.traceFile) file = createTraceFileWriter(opts.traceFile, { source: 'demo' });
  } catch (e: any) {
    io.err('Failed: cannot write the trace file ' + opts.traceFile + ': ' + e.message);
    return Promise.resolve(1);
  }
  const opening = opts.port ? serialModule(opts.port, opts.baud || 115200) : Promise.resolve(simulatedModule(opts));
  return opening.then(function (m) {
    return flow(m, echoHost).then(function (code) {
      return m.close().then(function () { return code; });
    });
  }, function (err) {
    io.err('Failed: ' + oneLine(err));
    return 1;
  }).then(function (code) {
    if (file) file.close();
    return code;
  });

  /** Printed, and a note in the trace file. */
  function note(text: string): void {
    if (file) file.note(text);
    print(text);
  }

  /** A failure on stderr, and a note in the trace file. */
  function failure(text: string): void {
    if (file) file.note(text);
    io.err(text);
  }

  function flow(m: ModuleLink, host: string): Promise<number> {
    let server: net.Server | null = null;
    const nodeHost = createNodeHost(m.link, {
      log: function (level, msg) { if (level !== 'debug') print('  [' + level + '] ' + msg); },
      setReset: m.setReset,
    });
    const conn = createConnectivity(nodeHost, {
      trace: opts.trace === false && !file ? undefined : function (dir, text) {
        if (file) file.trace(dir, text);
        if (opts.trace !== false) print((dir === '>' ? '  host → module  ' : '  module → host  ') + printable(text));
      },
      link: { joinTimeoutMs: opts.joinTimeoutMs || 20000 },
    });
    conn.on('link', function (s) { note('* link ' + s + (s === 'up' ? ' (' + conn.link.ip + ')' : '')); });

    function step(text: string): void {
      print('');
      note('== ' + text);
    }

    let sock: Socket | null = null;
    const run = startEchoServer(host)
      .then(function (srv) {
        server = srv;
        const port = (srv.address() as net.AddressInfo).port;
        step(opts.port ? 'Module start (SPWF04S on ' + opts.port + ')' : 'Module boot (simulated SPWF04S, reset pulse)');
        return conn.start().then(function () {
          step('Join "' + ssid + '" with WPA2-PSK (application note 3.2.1)');
          return conn.join({ ssid: ssid, psk: psk });
        }).then(function (ip) {
          print('* WiFi up, IPv4 ' + ip + (conn.link.ipv6 ? ', IPv6 ' + conn.link.ipv6 : ''));
          step('Open a TCP socket to the echo server on ' + host + ':' + port);
          return conn.open(host, port, 't');
        }).then(function (s) {
          sock = s;
          step('Send "' + message + '" and read the echo');
          return new Promise<string>(function (resolve, reject) {
            let got = '';
            s.on('data', function (d) {
              got += d;
              if (got.length >= message.length) resolve(got);
            });
            s.on('error', reject);
            s.write(message); // errors come as 'error'
          });
        }).then(function (echo) {
          note('* echo received: "' + echo + '"');
          step('Close the socket');
          return sock!.close().then(function () { return echo; });
        }).then(function (echo) {
          print('');
          if (echo === message) note('Done: the echo matches.');
          else failure('Failed: the echo differs from what was sent.');
          return echo === message ? 0 : 1;
        });
      });
    return Promise.race([run, m.lost])
      .catch(function (err) {
        if (isSpwfError(err)) {
          failure('Failed: ' + err.message);
          if (err.reasons) for (let i = 0; i < err.reasons.length; i++) io.err('  - ' + err.reasons[i]);
        } else failure('Failed: ' + oneLine(err));
        return 1;
      })
      .then(function (code) {
        conn.stop();
        if (server) server.close();
        return code;
      });
  }
}

function startEchoServer(host: string): Promise<net.Server> {
  return new Promise(function (resolve, reject) {
    const srv = net.createServer(function (c) {
      c.on('error', function () { /* the module closed first: nothing to do */ });
      c.pipe(c);
    });
    srv.on('error', function (e) { reject(new Error('cannot start the echo server on ' + host + ': ' + oneLine(e))); });
    srv.listen(0, host, function () { resolve(srv); });
  });
}

/** Make a line safe to print: control bytes shown as escapes. */
function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\xff]/g, function (c) {
    const h = c.charCodeAt(0).toString(16);
    return '\\x' + (h.length < 2 ? '0' + h : h);
  });
}
