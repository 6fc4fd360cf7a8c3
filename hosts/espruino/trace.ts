// The exchange with the module as a trace (docs/trace-format.md: JSON Lines, a header, then one record
// per line), on the console or in a Storage file, for `spwf04 trace <file> --html <out>` on a desktop.
// The engine hands over each line already masked (no secret reaches it).
//
// Espruino subset (../../../shared/espruino-language.md). Nothing is created until the application asks
// for a trace; then one closure and a few numbers. A Storage file is appended to (a reboot keeps the
// previous session: the reader takes each new header as a new session) and bounded: once `maxBytes` are
// used, one last note says so and the rest is dropped. Erase it with require("Storage").open(name,"r").erase().

import type { TraceFn } from '../../src/at/engine';

/** Default bound of a Storage trace file: flash is shared with the application's own files. */
const DEFAULT_MAX_BYTES = 16384;
/** Kept free for the closing note. */
const RESERVE = 96;

function header(): string {
  return '{"format":"spwf04-trace","version":1,"start":' + JSON.stringify(new Date().toISOString()) + ',"source":"espruino"}';
}

/**
 * A TraceFn for the engine's `trace` option. `target`: "console" (one line per event with console.log)
 * or the name of a Storage file (at most 27 characters) to append to, up to `maxBytes` (default 16 KB).
 */
export function traceTo(target: string, maxBytes?: number): TraceFn {
  const t0 = Date.now();
  let write: (line: string) => void;
  if (target === 'console') {
    write = function (line) { console.log(line); };
  } else {
    const S: any = require('Storage');
    const file = S.open(target, 'a');
    const max = maxBytes || DEFAULT_MAX_BYTES;
    let used: number = typeof file.getLength === 'function' ? file.getLength() : 0;
    // Full from earlier sessions: nothing more, not even a header (the bound holds across reboots).
    let full = used >= max - RESERVE;
    if (full) console.log('[spwf04] trace: ' + target + ' is full (' + max + ' bytes): erase it to trace again');
    write = function (line) {
      if (full) return;
      if (used + line.length + 1 > max - RESERVE) {
        full = true;
        line = '{"t":' + Math.round(Date.now() - t0) + ',"dir":"note","text":"trace file full (' + max + ' bytes): the rest is not recorded"}';
      }
      file.write(line + '\n');
      used += line.length + 1;
    };
  }
  try {
    write(header());
  } catch (e) {
    console.log('[spwf04] trace: cannot write to ' + target + ': ' + e);
  }
  return function (dir, text) {
    // Called from the UART path: a failing write (flash full) must not escape into the engine.
    try {
      write('{"t":' + Math.round(Date.now() - t0) + ',"dir":"' + dir + '","text":' + JSON.stringify(text) + '}');
    } catch (e) {
      // the trace ends here; the exchange goes on
    }
  };
}
