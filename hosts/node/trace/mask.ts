// Secrets out of a trace line, for lines that did not come through the engine's own masking (the
// simulator sees the raw bytes of whatever client talks to it) and, as a second guard, for every line
// a Node writer keeps. The result is the engine's masked form (`show` of the command descriptors in
// src/at/commands.ts), so a trace reads the same whoever wrote it; a line already masked is unchanged.

import { scfg } from '../../../src/at/commands';

const MASK = '********';

/** Whether the core treats this configuration variable as a secret (asks its own SCFG descriptor). */
function isSecretVariable(name: string): boolean {
  try {
    return scfg(name, 'x').show !== undefined;
  } catch (_e) {
    return false;
  }
}

/** Mask field `index` (0-based) of the comma-separated parameters after `prefix`, when not empty. */
function maskField(line: string, prefix: string, index: number): string {
  const fields = line.substring(prefix.length).split(',');
  if (fields.length <= index || fields[index] === '') return line;
  fields[index] = MASK;
  return prefix + fields.join(',');
}

export function maskLine(line: string): string {
  if (line.indexOf('AT+S.SCFG=') === 0) {
    const comma = line.indexOf(',');
    if (comma > 0 && isSecretVariable(line.substring('AT+S.SCFG='.length, comma))) return line.substring(0, comma + 1) + MASK;
    return line;
  }
  if (line.indexOf('AT-S.Var:') === 0) {
    const eq = line.indexOf('=');
    if (eq > 0 && eq < line.length - 1 && isSecretVariable(line.substring('AT-S.Var:'.length, eq))) return line.substring(0, eq + 1) + MASK;
    return line;
  }
  // <host>,<path>,<port>,<TLS>,<user>,<password>,...
  if (line.indexOf('AT+S.HTTPGET=') === 0) return maskField(line, 'AT+S.HTTPGET=', 5);
  if (line.indexOf('AT+S.HTTPPOST=') === 0) return maskField(line, 'AT+S.HTTPPOST=', 5);
  // e,<host>,<path>,<port>,<TLS>,<user>,<password>
  if (line.indexOf('AT+S.FWUPDATE=') === 0) return maskField(line, 'AT+S.FWUPDATE=', 6);
  // <host>,<port>,<TLS>,<user>,<password>,...
  if (line.indexOf('AT+S.SMTP=') === 0) return maskField(line, 'AT+S.SMTP=', 4);
  return line;
}
