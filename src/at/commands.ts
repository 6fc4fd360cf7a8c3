// The module's commands as typed descriptors: each builder validates its parameters (a CR, LF or NUL
// would inject a command; a separator where the module cannot take one would shift the fields), picks
// the command's timeout, and each parser turns the intermediate lines into a typed result.

import { Command, Response } from './engine';
import { spwfError } from '../errors';

/** Timeouts in ms, after the mbed driver's measured values with headroom. */
export const TIMEOUT = {
  quick: 2000, // AT, GCFG, SCFG, STS, SOCKQ
  config: 5000, // WCFG, FCFG, WIFI (flash writes)
  reset: 10000, // RESET until Console active
  open: 15000, // SOCKON (DNS + TCP/TLS handshake)
  write: 10000, // SOCKW
  read: 13000, // SOCKR with its raw block
  close: 10000, // SOCKC
};

/** Variables whose values are secrets: never logged. */
const SECRET_VARS = ['wifi_wpa_psk_text', 'wifi_eap_passwd', 'aes128_key', 'wifi_wps_pin'];

export const MAX_LINE = 512; // the module's command-line limit (UM2114)
export const SEGMENT = 730; // the module's TCP segment: writes are split at this size

/** Refuse a parameter the module could misread. `last` = the final field, which may hold commas. */
export function checkParam(what: string, value: string, last?: boolean): string {
  if (typeof value !== 'string') throw spwfError('InvalidParameter', what + ' must be a string');
  for (let i = 0; i < 3; i++) {
    const bad = ['\r', '\n', '\0'][i];
    if (value.indexOf(bad) >= 0) {
      throw spwfError('InvalidParameter', what + ' contains ' + ['CR', 'LF', 'NUL'][i] + ', which would inject a command');
    }
  }
  if (!last && value.indexOf(',') >= 0) {
    throw spwfError('InvalidParameter', what + ' contains a comma, which the module would take as a field separator');
  }
  return value;
}

function checkInt(what: string, v: number, min: number, max: number): number {
  if (typeof v !== 'number' || v !== Math.floor(v) || v < min || v > max) {
    throw spwfError('InvalidParameter', what + ' must be an integer from ' + min + ' to ' + max);
  }
  return v;
}

function cmd(line: string, timeoutMs: number, show?: string): Command {
  if (line.length > MAX_LINE) throw spwfError('InvalidParameter', 'command longer than ' + MAX_LINE + ' bytes');
  const c: Command = { line: line, timeoutMs: timeoutMs };
  if (show) c.show = show;
  return c;
}

export function at(): Command {
  return cmd('AT', TIMEOUT.quick);
}

export function scfg(name: string, value: string | number): Command {
  checkParam('variable name', name);
  const v = checkParam(name, String(value), true);
  const secret = SECRET_VARS.indexOf(name) >= 0;
  return cmd('AT+S.SCFG=' + name + ',' + v, TIMEOUT.quick, secret ? 'AT+S.SCFG=' + name + ',********' : undefined);
}

export function gcfg(name: string): Command {
  return cmd('AT+S.GCFG=' + checkParam('variable name', name), TIMEOUT.quick);
}

export function sts(name: string): Command {
  return cmd('AT+S.STS=' + checkParam('variable name', name), TIMEOUT.quick);
}

export function wcfg(): Command {
  return cmd('AT+S.WCFG', TIMEOUT.config);
}

export function fcfg(): Command {
  return cmd('AT+S.FCFG', TIMEOUT.config);
}

export function reset(): Command {
  const c = cmd('AT+S.RESET', TIMEOUT.reset);
  c.reboots = true;
  return c;
}

export function wifi(on: boolean): Command {
  return cmd('AT+S.WIFI=' + (on ? 1 : 0), TIMEOUT.config);
}

export function ssidtxt(ssid: string): Command {
  if (ssid.length < 1 || ssid.length > 32) throw spwfError('InvalidParameter', 'SSID must be 1 to 32 bytes');
  return cmd('AT+S.SSIDTXT=' + checkParam('SSID', ssid, true), TIMEOUT.quick);
}

export type SocketKind = 't' | 'u' | 's';

/** AT+S.SOCKON=<host>,<port>,,<t|u|s|TLS domain> */
export function sockon(host: string, port: number, kind: string): Command {
  checkParam('host', host);
  if (!host.length) throw spwfError('InvalidParameter', 'host is empty');
  checkInt('port', port, 1, 65535);
  checkParam('socket kind', kind, true);
  return cmd('AT+S.SOCKON=' + host + ',' + port + ',,' + kind, TIMEOUT.open);
}

export function sockw(id: number, data: string): Command {
  checkInt('socket id', id, 0, 7);
  checkInt('write length', data.length, 1, SEGMENT);
  const c = cmd('AT+S.SOCKW=' + id + ',' + data.length, TIMEOUT.write);
  c.payload = data;
  return c;
}

export function sockq(id: number): Command {
  return cmd('AT+S.SOCKQ=' + checkInt('socket id', id, 0, 7), TIMEOUT.quick);
}

export function sockr(id: number, len: number): Command {
  checkInt('socket id', id, 0, 7);
  checkInt('read length', len, 1, SEGMENT);
  return cmd('AT+S.SOCKR=' + id + ',' + len, TIMEOUT.read);
}

export function sockc(id: number): Command {
  return cmd('AT+S.SOCKC=' + checkInt('socket id', id, 0, 7), TIMEOUT.close);
}

// ---- parsers -----------------------------------------------------------------------------------

function field(res: Response, prefix: string): string | undefined {
  for (let i = 0; i < res.lines.length; i++) {
    if (res.lines[i].indexOf(prefix) === 0) return res.lines[i].substring(prefix.length);
  }
  return undefined;
}

/** `AT-S.Var:<name>=<value>` -> value. */
export function parseVar(res: Response, name: string): string | undefined {
  return field(res, 'AT-S.Var:' + name + '=');
}

/** `AT-S.On:<ip>:<id>` (client) -> {ip, id}. */
export function parseOn(res: Response): { ip: string; id: number } {
  const v = field(res, 'AT-S.On:');
  const c = v === undefined ? -1 : v.lastIndexOf(':');
  const id = c < 0 ? NaN : parseInt(v!.substring(c + 1), 10);
  if (isNaN(id)) throw spwfError('ModuleError', 'malformed socket-open answer: ' + (v === undefined ? 'none' : v));
  return { ip: v!.substring(0, c), id: id };
}

/** `AT-S.Query:<n>` -> n. */
export function parseQuery(res: Response): number {
  const v = field(res, 'AT-S.Query:');
  const n = v === undefined ? NaN : parseInt(v, 10);
  if (isNaN(n)) throw spwfError('ModuleError', 'malformed query answer');
  return n;
}
