// The demo: the firmware core against the simulated module, no hardware needed. It boots the module,
// turns echo off, joins the simulated WPA2-PSK network, opens a TCP socket to an echo server on
// 127.0.0.1, sends a message, reads the echo back, closes, and prints the exchange as it happens.

import * as net from 'net';
import { SimModule } from '../sim/module';
import { SimTiming } from '../sim/timing';
import { createNodeHost } from './host';
import { createConnectivity, Socket, isSpwfError } from '../../src/index';
import { createTraceFileWriter, TraceWriter } from './trace/writer';

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
}

export type Print = (line: string) => void;

/** Runs the demo; resolves with the process exit code (0 = echo received). */
export function runDemo(opts: DemoOptions, print: Print): Promise<number> {
  const ssid = opts.ssid || 'SPWF-Lab';
  const psk = opts.psk === undefined ? 'correct horse battery' : opts.psk;
  const message = opts.message || 'Hello from the SPWF04S demo';
  let server: net.Server | null = null;
  let file: TraceWriter | null = null;
  try {
    if (opts.traceFile) file = createTraceFileWriter(opts.traceFile, { source: 'demo' });
  } catch (e: any) {
    print('Failed: cannot write the trace file ' + opts.traceFile + ': ' + e.message);
    return Promise.resolve(1);
  }
  const sim = new SimModule({ chunkSize: opts.chunkSize || 64, timing: opts.simTiming });
  const host = createNodeHost(
    { write: function (b) { sim.write(b); }, onData: function (cb) { sim.onOutput(cb); } },
    {
      log: function (level, msg) { if (level !== 'debug') print('  [' + level + '] ' + msg); },
      setReset: function (asserted) { if (!asserted) sim.hardReset(); },
    },
  );
  const conn = createConnectivity(host, {
    trace: opts.trace === false && !file ? undefined : function (dir, text) {
      if (file) file.trace(dir, text);
      if (opts.trace !== false) print((dir === '>' ? '  host → module  ' : '  module → host  ') + printable(text));
    },
    link: { joinTimeoutMs: opts.joinTimeoutMs || 20000 },
  });
  conn.on('link', function (s) { note('* link ' + s + (s === 'up' ? ' (' + conn.link.ip + ')' : '')); });

  /** Printed, and a note in the trace file. */
  function note(text: string): void {
    if (file) file.note(text);
    print(text);
  }

  function step(text: string): void {
    print('');
    note('== ' + text);
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
          s.write(message); // errors come as 'error'
        });
      }).then(function (echo) {
        note('* echo received: "' + echo + '"');
        step('Close the socket');
        return sock!.close().then(function () { return echo; });
      }).then(function (echo) {
        print('');
        note(echo === message ? 'Done: the echo matches.' : 'Done, but the echo differs from what was sent.');
        return echo === message ? 0 : 1;
      });
    })
    .catch(function (err) {
      print('');
      if (isSpwfError(err)) {
        note('Failed: ' + err.message);
        if (err.reasons) for (let i = 0; i < err.reasons.length; i++) print('  - ' + err.reasons[i]);
      } else print('Failed: ' + (err && err.stack ? err.stack : err));
      return 1;
    })
    .then(function (code) {
      conn.stop();
      sim.close();
      if (server) server.close();
      if (file) file.close();
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
