// The module's commands as typed descriptors: each builder validates its parameters (a CR, LF or NUL
// would inject a command; a separator where the module cannot take one would shift the fields) and
// picks the command's timeout. Their answers are parsed by ./parse.

import { Command } from './engine';
import { spwfError } from '../errors';
import { checkInt, checkParam, cmd, SEGMENT } from './command-line';

export { checkInt, checkParam, cmd, MAX_LINE, SEGMENT } from './command-line';

/** The timeouts by name, for tests and tools (the commands use the constants of ./command-line). */
export const TIMEOUT = { quick: 2000, config: 5000, reset: 10000, open: 15000, write: 10000, read: 13000, close: 10000 };

export function at(): Command {
  return cmd('AT', 2000);
}

export function scfg(name: string, value: string | number): Command {
  checkParam('variable name', name);
  const v = checkParam(name, String(value), true);
  // Variables whose values are secrets, never logged (tested here: a function of its own would be
  // variables of the core on the board).
  const secret = name === 'wifi_wpa_psk_text' || name === 'wifi_eap_passwd' || name === 'aes128_key' || name === 'wifi_wps_pin';
  return cmd('AT+S.SCFG=' + name + ',' + v, 2000, secret ? 'AT+S.SCFG=' + name + ',********' : undefined);
}

export function gcfg(name: string): Command {
  return cmd('AT+S.GCFG=' + checkParam('variable name', name), 2000);
}

export function sts(name: string): Command {
  return cmd('AT+S.STS=' + checkParam('variable name', name), 2000);
}

export function wcfg(): Command {
  return cmd('AT+S.WCFG', 5000);
}

export function fcfg(): Command {
  return cmd('AT+S.FCFG', 5000);
}

export function reset(): Command {
  const c = cmd('AT+S.RESET', 10000);
  c.reboots = true;
  return c;
}

// The radio off and on as builders of their own, which sequences take as steps (no wifi(on) under them:
// each function of the core is variables on the board).
export function wifiOff(): Command {
  return cmd('AT+S.WIFI=0', 5000);
}

export function wifiOn(): Command {
  return cmd('AT+S.WIFI=1', 5000);
}

export function ssidtxt(ssid: string): Command {
  if (ssid.length < 1 || ssid.length > 32) throw spwfError('InvalidParameter', 'SSID must be 1 to 32 bytes');
  return cmd('AT+S.SSIDTXT=' + checkParam('SSID', ssid, true), 2000);
}

export type SocketKind = 't' | 'u' | 's';

/** AT+S.SOCKON=<host>,<port>,,<t|u|s|TLS domain> */
export function sockon(host: string, port: number, kind: string): Command {
  checkParam('host', host);
  if (!host.length) throw spwfError('InvalidParameter', 'host is empty');
  checkInt('port', port, 1, 65535);
  checkParam('socket kind', kind, true);
  return cmd('AT+S.SOCKON=' + host + ',' + port + ',,' + kind, 15000);
}

export function sockw(id: number, data: string): Command {
  checkInt('socket id', id, 0, 7);
  checkInt('write length', data.length, 1, SEGMENT);
  const c = cmd('AT+S.SOCKW=' + id + ',' + data.length, 10000);
  c.payload = data;
  return c;
}

export function sockq(id: number): Command {
  return cmd('AT+S.SOCKQ=' + checkInt('socket id', id, 0, 7), 2000);
}

export function sockr(id: number, len: number): Command {
  checkInt('socket id', id, 0, 7);
  checkInt('read length', len, 1, SEGMENT);
  return cmd('AT+S.SOCKR=' + id + ',' + len, 13000);
}

export function sockc(id: number): Command {
  return cmd('AT+S.SOCKC=' + checkInt('socket id', id, 0, 7), 10000);
}

export function sockl(): Command {
  return cmd('AT+S.SOCKL', 2000);
}

// ---- server sockets (application note 3.1.4, table 5) ----

export type ServerKind = 't' | 'u' | 's1' | 's2';

