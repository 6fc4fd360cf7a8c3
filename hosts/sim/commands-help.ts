// AT+S.HELP: a short list of the commands the simulator answers, with their FW 1.1.0 help syntaxes.

import { HELP_KEYWORD } from './choices';
import type { CommandHandler, CommandTable } from './command-context';
import { isAbsent } from './command-line';
import { E } from './errors';

const SYNTAX: Readonly<Record<string, string>> = {
  'AT': '',
  'AT+S.HELP': '[=<keyword>]',
  'AT+S.RESET': '',
  'AT+S.GCFG': '[=<cfg_var>]',
  'AT+S.SCFG': '=<key>,<value>',
  'AT+S.WCFG': '',
  'AT+S.FCFG': '',
  'AT+S.STS': '[=<sts_var>]',
  'AT+S.TIME': '[=<seconds since 1970>]',
  'AT+S.NTP': '',
  'AT+S.WIFI': '=<0|1>',
  'AT+S.SSIDTXT': '[=<ssid>]',
  'AT+S.SCAN': '=<d|s|m>,<filename>',
  'AT+S.SOCKON': '=<host>,<port>,,<t|u|s|TLS server domain>',
  'AT+S.SOCKW': '=<id>,<len><CR><data>',
  'AT+S.SOCKQ': '=<id>',
  'AT+S.SOCKR': '=<id>,<len>',
  'AT+S.SOCKC': '=<id>',
  'AT+S.SOCKL': '',
  'AT+S.SOCKDON': '=<port>,<t|u|s1|s2>',
  'AT+S.SOCKDW': '=<sid>,<cid>,<len><CR><data>',
  'AT+S.SOCKDQ': '=<sid>,<cid>',
  'AT+S.SOCKDR': '=<sid>,<cid>,<len>',
  'AT+S.SOCKDC': '=<sid>[,<cid>]',
  'AT+S.SOCKDL': '[=<sid>]',
  'AT+S.FSC': '=<filename>,<datalen><CR><data>',
  'AT+S.FSD': '=<filename>',
  'AT+S.FSR': '=<old_filename>,<new_filename>',
  'AT+S.FSL': '[=<filename>]',
  'AT+S.FSP': '=<filename>,<offset>,<length>',
  'AT+S.FWUPDATE': '=e,<host>,<path>,<port>,<TLS>,<usn>,<pwd>',
  'AT+S.HTTPGET': '=<host>,<path>,<port>,<TLS>,<usn>,<pwd>,<DownFile>,<UpFile>',
  'AT+S.HTTPPOST': '=<host>,<path>,<port>,<TLS>,<usn>,<pwd>,<DownFile>,<UpFile>',
  'AT+S.SMTP': '=<host>,<port>,<TLS>,<usn>,<pwd>,<ID>,<from>,<to>,,,<subject>,,<length><CR><body>',
  'AT+S.TLSCERT': '=<ca|cert|key|auth|content>,<length|1|2><CR><data>',
  'AT+S.WPAECERT': '=<ca|cert|key|content>,<length|1|2><CR><data>',
};

const help: CommandHandler = (_ctx, { cmd }, reply) => {
  const word = cmd.params[0];
  const names = Object.keys(SYNTAX).filter((name) => isAbsent(word) || name.includes(word!.toUpperCase()));
  if (names.length === 0) return reply.error(E.commandNotFound);
  for (const name of names) reply.line(`AT-S.${HELP_KEYWORD}:${name}${SYNTAX[name]}`);
  reply.ok();
};

export const helpCommands: CommandTable = {
  'AT+S.HELP': help,
};
