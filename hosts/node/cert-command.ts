// `spwf04 cert`: check certificate and key files against what the SPWF04S accepts, and keep them in the
// host-flash image, the JSON file that the Node host's storage (host.ts fileStorage) reads, from which
// the firmware core provisions the module (src/certs/provision.ts).

import * as fs from 'fs';
import * as path from 'path';
import { CertStore, CertUse, checkItem, checkPair, toHex } from '../../src/certs/index';
import { checkedProvisioner } from '../../src/certs/checked-plan';
import type { CertFamily } from '../../src/certs/provision';
import { createConnectivity, isSpwfError } from '../../src/index';
import { openSerialLink } from './serial-link';
import { createNodeHost, fileStorage } from './host';
import { describe, guessUse, USES } from './cert-describe';
import { CliIo, EXIT_OK, OptionSpecs, ParsedArgs, UsageError, parseCommandLine, usageFailure, wantsHelp, wholeNumber } from './cli-args';

export const CERT_SUMMARY = [
  'certificates and keys for the module, kept in the host-flash image (.spwf04/flash.json)',
  'cert check <files...> | cert add <use> <file> | cert list | cert remove <entry> | cert sync --port <device>',
];

/** The host-flash image used when --store is not given (relative to the working directory). */
export const DEFAULT_FLASH_FILE = path.join('.spwf04', 'flash.json');

export const CERT_USAGE = [
  'usage: spwf04 cert <check|add|list|remove|sync> …',
  '',
  '  check <files…> [--use <use>] [--host <name>] [--now <ISO date>]',
  '        every problem the module would have with each file; exit status 1 if any file has one.',
  '        --use: what the files are for (default: guessed from each file: a key is tls-key, a CA',
  '        certificate tls-ca, another certificate tls-cert); --host: the name the certificate must',
  '        carry (its Common Name); --now: the date to check validity against (default: now)',
  '  add <use> <file> [--store <path>] [--host <name>] [--now <ISO date>]',
  '        check the file, then keep it in the host-flash image under <use> (nothing is stored when',
  '        the check finds a problem). tls-auth takes a CA key id in binary (only needed to override',
  '        the one taken from a PEM tls-ca).',
  '  list [--store <path>]     the entries of the image, with size, SHA-256 and what they are',
  '  remove <entry> [--store <path>]',
  '  sync --port <device> [--baud <n>] [--store <path>]',
  '        make a module on a serial port (a USB-UART adapter) hold exactly what the image holds, for each',
  '        family (TLS, WPA2-Enterprise) the image has entries for; sends only what differs',
  '',
  '  uses: ' + USES.join(', '),
  '  --store: the host-flash image (default ' + DEFAULT_FLASH_FILE + '), shared with the Node host',
  '          (createNodeHost(link, { storageFile })) and so with the simulator behind it;',
  '          `spwf04 flash --certs` copies its entries to a board',
  '  -h, --help  this help',
  '',
  'exit status: 0 fine, 1 a problem found or a failure (on stderr), 2 a usage error',
].join('\n');

interface Args {
  positional: string[];
  options: { use?: string; host?: string; now?: string; store?: string; port?: string; baud?: string };
}

const STRING = { type: 'string' as const };

/** Each subcommand's options and how many files or names it takes. */
const SUBCOMMANDS: { [name: string]: { options: OptionSpecs; positionals: number } } = {
  check: { options: { use: STRING, host: STRING, now: STRING }, positionals: Infinity },
  add: { options: { store: STRING, host: STRING, now: STRING }, positionals: 2 },
  list: { options: { store: STRING }, positionals: 0 },
  remove: { options: { store: STRING }, positionals: 1 },
  sync: { options: { store: STRING, port: STRING, baud: STRING }, positionals: 0 },
};

function parseSubcommand(name: string, args: string[]): Args {
  const spec = SUBCOMMANDS[name]!;
  const p: ParsedArgs = parseCommandLine(args, spec.options, spec.positionals);
  return { positional: p.positionals, options: p.values as Args['options'] };
}

/** A failure (exit 1), printed as one line on stderr. */
class CertFailure extends Error {}