export function sockdon(port: number, kind: ServerKind): Command {
  checkInt('port', port, 1, 65535);
  if (['t', 'u', 's1', 's2'].indexOf(kind) < 0) throw spwfError('InvalidParameter', 'server kind must be t, u, s1 or s2');
  return cmd('AT+S.SOCKDON=' + port + ',' + kind, 15000);
}

export function sockdw(sid: number, cid: number, data: string): Command {
  checkInt('server id', sid, 0, 1);
  checkInt('client id', cid, 0, 7);
  checkInt('write length', data.length, 1, SEGMENT);
  const c = cmd('AT+S.SOCKDW=' + sid + ',' + cid + ',' + data.length, 10000);
  c.payload = data;
  return c;
}

export function sockdq(sid: number, cid: number): Command {
  return cmd('AT+S.SOCKDQ=' + checkInt('server id', sid, 0, 1) + ',' + checkInt('client id', cid, 0, 7), 2000);
}

export function sockdr(sid: number, cid: number, len: number): Command {
  checkInt('read length', len, 1, SEGMENT);
  return cmd('AT+S.SOCKDR=' + checkInt('server id', sid, 0, 1) + ',' + checkInt('client id', cid, 0, 7) + ',' + len, 13000);
}

/** Close one client of a server, or the server and all its clients when `cid` is absent. */
export function sockdc(sid: number, cid?: number): Command {
  checkInt('server id', sid, 0, 1);
  return cmd('AT+S.SOCKDC=' + sid + (cid === undefined ? '' : ',' + checkInt('client id', cid, 0, 7)), 10000);
}

export function sockdl(sid?: number): Command {
  return cmd('AT+S.SOCKDL' + (sid === undefined ? '' : '=' + checkInt('server id', sid, 0, 1)), 2000);
}

// ---- certificates (application note 3.1.5, 3.2.2.1) ----

export type CertSlot = 'ca' | 'cert' | 'key' | 'auth';

/** Store a certificate, key or authority key id into the module: AT+S.TLSCERT / AT+S.WPAECERT. */
export function certStore(family: 'TLSCERT' | 'WPAECERT', slot: CertSlot, data: string): Command {
  if (family === 'WPAECERT' && slot === 'auth') throw spwfError('InvalidParameter', 'WPAECERT has no auth slot');
  checkInt('certificate length', data.length, 1, 2560);
  const c = cmd('AT+S.' + family + '=' + slot + ',' + data.length, 5000);
  c.payload = data;
  // The content of keys is secret: only its size is logged.
  c.show = 'AT+S.' + family + '=' + slot + ',' + data.length;
  return c;
}

/** List (1) or erase (2) what the module holds. */
export function certContent(family: 'TLSCERT' | 'WPAECERT', op: 1 | 2): Command {
  return cmd('AT+S.' + family + '=content,' + checkInt('content option', op, 1, 2), 5000);
}

// ---- clock ----

/** Read the module's clock, or set it (`seconds` since 1970-01-01 UTC). One builder for both: each
 *  function of the core is variables on the board. */
export function time(seconds?: number): Command {
  return cmd(seconds === undefined ? 'AT+S.TIME' : 'AT+S.TIME=' + checkInt('time', seconds, 0, 4294967295), 2000);
}

export function ntp(): Command {
  return cmd('AT+S.NTP', 2000);
}

// ---- Wi-Fi ----

/** 0 push button, 1 PIN from wifi_wps_pin, 2 PIN generated by the module. */
export function wps(mode: 0 | 1 | 2): Command {
  return cmd('AT+S.WPS=' + checkInt('WPS mode', mode, 0, 2), 5000);
}

export function scan(filter?: 'd' | 's' | 'm'): Command {
  const c = cmd('AT+S.SCAN=' + (filter || 'd') + ',', 15000);
  c.maxLines = 64;
  return c;
}

export function ping(host: string, count: number, size: number): Command {
  return cmd('AT+S.PING=' + checkInt('count', count, 1, 100) + ',' + checkInt('size', size, 1, 1472) + ',' + checkParam('host', host, true), 5000 + count * 1000);
}

// ---- filesystem ----

export function fsCreate(name: string, data: string): Command {
  checkParam('file name', name);
  checkInt('file length', data.length, 0, 2560);
  const c = cmd('AT+S.FSC=' + name + ',' + data.length, 5000);
  c.payload = data;
  return c;
}

