// Every place where the protocol reference (../shared/spwf04s-protocol.md) tags a behaviour [unknown]
// or [inferred], the simulator follows the constant below. Each comment gives the reason, so that a
// capture from real hardware can correct the choice here and nowhere else.

import type { SimTiming } from './timing';

// ---------------------------------------------------------------------------------------------------
// Boot

/** Text of +WIND:13. FW 1.1.0 holds this literal (2017, two spaces before "All") [fw]; the suffix is the
 *  variant as the AN's boot log prints it (AN §3.2.3 shows `SPWF04SA/C`). */
export const COPYRIGHT_TEXT = 'Copyright (c) 2012-2017 STMicroelectronics, Inc.  All rights Reserved';
export const COPYRIGHT_VARIANT = 'SPWF04SA/C';

/** Parameter of +WIND:3:Watchdog Running — the AN's boot log shows 20. */
export const WATCHDOG_SECONDS = 20;

/** AT+S.RESET prints no AT-S.OK and no +WIND:2 before rebooting: the AN's log "after the reset command"
 *  starts at +WIND:1, MBED does not wait for an OK and XCUBE notes "there is no OK after this". */
export const RESET_PRINTS_OK = false;

/** Input that arrives before +WIND:0:Console active (or while powered off) is lost: MBED waits for
 *  WIND:0 before sending anything, which suggests the console does not listen earlier. */
export const INPUT_BEFORE_CONSOLE_ACTIVE_IS_DROPPED = true;

/** A hardware reset or power loss discards output the module had not yet put on the wire. */
export const RESET_DISCARDS_UNSENT_OUTPUT = true;

/** The radio is started at every boot, whatever AT+S.WIFI said before (no variable seen that would
 *  persist it); the join then depends on wifi_mode. */
export const RADIO_ON_AT_BOOT = true;

// ---------------------------------------------------------------------------------------------------
// Console

/** Bytes of a command line, CR excluded (UM2114: max 512). */
export const MAX_COMMAND_LINE = 512;

/** An over-long command line is thrown away up to its CR and answered with this error code (no
 *  evidence of what the firmware does). */
export const LINE_TOO_LONG_ERROR = 32;

/** An empty line (a lone CR) gets no echo and no reply, as a terminal user would expect. */
export const EMPTY_LINE_IS_IGNORED = true;

/** OK line format by console_verbose: the factory OK is plain (MBED accepts only `AT-S.OK` right after
 *  FCFG); UM2114 says verbose adds `:<free_heap>:<wifi_state>`. The threshold is a guess. */
export const VERBOSE_OK_FROM_LEVEL = 2;

/** ERROR line format by console_errs: 0 `AT-S.ERROR`, 1 `AT-S.ERROR:<code>`, 2 `AT-S.ERROR:<code>:<text>`
 *  (factory 2: code and text present in every real capture). */
export const ERRORS_WITH_CODE_FROM_LEVEL = 1;
export const ERRORS_WITH_TEXT_FROM_LEVEL = 2;

/** free_heap reported by STS and the verbose OK (any plausible number). */
export const FREE_HEAP_BYTES = 61440;

/** SCFG's value and SSIDTXT's text are everything after the first separator, so that passphrases and
 *  SSIDs containing the separator work (the firmware's real parsing is unknown). */
export const LAST_PARAMETER_TAKES_REST_OF_LINE = true;

/** A data-carrying command refused on its command line (e.g. SOCKW → 78) still swallows its <len>
 *  payload bytes, and echoes them back raw after the ERROR line when console_echo=1: XCUBE skips exactly
 *  <len> received bytes after error 78. They are not executed as commands. */
export const REJECTED_PAYLOAD_IS_ECHOED = true;

/** Error for SCFG on a read-only variable (nv_*): "Invalid argument(s)". */
export const READ_ONLY_VARIABLE_ERROR = 7;

/** An argument over its size (an SSID over 32 bytes, a passphrase over 64 characters): "Argument exceeds
 *  allowed size" (the firmware has the text; which commands answer it is unknown). Empty: 2, bad content
 *  (a control character, a short passphrase): 7, as for any invalid argument. */
export const OVERSIZE_ARGUMENT_ERROR = 32;

/** Query form of AT+S.SSIDTXT: a generic `AT-S.<keyword>:<value>` line as the firmware prints them. */
export const SSIDTXT_QUERY_KEYWORD = 'SSID';

// ---------------------------------------------------------------------------------------------------
// Configuration

/** AT+S.FCFG restores the factory values in the running configuration AND in flash: ST staff list
 *  FCFG among the reasons a module comes up with factory settings at the next start (ST forum, 2021). */
export const FCFG_ALSO_ERASES_SAVED_CONFIG = true;

/** Wi-Fi settings (wifi_* variables, SSIDTXT) changed with the radio on are accepted and take effect at
 *  the next AT+S.WIFI=1 or reboot, when the radio reads the configuration. FW 1.1.0 has a "Radio enabled"
 *  error text whose number is unknown; were the choice reversed, RADIO_ENABLED_ERROR would be answered. */
export const WIFI_SETTINGS_ACCEPTED_WHILE_RADIO_ON = true;
export const RADIO_ENABLED_ERROR = 7;

export type VarFormat = 'dec' | 'hex32' | 'text' | 'ssid';
export interface VarDefinition {
  factory: string;
  format: VarFormat;
  readOnly?: boolean;
}

/** Factory values. The real defaults are [unknown] (doc §6): these are the values drivers set or
 *  expect, else plausible ones.
 *  - wifi_mode 0: a module booting with factory settings stops after +WIND:32 (ST forum capture after
 *    "+WIND:65:Factory Reset"); the brief's "wifi_mode=1 after WCFG" points the same way.
 *  - console_echo 1, console_hwfc 0, console_speed 115200: doc §1.1/§1.5.
 *  - console_errs 2 / console_verbose 1: see the format choices above.
 *  - nv_wifi_macaddr 00:80:E1:00:00:01 matches the default IPv6 link-local fe80::280:e1ff:fe00:1.
 *  - wifi_ssid is shown as colon-separated hex bytes (as SPWF01 did); SSIDTXT is the text form. */
