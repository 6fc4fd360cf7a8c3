// +WIND indication decoder: `+WIND:<number>:<text>[:<param>...]` -> a typed event.
// The number is the key (the text may be ignored, per UM2114). Unknown numbers are passed on as
// `Unknown`, never dropped and never wedging anything. Decoding only records: the engine delivers the
// events from its drained queue, outside the parser.

import { civilSeconds, dotted } from '../util/civil-time';

export type WindKind =
  | 'ConsoleActive' | 'PowerOn' | 'Reset' | 'WatchdogRunning' | 'LowMemory' | 'HardwareFailure'
  | 'ConfigurationFailure' | 'HardFault' | 'StackOverflow' | 'RadioStartupFailure' | 'Copyright'
  | 'BssRegained' | 'SignalLow' | 'SignalOk' | 'Join' | 'JoinFailed' | 'Scanning' | 'ScanFailed'
  | 'WifiUp' | 'Associated' | 'ApStarted' | 'ApStartFailed' | 'StationAssociated' | 'DhcpReply'
  | 'BssLost' | 'WifiException' | 'HardwareStarted' | 'NetworkLost' | 'ScanComplete' | 'PoweredDown'
  | 'MiniApMode' | 'Deauthentication' | 'Disassociation' | 'AuthIllegal' | 'CrunchingPsk'
  | 'WpaTerminated' | 'WpaStartFailed' | 'WpaHandshakeComplete' | 'GpioInterrupt' | 'Wakeup'
  | 'PendingData' | 'SocketClosed' | 'IncomingClient' | 'ClientGone' | 'DroppingData'
  | 'ConfigurationUpdated' | 'RejectedNetwork' | 'RejectedAssociation' | 'AuthTimeout'
  | 'AssociationTimeout' | 'MicFailure' | 'WpsGeneratingKeys' | 'WpsTimeout' | 'DroppingClient'
  | 'NtpDelivery' | 'DhcpFailed' | 'FactoryReset' | 'Standby' | 'ResumeStandby' | 'Unknown';

export interface WindEvent {
  id: number;
  kind: WindKind;
  /** The descriptive text as the module sent it. */
  text: string;
  /** Raw parameters after the text (IPv6 addresses are kept whole). */
  params: string[];
  /** PowerOn: `<date>-<build>-<model>`. */
  firmware?: string;
  /** WifiUp: the address (IPv4 when `ipv6` is false). */
  ip?: string;
  ipv6?: boolean;
  /** Join: the AP's BSSID; Associated: the SSID. */
  bssid?: string;
  ssid?: string;
  /** PendingData / SocketClosed: client socket id, or server id + client id. */
  socket?: number;
  server?: number;
  client?: number;
  /** PendingData: bytes just received and bytes pending in total. */
  received?: number;
  pending?: number;
  /** IncomingClient / ClientGone: the peer. */
  peerIp?: string;
  peerPort?: number;
  /** SocketClosed / ClientGone / Deauthentication: the module's reason code, when given. */
  reason?: number;
  /** HardFault / HardwareFailure: what the module said. */
  detail?: string;
  /** NtpDelivery: the time the module received, in seconds since 1970 UTC (when parseable). */
  seconds?: number;
}

/** The kind of each number seen, computed once (kindOf): on Espruino a chain of conditions costs about a
 *  quarter of a line's decoding every time, an array lookup almost nothing. Only known numbers are kept,
 *  so it holds at most one short string per UM2114 number, shared by every event of that kind. */
const KINDS: WindKind[] = [];

/**
 * Decode a `+WIND:` line; returns undefined when the line is not a well-formed indication.
 * Speed on Espruino: the interpreter reads every character of a function it runs, taken or skipped, so
 * the line is cut by one native split, and the fields are read by a function of their own, only when
 * there are parameters: pending data (the most frequent by far) by one that holds nothing else.
 */
export function decodeWind(line: string): WindEvent | undefined {
  const p = line.split(':'); // ['+WIND', id, text, params...]
  const id = parseInt(p[1], 10);
  if (!(id >= 0) || p[0] !== '+WIND') return undefined;
  const ev: WindEvent = { id: id, kind: KINDS[id] || kindOf(id), text: p[2] || '', params: p };
  p.splice(0, 3); // what is left are the parameters
  if (p.length) (id === 55 ? pending : id > 57 && id < 63 ? traffic : fields)(ev);
  return ev;
}

/**
 * The kind of a UM2114 number ('Unknown' when none is known), remembered in KINDS. Code, not a table: on
 * Espruino a table is copied into RAM at load, code stays in flash; read once per number.
 */
