// `spwf04`: the Node command line. One table of subcommands; each parses its own arguments (cli-args.ts)
// and resolves with its exit status. Nothing a command throws reaches the user as a stack trace.

import { CliIo, EXIT_FAILURE, EXIT_OK, PROCESS_IO, UsageError, oneLine, usageFailure } from './cli-args';
import { DEMO_SUMMARY, runDemoCommand } from './demo';
import { SIM_SUMMARY, runSimCommand } from './sim-command';
import { CERT_SUMMARY, runCertCommand } from './cert-command';
import { OTA_SUMMARY, runOtaCommand } from './ota/ota-command';
import { FLASH_SUMMARY, runFlashCommand } from './flash-command';
import { TRACE_SUMMARY, runTraceCommand } from './trace/trace-command';

interface Command {
  /** The lines shown under the command's name in `spwf04 --help`. */
  summary: string[];
  run(args: string[], io: CliIo): Promise<number>;
}

/** The subcommands, in the order `spwf04 --help` lists them. */
const COMMANDS: { [name: string]: Command } = {
  demo: { summary: DEMO_SUMMARY, run: runDemoCommand },
  sim: { summary: SIM_SUMMARY, run: function (args, io) { return runSimCommand(args, io); } },
  cert: { summary: CERT_SUMMARY, run: runCertCommand },
  ota: { summary: OTA_SUMMARY, run: function (args, io) { return runOtaCommand(args, io); } },
  flash: { summary: FLASH_SUMMARY, run: function (args, io) { return runFlashCommand(args, io); } },
  trace: { summary: TRACE_SUMMARY, run: function (args, io) { return runTraceCommand(args, io.out, io.err); } },
};

export function usage(): string {
  const lines = ['usage: spwf04 <command> [options]      (spwf04 <command> --help for each command\'s options)', '', 'commands:'];
  for (const name of Object.keys(COMMANDS)) {
    const summary = COMMANDS[name]!.summary;
    for (let i = 0; i < summary.length; i++) lines.push((i === 0 ? '  ' + (name + '        ').substring(0, 8) : '          ') + summary[i]);
  }
  return lines.join('\n');
}

/** Runs `spwf04 <argv>`; resolves with the exit status, never rejects. */
export function main(argv: string[], io?: CliIo): Promise<number> {
  const out = io || PROCESS_IO;
  const name = argv[0];
  if (name === undefined) return Promise.resolve(usageFailure(out, new UsageError('which command?'), usage()));
  if (name === '--help' || name === '-h' || name === 'help') {
    out.out(usage());
    return Promise.resolve(EXIT_OK);
  }
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, name)) {
    return Promise.resolve(usageFailure(out, new UsageError((name.charAt(0) === '-' ? 'unknown option: ' : 'unknown command: ') + name), usage()));
  }
  let run: Promise<number>;
  try {
    run = COMMANDS[name]!.run(argv.slice(1), out);
  } catch (e) {
    run = Promise.reject(e);
  }
  return run.catch(function (e) {
    out.err('spwf04 ' + name + ': ' + oneLine(e));
    return EXIT_FAILURE;
  });
}

if (require.main === module) {
  // Last resort: whatever escapes a command's own handling prints one line, never a stack trace.
  const last = function (e: unknown) {
    process.stderr.write('spwf04: ' + oneLine(e) + '\n');
    process.exit(EXIT_FAILURE);
  };
  process.on('uncaughtException', last);
  process.on('unhandledRejection', last);
  main(process.argv.slice(2)).then(function (code) { process.exitCode = code; });
}
