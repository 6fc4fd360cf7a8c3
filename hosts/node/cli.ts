// `spwf04`: the Node command line. Its first command is the demo of the firmware against the simulator.

import { runDemo, DemoOptions } from './demo';
import { runSimCommand } from './sim-command';
import { runOtaCommand } from './ota/ota-command';
import { runCertCommand } from './cert-command';
import { runTraceCommand } from './trace/trace-command';

const USAGE = [
  'usage: spwf04 <command> [options]',
  '',
  'commands:',
  '  demo     run the firmware core against the simulated module (no hardware needed)',
  '           --ssid <name>     network to join (the simulated AP is "SPWF-Lab")',
  '           --psk <phrase>    WPA2 passphrase (the simulated AP uses "correct horse battery")',
  '           --message <text>  what to send to the echo server',
  '           --chunk <n>       module output chunk size in bytes (default 64)',
  '           --quiet           do not print the line-by-line exchange',
  '           --trace <file>    also write the exchange to <file> (JSON Lines; see spwf04 trace)',
  '  sim      run the simulated module for a terminal or a serial-port client',
  '           --tcp <port>      serve its UART on 127.0.0.1:<port> (0 = any free port)',
  '           --pty <path>      also expose it as a pseudo-terminal at <path> (needs socat)',
  '           --chunk <n>       output chunk size in bytes',
  '           --ssid/--psk      the simulated access point',
  '           --trace <file>    write what crosses its UART to <file>',
  '           (spwf04 sim --help for everything)',
  '  cert     certificates and keys for the module, kept in the host-flash image (.spwf04/flash.json)',
  '           cert check <files...> [--host <name>]     every problem the module would have with them',
  '           cert add <tls-ca|tls-cert|tls-key|eap-ca|eap-cert|eap-key> <file>   check, then store',
  '           cert list | cert remove <entry>',
  '  ota      firmware-over-the-air packets for the module',
  '           ota create <image.hex> <out> [--key <key.bin>]   make a packet (AES-128-GCM with a key)',
  '           ota inspect <file>                               print and check its header, hash, trailer',
  '           ota verify <file> [--key <key.bin>]              also decrypt and check the tag and hash',
  '  trace    read a trace file written with --trace (or by the Espruino host)',
  '           trace <file> --html <out.html>   the exchange as a sequence diagram (one offline HTML file)',
  '           trace <file> --summary           commands, failures, timeouts, indications, time to WiFi Up',
].join('\n');

/** Parse `--name value` and `--flag` options. */
export function parseOptions(args: string[]): { [k: string]: string | true } {
  const out: { [k: string]: string | true } = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.indexOf('--') !== 0) throw new Error('unexpected argument: ' + a);
    const name = a.substring(2);
    const next = args[i + 1];
    if (next !== undefined && next.indexOf('--') !== 0) {
      out[name] = next;
      i++;
    } else out[name] = true;
  }
  return out;
}

function str(v: string | true | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function main(argv: string[]): Promise<number> {
  const cmd = argv[0];
  if (cmd === 'sim') return runSimCommand(argv.slice(1), function (l: string) { console.log(l); });
  if (cmd === 'cert') return runCertCommand(argv.slice(1), function (l: string) { console.log(l); });
  if (cmd === 'ota') return runOtaCommand(argv.slice(1), function (l: string) { console.log(l); });
  if (cmd === 'trace') return runTraceCommand(argv.slice(1), function (l: string) { console.log(l); }, function (l: string) { console.error(l); });
  let opts: { [k: string]: string | true };
  try {
    opts = parseOptions(argv.slice(1));
  } catch (e: any) {
    console.error(e.message + '\n\n' + USAGE);
    return Promise.resolve(2);
  }
  const print = function (l: string) { console.log(l); };
  if (cmd === 'demo') {
    if (opts.trace === true) {
      console.error('--trace needs a file name\n\n' + USAGE);
      return Promise.resolve(2);
    }
    const d: DemoOptions = {
      ssid: str(opts.ssid),
      psk: str(opts.psk),
      message: str(opts.message),
      chunkSize: opts.chunk ? parseInt(String(opts.chunk), 10) : undefined,
      trace: !opts.quiet,
      traceFile: str(opts.trace),
    };
    return runDemo(d, print);
  }
  console.error(cmd && cmd !== 'help' && cmd !== '--help' ? 'unknown command: ' + cmd + '\n\n' + USAGE : USAGE);
  return Promise.resolve(cmd && cmd !== 'help' && cmd !== '--help' ? 2 : 0);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(function (code) { process.exitCode = code; });
}