function nowOf(opts: Args['options']): number {
  if (opts.now === undefined) return Math.floor(Date.now() / 1000);
  const ms = Date.parse(opts.now);
  if (isNaN(ms)) throw new UsageError('--now wants a date such as 2027-01-31 or 2027-01-31T12:00:00Z, not ' + opts.now);
  return Math.floor(ms / 1000);
}

function useOf(text: string): CertUse {
  if ((USES as string[]).indexOf(text) < 0) throw new UsageError('unknown use "' + text + '": one of ' + USES.join(', '));
  return text as CertUse;
}

function readFile(file: string): string {
  return fs.readFileSync(file).toString('latin1');
}

/** The image's store; its folder is made only when something is to be written (`create`). */
function openStore(opts: Args['options'], create?: boolean): { store: CertStore; file: string } {
  const file = path.resolve(opts.store || DEFAULT_FLASH_FILE);
  let storage;
  try {
    if (create) fs.mkdirSync(path.dirname(file), { recursive: true });
    storage = fileStorage(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new CertFailure(file + ': ' + (err.code ? 'cannot be used (' + err.code + ')' : 'not a host-flash image (' + err.message + ')'));
  }
  return { store: new CertStore(storage), file };
}

/** The device's certificate and key of a use's family: [cert use, key use], or undefined for a CA. */
function pairOf(use: string): [string, string] | undefined {
  if (use === 'tls-cert' || use === 'tls-key') return ['tls-cert', 'tls-key'];
  if (use === 'eap-cert' || use === 'eap-key') return ['eap-cert', 'eap-key'];
  return undefined;
}

/** Runs `spwf04 cert …`; resolves with the exit status (0 fine, 1 a problem found, 2 a usage error). */
export function runCertCommand(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args) || args[0] === 'help') {
    io.out(CERT_USAGE);
    return Promise.resolve(EXIT_OK);
  }
  let a: Args;
  try {
    if (args[0] === undefined) throw new UsageError('which cert command? check, add, list or remove');
    if (!Object.prototype.hasOwnProperty.call(SUBCOMMANDS, args[0])) throw new UsageError('unknown cert command: ' + args[0]);
    a = parseSubcommand(args[0], args.slice(1));
    if (args[0] === 'check' && a.positional.length === 0) throw new UsageError('cert check needs at least one file');
    if (args[0] === 'add' && a.positional.length !== 2) throw new UsageError('cert add needs a use and a file');
    if (args[0] === 'remove' && a.positional.length !== 1) throw new UsageError('cert remove needs one entry name');
    if (a.options.use !== undefined) useOf(a.options.use);
    if (a.options.now !== undefined) nowOf(a.options);
    if (args[0] === 'add' && a.positional[0] !== 'tls-auth') useOf(a.positional[0]!);
    if (args[0] === 'sync' && !a.options.port) throw new UsageError('cert sync needs --port <device> (the module\'s serial port)');
    if (a.options.baud !== undefined) wholeNumber(a.options.baud, '--baud', 1200, 921600);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return Promise.resolve(usageFailure(io, e, CERT_USAGE));
  }
  try {
    switch (args[0]) {
      case 'check': return Promise.resolve(check(a, io));
      case 'add': return Promise.resolve(add(a, io));
      case 'list': return Promise.resolve(list(a, io));
      case 'sync': return sync(a, io);
      default: return Promise.resolve(remove(a, io));
    }
  } catch (e) {
    if (!(e instanceof CertFailure)) throw e;
    io.err(e.message);
    return Promise.resolve(1);
  }
}