export const FACTORY_CONFIG: Readonly<Record<string, VarDefinition>> = {
  console_enabled: { factory: '1', format: 'dec' },
  console_speed: { factory: '115200', format: 'dec' },
  console_hwfc: { factory: '0', format: 'dec' },
  console_echo: { factory: '1', format: 'dec' },
  console_verbose: { factory: '1', format: 'dec' },
  console_errs: { factory: '2', format: 'dec' },
  console_delimiter: { factory: ',', format: 'text' },
  console_wind_off_low: { factory: '0x00000000', format: 'hex32' },
  console_wind_off_medium: { factory: '0x00000000', format: 'hex32' },
  console_wind_off_high: { factory: '0x00000000', format: 'hex32' },
  blink_led: { factory: '1', format: 'dec' },
  sleep_enabled: { factory: '0', format: 'dec' },
  standby_enabled: { factory: '0', format: 'dec' },
  standby_time: { factory: '10', format: 'dec' },
  wifi_mode: { factory: '0', format: 'dec' },
  wifi_priv_mode: { factory: '2', format: 'dec' },
  wifi_ssid: { factory: '', format: 'ssid' },
  wifi_wpa_psk_text: { factory: '', format: 'text' },
  wifi_wps_pin: { factory: '', format: 'text' },
  wifi_ht_mode: { factory: '1', format: 'dec' },
  wifi_opr_rate_mask: { factory: '0x003FFFCF', format: 'hex32' },
  wifi_channelnum: { factory: '6', format: 'dec' },
  wifi_powersave: { factory: '0', format: 'dec' },
  wifi_operational_mode: { factory: '11', format: 'dec' },
  wifi_listen_interval: { factory: '0', format: 'dec' },
  wifi_beacon_wakeup: { factory: '1', format: 'dec' },
  wifi_tx_power: { factory: '18', format: 'dec' },
  wifi_reg_country: { factory: '00', format: 'text' },
  wifi_eap_type: { factory: '0', format: 'dec' },
  wifi_eap_identity: { factory: '', format: 'text' },
  wifi_eap_anon_identity: { factory: '', format: 'text' },
  wifi_eap_passwd: { factory: '', format: 'text' },
  wifi_eap_skip_datechecks: { factory: '0', format: 'dec' },
  ip_use_dhcpc: { factory: '1', format: 'dec' },
  ip_ipaddr: { factory: '192.168.0.50', format: 'text' },
  ip_netmask: { factory: '255.255.255.0', format: 'text' },
  ip_gw: { factory: '192.168.0.1', format: 'text' },
  ip_dns1: { factory: '192.168.0.1', format: 'text' },
  ip_dns2: { factory: '0.0.0.0', format: 'text' },
  ip_hostname: { factory: 'iwm-00-00-01', format: 'text' },
  ip_use_v6: { factory: '1', format: 'dec' },
  ip_ntp_startup: { factory: '0', format: 'dec' },
  ip_ntp_server1: { factory: '', format: 'text' },
  ip_ntp_refresh: { factory: '3600', format: 'dec' },
  aes128_key: { factory: '', format: 'text' },
  user_desc: { factory: 'anonymous', format: 'text' },
  nv_manuf: { factory: 'ST', format: 'text', readOnly: true },
  nv_model: { factory: 'SPWF04SA', format: 'text', readOnly: true },
  nv_serial: { factory: '0000000001', format: 'text', readOnly: true },
  nv_wifi_macaddr: { factory: '00:80:E1:00:00:01', format: 'text', readOnly: true },
};

// ---------------------------------------------------------------------------------------------------
// Radio: join outcomes

/** Parameter of +WIND:35:WiFi Scan Complete (the AN shows 00; its meaning is unknown): always 00. */
export const SCAN_COMPLETE_PARAM = '00';

/** First field of the IPv4 +WIND:24 (the AN shows 0; meaning unknown). */
export const WIFI_UP_IPV4_FIELD = '0';

/** STA mode with an empty SSID: nothing to look for, the boot stops after +WIND:32 like idle mode. */
export const EMPTY_SSID_SKIPS_JOIN = true;

/** SSID not on the air: the module keeps scanning, +WIND:21 / +WIND:35 every timing.scanRetryMs, and
 *  never joins. */
export const MISSING_SSID_RESCANS = true;

/** Wrong passphrase: the association succeeds (+WIND:19, +WIND:25), the 4-way handshake fails and the AP
 *  deauthenticates (+WIND:40 with 802.11 reason 15 "4-way handshake timeout"); the module retries the
 *  join (19, 25, 40 …) every timing.joinRetryMs without rescanning, and never reports WiFi Up. MBED
 *  gives up a connect after three WIND:40. */
export const DEAUTH_REASON_WRONG_PSK = 15;

/** wifi_priv_mode that does not fit the AP's security (0 open, 2 WPA2-PSK, 3 WPA2-Enterprise; WEP is not
 *  simulated): the scan finds the network and the module rejects it with +WIND:74 (a FW 1.1.0 text),
 *  then rescans every timing.scanRetryMs. */
export const SECURITY_MISMATCH_WIND = 74;

// ---------------------------------------------------------------------------------------------------
// Radio: keeping the link, WPA2-Enterprise, WPS (radio.ts, network.ts, eap.ts, wps.ts)

/** An access point that goes off the air while the station is joined (SimNetwork.takeDown): the module
 *  notices after this many ms (missed beacons; the real delay is unknown) and prints +WIND:33 WiFi Network
 *  Lost (what MBED reacts to; +WIND:30 "BSS Lost" is not printed), then scans every timing.scanRetryMs
 *  until the network is back and joins it by itself (MBED waits for that WiFi Up after WIND:33). */
export const BEACON_LOSS_MS = 1000;

/** SimNetwork.deauthenticate(): 802.11 reason 1 "unspecified" unless given (P12's capture shows
 *  `+WIND:40 Deauthentication:1`). The module joins the same access point again after timing.joinRetryMs,
 *  without a scan, and without +WIND:33. */
export const AP_DEAUTH_REASON = 1;

/** WPA2-Enterprise refusals (the protocol has no EAP-specific indication, doc §4.2):
 *  - the server refuses (method not accepted, unknown identity or wrong password, a client certificate
 *    that does not chain to its client CA, is out of date or does not match the key): EAP-Failure, and
 *    the AP deauthenticates with 802.11 reason 23 "IEEE 802.1X authentication failed";
 *  - the module refuses the server's certificate (not signed by the WPAECERT CA, out of date at the
 *    module's clock unless wifi_eap_skip_datechecks=1) or, for EAP-TLS, has no CA: its supplicant stops,
 *    +WIND:49 WPA Terminated (a FW 1.1.0 text).
 *  Either way the module retries the join every timing.joinRetryMs, like a wrong passphrase. */
export const EAP_FAILURE_DEAUTH_REASON = 23;
export const EAP_SERVER_CERT_REJECTED_WIND = { num: 49, text: 'WPA Terminated' } as const;

