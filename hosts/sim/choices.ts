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