function check(a: Args, io: CliIo): number {
  const print = io.out;
  const use = a.options.use === undefined ? undefined : useOf(a.options.use);
  const now = nowOf(a.options);
  let failed = 0;
  const checked: { file: string; use: string; bytes: string }[] = [];
  for (const file of a.positional) {
    let bytes: string;
    try {
      bytes = readFile(file);
    } catch (e) {
      io.err(file + ': cannot be read: ' + (e as Error).message);
      failed++;
      continue;
    }
    const u = use || guessUse(bytes);
    const res = checkItem(bytes, u, { now, host: a.options.host });
    if (res.ok) checked.push({ file, use: u, bytes });
    const head = file + ': ' + u + (use ? '' : ' (guessed)') + ', ' + res.info.format + ', ' + res.info.size + ' bytes';
    print(head + (res.ok ? ': OK' : ': ' + res.problems.length + (res.problems.length === 1 ? ' problem' : ' problems')));
    const what = describe(res);
    if (what) print('  ' + what);
    if (res.info.authKeyId !== undefined) print('  key id ' + toHex(res.info.authKeyId) + ' (sent as auth for a PEM CA; file name ' + res.info.caFileName + ')');
    for (const p of res.problems) print('  problem: ' + p);
    for (const w of res.warnings) print('  warning: ' + w);
    if (!res.ok) failed++;
  }
  // One device certificate and one key of the same family among the files: they must belong together.
  for (const fam of ['tls', 'eap']) {
    const certs = checked.filter((c) => c.use === fam + '-cert');
    const keys = checked.filter((c) => c.use === fam + '-key');
    if (certs.length !== 1 || keys.length !== 1) continue;
    const pair = checkPair(certs[0]!.bytes, keys[0]!.bytes, certs[0]!.file, keys[0]!.file);
    if (!pair.problems.length && !pair.warnings.length) {
      print(certs[0]!.file + ' + ' + keys[0]!.file + ': the key belongs to the certificate');
      continue;
    }
    print(certs[0]!.file + ' + ' + keys[0]!.file + ':');
    for (const p of pair.problems) print('  problem: ' + p);
    for (const w of pair.warnings) print('  warning: ' + w);
    if (pair.problems.length) failed++;
  }
  if (a.positional.length > 1) print(failed ? failed + ' of ' + a.positional.length + ' files have problems' : 'all ' + a.positional.length + ' files are fine');
  return failed ? 1 : 0;
}

function add(a: Args, io: CliIo): number {
  const print = io.out;
  const [useText, file] = a.positional as [string, string];
  let bytes: string;
  try {
    bytes = readFile(file);
  } catch (e) {
    io.err(file + ': cannot be read: ' + (e as Error).message);
    return 1;
  }
  if (useText === 'tls-auth') {
    if (bytes.length < 1 || bytes.length > 64 || /^[0-9a-fA-F:\s]+$/.test(bytes)) {
      io.err(file + ': not stored: a key id is 1 to 64 bytes of binary (hex text must be converted: xxd -r -p id.hex id.bin)');
      return 1;
    }
  } else {
    const res = checkItem(bytes, useOf(useText), { now: nowOf(a.options), host: a.options.host });
    if (!res.ok) {
      io.err(file + ': not stored, ' + res.problems.length + (res.problems.length === 1 ? ' problem:' : ' problems:'));
      for (const p of res.problems) io.err('  problem: ' + p);
      return 1;
    }
    for (const w of res.warnings) io.err('  warning: ' + w);
  }
  const { store, file: image } = openStore(a.options);
  // The device's certificate and key must belong together: checked against the one already stored.
  const pair = pairOf(useText);
  if (pair) {
    const other = pair[0] === useText ? pair[1] : pair[0];
    const got = store.get(other);
    if (got.ok) {
      const stored = 'the stored ' + other + ' (in ' + image + ')';
      const r = pair[0] === useText ? checkPair(bytes, got.bytes, file, stored) : checkPair(got.bytes, bytes, stored, file);
      if (r.problems.length) {
        io.err(file + ': not stored:');
        for (const p of r.problems) io.err('  problem: ' + p);
        io.err('  (cert remove ' + other + ' first to replace both)');
        return 1;
      }
      for (const w of r.warnings) io.err('  warning: ' + w);
    }
  }
  fs.mkdirSync(path.dirname(image), { recursive: true });
  const put = store.put(useText, bytes);
  if (!put.ok) {
    io.err(file + ': not stored: ' + put.error.message);
    return 1;
  }
  print((put.unchanged ? 'unchanged: ' : 'stored: ') + useText + ' ← ' + file + ' (' + bytes.length + ' bytes, sha256 ' +
    put.hash.substring(0, 16) + '…, version ' + put.seq + ') in ' + image);
  return 0;
}