/** The clock the RADIUS server judges client certificates (EAP-TLS) by: 'desktop' = the simulated world's
 *  time (Date.now(), which sinon drives in tests), as a real server keeps its own time; 'module' would use
 *  the module's clock, which would make wifi_eap_skip_datechecks useless for EAP-TLS at 1970. The module's
 *  own checks (the server's chain) always use the module's clock. */
export const RADIUS_CHECKS_DATES_WITH: 'desktop' | 'module' = 'desktop';

/** WPS (AN §2.1.1, §3.2.1.1): the walk time of both sides is 2 minutes. AT+S.WPS=<0|1|2> needs station
 *  mode (else WPS_NOT_STATION_ERROR; FW 1.1.0 says "WPS only allowed on STA mode", number unknown) and a
 *  running radio (18); mode 1 needs 7 digits in wifi_wps_pin (else 7). The answer: for modes 1 and 2 the
 *  8-digit PIN on a line `AT-S.WPS PIN:<pin>` (format unknown, doc §11.9), then AT-S.OK; the enrolment
 *  runs after it: +WIND:81, a look for a registrar every WPS_POLL_MS, then the join with the credentials
 *  obtained (in the running configuration only: WPS_SAVES_CREDENTIALS false, the host saves them with
 *  WCFG; doc §11.13), or +WIND:82 at the end of the walk time, and the radio stays idle. */
export const WPS_WALK_TIME_MS = 120000;
export const WPS_POLL_MS = 2000;
export const WPS_NOT_STATION_ERROR = 7;
export const WPS_SAVES_CREDENTIALS = false;
export const WPS_START_WIND = { num: 81, text: 'WPS Generating DH keyset' } as const;
export const WPS_TIMEOUT_WIND = { num: 82, text: 'WPS enrollment attempt timed out' } as const;
export function wpsPinLine(pin: string): string {
  return `AT-S.WPS PIN:${pin}`;
}

/** SimModule.hardFault(): +WIND:8:Hard Fault:<detail> (MBED treats WIND:8 as fatal), then the firmware is
 *  dead — no console, no radio, no indication — until the reset pin, a power cycle or its watchdog (the
 *  boot log's "Watchdog Running:20": 20 s) restarts it; a watchdog restart looks like any boot (+WIND:1
 *  Poweron, no other indication: doc §4.2 found none). */
export const HARD_FAULT_DETAIL = 'HardFault_Handler';
export const HARD_FAULT_WATCHDOG_MS = WATCHDOG_SECONDS * 1000;

/** AT+S.SCAN lists every network on the air whatever its filter argument (d/s/m; what `s` filters on is
 *  unclear, and drivers send `s` expecting a list), after timing.scanMs, without +WIND:21/35. */
export const SCAN_IGNORES_FILTER = true;

/** One AT+S.SCAN result line, following the FW 1.1.0 format
 *  `%u:\t%s%s %m CHAN: %02d RSSI: %03d SSID: '%s' CAPS: %04x %s%s%s` (doc §3.1): index from 1, "BSS",
 *  the BSSID in lower case, capabilities 0x0431 (ESS, privacy, short preamble/slot) or 0x0421 for an open
 *  network, then the security words XCUBE and MBED look for, each followed by a space. */
export function scanResultLine(index: number, ap: { ssid: string; bssid: string; security: 'open' | 'wpa2-psk' | 'wpa2-enterprise'; wps?: boolean; channel?: number; rssi?: number }): string {
  const channel = String(ap.channel ?? 6).padStart(2, '0');
  const rssi = String(ap.rssi ?? -45).padStart(3, '0');
  const caps = ap.security === 'open' ? '0421' : '0431';
  // Enterprise networks add "802.1x" and WPS registrars "WPS" (words of the same list; the exact real
  // spelling of the first is unknown).
  const words = (ap.security === 'open' ? '' : 'WPA2 ') + (ap.security === 'wpa2-enterprise' ? '802.1x ' : '') + (ap.wps ? 'WPS ' : '');
  return `${index}:\tBSS ${ap.bssid.toLowerCase()} CHAN: ${channel} RSSI: ${rssi} SSID: '${ap.ssid}' CAPS: ${caps} ${words}`;
}

/** Radio off/on does not touch open sockets (how fast a real module fails them is unknown). Reversed, a
 *  WIFI=0 would end each connected socket with +WIND:58 and CLOSE_REASON_ERROR. */
export const RADIO_OFF_KEEPS_SOCKETS = true;

/** Values derived for a DHCP lease on the simulated network: netmask /24 and the gateway at .1. */
export const DHCP_NETMASK = '255.255.255.0';
export const DHCP_GATEWAY_HOST = 1;

// ---------------------------------------------------------------------------------------------------
// Sockets

/** Client socket ids 0..7, the lowest free id is used (doc §10). */
export const MAX_CLIENT_SOCKETS = 8;

/** SOCKON while the link is not up: the open fails like a refused connect (74); the real code is unknown
 *  (60 "IP not ready to send" is the other candidate). */
export const SOCKON_WITHOUT_LINK_ERROR = 74;

/** A TLS client socket (kind `s` or a domain) that cannot be opened — connect refused or timed out, no TLS
 *  handshake within timing.tlsHandshakeTimeoutMs, the server's certificate refused by the module's checks
 *  (see "TLS" below), the module's client certificate refused by the server — answers 74 (AN §3.1.3). */
export const SOCKON_TLS_ERROR = 74;

/** SOCKW on an id that is not open answers 78 (as on a closed one); SOCKQ/SOCKR/SOCKC on such an id
 *  answer 76 "Illegal Socket ID" (XCUBE sees 76 for SOCKDC on an unknown id). */
export const SOCKW_UNKNOWN_ID_ERROR = 78;
export const SOCK_UNKNOWN_ID_ERROR = 76;

/** SOCKR asking for more than is pending delivers what is pending; `AT-S.Reading:<delivered>:<pending
 *  before the read>` (the COURSE capture gives 31:31 for a full read). Nothing pending → Reading:0:0.
 *  (FW has a "Read Cap" keyword; were the choice reversed, the read would be refused with error 7.) */
export const SOCKR_CAPS_TO_PENDING = true;

/** Incoming TCP data are announced in segments of at most this many bytes, one +WIND:55 each (the
 *  firmware limits the TCP MSS to 730, doc §5.4). */
export const TCP_SEGMENT = 730;

/** Above this many unread bytes the simulator stops reading from the peer (TCP back-pressure, as the
 *  module's socket memory is small), and resumes once the host has read some. */
export const SOCKET_RX_LIMIT = 8192;

