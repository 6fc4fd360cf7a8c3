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

/**
 * The kind of a WIND number (UM2114 numbering); 'Unknown' when no kind is known. A switch, not a table:
 * on Espruino a table is copied into RAM at load, code stays in flash.
 */
export function windKind(id: number): WindKind {
  // The interpreter tries the cases in order: the frequent indications (data, sockets, link) come first.
  switch (id) {
    case 55: return 'PendingData';
    case 58: return 'SocketClosed';
    case 24: return 'WifiUp';
    case 33: return 'NetworkLost';
    case 61: return 'IncomingClient';
    case 62: return 'ClientGone';
    case 0: return 'ConsoleActive';
    case 1: return 'PowerOn';
    case 84: return 'NtpDelivery';
    case 2: return 'Reset';
    case 8: return 'HardFault';
    case 5: return 'HardwareFailure';
    case 19: return 'Join';
    case 25: return 'Associated';
    case 40: return 'Deauthentication';
    case 41: return 'Disassociation';
    case 46: return 'CrunchingPsk';
    case 3: return 'WatchdogRunning';
    case 4: return 'LowMemory';
    case 7: return 'ConfigurationFailure';
    case 9: return 'StackOverflow';
    case 11: return 'RadioStartupFailure';
    case 13: return 'Copyright';
    case 14: return 'BssRegained';
    case 15: return 'SignalLow';
    case 16: return 'SignalOk';
    case 20: return 'JoinFailed';
    case 21: return 'Scanning';
    case 23: return 'ScanFailed';
    case 26: return 'ApStarted';
    case 27: return 'ApStartFailed';
    case 28: return 'StationAssociated';
    case 29: return 'DhcpReply';
    case 30: return 'BssLost';
    case 31: return 'WifiException';
    case 32: return 'HardwareStarted';
    case 35: return 'ScanComplete';
    case 38: return 'PoweredDown';
    case 39: return 'MiniApMode';
    case 45: return 'AuthIllegal';
    case 49: return 'WpaTerminated';
    case 50: return 'WpaStartFailed';
    case 51: return 'WpaHandshakeComplete';
    case 52: return 'GpioInterrupt';
    case 53: return 'Wakeup';
    case 63: return 'DroppingData';
    case 65: return 'FactoryReset';
    case 67: return 'Standby';
    case 68: return 'ResumeStandby';
    case 73: return 'ConfigurationUpdated';
    case 74: return 'RejectedNetwork';
    case 75: return 'RejectedAssociation';
    case 76: return 'AuthTimeout';
    case 77: return 'AssociationTimeout';
    case 78: return 'MicFailure';
    case 81: return 'WpsGeneratingKeys';
    case 82: return 'WpsTimeout';
    case 83: return 'DroppingClient';
    case 85: return 'DhcpFailed';
    default: return 'Unknown';
  }
}

const PREFIX = '+WIND:';

function num(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = parseInt(s, 10);
  return isNaN(n) ? undefined : n;
}

/** Decode a `+WIND:` line; returns undefined when the line is not a well-formed indication. */
export function decodeWind(line: string): WindEvent | undefined {
  if (line.indexOf(PREFIX) !== 0) return undefined;
  const c1 = line.indexOf(':', PREFIX.length);
  const id = num(line.substring(PREFIX.length, c1 < 0 ? line.length : c1));
  if (id === undefined || id < 0) return undefined;
  let text = '';
  let params: string[] = [];
  if (c1 >= 0) {
    const c2 = line.indexOf(':', c1 + 1);
    text = line.substring(c1 + 1, c2 < 0 ? line.length : c2);
    if (c2 >= 0) params = line.substring(c2 + 1).split(':');
  }
  const kind = windKind(id);
  const ev: WindEvent = { id: id, kind: kind, text: text, params: params };
  switch (id) {
    case 55:
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
      ev.socket = num(params[0]);
      ev.reason = num(params[1]);
      break;
    case 1:
      ev.firmware = params.join(':');
      break;
    case 5:
    case 8:
      ev.detail = params.join(':');
      break;
    case 19:
      ev.bssid = params.join(':');
      break;
    case 25:
      ev.ssid = params.join(':');
      break;
    case 24: {
      // `WiFi Up:<n>:<IPv4>` or `WiFi Up::<IPv6>` (the IPv6 address contains colons).
      const ip = params.slice(1).join(':');
      ev.ip = ip;
      ev.ipv6 = ip.indexOf(':') >= 0;
      break;
    }
    case 40:
      ev.reason = num(params[0]);
      break;
    case 84: {
      // `NTP Server delivery:<YY.MM.DD>:<n>:<hh.mm.ss>` (field order inferred from a driver).
      const d = dotted(params[0]);
      const t = dotted(params[params.length - 1]);
      if (d.length === 3 && t.length === 3) {
        ev.seconds = civilSeconds(d, t);
      }
      break;
    }
    case 61:
    case 62:
      ev.peerIp = params[0];
      ev.peerPort = num(params[1]);
      ev.server = num(params[2]);
      ev.client = num(params[3]);
      if (id === 62) ev.reason = num(params[4]);
      break;
  }
  return ev;
}
