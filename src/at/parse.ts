// Parsers of the module's intermediate lines into typed results. Where the exact format is not known
// (the protocol reference tags it [unknown]) the parser is lenient: it takes the numbers it can find.

import { Response } from './engine';
import { spwfError } from '../errors';
import { civilSeconds, dotted } from '../util/civil-time';

export { daysFromCivil } from '../util/civil-time';

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

/** Every `AT-S.Var:<name>=<value>` line -> {name: value}. */
export function parseVars(res: Response): { [name: string]: string } {
  const out: { [name: string]: string } = {};
  for (let i = 0; i < res.lines.length; i++) {
    const l = res.lines[i];
    if (l.indexOf('AT-S.Var:') !== 0) continue;
    const eq = l.indexOf('=');
    if (eq > 9) out[l.substring(9, eq)] = l.substring(eq + 1);
  }
  return out;
}

/** `AT-S.On:<sid>` (server) -> sid. */
export function parseServerOn(res: Response): number {
  const v = field(res, 'AT-S.On:');
  const n = v === undefined ? NaN : parseInt(v, 10);
  if (isNaN(n)) throw spwfError('ModuleError', 'malformed server-open answer');
  return n;
}

export interface ScanResult {
  bssid: string;
  channel: number;
  rssi: number;
  ssid: string;
  /** Security words the module printed (WPA, WPA2, WPS, WEP...). */
  security: string[];
}

function after(line: string, key: string): string {
  const i = line.indexOf(key); // fits
  if (i < 0 || i + key.length > line.length) return '';
  const start = i + key.length;
  const end = line.indexOf(' ', start);
  return line.substring(start, end < 0 ? line.length : end);
}

/** Scan lines: `<n>:\t<BSS> <bssid> CHAN: <nn> RSSI: <-nn> SSID: '<ssid>' CAPS: <hex> <words>`. */
export function parseScan(res: Response): ScanResult[] {
  const out: ScanResult[] = [];
  for (let i = 0; i < res.lines.length; i++) {
    const l = res.lines[i];
    const s1 = l.indexOf("SSID: '"); // fits
    if (s1 < 0 || s1 + 7 > l.length) continue;
    const s2 = l.lastIndexOf("' CAPS:");
    const tab = l.indexOf('\t');
    const parts = l.substring(tab + 1).split(' ');
    const words = s2 < 0 ? [] : l.substring(s2 + 7).split(' ').slice(2).filter(function (w) { return w.length > 0; });
    out.push({
      bssid: parts[1] || '',
      channel: parseInt(after(l, 'CHAN: '), 10),
      rssi: parseInt(after(l, 'RSSI: '), 10),
      ssid: l.substring(s1 + 7, s2 < 0 ? l.length - 1 : s2),
      security: words,
    });
  }
  return out;
}

/** The TIME query's date and time lines (`Date:YY.MM.DD`, `Time:hh.mm.ss`) -> seconds since 1970 UTC. */
export function parseTime(res: Response): number {
  let date: number[] = [];
  let time: number[] = [];
  for (let i = 0; i < res.lines.length; i++) {
    const l = res.lines[i];
    const d = l.indexOf('Date:'); // fits
    const t = l.indexOf('Time:'); // fits
    if (d >= 0 && d + 5 <= l.length) date = dotted(l.substring(d + 5));
    if (t >= 0 && t + 5 <= l.length) time = dotted(l.substring(t + 5));
  }
  if (date.length < 3 || time.length < 3) throw spwfError('ModuleError', 'malformed time answer');
  return civilSeconds(date, time);
}

export interface FileEntry {
  volume: string;
  size: number;
  name: string;
}

/** `AT-S.File:<volume>\t<size>\t<name>` lines. */
export function parseFiles(res: Response): FileEntry[] {
  const out: FileEntry[] = [];
  for (let i = 0; i < res.lines.length; i++) {
    const l = res.lines[i];
    if (l.indexOf('AT-S.File:') !== 0) continue;
    const f = l.substring(10).split('\t');
    if (f.length >= 3) out.push({ volume: f[0], size: parseInt(f[1], 10), name: f.slice(2).join('\t') });
  }
  return out;
}

/** The HTTP status line (`...Http Server Status Code:<code>`) -> code, or -1 when absent. */
export function parseHttpStatus(line: string): number {
  const key = 'Http Server Status Code:';
  const i = line.indexOf(key); // fits
  if (i < 0 || i + key.length > line.length) return -1;
  const n = parseInt(line.substring(i + key.length), 10);
  return isNaN(n) ? -1 : n;
}

/** The 8-digit PIN that AT+S.WPS=1|2 prints (the first run of exactly 8 digits), or undefined. */
export function parseWpsPin(res: Response): string | undefined {
  for (let i = 0; i < res.lines.length; i++) {
    const parts = res.lines[i].split(/[^0-9]/);
    for (let j = 0; j < parts.length; j++) if (parts[j].length === 8) return parts[j];
  }
  return undefined;
}