/** Closure reason of +WIND:58: 0 when the peer closed cleanly, 1 when the connection failed. */
export const CLOSE_REASON_PEER = 0;
export const CLOSE_REASON_ERROR = 1;

/** SOCKC does not print a +WIND:58 of its own. */
export const SOCKC_PRINTS_WIND58 = false;

/** AT+S.SOCKL prints one line per open client socket, in the FW 1.1.0 `List` + `:%u:%u:%u:%u:%i:%u` shape
 *  (six fields, the fifth an IP address, doc §3): `AT-S.List:<id>:<proto>:<connected 1|0>:<pending>:<remote
 *  ip>:<remote port>`, proto 0 TCP / 1 UDP / 2 TLS (client `s` or a domain, server s1/s2). The real meaning
 *  of the fields is unknown. */
export function listProto(kind: string): number {
  return kind === 't' ? 0 : kind === 'u' ? 1 : 2;
}
export function socketListLine(s: { id: number; kind: 't' | 'u' | 's'; connected: boolean; pending: number; remoteIp: string; port: number }): string {
  return `AT-S.List:${s.id}:${listProto(s.kind)}:${s.connected ? 1 : 0}:${s.pending}:${s.remoteIp}:${s.port}`;
}

// ---------------------------------------------------------------------------------------------------
// Server sockets (SOCKDON …)

/** Servers listen on the loopback interface only, so a simulator never exposes a port to the LAN; their
 *  clients are local programs. SimOptions.serverPort maps the module's port to the one bound here (ports
 *  below 1024 need privileges on the desktop). */
export const SERVER_BIND_ADDRESS = '127.0.0.1';

/** Two server instances at a time (doc §5.5); a third SOCKDON answers 75 "Too many sockets". */
export const MAX_SERVERS = 2;
export const TOO_MANY_SERVERS_ERROR = 75;

/** Up to 8 clients per server (doc §5.5), cid 0..7, lowest free first. A ninth TCP client is
 *  disconnected at once and announced with +WIND:83 "Sockd Dropping Client" (a FW 1.1.0 text) carrying
 *  `<ip>:<port>:<sid>` — the parameters are a guess; a UDP datagram from a ninth peer is dropped the same way. */
export const MAX_SERVER_CLIENTS = 8;

/** A module port already taken by a server, or one the desktop refuses to bind, answers 73 "Port already
 *  opened". */
export const SERVER_PORT_TAKEN_ERROR = 73;

/** A TLS server (s1 one-way, s2 mutual) needs the module's certificate and key in its TLS store (s2 also a
 *  CA to check clients with); without them SOCKDON answers 74 "Failed to open socket", as a TLS server
 *  without a usable certificate plausibly would. */
export const SOCKDON_TLS_ERROR = 74;

/** SOCKDON before the link is up (no IP address): 74, as SOCKON. */
export const SOCKDON_WITHOUT_LINK_ERROR = 74;

/** A UDP server's "clients" are the peers that sent it datagrams: the first datagram from a new
 *  address:port gets a cid and a +WIND:61, every datagram a +WIND:55; SOCKDW sends one datagram back. */
export const UDP_SERVER_CLIENT_PER_PEER = true;

/** A client that leaves (+WIND:62) with nothing unread gives its cid back at once; one that leaves unread
 *  data stays listed, as a client socket does after +WIND:58, until the host reads and closes it with
 *  SOCKDC. SOCKDC prints no +WIND:62 of its own. */
export const GONE_CLIENT_WITH_DATA_STAYS = true;

/** AT+S.SOCKDL lists the clients of every server (or of one, `=<sid>`) in the same six-field shape as
 *  SOCKL: `AT-S.List:<sid>:<cid>:<proto>:<pending>:<client ip>:<client port>`. Servers without clients
 *  print nothing. */
export function serverClientListLine(c: { sid: number; cid: number; kind: 't' | 'u' | 's1' | 's2'; pending: number; ip: string; port: number }): string {
  return `AT-S.List:${c.sid}:${c.cid}:${listProto(c.kind)}:${c.pending}:${c.ip}:${c.port}`;
}

// ---------------------------------------------------------------------------------------------------
// Clock (AT+S.TIME, AT+S.NTP)

/** The TIME query prints `AT-S.Date:YY.MM.DD` then `AT-S.Time:hh.mm.ss` (UTC, two digits each, year modulo
 *  100): FW 1.1.0 holds `Date`, `Time` and `%02u.%02u.%02u`, ROSCHMI parses `Date:YY.MM.DD` and
 *  `Time:hh.mm.ss`, and UART intermediate lines carry the `AT-S.` prefix. The clock starts at 0 (1970,
 *  printed `70.01.01`) at every boot: certificate checks need TIME or NTP after each reset (AN §3.1.5). */
export const TIME_DATE_KEYWORD = 'Date';
export const TIME_TIME_KEYWORD = 'Time';

/** AT+S.TIME=<arg> that is not a decimal number of seconds answers 7 "Invalid argument(s)"; a number past
 *  the 32-bit range (after 2106-02-07) answers 66 "Cannot update DateTime", the firmware's own TIME error. */
export const TIME_MAX_SECONDS = 0xffffffff;
export const TIME_OUT_OF_RANGE_ERROR = 66;

/** AT+S.NTP is accepted (AT-S.OK) and leaves the clock alone (what it asks of the NTP client is unknown); the
 *  clock is set by the NTP client after WiFi Up (below), by TIME, or by SimModule.setClock(). Reversed, NTP
 *  would set the clock to the desktop's time at once. */
export const NTP_SYNCS_TO_DESKTOP_TIME = false;

/** The module's NTP client sets the clock timing.ntpMs after every IPv4 WiFi Up, whatever ip_ntp_startup
 *  says (its meaning is unknown; AN §3.1.5 and §4.1: "if an Internet connection is available, the current
 *  time is automatically set by NTP"), to the desktop's time, once per link-up (ip_ntp_refresh is not
 *  modelled). SimOptions.ntp.answers = false / sim.ntp.answers = false: the server never answers. */
export const NTP_AFTER_WIFI_UP = true;

/** +WIND:84's parameters `<YY.MM.DD>:<n>:<hh.mm.ss>` (UTC), the layout ROSCHMI parses (doc §4.2). The middle
 *  number's meaning is unknown: the weekday (0 = Sunday) is a guess, as a lone small number between a date
 *  and a time in an RTC record most often is. */
