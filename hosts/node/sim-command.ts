// `spwf04 sim`: the simulated SPWF04S as a device a person can talk to. The module's UART is a TCP port on
// 127.0.0.1 (bytes in, bytes out, one client at a time); with --pty, socat turns that port into a
// pseudo-terminal, so screen, minicom, picocom or any serial-port library can open it like a real
// module's USB-UART. The module powers on when a client connects (so the client sees the boot log) and
// off when it leaves; Ctrl-C stops everything.

import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import { SimModule } from '../sim/module';
import { DEFAULT_ACCESS_POINT, type SimAccessPoint } from '../sim/network';
import { TcpUart } from '../sim/tcp-uart';
import { passphraseProblem, ssidProblem } from '../sim/wifi-params';
import type { SimTiming } from '../sim/timing';
import { CliIo, EXIT_OK, UsageError, parseCommandLine, stringOption, usageFailure, wantsHelp, wholeNumber } from './cli-args';
import { createTraceFileWriter, type TraceWriter } from './trace/writer';
import { UartTap } from './trace/uart-tap';

export const SIM_SUMMARY = [
  'run the simulated module for a terminal or a serial-port client',
  '(--tcp <port>, --pty <path> for a pseudo-terminal, --ssid/--psk for its access point)',
];

export const SIM_USAGE = [
  'usage: spwf04 sim [--tcp <port>] [--pty <path>] [--chunk <n>] [--ssid <name> [--psk <phrase>]] [--trace <file>]',
  '',
  'The simulated SPWF04S with its UART on a TCP port of 127.0.0.1 (and on a pseudo-terminal with --pty);',
  'it boots when a client connects. Ctrl-C stops it.',
  '',
  '  --tcp <port>    TCP port on 127.0.0.1 that carries the module\'s UART (default 0: any free port)',
  '  --pty <path>    also make a pseudo-terminal at <path> (needs socat) for screen/minicom/picocom',
  '  --chunk <n>     module output chunk size in bytes (default 64)',
  '  --ssid <name>   the simulated access point (default "SPWF-Lab"); open unless --psk is given',
  '  --psk <phrase>  its WPA2 passphrase (default "correct horse battery")',
  '  --trace <file>  write what crosses the UART to <file> (JSON Lines, secrets masked: docs/trace-format.md)',
  '  -h, --help      this help',
  '',
  'exit status: 0 stopped by Ctrl-C, 1 it could not run (port taken, socat missing), 2 a usage error',
].join('\n');

const SIM_OPTIONS = {
  tcp: { type: 'string' as const },
  pty: { type: 'string' as const },
  chunk: { type: 'string' as const },
  ssid: { type: 'string' as const },
  psk: { type: 'string' as const },
  trace: { type: 'string' as const },
};

/** For tests and embedding: how to stop without SIGINT, and the module's delays. */
export interface SimCommandControl {
  signal?: AbortSignal;
  timing?: Partial<SimTiming>;
  /** socat executable (default: `socat` on the PATH). */
  socat?: string;
}

interface SimCommandOptions {
  port: number;
  pty?: string;
  chunkSize: number;
  accessPoint: SimAccessPoint;
  trace?: string;
}

