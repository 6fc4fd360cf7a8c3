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
 * Decode a `+WIND:` line; returns undefined when the line is not a well-formed indication. The kind of
 * each number (UM2114 numbering) and its fields are one switch, not a table: on Espruino a table is
 * copied into RAM at load, code stays in flash. The interpreter tries the cases in order (and reads
 * through the ones it skips): the frequent indications (data, sockets, link) come first.
 */
export function decodeWind(line: string): WindEvent | undefined {
  if (!line.startsWith('+WIND:')) return undefined;
  const c1 = line.indexOf(':', 6);
  const id = parseInt(c1 < 0 ? line.substr(6) : line.substring(6, c1), 10);
  if (!(id >= 0)) return undefined;
  let text = '';
  let params: string[] = [];
  if (c1 >= 0) {
    const c2 = line.indexOf(':', c1 + 1);
    text = c2 < 0 ? line.substr(c1 + 1) : line.substring(c1 + 1, c2);
    if (c2 >= 0) params = line.substr(c2 + 1).split(':');
  }
  const ev: WindEvent = { id: id, kind: 'Unknown', text: text, params: params };
  switch (id) {
    case 55:
      ev.kind = 'PendingData';
      // `Pending Data:<sid>:<cid>:<new>:<total>`; <sid> is empty for client sockets.
      if (params[0] === '') ev.socket = num(params[1]);
      else {
        ev.server = num(params[0]);
        ev.client = num(params[1]);
      }
      ev.received = num(params[2]);
      ev.pending = num(params[3]);
      break;
    case 58:
      ev.kind = 'SocketClosed';
      ev.socket = num(params[0]);
      ev.reason = num(params[1]);
      break;
    case 24: {
      ev.kind = 'WifiUp';
      // `WiFi Up:<n>:<IPv4>` or `WiFi Up::<IPv6>` (the IPv6 address contains colons).
      const ip = params.slice(1).join(':');
      ev.ip = ip;
      ev.ipv6 = ip.indexOf(':') >= 0;
      break;
    }
    case 33: ev.kind = 'NetworkLost'; break;
    case 61:
    case 62:
      ev.kind = id === 61 ? 'IncomingClient' : 'ClientGone';
      ev.peerIp = params[0];
      ev.peerPort = num(params[1]);
      ev.server = num(params[2]);
      ev.client = num(params[3]);
      if (id === 62) ev.reason = num(params[4]);
      break;
    case 0: ev.kind = 'ConsoleActive'; break;
    case 1:
      ev.kind = 'PowerOn';
      ev.firmware = params.join(':');
      break;
    case 84: {
      ev.kind = 'NtpDelivery';
      // `NTP Server delivery:<YY.MM.DD>:<n>:<hh.mm.ss>` (field order inferred from a driver).
      const d = dotted(params[0]);
      const t = dotted(params[params.length - 1]);
      if (d.length === 3 && t.length === 3) ev.seconds = civilSeconds(d, t);
      break;
    }
    case 2: ev.kind = 'Reset'; break;
    case 8:
    case 5:
      ev.kind = id === 8 ? 'HardFault' : 'HardwareFailure';
      ev.detail = params.join(':');
      break;
    case 19:
      ev.kind = 'Join';
      ev.bssid = params.join(':');
      break;
    case 25:
      ev.kind = 'Associated';
      ev.ssid = params.join(':');
      break;
    case 40:
      ev.kind = 'Deauthentication';
      ev.reason = num(params[0]);
      break;
    case 41: ev.kind = 'Disassociation'; break;
    case 46: ev.kind = 'CrunchingPsk'; break;
    case 3: ev.kind = 'WatchdogRunning'; break;
    case 4: ev.kind = 'LowMemory'; break;
    case 7: ev.kind = 'ConfigurationFailure'; break;
    case 9: ev.kind = 'StackOverflow'; break;
    case 11: ev.kind = 'RadioStartupFailure'; break;
    case 13: ev.kind = 'Copyright'; break;
    case 14: ev.kind = 'BssRegained'; break;
    case 15: ev.kind = 'SignalLow'; break;
    case 16: ev.kind = 'SignalOk'; break;
    case 20: ev.kind = 'JoinFailed'; break;
    case 21: ev.kind = 'Scanning'; break;
    case 23: ev.kind = 'ScanFailed'; break;
    case 26: ev.kind = 'ApStarted'; break;
    case 27: ev.kind = 'ApStartFailed'; break;
    case 28: ev.kind = 'StationAssociated'; break;
    case 29: ev.kind = 'DhcpReply'; break;
    case 30: ev.kind = 'BssLost'; break;
    case 31: ev.kind = 'WifiException'; break;
    case 32: ev.kind = 'HardwareStarted'; break;
    case 35: ev.kind = 'ScanComplete'; break;
    case 38: ev.kind = 'PoweredDown'; break;
    case 39: ev.kind = 'MiniApMode'; break;
    case 45: ev.kind = 'AuthIllegal'; break;
    case 49: ev.kind = 'WpaTerminated'; break;
    case 50: ev.kind = 'WpaStartFailed'; break;
    case 51: ev.kind = 'WpaHandshakeComplete'; break;
    case 52: ev.kind = 'GpioInterrupt'; break;
    case 53: ev.kind = 'Wakeup'; break;
    case 63: ev.kind = 'DroppingData'; break;
    case 65: ev.kind = 'FactoryReset'; break;
    case 67: ev.kind = 'Standby'; break;
    case 68: ev.kind = 'ResumeStandby'; break;
    case 73: ev.kind = 'ConfigurationUpdated'; break;
    case 74: ev.kind = 'RejectedNetwork'; break;
    case 75: ev.kind = 'RejectedAssociation'; break;
    case 76: ev.kind = 'AuthTimeout'; break;
    case 77: ev.kind = 'AssociationTimeout'; break;
    case 78: ev.kind = 'MicFailure'; break;
    case 81: ev.kind = 'WpsGeneratingKeys'; break;
    case 82: ev.kind = 'WpsTimeout'; break;
    case 83: ev.kind = 'DroppingClient'; break;
    case 85: ev.kind = 'DhcpFailed'; break;
  }
  return ev;
}
