// Wi-Fi commands: AT+S.WIFI (radio off/on), AT+S.SSIDTXT (set/query the SSID), AT+S.SCAN, AT+S.WPS.

import {
  RADIO_ENABLED_ERROR, RADIO_OFF_KEEPS_SOCKETS, SCAN_IGNORES_FILTER, scanResultLine, SSIDTXT_QUERY_KEYWORD,
  WIFI_SETTINGS_ACCEPTED_WHILE_RADIO_ON, WPS_NOT_STATION_ERROR, wpsPinLine,
} from './choices';
import type { CommandHandler, CommandTable } from './command-context';
import { isAbsent } from './command-line';
import { E } from './errors';
import { fullWpsPin } from './wps';
import { ssidProblem } from './wifi-params';

const wifi: CommandHandler = (ctx, { cmd }, reply) => {
  if (cmd.params.length > 1) return reply.error(E.tooManyArguments);
  const arg = cmd.params[0];
  if (isAbsent(arg)) return reply.error(E.missingArguments);
  if (arg !== '0' && arg !== '1') return reply.error(E.invalidArguments);
  reply.ok();
  // Switching to the state the radio is already in does nothing.
  if (arg === '0' && ctx.radio.enabled) {
    ctx.radio.stop(ctx.timing.radioOffMs);
    if (!RADIO_OFF_KEEPS_SOCKETS) ctx.sockets.disconnectAll();
  }
  if (arg === '1' && !ctx.radio.enabled) ctx.radio.start(ctx.timing.radioOnMs);
};

const ssidText: CommandHandler = (ctx, { cmd }, reply) => {
  if (cmd.argText === undefined) {
    reply.line(`AT-S.${SSIDTXT_QUERY_KEYWORD}:${ctx.config.ssid()}`);
    return reply.ok();
  }
  const bad = ssidProblem(cmd.argText);
  if (bad) return reply.error(bad.code);
  if (!WIFI_SETTINGS_ACCEPTED_WHILE_RADIO_ON && ctx.radio.enabled) return reply.error(RADIO_ENABLED_ERROR);
  ctx.config.setSsid(cmd.argText);
  reply.ok();
};

const scan: CommandHandler = (ctx, { cmd }, reply) => {
  if (!ctx.radio.running) return reply.error(E.radioNotRunning);
  const onlyOurSsid = !SCAN_IGNORES_FILTER && (cmd.params[0] ?? '').toLowerCase() === 's';
  ctx.after(ctx.timing.scanMs, () => {
    const aps = ctx.network.onAir().filter((ap) => !onlyOurSsid || ap.ssid === ctx.config.ssid());
    reply.line(`AT-S.Parsing Networks:${aps.length}`);
    aps.forEach((ap, i) => reply.line(scanResultLine(i + 1, ap)));
    reply.ok();
  });
};

/** AT+S.WPS=<0|1|2>: push button, PIN from wifi_wps_pin (7 digits + checksum), PIN made up (AN §3.2.1.1). */
const wps: CommandHandler = (ctx, { cmd }, reply) => {
  const mode = cmd.params[0];
  if (isAbsent(mode)) return reply.error(E.missingArguments);
  if (cmd.params.length > 1) return reply.error(E.tooManyArguments);
  if (mode !== '0' && mode !== '1' && mode !== '2') return reply.error(E.invalidArguments);
  if (ctx.config.number('wifi_mode') !== 1) return reply.error(WPS_NOT_STATION_ERROR);
  if (!ctx.radio.running) return reply.error(E.radioNotRunning);
  let pin: string | undefined;
  if (mode === '1') {
    pin = fullWpsPin(ctx.config.get('wifi_wps_pin') ?? '');
    if (!pin) return reply.error(E.invalidArguments);
  } else if (mode === '2') pin = ctx.radio.randomWpsPin();
  if (pin) reply.line(wpsPinLine(pin));
  reply.ok();
  ctx.radio.startWps(pin);
};

export const wifiCommands: CommandTable = {
  'AT+S.WIFI': wifi,
  'AT+S.SSIDTXT': ssidText,
  'AT+S.SCAN': scan,
  'AT+S.WPS': wps,
};
