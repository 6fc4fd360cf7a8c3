// Errors are a small closed set of kinds. They are plain Error objects with a `code` field, because
// Espruino cannot subclass Error (`class X extends Error` is broken there).

export type ErrorCode =
  | 'Timeout' // the module did not answer in time
  | 'ModuleError' // AT-S.ERROR:<code>:<text>
  | 'Busy' // the command queue is full
  | 'Overflow' // an answer larger than its bound
  | 'Limit' // a module limit (sockets, servers) would be exceeded
  | 'InvalidParameter' // a parameter the module would refuse or that would inject a command
  | 'ModuleReset' // the module rebooted while a command was in flight
  | 'NotReady' // the engine is not started or is stopped
  | 'LinkDown' // the Wi-Fi link is not up
  | 'JoinFailed' // the join ended without WiFi Up
  | 'SocketClosed'
  | 'TimeNotSet'
  | 'CertRejected'
  | 'Stopped'
  | 'NotAvailable' // a feature whose optional module is not loaded (on Espruino: not in Storage)
  | 'FirmwareRejected' // after a firmware update the module booted its old firmware (bad packet, wrong key)
  | 'TlsFailed' // a TLS open refused by the module (error 74): `reasons` gives the likely causes
  | 'NotAvailable'; // an optional feature whose module is not on the board (Espruino: its Storage module)

export interface SpwfError extends Error {
  code: ErrorCode;
  /** The module's numeric error code (ModuleError), kept even when unknown. */
  moduleCode?: number;
  /** Its typed name, e.g. 'PendingData' for 77 (ModuleError). */
  moduleName?: string;
  /** The module's own text after the code. */
  moduleText?: string;
  /** The command line that failed, secrets masked. */
  command?: string;
  /** Extra reasons a user can act on. */
  reasons?: string[];
}

export interface ErrorExtra {
  moduleCode?: number;
  moduleName?: string;
  moduleText?: string;
  command?: string;
  reasons?: string[];
}

/** An Error (instanceof Error, `String(e)` is "Error: <message>") without a captured stack: on Espruino
 *  `new Error` keeps a stack trace of about 40 variables, this takes about 11. */
export function spwfError(code: ErrorCode, message: string, extra?: ErrorExtra): SpwfError {
  const e = Object.create(Error.prototype) as SpwfError;
  e.message = message;
  e.code = code;
  if (extra) Object.assign(e, extra);
  return e;
}

export function isSpwfError(e: any, code?: ErrorCode): e is SpwfError {
  return !!e && typeof e.code === 'string' && (code === undefined || e.code === code);
}
