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

function num(s: string | undefined): number | undefined {
  const n = parseInt(s as string, 10); // undefined and '' parse as NaN
  return n === n ? n : undefined;
}

/**
 * Decode a `+WIND:` line; returns undefined when the line is not a well-formed indication.
 * Speed on Espruino: the interpreter reads every token of a function it runs, taken or skipped, so the
 * most frequent indication (pending data) is decoded here and every other one by details().
 */
export function decodeWind(line: string): WindEvent | undefined {
  if (!line.startsWith('+WIND:')) return undefined;
  const c1 = line.indexOf(':', 6);
  const id = parseInt(c1 < 0 ? line.substr(6) : line.substr(6, c1 - 6), 10); // substr: cheaper than substring on Espruino
  if (!(id >= 0)) return undefined;
  const c2 = c1 < 0 ? -1 : line.indexOf(':', c1 + 1);
  const params = c2 < 0 ? [] : line.substr(c2 + 1).split(':');
  const ev: WindEvent = { id: id, kind: 'PendingData', text: c1 < 0 ? '' : c2 < 0 ? line.substr(c1 + 1) : line.substr(c1 + 1, c2 - c1 - 1), params: params };
  if (id === 55) {
    // `Pending Data:<sid>:<cid>:<new>:<total>`; <sid> is empty for client sockets. Numbers parsed
    // here, not by num(): a call costs more than the parse (NaN, from a damaged field, is left out).
    let n = parseInt(params[1], 10);
    if (params[0] !== '') {
      const sid = parseInt(params[0], 10);
      if (sid === sid) ev.server = sid;
      if (n === n) ev.client = n;
    } else if (n === n) ev.socket = n;
    n = parseInt(params[2], 10);
    if (n === n) ev.received = n;
    n = parseInt(params[3], 10);
    if (n === n) ev.pending = n;
  } else details(ev, params);
  return ev;
}

/** The kind of the indications seen less often (boot faults, access point, WPS, standby...). */
function rareKind(id: number): WindKind {
  return (
    id === 3 ? 'WatchdogRunning' :
    id === 4 ? 'LowMemory' :
    id === 7 ? 'ConfigurationFailure' :
    id === 9 ? 'StackOverflow' :
    id === 11 ? 'RadioStartupFailure' :
    id === 14 ? 'BssRegained' :
    id === 15 ? 'SignalLow' :
    id === 16 ? 'SignalOk' :
    id === 20 ? 'JoinFailed' :
    id === 21 ? 'Scanning' :
    id === 23 ? 'ScanFailed' :
    id === 26 ? 'ApStarted' :
    id === 27 ? 'ApStartFailed' :
    id === 28 ? 'StationAssociated' :
    id === 29 ? 'DhcpReply' :
    id === 31 ? 'WifiException' :
    id === 32 ? 'HardwareStarted' :
    id === 35 ? 'ScanComplete' :
    id === 39 ? 'MiniApMode' :
    id === 45 ? 'AuthIllegal' :
    id === 50 ? 'WpaStartFailed' :
    id === 52 ? 'GpioInterrupt' :
    id === 53 ? 'Wakeup' :
    id === 63 ? 'DroppingData' :
    id === 65 ? 'FactoryReset' :
    id === 67 ? 'Standby' :
    id === 68 ? 'ResumeStandby' :
    id === 73 ? 'ConfigurationUpdated' :
    id === 75 ? 'RejectedAssociation' :
    id === 76 ? 'AuthTimeout' :
    id === 77 ? 'AssociationTimeout' :
    id === 78 ? 'MicFailure' :
    id === 81 ? 'WpsGeneratingKeys' :
    id === 82 ? 'WpsTimeout' :
    id === 83 ? 'DroppingClient' :
    id === 85 ? 'DhcpFailed' :
    'Unknown'
  );
}

/**
 * The kind of every indication but pending data (UM2114 numbering; 'Unknown' when no kind is known) and
 * its fields. Code, not a table: on Espruino a table is copied into RAM at load, code stays in flash; a
 * chain of conditions, not a switch: fewer tokens for the interpreter to read through, and the socket,
 * link and boot indications here, the rarer ones in rareKind (read only for them).
 */
function details(ev: WindEvent, params: string[]): void {
  const id = ev.id;
  ev.kind =
    id === 58 ? 'SocketClosed' :
    id === 24 ? 'WifiUp' :
    id === 33 ? 'NetworkLost' :
    id === 61 ? 'IncomingClient' :
    id === 62 ? 'ClientGone' :
    id === 0 ? 'ConsoleActive' :
    id === 1 ? 'PowerOn' :
    id === 2 ? 'Reset' :
    id === 84 ? 'NtpDelivery' :
    id === 8 ? 'HardFault' :
    id === 5 ? 'HardwareFailure' :
    id === 19 ? 'Join' :
    id === 25 ? 'Associated' :
    id === 40 ? 'Deauthentication' :
    id === 41 ? 'Disassociation' :
    id === 46 ? 'CrunchingPsk' :
    id === 51 ? 'WpaHandshakeComplete' :
    id === 13 ? 'Copyright' :
    id === 30 ? 'BssLost' :
    id === 38 ? 'PoweredDown' :
    id === 49 ? 'WpaTerminated' :
    id === 74 ? 'RejectedNetwork' :
    rareKind(id);
  if (id === 58) {
    ev.socket = num(params[0]);
    ev.reason = num(params[1]);
  } else if (id === 24) {
    // `WiFi Up:<n>:<IPv4>` or `WiFi Up::<IPv6>` (the IPv6 address contains colons).
    const ip = params.slice(1).join(':');
    ev.ip = ip;
    ev.ipv6 = ip.indexOf(':') >= 0;
  } else if (id === 61 || id === 62) {
    ev.peerIp = params[0];
    ev.peerPort = num(params[1]);
    ev.server = num(params[2]);
    ev.client = num(params[3]);
    if (id === 62) ev.reason = num(params[4]);
  } else if (id === 1) ev.firmware = params.join(':');
  else if (id === 84) {
    // `NTP Server delivery:<YY.MM.DD>:<n>:<hh.mm.ss>` (field order inferred from a driver).
    const d = dotted(params[0]);
    const t = dotted(params[params.length - 1]);
    if (d.length === 3 && t.length === 3) ev.seconds = civilSeconds(d, t);
  } else if (id === 5 || id === 8) ev.detail = params.join(':');
  else if (id === 19) ev.bssid = params.join(':');
  else if (id === 25) ev.ssid = params.join(':');
  else if (id === 40) ev.reason = num(params[0]);
}