/** Runs until SIGINT (or control.signal); resolves with the exit code. */
export async function runSimCommand(args: string[], io: CliIo, control: SimCommandControl = {}): Promise<number> {
  if (wantsHelp(args)) {
    io.out(SIM_USAGE);
    return EXIT_OK;
  }
  const print = io.out;
  let opts: SimCommandOptions;
  try {
    opts = parseSimArgs(args);
    if (opts.pty !== undefined && isNonLink(opts.pty)) {
      throw new UsageError(`refusing --pty ${opts.pty}: a file that is not a symbolic link is already there (socat would replace it)`);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usageFailure(io, e, SIM_USAGE);
  }
  const sim = new SimModule({ chunkSize: opts.chunkSize, timing: control.timing, network: { accessPoints: [opts.accessPoint] } });
  let tracer: TraceWriter | undefined;
  try {
    if (opts.trace !== undefined) tracer = traceUart(sim, opts.trace);
  } catch (e) {
    io.err(`cannot write the trace file ${opts.trace}: ${(e as Error).message}`);
    sim.close();
    return 1;
  }
  const uart = new TcpUart(sim, tracer ? (m) => { tracer!.note(m); print(m); } : print);
  let port: number;
  try {
    port = await uart.listen(opts.port);
  } catch (e) {
    io.err(`cannot listen on 127.0.0.1:${opts.port}: ${(e as Error).message}`);
    sim.close();
    tracer?.close();
    return 1;
  }
  print(`SPWF04S simulator: the module's UART is on tcp 127.0.0.1:${port}`);
  printNetwork(opts.accessPoint, print);

  let socat: ChildProcess | undefined;
  let stopping = false;
  const stopped = new Promise<number>((resolve) => {
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      process.off('SIGINT', onSigint);
      control.signal?.removeEventListener('abort', onAbort);
      uart.close();
      sim.close();
      tracer?.close();
      // socat removes its link when it exits: resolve only then, so the path is gone when we return.
      if (socat && socat.exitCode === null && socat.signalCode === null) {
        socat.once('exit', () => resolve(code));
        socat.kill('SIGTERM');
      } else resolve(code);
    };
    const onSigint = () => {
      print('stopping the simulator');
      stop(0);
    };
    const onAbort = () => stop(0);
    process.on('SIGINT', onSigint);
    control.signal?.addEventListener('abort', onAbort);
    if (control.signal?.aborted) return stop(0);
    if (opts.pty === undefined) {
      print(`talk to it: socat -,rawer,escape=0x1d TCP:127.0.0.1:${port}   (Ctrl-] quits)`);
      print('the module boots when you connect; type AT and Enter; Ctrl-C here stops the simulator');
      return;
    }
    // Its own process group: Ctrl-C in the terminal reaches only us, and we stop socat in order. Should
    // we die without stopping it, socat still ends when our TCP end closes.
    socat = spawn(control.socat ?? 'socat', [`PTY,link=${opts.pty},raw,echo=0`, `TCP:127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let socatErrors = '';
    socat.stderr?.on('data', (d: Buffer) => { socatErrors += d.toString(); });
    socat.on('error', (e) => {
      io.err(`cannot run socat for --pty: ${e.message}`);
      socat = undefined; // it never started: there is no exit to wait for
      stop(1);
    });
    socat.on('exit', (code) => {
      if (stopping) return;
      io.err(`socat stopped (exit ${code})${socatErrors ? ': ' + socatErrors.trim().split('\n').join('; ') : ''}`);
      stop(1);
    });
    print(`pseudo-terminal: ${opts.pty} (the module boots as soon as socat connects; its boot log waits there)`);
    print(`talk to it: picocom ${opts.pty}  |  screen ${opts.pty} 115200  |  minicom -D ${opts.pty}`);
    print('type AT and Enter; Ctrl-C here stops the simulator');
  });
  return stopped;
}

function parseSimArgs(args: string[]): SimCommandOptions {
  const p = parseCommandLine(args, SIM_OPTIONS, 0);
  const values = { tcp: stringOption(p, 'tcp'), pty: stringOption(p, 'pty'), chunk: stringOption(p, 'chunk'), ssid: stringOption(p, 'ssid'), psk: stringOption(p, 'psk'), trace: stringOption(p, 'trace') };
  const port = wholeNumber(values.tcp ?? '0', '--tcp', 0, 65535);
  const chunkSize = wholeNumber(values.chunk ?? '64', '--chunk', 1, 65536);
  // The module sees bytes: the SSID as UTF-8, checked as the module checks it.
  const ssid = Buffer.from(values.ssid ?? DEFAULT_ACCESS_POINT.ssid, 'utf8').toString('latin1');
  const psk = values.psk ?? (values.ssid === undefined ? DEFAULT_ACCESS_POINT.passphrase : undefined);
  const badSsid = ssidProblem(ssid);
  if (badSsid) throw new UsageError('--ssid: ' + badSsid.why);
  const badPsk = psk === undefined ? undefined : passphraseProblem(psk);
  if (badPsk) throw new UsageError('--psk: ' + badPsk.why);
  const accessPoint: SimAccessPoint = psk === undefined
    ? { ...DEFAULT_ACCESS_POINT, ssid, security: 'open', passphrase: undefined }
    : { ...DEFAULT_ACCESS_POINT, ssid, security: 'wpa2-psk', passphrase: psk };
  return { port, pty: values.pty, chunkSize, accessPoint, trace: values.trace };
}

/** Everything that crosses the module's UART, into a trace file. */
function traceUart(sim: SimModule, file: string): TraceWriter {
  const writer = createTraceFileWriter(file, { source: 'sim' });
  const tap = new UartTap(writer.record);
  sim.onInput((bytes) => tap.fromHost(bytes));
  sim.onOutput((bytes) => tap.fromModule(bytes));
  return writer;
}

function isNonLink(path: string): boolean {
  try {
    return !fs.lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function printNetwork(ap: SimAccessPoint, print: (line: string) => void): void {
  const security = ap.security === 'open' ? 'open' : `WPA2-PSK, passphrase "${ap.passphrase}"`;
  print(`simulated access point: "${ap.ssid}" (${security}); the module has factory settings (wifi_mode=0)`);
}
