// Wi-Fi commands: AT+S.WIFI (radio off/on), AT+S.SSIDTXT (set/query the SSID), AT+S.SCAN.

import {
  RADIO_ENABLED_ERROR, RADIO_OFF_KEEPS_SOCKETS, SCAN_IGNORES_FILTER, scanResultLine, SSIDTXT_QUERY_KEYWORD,
  WIFI_SETTINGS_ACCEPTED_WHILE_RADIO_ON,
} from './choices';
import type { CommandHandler, CommandTable } from './command-context';
import { isAbsent } from './command-line';
import { E } from './errors';

const MAX_SSID = 32;

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
  if (cmd.argText === '') return reply.error(E.missingArguments);
  if (cmd.argText.length > MAX_SSID) return reply.error(E.invalidArguments);
  if (!WIFI_SETTINGS_ACCEPTED_WHILE_RADIO_ON && ctx.radio.enabled) return reply.error(RADIO_ENABLED_ERROR);
  ctx.config.setSsid(cmd.argText);
  reply.ok();
};

const scan: CommandHandler = (ctx, { cmd }, reply) => {
  if (!ctx.radio.running) return reply.error(E.radioNotRunning);
  const onlyOurSsid = !SCAN_IGNORES_FILTER && (cmd.params[0] ?? '').toLowerCase() === 's';
  ctx.after(ctx.timing.scanMs, () => {
    const aps = ctx.network.accessPoints.filter((ap) => !onlyOurSsid || ap.ssid === ctx.config.ssid());
    reply.line(`AT-S.Parsing Networks:${aps.length}`);
    aps.forEach((ap, i) => reply.line(scanResultLine(i + 1, ap)));
    reply.ok();
  });
};

export const wifiCommands: CommandTable = {
  'AT+S.WIFI': wifi,
  'AT+S.SSIDTXT': ssidText,
  'AT+S.SCAN': scan,
};
