// What every `spwf04` command shares: where its output and its errors go, and one argument parser
// (node:util parseArgs, strict) that turns each usage error into one line naming the flag. The
// conventions (those of git, openssl, npm): --help/-h prints the usage to stdout and exits 0; a usage
// error prints one line and the usage to stderr and exits 2; a failure prints to stderr and exits 1.

import { parseArgs } from 'node:util';

export type Print = (line: string) => void;

/** A command's two output streams, one line per call: results to `out`, errors and progress to `err`. */
export interface CliIo {
  out: Print;
  err: Print;
}

/** The process's own streams. */
export const PROCESS_IO: CliIo = {
  out: function (l) { process.stdout.write(l + '\n'); },
  err: function (l) { process.stderr.write(l + '\n'); },
};

/** Exit statuses. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A mistake in the command line (exit 2); its message is one line that names the flag or argument. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An option: a flag, or one that takes a value (`--name <value>` or `--name=<value>`). */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export interface OptionSpecs {
  [name: string]: OptionSpec;
}

export interface ParsedArgs {
  values: { [name: string]: string | boolean | undefined };
  positionals: string[];
}

/** True when the arguments ask for help (before a `--`), whatever else they hold. */
export function wantsHelp(args: string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--') return false;
    if (args[i] === '--help' || args[i] === '-h') return true;
  }
  return false;
}

/** Strict parse; every mistake becomes a UsageError with one line naming the flag. */
export function parseCommandLine(args: string[], options: OptionSpecs, maxPositionals: number): ParsedArgs {
  let parsed: ParsedArgs;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: maxPositionals > 0 }) as ParsedArgs;
  } catch (e) {
    throw new UsageError(describeParseError(e as NodeJS.ErrnoException));
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError('unexpected argument: ' + parsed.positionals[maxPositionals]);
  }
  return parsed;
}

/** parseArgs's messages are several sentences long; say the same in one line. */
function describeParseError(e: NodeJS.ErrnoException): string {
  const quoted = /'([^']*)'/.exec(e.message || '');
  const what = quoted ? quoted[1]!.replace(/ <value>$/, '').replace(/^-\w, /, '') : '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return 'unknown option: ' + what;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument: ' + what;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(e.message)) return what + ' takes no value';
      return what + ' needs a value' + (/ambiguous/.test(e.message) ? ' (write ' + what + '=<value> for one that starts with "-")' : '');
    default:
      return e.message.split('\n')[0]!;
  }
}

/** A whole number from `min` to `max` given to `option`, or a UsageError that says so. */
export function wholeNumber(text: string, option: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(option + ' wants a whole number from ' + min + ' to ' + max + ', not "' + text + '"');
  return n;
}

/** The string value of an option, if it was given. */
export function stringOption(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Print a usage error as the convention wants it: one line, then the usage, on stderr; exit 2. */
export function usageFailure(io: CliIo, e: UsageError, usage: string): number {
  io.err('spwf04: ' + e.message);
  io.err('');
  io.err(usage);
  return EXIT_USAGE;
}

/** One line for an error nobody expected (never a stack trace). */
export function oneLine(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && err.code && err.path) return 'cannot ' + (err.syscall || 'use') + ' ' + err.path + ': ' + err.code;
  const text = err && typeof err.message === 'string' ? err.message : String(e);
  return text.split('\n')[0]!;
}
