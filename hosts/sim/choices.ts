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

/** wifi_priv_mode that does not fit the AP's security (open vs WPA2-PSK; WEP and Enterprise are not
 *  simulated): the scan finds the network and the module rejects it with +WIND:74 (a FW 1.1.0 text),
 *  then rescans every timing.scanRetryMs. */
export const SECURITY_MISMATCH_WIND = 74;

/** AT+S.SCAN lists every network on the air whatever its filter argument (d/s/m; what `s` filters on is
 *  unclear, and drivers send `s` expecting a list), after timing.scanMs, without +WIND:21/35. */
export const SCAN_IGNORES_FILTER = true;

/** One AT+S.SCAN result line, following the FW 1.1.0 format
 *  `%u:\t%s%s %m CHAN: %02d RSSI: %03d SSID: '%s' CAPS: %04x %s%s%s` (doc §3.1): index from 1, "BSS",
 *  the BSSID in lower case, capabilities 0x0431 (ESS, privacy, short preamble/slot) or 0x0421 for an open
 *  network, then the security words XCUBE and MBED look for, each followed by a space. */
export function scanResultLine(index: number, ap: { ssid: string; bssid: string; security: 'open' | 'wpa2-psk'; channel?: number; rssi?: number }): string {
  const channel = String(ap.channel ?? 6).padStart(2, '0');
  const rssi = String(ap.rssi ?? -45).padStart(3, '0');
  const caps = ap.security === 'open' ? '0421' : '0431';
  const words = ap.security === 'open' ? '' : 'WPA2 ';
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

/** TLS client sockets (kind `s` or a CN) are not simulated yet: the open fails with 74 as a TLS
 *  verification failure would. */
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
 *  ip>:<remote port>`, proto 0 TCP / 1 UDP. The real meaning of the fields is unknown. */
export function socketListLine(s: { id: number; kind: 't' | 'u'; connected: boolean; pending: number; remoteIp: string; port: number }): string {
  return `AT-S.List:${s.id}:${s.kind === 't' ? 0 : 1}:${s.connected ? 1 : 0}:${s.pending}:${s.remoteIp}:${s.port}`;
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

/** TLS servers (s1 one-way, s2 mutual) are not simulated yet: SOCKDON answers 74 "Failed to open socket",
 *  as a TLS server without a usable certificate plausibly would. */
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
export function serverClientListLine(c: { sid: number; cid: number; kind: 't' | 'u'; pending: number; ip: string; port: number }): string {
  return `AT-S.List:${c.sid}:${c.cid}:${c.kind === 't' ? 0 : 1}:${c.pending}:${c.ip}:${c.port}`;
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

/** AT+S.NTP is accepted (AT-S.OK) and leaves the clock alone: no NTP server is simulated yet; tests set the
 *  clock with SimModule.setClock() instead. Reversed, NTP would set the clock to the desktop's time. */
export const NTP_SYNCS_TO_DESKTOP_TIME = false;

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
 *  are kept exactly as given ('/a' and 'a' are two files). */
export const FILE_NAME_MAX = 32;
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
  chunkIntervalMs: 0, // between two output chunks
};