export function ntpDeliveryParams(seconds: number): string[] {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return [
    `${two(d.getUTCFullYear() % 100)}.${two(d.getUTCMonth() + 1)}.${two(d.getUTCDate())}`,
    String(d.getUTCDay()),
    `${two(d.getUTCHours())}.${two(d.getUTCMinutes())}.${two(d.getUTCSeconds())}`,
  ];
}

// ---------------------------------------------------------------------------------------------------
// Filesystem (FSC, FSL, FSD, FSP, FSR)

/** FSC writes to the RAM disk (volume 2 in GHI's numbering), which starts empty at every boot. Its FSL
 *  volume field (`%c` in FW 1.1.0) is shown as `R`; the real letter is unknown. FSL prints only the
 *  `AT-S.File:` lines (FW also holds "Free RAM Disk" texts, whose line format is unknown). */
export const RAM_DISK_VOLUME = 'R';
export const RAM_DISK_CLEARED_AT_BOOT = true;

/** FSC on an existing name appends to it: XCUBE's help table reads "Create a file/Append to an existing
 *  file", and FW 1.1.0 has no FSA. */
export const FSC_APPENDS_TO_EXISTING = true;

/** FSA is absent from FW 1.1.0 (commented out in XCUBE's SPWF04 table, no help string in the firmware):
 *  it answers 1 "Command not found", and since the firmware does not know it carries data, bytes sent
 *  after its CR are read as console input. Reversed, FSA would be framed and behave as FSC. */
export const FSA_IS_ABSENT = true;

/** Any uploaded file is at most 2.5 KB (AN §3.1): a file that would grow past 2560 bytes is refused with
 *  32 "Argument exceeds allowed size" — it is the <len> argument that is too large; none of 50–58 says so. */
export const FILE_SIZE_MAX = 2560;
export const FILE_TOO_LARGE_ERROR = 32;

/** RAM disk capacity (ramdisk_memsize is not modelled); a write that would overflow it answers 50
 *  "Unable to access filesystem". */
export const RAM_DISK_BYTES = 16384;

/** File names longer than this (leading '/' included) cannot be created: 51 "Unable to open file". Names
 *  are kept exactly as given ('/a' and 'a' are two files). The real limit is unknown; it must fit the CA
 *  files of AN §3.1.5, named by the subject key id in hex + ".ca": 43 characters for the usual 20-byte id,
 *  68 for a 32-byte one (RFC 7093) with the "/" drivers put in front. */
export const FILE_NAME_MAX = 68;
export const NAME_TOO_LONG_ERROR = 51;

/** FSL=<name> of a missing file answers 51 "Unable to open file" rather than an empty list. FSD of a
 *  missing file answers 56, FSR of a missing file or onto an existing name 55, FSP of a missing file 51
 *  and past its end 52. */
export const FSL_MISSING_FILE_ERROR = 51;

/** FSP=<name>[,<offset>[,<length>]] answers like SOCKR: `AT-S.Reading:<delivered>:<file size>`, CR LF,
 *  the raw bytes, AT-S.OK. ROSCHMI skips a header whose length grows with the digits of the length, and
 *  FW has `Reading`; the second field as the file size is our guess. Offset and length default to the
 *  whole file. */
export function fspReadingLine(delivered: number, fileSize: number): string {
  return `AT-S.Reading:${delivered}:${fileSize}`;
}

// ---------------------------------------------------------------------------------------------------
// Help

/** AT+S.HELP prints one `AT-S.Help:<command><syntax>` line per simulated command (the generic
 *  `AT-S.<keyword>:<fields>` form of intermediate lines; the real help layout is unknown), syntaxes from the
 *  FW 1.1.0 help strings. HELP=<word> keeps the commands whose name contains it; none → 1. */
export const HELP_KEYWORD = 'Help';

// ---------------------------------------------------------------------------------------------------
// Certificates (AT+S.TLSCERT, AT+S.WPAECERT; AN §3.1, §3.1.5, §3.2.2.1)

/** content,1 prints one line per item held, in the order ca, cert, key, auth: `AT-S.Content:<kind>:<bytes>`
 *  (the real listing is [unknown], doc §11.9; this follows the generic `AT-S.<keyword>:<fields>` form). An
 *  empty store prints no line. */
export function certContentLine(kind: string, size: number): string {
  return `AT-S.Content:${kind}:${size}`;
}

/** A DER CA: the module takes its Subject Key Identifier as the CA's key id by itself (AN §3.1.5: "when DER
 *  format is used, the Authority Key Id is automatically extracted") and prints `AT-S.SubjectKeyId:<hex>`
 *  (FW 1.1.0 has `SubjectKeyId`; GHI reads the value after the colon; lower-case hex without separators is
 *  a guess). content,1 then lists `auth` too. A PEM CA prints nothing and needs `auth`. */
export const CA_KEY_ID_KEYWORD = 'SubjectKeyId';

/** Any upload is at most 2.5 KB (AN §3.1.3): more answers 32 "Argument exceeds allowed size", as FSC does;
 *  the payload is consumed first (the module cannot stop reading it). */
export const CERT_UPLOAD_MAX_BYTES = 2560;
export const CERT_TOO_LARGE_ERROR = 32;

/** "Certificates have to be smaller than 4 KBs" (AN §3.1), on the DER encoding; refused with 32. (No upload
 *  of at most 2.5 KB can hold such a certificate: it matters for a future filesystem reader.) */
export const CERT_DER_MAX_BYTES = 4095;

/** Content the module cannot use answers 7 "Invalid argument(s)": no certificate-specific numbered error is
 *  known (doc §2.1). Refused at upload (AN §3.1, §3.1.5): neither PEM nor DER; not a certificate or key of
 *  the slot's kind; not X.509v3; a `ca` without Basic Constraints CA:TRUE or without a Subject Key
 *  Identifier; a `cert` that is not self-issued and has no Authority Key Identifier; a password-protected
 *  key; an EC key in DER, in PKCS#8, or without its EC PARAMETERS block; a key that is neither RSA nor EC.
 *  Key types and sizes of certificates are not checked at upload (a real module would fail the handshake).
 *  An unknown kind (or `auth` on WPAECERT) answers 7 as well. */
export const CERT_REFUSED_ERROR = 7;

/** `auth` is stored as the binary key id: 1 to 64 bytes (SHA-1 key ids are 20), else 7. */
export const AUTH_KEY_ID_MAX_BYTES = 64;

/** `<kind>,0` answers 33 "Argument evaluated to zero". */
export const CERT_EMPTY_ERROR = 33;

/** Uploading into a slot that already holds an item answers 101 "Failed to write flash": the AN says the
 *  stored items must be removed (content,2) before new ones are loaded. An `auth` the module derived from a
 *  DER CA does not occupy the slot: an uploaded one replaces it. */
