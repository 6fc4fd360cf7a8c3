// AT, AT+S.RESET and the configuration commands GCFG / SCFG / WCFG / FCFG / STS (with the legacy
// aliases AT&V, AT&W, AT&F that FW 1.1.0 still accepts).

import {
  FREE_HEAP_BYTES, LAST_PARAMETER_TAKES_REST_OF_LINE, RADIO_ENABLED_ERROR, RESET_PRINTS_OK,
  WIFI_SETTINGS_ACCEPTED_WHILE_RADIO_ON,
} from './choices';
import type { CommandHandler, CommandTable, Reply, SimContext } from './command-context';
import { isAbsent } from './command-line';
import { E } from './errors';

const varLine = (name: string, value: string | number) => `AT-S.Var:${name}=${value}`;

const getConfig: CommandHandler = (ctx, { cmd }, reply) => {
  if (isAbsent(cmd.params[0])) {
    for (const name of ctx.config.names()) reply.line(varLine(name, ctx.config.get(name)!));
    return reply.ok();
  }
  const name = cmd.params[0]!;
  const value = ctx.config.get(name);
  if (value === undefined) return reply.error(E.variableNotFound);
  reply.line(varLine(name, value));
  reply.ok();
};

const setConfig: CommandHandler = (ctx, { cmd }, reply) => {
  const separator = ctx.config.get('console_delimiter') || ',';
  const text = cmd.argText ?? '';
  const cut = text.indexOf(separator);
  if (isAbsent(text) || cut < 0) return reply.error(E.missingArguments);
  const name = text.substring(0, cut);
  let value = text.substring(cut + separator.length);
  if (!LAST_PARAMETER_TAKES_REST_OF_LINE && value.indexOf(separator) >= 0) return reply.error(E.tooManyArguments);
  if (value.toUpperCase() === 'NULL') value = '';
  if (!WIFI_SETTINGS_ACCEPTED_WHILE_RADIO_ON && name.startsWith('wifi_') && ctx.radio.enabled) return reply.error(RADIO_ENABLED_ERROR);
  const code = ctx.config.set(name, value);
  if (code !== 0) return reply.error(code);
  reply.ok();
};

const saveConfig: CommandHandler = (ctx, _req, reply) => {
  ctx.config.save();
  reply.ok();
};

const factoryConfig: CommandHandler = (ctx, _req, reply) => {
  ctx.config.restoreFactory();
  reply.ok();
};

/** Status variables (AT+S.STS), computed when asked. */
function statusVariables(ctx: SimContext): [string, string | number][] {
  const lease = ctx.radio.lease;
  return [
    ['ip_ipaddr', lease?.ipv4 ?? '0.0.0.0'],
    ['ip_netmask', lease?.netmask ?? '0.0.0.0'],
    ['ip_gw', lease?.gateway ?? '0.0.0.0'],
    ['wifi_state', ctx.radio.wifiState],
    ['free_heap', FREE_HEAP_BYTES],
    ['system_uptime', ctx.uptimeSeconds()],
  ];
}

const status: CommandHandler = (ctx, { cmd }, reply) => {
  const vars = statusVariables(ctx);
  const wanted = cmd.params[0];
  if (isAbsent(wanted)) {
    for (const [name, value] of vars) reply.line(varLine(name, value));
    return reply.ok();
  }
  const found = vars.find(([name]) => name === wanted);
  if (!found) return reply.error(E.variableNotFound);
  reply.line(varLine(found[0], found[1]));
  reply.ok();
};

const reset: CommandHandler = (ctx, _req, reply: Reply) => {
  if (RESET_PRINTS_OK) reply.ok();
  else reply.end();
  ctx.softwareReset();
};

export const systemCommands: CommandTable = {
  'AT': (_ctx, _req, reply) => reply.ok(),
  'AT+S.RESET': reset,
  'AT+S.GCFG': getConfig,
  'AT&V': getConfig,
  'AT+S.SCFG': setConfig,
  'AT+S.WCFG': saveConfig,
  'AT&W': saveConfig,
  'AT+S.FCFG': factoryConfig,
  'AT&F': factoryConfig,
  'AT+S.STS': status,
};
