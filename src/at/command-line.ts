// The primitives of every command builder (./commands and the optional features' commands): a command line
// with its timeout, and the checks that keep a parameter from injecting a command or shifting the fields.
// A file of its own so that an optional module copying some builders of ./commands takes these from the core
// (build/build.mjs, planSharing) instead of a copy of its own.

import { Command } from './engine';
import { spwfError } from '../errors';

// Timeouts in ms, after the mbed driver's measured values with headroom, written as literals where the
// builders (and the sockets' streams, which build their lines themselves) use them: a top-level constant
// would be a variable of the core on the board.
//   2000  AT, GCFG, SCFG, STS, SOCKQ, TIME
//   5000  WCFG, FCFG, WIFI (flash writes)
//  10000  RESET until Console active; SOCKW; SOCKC
//  15000  SOCKON (DNS + TCP/TLS handshake)
//  13000  SOCKR with its raw block
/** The module's command-line limit (UM2114); cmd() checks it with the literal. */
export const MAX_LINE = 512;
export const SEGMENT = 730; // the module's TCP segment: writes are split at this size

/** Refuse a parameter the module could misread. `last` = the final field, which may hold commas. */
export function checkParam(what: string, value: string, last?: boolean): string {
  if (typeof value !== 'string') throw spwfError('InvalidParameter', what + ' must be a string');
  const bad = value.indexOf('\r') >= 0 ? 'CR' : value.indexOf('\n') >= 0 ? 'LF' : value.indexOf('\0') >= 0 ? 'NUL' : '';
  if (bad) throw spwfError('InvalidParameter', what + ' contains ' + bad + ', which would inject a command');
  if (!last && value.indexOf(',') >= 0) {
    throw spwfError('InvalidParameter', what + ' contains a comma, which the module would take as a field separator');
  }
  return value;
}

export function checkInt(what: string, v: number, min: number, max: number): number {
  if (typeof v !== 'number' || v !== Math.floor(v) || v < min || v > max) {
    throw spwfError('InvalidParameter', what + ' must be an integer from ' + min + ' to ' + max);
  }
  return v;
}

/** A command line with its timeout (and the form to show when it holds a secret). */
export function cmd(line: string, timeoutMs: number, show?: string): Command {
  if (line.length > 512) throw spwfError('InvalidParameter', 'command longer than 512' + ' bytes');
  const c: Command = { line: line, timeoutMs: timeoutMs };
  if (show) c.show = show;
  return c;
}
