// `spwf04 trace <file> [--html <out>] [--summary]`: read a trace file (docs/trace-format.md) and draw it
// as a sequence diagram in one offline HTML file, or sum it up in plain text.

import * as fs from 'fs';
import { parseTrace, Trace, TraceFormatError } from './format';
import { analyse } from './exchanges';
import { summarise } from './summary';
import { renderHtml } from './render-html';
import { UsageError, parseCommandLine, stringOption, usageFailure, wantsHelp } from '../cli-args';

export type Print = (line: string) => void;

export const TRACE_SUMMARY = [
  'read a trace file written with --trace (or by the Espruino host)',
  'trace <file> --html <out.html> (a sequence diagram) | trace <file> --summary',
];

export const TRACE_USAGE = [
  'usage: spwf04 trace <file> [--html <out.html>] [--summary]',
  '',
  '  <file>            a trace written by `spwf04 demo --trace`, `spwf04 sim --trace` or the Espruino host',
  '  --html <out.html> write the exchange as a sequence diagram: one self-contained HTML file',
  '  --summary         print commands, failures, timeouts, indications by kind and time to WiFi Up',
  '                    (the default when --html is not given)',
].join('\n');

interface TraceArgs {
  file: string;
  html?: string;
  summary: boolean;
}

function parseTraceArgs(args: string[]): TraceArgs {
  const p = parseCommandLine(args, { html: { type: 'string' }, summary: { type: 'boolean' } }, 1);
  const file = p.positionals[0];
  const html = stringOption(p, 'html');
  if (file === undefined) throw new UsageError('which trace file?');
  return { file: file, html: html, summary: !!p.values.summary || html === undefined };
}

/** Resolves with the exit code: 0 done, 1 unreadable or invalid trace / output not written, 2 bad usage. */
export function runTraceCommand(args: string[], print: Print, printError: Print): Promise<number> {
  if (wantsHelp(args)) {
    print(TRACE_USAGE);
    return Promise.resolve(0);
  }
  let opts: TraceArgs;
  try {
    opts = parseTraceArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return Promise.resolve(usageFailure({ out: print, err: printError }, e, TRACE_USAGE));
  }
  let trace: Trace;
  try {
    trace = parseTrace(fs.readFileSync(opts.file, 'utf8'), opts.file);
  } catch (e) {
    if (e instanceof TraceFormatError) printError('invalid trace ' + e.message);
    else printError('cannot read ' + opts.file + ': ' + ((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message));
    return Promise.resolve(1);
  }
  const analysis = analyse(trace);
  if (opts.html !== undefined) {
    try {
      fs.writeFileSync(opts.html, renderHtml(analysis));
    } catch (e) {
      printError('cannot write ' + opts.html + ': ' + (e as Error).message);
      return Promise.resolve(1);
    }
    if (!opts.summary) print('wrote ' + opts.html + ' (' + trace.records.length + ' records)');
  }
  if (opts.summary) {
    const lines = summarise(analysis);
    for (let i = 0; i < lines.length; i++) print(lines[i]);
  }
  return Promise.resolve(0);
}