export const CERT_SLOT_TAKEN_ERROR = 101;

// The certificate flash survives resets and power loss; content,2 erases every item of its family (TLSCERT
// and WPAECERT are separate); FCFG leaves it alone (the AN ties FCFG to configuration variables only).

/** The filesystem convention (AN §3.1.5): files `tls.cert`, `tls.key` and `<hex>.ca` (a leading "/" is
 *  accepted) also make up the TLS store. FSC does not check them. When both hold a certificate or key, the
 *  certificate flash wins; CAs are taken from both. (FSC writes to the RAM disk, so such files are gone
 *  after a reset.) */
export const CERT_FLASH_WINS_OVER_FILES = true;

// ---------------------------------------------------------------------------------------------------
// Firmware update (AT+S.FWUPDATE; AN §3.3, doc §5.9, §7.5, §9.11)

/** FWUPDATE's first field: only `e` is known (AN, XCUBE); anything else answers 7. Port defaults when the
 *  field is empty: 80, or 443 for TLS 1 and 2. */
export const FOTA_DEFAULT_PORTS: readonly number[] = [80, 443, 443];

/** TLS 1 "automatically detect if to use HTTP or HTTPS" (AN table 6): how the firmware detects it is unknown;
 *  the simulator uses HTTPS on this port and plain HTTP on any other. */
export const FOTA_AUTO_TLS_PORT = 443;

/** The download is the module's HTTP client at work (http-client.ts, as HTTPGET): the same connection
 *  (TCP, then for HTTPS the module's TLS open of tls-client.ts, tracked so that a reset ends it) and the
 *  same request (HTTP/1.1, `User-Agent: HTTP_USER_AGENT`, `Connection: close`, Basic authentication when
 *  <usn> is given). So HTTPS trusts exactly the module's TLS store (TLSCERT ca and the <hex>.ca files): no
 *  CA, no download (the FW's "Skip CA" text suggests a module may skip verification without a CA; unknown,
 *  so the safe side is taken, as TLS_REQUIRES_CA). Every certificate of the chain must be valid at the
 *  MODULE's clock (1970 after a reset unless NTP or TIME set it) — the desktop's time plays no part — and
 *  the server certificate's CN must equal <host> exactly (AN §3.1.7, TLS_NAME_MATCH: a subjectAltName is
 *  not looked at). A certificate the module refuses (no CA, wrong CA, dates, name) prints
 *  FOTA_CERTIFICATE_ERROR_LINE (a FW 1.1.0 text) before the error; a TLS exchange that fails otherwise (the
 *  server does not speak TLS, no handshake within timing.tlsHandshakeTimeoutMs) answers the error alone. */
export const FOTA_CERTIFICATE_ERROR_LINE = 'AT-S.Certificate Error';

/** Progress, in the generic `AT-S.<keyword>:<fields>` form with FW 1.1.0 keywords (exact formats unknown,
 *  doc §7.5): `AT-S.Http Server Status Code:<code>` when the response headers arrive (the line HTTPGET
 *  prints, GHI), then `AT-S.Loading:<n>%` each time the download crosses another FOTA_PROGRESS_STEP_PERCENT
 *  (only the highest step crossed by one arrival is printed; without a Content-Length no percentage is
 *  printed). GHI skips `Loading:` lines during TLS opens, so the keyword's real role may differ. */
export const FOTA_PROGRESS_STEP_PERCENT = 10;
export function fotaStatusLine(status: number): string {
  return `AT-S.Http Server Status Code:${status}`;
}
export function fotaProgressLine(percent: number): string {
  return `AT-S.Loading:${percent}%`;
}

/** A complete download answers AT-S.OK and leaves the packet in the module's flash as /fw.fota (a FW 1.1.0
 *  string). It is not on the RAM disk (too small, and cleared at boot) and FSL does not list it. It survives
 *  resets and power loss until the next boot checks it; a new FWUPDATE drops it when it starts (the file is
 *  rewritten), so a failed download leaves nothing to install. */
export const FOTA_FILE = '/fw.fota';

/** Download errors. 74 "Failed to open socket" when the server cannot be reached or the TLS check fails (as
 *  SOCKON); 111 "Request failed" for an HTTP status other than 200 (after the status line), for a
 *  connection that ends before the whole packet came (fewer bytes than Content-Length, or a chunked body cut
 *  short) and, as HTTPGET, for a server that sends no response head or stays silent for
 *  timing.serviceTimeoutMs; 60 "IP not ready to send" when the link is lost during the download, and when
 *  FWUPDATE is sent without a link. All are guesses: the firmware's "Http Client Error" / "Http Server Error" texts have no
 *  known number. */
export const FOTA_CONNECT_ERROR = 74;
export const FOTA_HTTP_ERROR = 111;
export const FOTA_LINK_LOST_ERROR = 60;
export const FOTA_NO_LINK_ERROR = 60;

/** The flash area for /fw.fota (FW 1.1.0's packet is 961760 bytes): a bigger download stops with
 *  `AT-S.Write chunk failure` (a FW text) and 101 "Failed to write flash". */
export const FOTA_MAX_PACKET_BYTES = 2 * 1024 * 1024;
export const FOTA_TOO_LARGE_LINE = 'AT-S.Write chunk failure';
export const FOTA_TOO_LARGE_ERROR = 101;

/** The check at boot is openPacket (hosts/node/ota/packet.ts): structure, GCM tag (secure packets), SHA-256.
 *  A packet is secure when its header's IV/tag are set, whatever its name (the FW's `.sfota` string may mean
 *  the module looks at the name; unknown). The key is aes128_key as saved (WCFG) when the boot starts: 32 hex
 *  digits, either case; any other value counts as no key. A secure packet without a usable key is refused
 *  (needs-key) like one with the wrong key: the old firmware boots. A plain packet ignores the key. The
 *  model field is not checked, and stray bytes in the version field are ignored (real packets have four). */
export const FOTA_KEY_PATTERN = /^[0-9a-fA-F]{32}$/;

/** The check and the installation run before the first boot line (they take timing.fotaInstallMs); the
 *  module then prints ONE boot sequence: +WIND:1:Poweron:<packet version>-SPWF04S when installed, the old
 *  firmware's text when refused. (The forum says the module resets itself after installing; whether a
 *  Poweron of the old firmware comes first is unknown.) The model suffix is the one a SPWF04S firmware
 *  prints, not the packet's model field; a version field without any printable text gives this version. */
