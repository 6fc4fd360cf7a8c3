// The demo: the firmware core against the simulated module, no hardware needed. It boots the module,
// turns echo off, joins the simulated WPA2-PSK network, opens a TCP socket to an echo server on
// 127.0.0.1, sends a message, reads the echo back, closes, and prints the exchange as it happens.

import * as net from 'net';
import { SimModule } from '../sim/module';
import { SimTiming } from '../sim/timing';
import { createNodeHost } from './host';
import { createConnectivity, Socket, isSpwfError } from '../../src/index';
import { CliIo, EXIT_OK, Print, UsageError, parseCommandLine, stringOption, oneLine, usageFailure, wantsHelp, wholeNumber } from './cli-args';

export const DEMO_SUMMARY = ['run the firmware core against the simulated module (no hardware needed)'];

export const DEMO_USAGE = [
  'usage: spwf04 demo [--ssid <name>] [--psk <phrase>] [--message <text>] [--chunk <n>] [--quiet]',
  '',
  'The simulated module boots, joins, opens a TCP socket to an echo server on 127.0.0.1, sends a',
  'message, reads the echo back and closes, printing every line exchanged (the passphrase masked).',
  '',
  '  --ssid <name>     network to join (the simulated access point is "SPWF-Lab")',
  '  --psk <phrase>    WPA2 passphrase (the simulated access point uses "correct horse battery")',
  '  --message <text>  what to send to the echo server',
  '  --chunk <n>       module output chunk size in bytes, 1 to 65536 (default 64)',
  '  --quiet           print only the steps, not the line-by-line exchange',
  '  -h, --help        this help',
  '',
  'exit status: 0 the echo came back, 1 the flow failed (the reason is on stderr), 2 a usage error',
].join('\n');

const DEMO_OPTIONS = {
  ssid: { type: 'string' as const },
  psk: { type: 'string' as const },
  message: { type: 'string' as const },
  chunk: { type: 'string' as const },
  quiet: { type: 'boolean' as const },
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
  return {
    ssid: stringOption(p, 'ssid'),
    psk: stringOption(p, 'psk'),
    message: stringOption(p, 'message'),
    chunkSize: chunk === undefined ? undefined : wholeNumber(chunk, '--chunk', 1, 65536),
    trace: !p.values.quiet,
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
  joinTimeoutMs?: number;
  /** The simulated module's delays (tests make them short). */
  simTiming?: Partial<SimTiming>;
}

export type { Print };

/** Runs the demo: progress to io.out, the failure to io.err; resolves with the exit status (0 = echo received). */
export function runDemo(opts: DemoOptions, io: CliIo): Promise<number> {
  const print = io.out;
  const ssid = opts.ssid || 'SPWF-Lab';
  const psk = opts.psk === undefined ? 'correct horse battery' : opts.psk;
  const message = opts.message || 'Hello from the SPWF04S demo';
  let server: net.Server | null = null;
  const sim = new SimModule({ chunkSize: opts.chunkSize || 64, timing: opts.simTiming });
  const host = createNodeHost(
    { write: function (b) { sim.write(b); }, onData: function (cb) { sim.onOutput(cb); } },
    {
      log: function (level, msg) { if (level !== 'debug') print('  [' + level + '] ' + msg); },
      setReset: function (asserted) { if (!asserted) sim.hardReset(); },
    },
  );
  const conn = createConnectivity(host, {
    trace: opts.trace === false ? undefined : function (dir, text) {
      print((dir === '>' ? '  host → module  ' : '  module → host  ') + printable(text));
    },
    link: { joinTimeoutMs: opts.joinTimeoutMs || 20000 },
  });
  conn.on('link', function (s) { print('* link ' + s + (s === 'up' ? ' (' + conn.link.ip + ')' : '')); });

  function step(text: string): void {
    print('');
    print('== ' + text);
  }

  let sock: Socket | null = null;
  return startEchoServer()
    .then(function (srv) {
      server = srv;
      const port = (srv.address() as net.AddressInfo).port;
      step('Module boot (simulated SPWF04S, reset pulse)');
      return conn.start().then(function () {
        step('Join "' + ssid + '" with WPA2-PSK (application note 3.2.1)');
        return conn.join({ ssid: ssid, psk: psk });
      }).then(function (ip) {
        print('* WiFi up, IPv4 ' + ip + (conn.link.ipv6 ? ', IPv6 ' + conn.link.ipv6 : ''));
        step('Open a TCP socket to the echo server on 127.0.0.1:' + port);
        return conn.open('127.0.0.1', port, 't');
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
          s.write(message).catch(reject);
        });
      }).then(function (echo) {
        print('* echo received: "' + echo + '"');
        step('Close the socket');
        return sock!.close().then(function () { return echo; });
      }).then(function (echo) {
        print('');
        if (echo === message) print('Done: the echo matches.');
        else io.err('Failed: the echo differs from what was sent.');
        return echo === message ? 0 : 1;
      });
    })
    .catch(function (err) {
      if (isSpwfError(err)) {
        io.err('Failed: ' + err.message);
        if (err.reasons) for (let i = 0; i < err.reasons.length; i++) io.err('  - ' + err.reasons[i]);
      } else io.err('Failed: ' + oneLine(err));
      return 1;
    })
    .then(function (code) {
      conn.stop();
      sim.close();
      if (server) server.close();
      return code;
    });
}

function startEchoServer(): Promise<net.Server> {
  return new Promise(function (resolve, reject) {
    const srv = net.createServer(function (c) { c.pipe(c); });
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', function () { resolve(srv); });
  });
}

/** Make a line safe to print: control bytes shown as escapes. */
function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\xff]/g, function (c) {
    const h = c.charCodeAt(0).toString(16);
    return '\\x' + (h.length < 2 ? '0' + h : h);
  });
}