function kindOf(id: number): WindKind {
  const k: WindKind =
    id === 0 ? 'ConsoleActive' :
    id === 1 ? 'PowerOn' :
    id === 2 ? 'Reset' :
    id === 3 ? 'WatchdogRunning' :
    id === 4 ? 'LowMemory' :
    id === 5 ? 'HardwareFailure' :
    id === 7 ? 'ConfigurationFailure' :
    id === 8 ? 'HardFault' :
    id === 9 ? 'StackOverflow' :
    id === 11 ? 'RadioStartupFailure' :
    id === 13 ? 'Copyright' :
    id === 14 ? 'BssRegained' :
    id === 15 ? 'SignalLow' :
    id === 16 ? 'SignalOk' :
    id === 19 ? 'Join' :
    id === 20 ? 'JoinFailed' :
    id === 21 ? 'Scanning' :
    id === 23 ? 'ScanFailed' :
    id === 24 ? 'WifiUp' :
    id === 25 ? 'Associated' :
    id === 26 ? 'ApStarted' :
    id === 27 ? 'ApStartFailed' :
    id === 28 ? 'StationAssociated' :
    id === 29 ? 'DhcpReply' :
    id === 30 ? 'BssLost' :
    id === 31 ? 'WifiException' :
    id === 32 ? 'HardwareStarted' :
    id === 33 ? 'NetworkLost' :
    id === 35 ? 'ScanComplete' :
    id === 38 ? 'PoweredDown' :
    id === 39 ? 'MiniApMode' :
    id === 40 ? 'Deauthentication' :
    id === 41 ? 'Disassociation' :
    id === 45 ? 'AuthIllegal' :
    id === 46 ? 'CrunchingPsk' :
    id === 49 ? 'WpaTerminated' :
    id === 50 ? 'WpaStartFailed' :
    id === 51 ? 'WpaHandshakeComplete' :
    id === 52 ? 'GpioInterrupt' :
    id === 53 ? 'Wakeup' :
    id === 55 ? 'PendingData' :
    id === 58 ? 'SocketClosed' :
    id === 61 ? 'IncomingClient' :
    id === 62 ? 'ClientGone' :
    id === 63 ? 'DroppingData' :
    id === 65 ? 'FactoryReset' :
    id === 67 ? 'Standby' :
    id === 68 ? 'ResumeStandby' :
    id === 73 ? 'ConfigurationUpdated' :
    id === 74 ? 'RejectedNetwork' :
    id === 75 ? 'RejectedAssociation' :
    id === 76 ? 'AuthTimeout' :
    id === 77 ? 'AssociationTimeout' :
    id === 78 ? 'MicFailure' :
    id === 81 ? 'WpsGeneratingKeys' :
    id === 82 ? 'WpsTimeout' :
    id === 83 ? 'DroppingClient' :
    id === 84 ? 'NtpDelivery' :
    id === 85 ? 'DhcpFailed' :
    'Unknown';
  if (k !== 'Unknown') KINDS[id] = k; // unknown numbers are not kept: a damaged line must not grow it
  return k;
}

/** `Pending Data:<sid>:<cid>:<new>:<total>`, what the module says most, decoded by a function that holds
 *  nothing else; <sid> is empty for client sockets. The numbers by unary plus, not parseInt (on Espruino
 *  a third of this function's time): a damaged one reads NaN (or 0 when empty), which at worst makes a
 *  socket query what it holds. The parameters are read from the event, not passed: on the board each
 *  parameter costs a variable. */
function pending(ev: WindEvent): void {
  const p = ev.params;
  if (p[0]) {
    ev.server = +p[0];
    ev.client = +p[1];
  } else ev.socket = +p[1];
  ev.received = +p[2];
  ev.pending = +p[3];
}

/** The fields of the other socket indications (58 to 62). */
function traffic(ev: WindEvent): void {
  const id = ev.id;
  const p = ev.params;
  if (id === 58) {
    ev.socket = num(p[0]);
    ev.reason = num(p[1]);
  } else if (id > 60) {
    ev.peerIp = p[0];
    ev.peerPort = num(p[1]);
    ev.server = num(p[2]);
    ev.client = num(p[3]);
    if (id === 62) ev.reason = num(p[4]);
  }
}

/** The fields of the other indications that have parameters. Each branch declares what it reads: the
 *  build keeps such a block braced, and the interpreter skips a braced block faster than the comma
 *  expression the build would make of it. */
function fields(ev: WindEvent): void {
  const id = ev.id;
  const p = ev.params;
  if (id === 24) {
    // `WiFi Up:<n>:<IPv4>` or `WiFi Up::<IPv6>` (the IPv6 address contains colons).
    const ip = p.length === 2 ? p[1] : p.slice(1).join(':');
    ev.ip = ip;
    ev.ipv6 = ip.indexOf(':') >= 0;
  } else if (id === 84) {
    // `NTP Server delivery:<YY.MM.DD>:<n>:<hh.mm.ss>` (field order inferred from a driver).
    const d = triple(p[0]);
    const t = triple(p[p.length - 1]);
    if (d.length === 3 && t.length === 3) ev.seconds = civilSeconds(d, t);
  } else {
    // The rest keep their parameters whole in one field, named here (one assignment for all of them).
    const k = id === 1 ? 'firmware' : id === 19 ? 'bssid' : id === 25 ? 'ssid' : id === 5 || id === 8 ? 'detail' : id === 40 ? 'reason' : '';
    if (k) (ev as any)[k] = id === 40 ? num(p[0]) : p.join(':');
  }
}

function num(s: string | undefined): number | undefined {
  const n = parseInt(s as string, 10); // undefined and '' parse as NaN
  return n === n ? n : undefined;
}

/** The numbers of `dd.dd.dd` as the module prints them, without dotted()'s loop per character (a tenth of
 *  its time on Espruino); anything else (a longer number, text around it) the lenient way, by dotted(). */
function triple(f: string): number[] {
  const a = +f.substr(0, 2);
  const b = +f.substr(3, 2);
  const c = +f.substr(6, 2);
  return a >= 0 && b >= 0 && c >= 0 && (a < 10 ? '0' : '') + a + '.' + (b < 10 ? '0' : '') + b + '.' + (c < 10 ? '0' : '') + c === f
    ? [a, b, c] : dotted(f);
}
