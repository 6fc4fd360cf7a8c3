// Ingress workloads for the benchmark, written in the Espruino subset so the same code runs in QuickJS
// and in Node. Each returns what it did and how long it took (ms, measured inside the engine).

import { Engine } from '../../src/at/engine';
import { Host } from '../../src/host';
import * as at from '../../src/at/commands';

function quietHost(): { host: Host; feed: (s: string) => void } {
  let handler: ((b: string) => void) | null = null;
  const host: Host = {
    uart: { write: function () {}, onData: function (h) { handler = h; } },
    clock: {
      now: function () { return Date.now(); },
      // Timers never fire during a benchmark: every command is answered synchronously.
      setTimeout: function () { return 0; },
      clearTimeout: function () {},
    },
    log: function () {},
  };
  return { host: host, feed: function (s) { handler!(s); } };
}

function chunked(s: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.substring(i, i + n));
  return out;
}

const WINDS = [
  '+WIND:55:Pending Data::0:730:1460', '+WIND:24:WiFi Up:0:192.168.1.42', '+WIND:19:WiFi Join:00:11:22:33:44:55',
  '+WIND:58:Socket Closed:3:1', '+WIND:33:WiFi Network Lost', '+WIND:61:Incoming Socket Client:10.0.0.9:51000:0:1',
  '+WIND:84:NTP Server delivery:26.11.30:4:05.12.44', '+WIND:24:WiFi Up::fe80::280:e1ff:fe00:1',
];

/** Decode `lines` WIND lines fed in 64-byte chunks; every line becomes a typed event. */
export function winds(lines: number): { lines: number; events: number; ms: number } {
  const q = quietHost();
  const e = new Engine(q.host);
  let events = 0;
  e.onWind(function (ev) { if (ev.kind !== 'Unknown') events++; });
  e.start();
  q.feed('+WIND:0:Console active\r\n');
  events = 0;
  let block = '';
  for (let i = 0; i < 64; i++) block += WINDS[i % WINDS.length] + '\r\n';
  const chunks = chunked(block, 64);
  const t0 = Date.now();
  for (let done = 0; done < lines; done += 64) {
    for (let i = 0; i < chunks.length; i++) q.feed(chunks[i]);
  }
  return { lines: Math.ceil(lines / 64) * 64, events: events, ms: Date.now() - t0 };
}

/** `reads` SOCKR exchanges of 730 bytes each, the module's answer fed in 64-byte chunks. */
export function sockReads(reads: number): { bytes: number; ms: number } {
  const q = quietHost();
  const e = new Engine(q.host);
  e.start();
  q.feed('+WIND:0:Console active\r\n');
  let data = '';
  for (let i = 0; i < 730; i++) data += String.fromCharCode((i * 7) & 255);
  const chunks = chunked('AT-S.Reading:730:730\r\n' + data + 'AT-S.OK\r\n', 64);
  let bytes = 0;
  const t0 = Date.now();
  for (let r = 0; r < reads; r++) {
    e.send(at.sockr(0, 730), function (err, res) { if (!err) bytes += res!.payload.length; });
    for (let i = 0; i < chunks.length; i++) q.feed(chunks[i]);
  }
  return { bytes: bytes, ms: Date.now() - t0 };
}
