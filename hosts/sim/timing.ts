// Delays (ms) of the simulated module's own activity. Defaults live in choices.ts (real durations are
// unknown); tests pass small values or drive fake timers.

import { DEFAULT_TIMING } from './choices';

export interface SimTiming {
  /** Power-on or reset → the first boot lines (+WIND:1, 13, 0, 3). */
  bootMs: number;
  /** +WIND:3 → +WIND:32 WiFi Hardware Started. */
  hardwareStartMs: number;
  /** AT+S.RESET accepted → the reboot starts. */
  resetMs: number;
  /** +WIND:21 WiFi Scanning → +WIND:35 WiFi Scan Complete. */
  scanMs: number;
  /** +WIND:35 → +WIND:19 WiFi Join. */
  joinMs: number;
  /** +WIND:19 → +WIND:25 WiFi Association successful. */
  associationMs: number;
  /** +WIND:25 → +WIND:51 WPA Handshake Complete (or +WIND:40 on a wrong passphrase). */
  handshakeMs: number;
  /** +WIND:51 (or 25 on an open network) → +WIND:24 with the IPv4 address. */
  dhcpMs: number;
  /** IPv4 +WIND:24 → IPv6 +WIND:24. */
  ipv6Ms: number;
  /** A scan that did not find a usable network → the next +WIND:21. */
  scanRetryMs: number;
  /** +WIND:40 after a failed handshake → the next +WIND:19. */
  joinRetryMs: number;
  /** AT+S.WIFI=0's OK → +WIND:38 WiFi Powered Down. */
  radioOffMs: number;
  /** AT+S.WIFI=1's OK → +WIND:32 WiFi Hardware Started. */
  radioOnMs: number;
  /** SOCKON waits this long for the peer before answering ERROR:74. */
  connectTimeoutMs: number;
  /** A TLS handshake (SOCKON s/<domain>, a client of an s1/s2 server, HTTPS, SMTPS/STARTTLS, FWUPDATE)
   *  gives up after this long: ERROR:74 for an open. */
  tlsHandshakeTimeoutMs: number;
  /** HTTPGET/HTTPPOST, SMTP and the FWUPDATE download give up on a server that stops answering (no reply, no
   *  data) for this long. */
  serviceTimeoutMs: number;
  /** IPv4 +WIND:24 WiFi Up → the module's NTP client sets the clock (+WIND:84). */
  ntpMs: number;
  /** A boot that finds a downloaded firmware packet checks (and installs) it first, before +WIND:1. */
  fotaInstallMs: number;
  /** Pause between two output chunks (0 = next macrotask). */
  chunkIntervalMs: number;
}

export function resolveTiming(overrides: Partial<SimTiming> = {}): SimTiming {
  const timing: SimTiming = { ...DEFAULT_TIMING };
  for (const key of Object.keys(overrides) as (keyof SimTiming)[]) {
    const ms = overrides[key];
    if (ms !== undefined) timing[key] = ms;
  }
  return timing;
}
