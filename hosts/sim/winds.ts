// +WIND numbers and texts the simulator prints (doc §4.2; texts are FW 1.1.0 literals).

export const W = {
  consoleActive: 0,
  poweron: 1,
  watchdogRunning: 3,
  copyright: 13,
  wifiSignalOk: 16,
  wifiJoin: 19,
  wifiScanning: 21,
  wifiUp: 24,
  associationSuccessful: 25,
  hardwareStarted: 32,
  networkLost: 33,
  scanComplete: 35,
  poweredDown: 38,
  deauthentication: 40,
  wpaHandshakeComplete: 51,
  pendingData: 55,
  socketClosed: 58,
  incomingSocketClient: 61,
  socketClientGone: 62,
  rejectedFoundNetwork: 74,
  sockdDroppingClient: 83,
  ntpServerDelivery: 84,
} as const;

export const WIND_TEXT: Readonly<Record<number, string>> = {
  0: 'Console active',
  1: 'Poweron',
  3: 'Watchdog Running',
  16: 'WiFi Signal Ok',
  19: 'WiFi Join',
  21: 'WiFi Scanning',
  24: 'WiFi Up',
  25: 'WiFi Association successful',
  32: 'WiFi Hardware Started',
  33: 'WiFi Network Lost',
  35: 'WiFi Scan Complete',
  38: 'WiFi Powered Down',
  40: 'WiFi Deauthentication',
  51: 'WPA Handshake Complete',
  55: 'Pending Data',
  58: 'Socket Closed',
  61: 'Incoming Socket Client',
  62: 'Socket Client Gone',
  74: 'Rejected found Network',
  83: 'Sockd Dropping Client',
  84: 'NTP Server delivery',
};

/** The +WIND line without CR LF. WIND 13's text is passed in full (it is the copyright notice). */
export function windLine(num: number, params: readonly (string | number)[] = [], text = WIND_TEXT[num] ?? ''): string {
  let line = '+WIND:' + num + ':' + text;
  for (const p of params) line += ':' + p;
  return line;
}