export function fsDelete(name: string): Command {
  return cmd('AT+S.FSD=' + checkParam('file name', name, true), 5000);
}

export function fsList(): Command {
  const c = cmd('AT+S.FSL', 2000);
  c.maxLines = 64;
  return c;
}

export function fsPrint(name: string, offset: number, len: number): Command {
  checkParam('file name', name);
  return cmd('AT+S.FSP=' + name + ',' + checkInt('offset', offset, 0, 1 << 24) + ',' + checkInt('length', len, 1, SEGMENT), 13000);
}

// ---- HTTP, SMTP, firmware update (application note 3.1.7, 3.3) ----

export interface HttpRequest {
  host: string;
  path?: string;
  port?: number;
  /** 0 HTTP, 1 automatic, 2 HTTPS (table 6). */
  tls?: 0 | 1 | 2;
  user?: string;
  password?: string;
}

function httpParams(r: HttpRequest): string {
  checkParam('host', r.host);
  const path = checkParam('path', r.path || '/');
  const port = checkInt('port', r.port || (r.tls === 2 ? 443 : 80), 1, 65535);
  const tls = checkInt('TLS option', r.tls || 0, 0, 2);
  return r.host + ',' + path + ',' + port + ',' + tls + ',' + checkParam('user', r.user || '') + ',' + checkParam('password', r.password || '');
}

/** The same parameters with the password masked, for logs. */
function maskedHttp(r: HttpRequest): string {
  return httpParams(Object.assign({}, r, { password: r.password ? '********' : '' }));
}

/** The status line that precedes the response bytes of HTTPGET/HTTPPOST. */
export const HTTP_STATUS_LINE = 'AT-S.Http Server Status Code:';

export function httpGet(r: HttpRequest): Command {
  const c = cmd('AT+S.HTTPGET=' + httpParams(r) + ',,', 30000, 'AT+S.HTTPGET=' + maskedHttp(r) + ',,');
  c.rawAfter = HTTP_STATUS_LINE;
  return c;
}

/** POST: `upFile` is a file in the module's filesystem holding the request to send. */
export function httpPost(r: HttpRequest, upFile: string): Command {
  const f = ',,' + checkParam('upload file', upFile, true);
  const c = cmd('AT+S.HTTPPOST=' + httpParams(r) + f, 30000, 'AT+S.HTTPPOST=' + maskedHttp(r) + f);
  c.rawAfter = HTTP_STATUS_LINE;
  return c;
}

export interface Mail {
  host: string;
  port?: number;
  /** 0 none, 8 STARTTLS or fail, 5 SMTPS then STARTTLS then plain, 9 SMTPS then STARTTLS or fail (table 7). */
  tls?: 0 | 5 | 8 | 9;
  user?: string;
  password?: string;
  heloId?: string;
  from: string;
  to: string;
  subject: string;
  body: string;
}

export function smtp(m: Mail): Command {
  const tls = m.tls || 0;
  if ([0, 5, 8, 9].indexOf(tls) < 0) throw spwfError('InvalidParameter', 'SMTP TLS option must be 0, 5, 8 or 9');
  const port = checkInt('port', m.port || (tls === 5 || tls === 9 ? 465 : 25), 1, 65535);
  checkInt('body length', m.body.length, 1, 4096);
  const head = 'AT+S.SMTP=' + checkParam('host', m.host) + ',' + port + ',' + tls + ',' + checkParam('user', m.user || '') + ',';
  const tail = ',' + checkParam('HELO id', m.heloId || '') + ',' + checkParam('from', m.from) + ',' + checkParam('to', m.to) +
    ',,,' + checkParam('subject', m.subject) + ',,' + m.body.length;
  const c = cmd(head + checkParam('password', m.password || '') + tail, 60000, m.password ? head + '********' + tail : undefined);
  c.payload = m.body;
  return c;
}

export function fwUpdate(r: HttpRequest): Command {
  return cmd('AT+S.FWUPDATE=e,' + httpParams(r), 300000, 'AT+S.FWUPDATE=e,' + maskedHttp(r));
}