function list(a: Args, io: CliIo): number {
  const print = io.out;
  const { store, file } = openStore(a.options);
  const names = store.list();
  if (!names.length) {
    print(file + ': no entries');
    return 0;
  }
  print(file + ':');
  let damaged = 0;
  for (const name of names) {
    const got = store.get(name);
    if (!got.ok) {
      damaged++;
      print('  ' + name + ': DAMAGED: ' + got.error.message);
      continue;
    }
    let what = '';
    if ((USES as string[]).indexOf(name) >= 0) what = describe(checkItem(got.bytes, name as CertUse));
    else if (name === 'tls-auth') what = 'CA key id ' + toHex(got.bytes);
    else if (name === 'prov-record') what = 'record of what was last provisioned into the module';
    print('  ' + name + ': ' + got.bytes.length + ' bytes, sha256 ' + got.hash.substring(0, 16) + '…, version ' + got.seq +
      (what ? ', ' + what : '') + (got.warning ? ' (' + got.warning + ')' : ''));
  }
  if (damaged) io.err(file + ': ' + damaged + (damaged === 1 ? ' entry is' : ' entries are') + ' damaged (cert add the file again)');
  return damaged ? 1 : 0;
}

function remove(a: Args, io: CliIo): number {
  const print = io.out;
  const { store, file } = openStore(a.options);
  const name = a.positional[0]!;
  if (store.list().indexOf(name) < 0) {
    io.err(name + ': no such entry in ' + file);
    return 1;
  }
  const r = store.remove(name);
  if (!r.ok) {
    io.err(name + ': ' + r.error.message);
    return 1;
  }
  print('removed: ' + name + ' from ' + file);
  return 0;
}

/** The image's certificates into a module on a serial port, through the core's Provisioner. */
function sync(a: Args, io: CliIo): Promise<number> {
  const { store, file } = openStore(a.options);
  const families: CertFamily[] = [];
  if (store.list().some(function (n) { return n.indexOf('tls-') === 0; })) families.push('tls');
  if (store.list().some(function (n) { return n.indexOf('eap-') === 0; })) families.push('eap');
  if (!families.length) throw new CertFailure(file + ': no certificates or keys in it (add them with spwf04 cert add <use> <file>)');
  const port = a.options.port!;
  const baud = a.options.baud === undefined ? 115200 : Number(a.options.baud);
  return openSerialLink(port, baud).then(function (link) {
    const host = createNodeHost(link, {
      storageFile: file,
      log: function (level, msg) { if (level === 'warn' || level === 'error') io.err('  [' + level + '] ' + msg); },
    });
    const conn = createConnectivity(host);
    const lost = new Promise<never>(function (_r, reject) { link.onLost(function (why) { reject(new Error(why)); }); });
    const work = conn.start().then(function () {
      io.err('module on ' + port + ' answers; comparing ' + families.join(' and ') + ' with ' + file);
      // Checked as the module would check them before anything is sent (the desktop can afford it).
      return checkedProvisioner(conn.engine, new CertStore(host.storage!), host.log, { families: families }).sync();
    });
    return Promise.race([work, lost]).then(function (reports) {
      for (const r of reports) {
        io.out(r.family + ': ' + r.action + (r.why ? ' (' + r.why + ')' : '') + '; the module holds: ' + (r.held.length ? r.held.join(', ') : 'nothing'));
        for (const w of r.warnings) io.err('  warning: ' + w);
      }
      return 0;
    }, function (err) {
      io.err(port + ': ' + (isSpwfError(err) ? err.message : (err && err.message) || String(err)));
      if (isSpwfError(err) && err.reasons) for (const r of err.reasons) io.err('  - ' + r);
      return 1;
    }).then(function (code) {
      conn.stop();
      return link.close().then(function () { return code; });
    });
  }, function (err) {
    io.err((err as Error).message);
    return 1;
  });
}