export const FOTA_POWERON_MODEL = 'SPWF04S';
export const FOTA_UNKNOWN_VERSION = '000000-unknown';

/** SimModule.loseLink(): the access point is gone for a moment. The module prints +WIND:33 WiFi Network Lost,
 *  drops its address (a download fails with FOTA_LINK_LOST_ERROR, printed before the +WIND:33, which waits
 *  for the end of the answer) and, in station mode, scans again after timing.scanRetryMs and rejoins when
 *  the access point is still on the air (reversed: it stays idle). Open sockets are left alone (as
 *  RADIO_OFF_KEEPS_SOCKETS). A link dropped from the air (SimNetwork.takeDown, deauthenticate) fails a
 *  download the same way, at the moment the address is dropped (before the +WIND:33 of BEACON_LOSS_MS). */
export const LINK_LOSS_REJOINS = true;

// ---------------------------------------------------------------------------------------------------
// TLS (client sockets, s1/s2 servers, HTTPS, SMTPS/STARTTLS; AN §3.1, §3.1.2-3.1.7, doc §9.5-9.10).
// tls-trust.ts, tls-client.ts, tls-server.ts apply these; every verdict is recorded in sim.tlsLog.

/** Protocol versions: FW 1.1.0 speaks TLS 1.0 to 1.2 (AN §3.1), never 1.3. Node refuses below 1.2 by default
 *  and every peer in use speaks 1.2, so the simulator offers exactly TLS 1.2. */
export const TLS_MIN_VERSION = 'TLSv1.2';
export const TLS_MAX_VERSION = 'TLSv1.2';

/** Two TLS client sockets at a time (AN §3.1.3, FW 1.1.0); a third SOCKON with `s` or a domain answers 75
 *  "Too many sockets" at once (the real code is unknown; 75 is what XCUBE handles in socket flows). HTTPS and
 *  SMTP sessions do not count: the console runs one command at a time, so they never overlap a SOCKON. */
export const MAX_TLS_CLIENT_SOCKETS = 2;
export const TLS_SOCKETS_EXHAUSTED_ERROR = 75;

/** The module trusts exactly the CAs of its TLS store (TLSCERT ca and the <hex>.ca files, PEM or DER): no CA,
 *  no TLS (the FW's "Skip CA" text may mean a module skips verification without a CA; unknown, so the safe
 *  side is taken, as for FWUPDATE). The peer's chain must lead to one of them by signature; then every
 *  certificate of the chain, the CA included, must be valid at the MODULE's clock (1970 after a reset until
 *  TIME or NTP) — the desktop's time plays no part. (The handshake itself runs with Node's verification off;
 *  the module's checks are made on the chain the peer sent, with X509Certificate.) */
export const TLS_REQUIRES_CA = true;

/** The name check (AN §3.1.2, §3.1.6, §3.1.7): the expected name — the host for SOCKON `s`, the domain given
 *  in its place otherwise, `<host>` for HTTPS and SMTP — must equal the Common Name of the server's
 *  certificate exactly (case-sensitive, no wildcard); subjectAltName entries are ignored ("the module compares
 *  the CN"). With several CNs the last (most specific) counts. 'none' would skip the name check. FWUPDATE's
 *  HTTPS download checks the same way (see FOTA above). */
export const TLS_NAME_MATCH: 'cn-exact' | 'none' = 'cn-exact';

/** SNI: the module sends the expected name as server_name when it is a DNS name (not an IP address, no
 *  spaces: "server domain" of the AN's examples is sent without SNI). Unknown whether FW 1.1.0 sends SNI. */
export function tlsServerName(name: string): string | undefined {
  return /^(?=.{1,253}$)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/.test(name) && !/^[0-9.]+$/.test(name) ? name : undefined;
}

/** Client role: the module presents its certificate and key (TLSCERT cert/key, or tls.cert/tls.key) whenever
 *  both are stored and readable, to any server that asks (mutual authentication, AN §3.1.3.2). A refusal by
 *  the server ends the handshake: 74. */
export const TLS_CLIENT_CERT_WHEN_STORED = true;

/** A failed TLS open prints no line of its own before AT-S.ERROR:74 (the AN names only the error line; the
 *  FW's `Certificate Error` text is used by FWUPDATE here, its role on SOCKON is unknown). */
export const TLS_OPEN_FAILURE_LINE: string | undefined = undefined;

/** Server role (SOCKDON s1/s2, AN §3.1.4): the module presents its certificate and key. s2 requests a client
 *  certificate and checks it as the client role checks a server's (chain to a CA of the store, dates at the
 *  module clock; no name check). The verdict is applied once the handshake completes (Node offers no hook
 *  inside it): a refused client — no certificate, wrong CA, out of date — is disconnected at once, without
 *  +WIND:61 (the AN: "the connection is reset by server"). +WIND:61 comes only after a completed, accepted
 *  handshake (AN §3.1.4: the <cid> is returned after the handshake). */
export const TLS_SERVER_VERDICT_AFTER_HANDSHAKE = true; // descriptive: Node offers no way to decide inside the handshake

/** "The maximum overall number of opened sockets in server mode is two" (AN §3.1.4) is read as: at most two
 *  TLS clients at a time over both servers. A third TLS client is disconnected before its handshake and
 *  announced with +WIND:83 as a ninth TCP client is (see MAX_SERVER_CLIENTS). TCP/UDP servers keep their
 *  eight clients each. */
export const MAX_TLS_SERVER_CLIENTS = 2;

// ---------------------------------------------------------------------------------------------------
// HTTP client (AT+S.HTTPGET / AT+S.HTTPPOST, AN §3.1.7, doc §5.7, §9.9)

/** Syntax `=<host>,[<path>],[<port>],[<TLS>],[<usn>],[<pwd>],[<DownFile>],[<UpFile>]`. Empty path → "/";
 *  empty port → 80, or 443 for TLS 1 and 2 (as FOTA_DEFAULT_PORTS); TLS 1 "automatically detect" = HTTPS on
 *  port 443, plain HTTP on any other (as FOTA_AUTO_TLS_PORT). TLS other than 0-2, a bad port → 7. */
export const HTTP_AUTO_TLS_PORT = FOTA_AUTO_TLS_PORT;

/** The request: HTTP/1.1 with Host, `User-Agent: HTTP_USER_AGENT`, `Connection: close`, Basic authentication
 *  when <usn> is given (AN: "username and password in case the page needs authentication"). POST sends the
 *  content of <UpFile> (a file of the RAM disk, written with FSC) as its body with Content-Length and
 *  HTTP_POST_CONTENT_TYPE — form data, as the SPWF01's HTTPPOST took `<formcontent>`; an absent UpFile
 *  posts an empty body, a missing file answers 51 "Unable to open file". GET with an UpFile ("custom
 *  request": format unknown) and any <DownFile> (saving the response to a file) are not simulated: 7. */
