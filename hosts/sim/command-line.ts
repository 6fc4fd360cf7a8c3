// Parsing of one console command line: `AT`, `AT+S.<CMD>` or `AT+S.<CMD>=<p1><sep><p2>…`, case-
// insensitive. Also tells, from the line alone, whether a payload follows its CR and how long it is.

import { FSA_IS_ABSENT } from './choices';

export interface CommandLine {
  /** Upper-cased command name: 'AT', 'AT+S.SCFG', 'AT&W' … */
  name: string;
  /** Text after '=' (undefined when there is no '='). */
  argText: string | undefined;
  /** argText split at the separator; [] when there is no '='. */
  params: string[];
}

export function parseCommandLine(line: string, separator: string): CommandLine {
  const eq = line.indexOf('=');
  const name = (eq < 0 ? line : line.substring(0, eq)).trim().toUpperCase();
  const argText = eq < 0 ? undefined : line.substring(eq + 1);
  const params = argText === undefined ? [] : argText.split(separator || ',');
  return { name, argText, params };
}

/** An optional field left empty or filled with the literal NULL (MBED, XCUBE) counts as absent. */
export function isAbsent(param: string | undefined): boolean {
  return param === undefined || param === '' || param.toUpperCase() === 'NULL';
}

/** A non-negative decimal integer, or undefined. */
export function parseCount(param: string | undefined): number | undefined {
  if (param === undefined || !/^\d{1,9}$/.test(param)) return undefined;
  return Number(param);
}

// Commands of the form `…,<len><CR><data>` in FW 1.1.0 (doc §1.3): where their <len> sits. The
// simulator frames all of them, so that an unsimulated one never desynchronises the console. FSA is
// framed only if it exists (FSA_IS_ABSENT): the firmware cannot frame a command it does not know.
const LAST = -1;
const DATA_LENGTH_PARAM: Readonly<Record<string, number>> = {
  'AT+S.SOCKW': 1,
  'AT+S.SOCKDW': 2,
  'AT+S.WSOCKW': LAST,
  'AT+S.FSC': 1,
  'AT+S.TLSCERT': 1,
  'AT+S.WPAECERT': 1,
  'AT+S.SMTP': LAST,
  'AT+S.MQTTPUB': LAST,
  'AT+S.INPUTSSI': 0,
  'AT+S.CMDREQ': 0,
  ...(FSA_IS_ABSENT ? {} : { 'AT+S.FSA': 1 }),
};
// TLSCERT/WPAECERT carry data only for these kinds; `content,<1|2>` has none.
const CERT_KINDS_WITH_DATA = ['CA', 'CERT', 'KEY', 'AUTH'];

export function payloadLength(cmd: CommandLine): number | undefined {
  const where = DATA_LENGTH_PARAM[cmd.name];
  if (where === undefined || cmd.argText === undefined) return undefined;
  if ((cmd.name === 'AT+S.TLSCERT' || cmd.name === 'AT+S.WPAECERT') &&
      !CERT_KINDS_WITH_DATA.includes((cmd.params[0] ?? '').toUpperCase())) return undefined;
  return parseCount(cmd.params[where === LAST ? cmd.params.length - 1 : where]);
}
