// A trace file on a desktop: the header at once, then one line per event, written synchronously so
// that the file is complete up to the last event even when the process dies.

import * as fs from 'fs';
import type { TraceFn } from '../../../src/at/engine';
import { headerLine, recordLine, TraceDirection } from './format';
import { maskLine } from './mask';

export interface TraceWriter {
  /** For the engine's `trace` option: '>' host to module, '<' module to host. */
  trace: TraceFn;
  /** Something the host did or saw that is not on the wire (a demo step, a link state). */
  note(text: string): void;
  record(dir: TraceDirection, text: string): void;
  close(): void;
}

export interface TraceWriterOptions {
  /** Who writes: "demo", "sim", ... */
  source: string;
  /** Milliseconds clock (default Date.now; tests pass a fake one). */
  now?: () => number;
}

/** Creates (or truncates) `file` and writes the header; throws when the file cannot be created. */
export function createTraceFileWriter(file: string, opts: TraceWriterOptions): TraceWriter {
  const now = opts.now || Date.now;
  const t0 = now();
  let fd: number | null = fs.openSync(file, 'w');
  fs.writeSync(fd, headerLine(opts.source, new Date(t0)) + '\n');
  function record(dir: TraceDirection, text: string): void {
    if (fd === null) return;
    try {
      fs.writeSync(fd, recordLine(now() - t0, dir, dir === 'note' ? text : maskLine(text)) + '\n');
    } catch (_e) {
      // A full disk must not break the exchange being traced: the trace just ends there.
      fd = null;
    }
  }
  return {
    trace: function (dir, text) { record(dir, text); },
    note: function (text) { record('note', text); },
    record: record,
    close: function () {
      if (fd === null) return;
      try {
        fs.closeSync(fd);
      } catch (_e) {
        // already gone
      }
      fd = null;
    },
  };
}