export const HTTP_USER_AGENT = 'SPWF04S';
export const HTTP_POST_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const HTTP_UNSUPPORTED_FILE_ERROR = 7;

/** The answer: `AT-S.Http Server Status Code:<code>` (GHI; the line FWUPDATE prints too) when the response
 *  head arrives, then the response bytes as they arrive, then AT-S.OK — for any status (a 404 is an answer,
 *  not a module error). The bytes are the BODY only (de-chunked): the status has its own line, GHI reads the
 *  content after it, and the core hands what follows the status line to the application as the body. Set
 *  HTTP_RESPONSE_INCLUDES_HEADERS to print the status line and headers as received first (DownFile's
 *  "the HTTP response" may mean the whole response). */
export const HTTP_RESPONSE_INCLUDES_HEADERS = false;

/** Errors: 74 when the server cannot be reached (DNS, connect) or the TLS open fails (as SOCKON); 111
 *  "Request failed" when the server sends no response head, or the connection ends or goes silent
 *  (timing.serviceTimeoutMs) before the whole response — after the bytes already printed; 60 without a
 *  link (as FWUPDATE). The firmware's "Http Client Error" texts have no known number. */
export const HTTP_CONNECT_ERROR = 74;
export const HTTP_REQUEST_FAILED_ERROR = 111;
export const HTTP_NO_LINK_ERROR = 60;

// ---------------------------------------------------------------------------------------------------
// SMTP client (AT+S.SMTP, AN §3.1.7 table 7, §4.7, doc §5.7, §9.10)

/** Fields: `<host>,<port>,<TLS>,<usn>,<pwd>,<id>,<from>,<to>,<cc>,<bcc>,<subject>,…,<len>`: the two empty
 *  fields between <to> and <subject> are taken for Cc and Bcc (guess), anything between <subject> and <len>
 *  is ignored (the AN shows two empty fields there, doc §5.7 one). Host, from, to and len are required (2);
 *  TLS other than 0, 5, 8, 9 → 7. Empty port → 25 (TLS 0, 8) or 465 (TLS 5, 9). Empty <id> → the module's
 *  ip_hostname as EHLO name. */
export const SMTP_DEFAULT_PORTS: Readonly<Record<number, number>> = { 0: 25, 8: 25, 5: 465, 9: 465 };

/** TLS options (table 7), all on the given <port> (the AN's "port 465" is the usual SMTPS port, not a second
 *  connection):
 *  - 0: plain SMTP, STARTTLS never used even when offered;
 *  - 8: plain SMTP, then STARTTLS — the server must offer it, else the mail is not sent (111);
 *  - 5: SMTPS (TLS at connect); when the server does not speak TLS there, plain SMTP with STARTTLS when
 *    offered, else without security;
 *  - 9: as 5, but without STARTTLS the mail is not sent (111).
 *  "Not available" means the TLS handshake itself failed (the server did not speak TLS); a certificate the
 *  module refuses (CA, dates, CN ≠ <host>) stops the mail with 74 — never a fallback to plain text. */
export const SMTP_FALLBACK_ONLY_WHEN_TLS_NOT_SPOKEN = true;

/** The dialog: EHLO (HELO if EHLO is refused), STARTTLS as above (then EHLO again), AUTH PLAIN (or LOGIN when
 *  only LOGIN is offered) when <usn> is given — a server offering no AUTH then fails the mail (111) —, MAIL
 *  FROM, RCPT TO for to/cc/bcc, DATA, QUIT. The message: From, To, Cc, Subject, a Date from the module's
 *  clock, MIME-Version 1.0, Content-Type text/plain; the body is the data phase with line ends made CR LF
 *  and dot-stuffed. */
export const SMTP_CONTENT_TYPE = 'text/plain';

/** Answers: AT-S.OK once the server accepted the message (250 after DATA); 74 when the server cannot be
 *  reached or a TLS open fails; 111 "Request failed" when the server refuses anything (greeting, EHLO,
 *  STARTTLS, AUTH, sender, recipient, message), does not offer what the option requires, or goes silent
 *  (timing.serviceTimeoutMs); 60 without a link. No intermediate line (reply lines are [unknown]). */
export const SMTP_CONNECT_ERROR = 74;
export const SMTP_REFUSED_ERROR = 111;
export const SMTP_NO_LINK_ERROR = 60;

// ---------------------------------------------------------------------------------------------------
// Timing. Real boot and join durations are unknown (doc §8.4); these keep a boot+join near one second so
// that the demo feels like a module without making users wait. Tests override them.

export const DEFAULT_TIMING: SimTiming = {
  bootMs: 50, // power-on or reset → +WIND:1..+WIND:0 (and +WIND:3)
  hardwareStartMs: 100, // +WIND:3 → +WIND:32
  resetMs: 10, // AT+S.RESET accepted → reboot starts
  scanMs: 300, // +WIND:21 → +WIND:35
  joinMs: 50, // +WIND:35 → +WIND:19
  associationMs: 100, // +WIND:19 → +WIND:25
  handshakeMs: 200, // +WIND:25 → +WIND:51 (or +WIND:40 on a wrong passphrase)
  dhcpMs: 200, // +WIND:51 → +WIND:24 (IPv4)
  ipv6Ms: 50, // IPv4 +WIND:24 → IPv6 +WIND:24
  scanRetryMs: 2000, // failed scan / rejected network → next +WIND:21
  joinRetryMs: 2000, // +WIND:40 → next +WIND:19
  radioOffMs: 20, // WIFI=0's OK → +WIND:38
  radioOnMs: 50, // WIFI=1's OK → +WIND:32
  connectTimeoutMs: 5000, // SOCKON gives up → ERROR:74 (MBED allows 5 s)
  tlsHandshakeTimeoutMs: 8000, // TLS handshake gives up → ERROR:74; with the connect, within the core's 15 s SOCKON timeout
  serviceTimeoutMs: 10000, // HTTP/SMTP/FWUPDATE server silent this long → the command fails (guess; the core waits 30 s / 60 s)
  ntpMs: 10000, // IPv4 +WIND:24 → the NTP answer (+WIND:84): after the AN §3.2.3 boot log, which ends at WiFi Up
  fotaInstallMs: 2000, // a boot that finds /fw.fota: checking (and installing) it before +WIND:1
  chunkIntervalMs: 0, // between two output chunks
};
