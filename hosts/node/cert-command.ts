// `spwf04 cert`: check certificate and key files against what the SPWF04S accepts, and keep them in the
// host-flash image, the JSON file that the Node host's storage (host.ts fileStorage) reads, from which
// the firmware core provisions the module (src/certs/provision.ts). Wiring into the CLI is one line:
// `if (cmd === 'cert') return runCertCommand(argv.slice(1), print);`.

import * as fs from 'fs';
import * as path from 'path';
import { CertStore, CertUse, checkItem, checkPair, toHex } from '../../src/certs/index';
import { fileStorage } from './host';
import { describe, guessUse, USES } from './cert-describe';

export type Print = (line: string) => void;

/** The host-flash image used when --store is not given (relative to the working directory). */
export const DEFAULT_FLASH_FILE = path.join('.spwf04', 'flash.json');

export const CERT_USAGE = [
  'usage: spwf04 cert <check|add|list|remove> …',
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
  '',
  '  uses: ' + USES.join(', '),
  '  --store: the host-flash image (default ' + DEFAULT_FLASH_FILE + '), shared with the Node host',
  '          (createNodeHost(link, { storageFile })) and so with the simulator behind it',
].join('\n');

interface Args {
  positional: string[];
  options: { [name: string]: string };
}

const OPTIONS = ['use', 'host', 'now', 'store'];

function parseArgs(args: string[]): Args {
  const out: Args = { positional: [], options: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.indexOf('--') !== 0) {
      out.positional.push(a);
      continue;
    }
    const name = a.substring(2);
    if (OPTIONS.indexOf(name) < 0) throw new Error('unknown option: ' + a);
    if (args[i + 1] === undefined) throw new Error(a + ' needs a value');
    out.options[name] = args[++i]!;
  }
  return out;
}

function nowOf(opts: Args['options']): number {
  if (opts.now === undefined) return Math.floor(Date.now() / 1000);
  const ms = Date.parse(opts.now);
  if (isNaN(ms)) throw new Error('--now wants a date such as 2027-01-31 or 2027-01-31T12:00:00Z, not ' + opts.now);
  return Math.floor(ms / 1000);
}

function useOf(text: string): CertUse {
  if ((USES as string[]).indexOf(text) < 0) throw new Error('unknown use "' + text + '": one of ' + USES.join(', '));
  return text as CertUse;
}

function readFile(file: string): string {
  return fs.readFileSync(file).toString('latin1');
}

/** The image's store; its folder is made only when something is to be written (`create`). */
function openStore(opts: Args['options'], create?: boolean): { store: CertStore; file: string } {
  const file = path.resolve(opts.store || DEFAULT_FLASH_FILE);
  if (create) fs.mkdirSync(path.dirname(file), { recursive: true });
  return { store: new CertStore(fileStorage(file)), file };
}

/** The device's certificate and key of a use's family: [cert use, key use], or undefined for a CA. */
function pairOf(use: string): [string, string] | undefined {
  if (use === 'tls-cert' || use === 'tls-key') return ['tls-cert', 'tls-key'];
  if (use === 'eap-cert' || use === 'eap-key') return ['eap-cert', 'eap-key'];
  return undefined;
}

/** Runs `spwf04 cert …`; resolves with the exit status (0 fine, 1 a problem found, 2 a usage error). */
export function runCertCommand(args: string[], print: Print): Promise<number> {
  if (args.length === 0 || args.indexOf('--help') >= 0 || args.indexOf('-h') >= 0 || args[0] === 'help') {
    print(CERT_USAGE);
    return Promise.resolve(args.length === 0 ? 2 : 0);
  }
  try {
    const a = parseArgs(args.slice(1));
    switch (args[0]) {
      case 'check': return Promise.resolve(check(a, print));
      case 'add': return Promise.resolve(add(a, print));
      case 'list': return Promise.resolve(list(a, print));
      case 'remove': return Promise.resolve(remove(a, print));
      default: throw new Error('unknown cert command: ' + args[0]);
    }
  } catch (e) {
    print((e as Error).message + '\n\n' + CERT_USAGE);
    return Promise.resolve(2);
  }
}

function check(a: Args, print: Print): number {
  if (a.positional.length === 0) throw new Error('cert check needs at least one file');
  const use = a.options.use === undefined ? undefined : useOf(a.options.use);
  const now = nowOf(a.options);
  let failed = 0;
  const checked: { file: string; use: string; bytes: string }[] = [];
  for (const file of a.positional) {
    let bytes: string;
    try {
      bytes = readFile(file);
    } catch (e) {
      print(file + ': cannot be read: ' + (e as Error).message);
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

function add(a: Args, print: Print): number {
  if (a.positional.length !== 2) throw new Error('cert add needs a use and a file');
  const [useText, file] = a.positional as [string, string];
  let bytes: string;
  try {
    bytes = readFile(file);
  } catch (e) {
    print(file + ': cannot be read: ' + (e as Error).message);
    return 1;
  }
  if (useText === 'tls-auth') {
    if (bytes.length < 1 || bytes.length > 64 || /^[0-9a-fA-F:\s]+$/.test(bytes)) {
      print(file + ': not stored: a key id is 1 to 64 bytes of binary (hex text must be converted: xxd -r -p id.hex id.bin)');
      return 1;
    }
  } else {
    const res = checkItem(bytes, useOf(useText), { now: nowOf(a.options), host: a.options.host });
    if (!res.ok) {
      print(file + ': not stored, ' + res.problems.length + (res.problems.length === 1 ? ' problem:' : ' problems:'));
      for (const p of res.problems) print('  problem: ' + p);
      return 1;
    }
    for (const w of res.warnings) print('  warning: ' + w);
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
        print(file + ': not stored:');
        for (const p of r.problems) print('  problem: ' + p);
        print('  (cert remove ' + other + ' first to replace both)');
        return 1;
      }
      for (const w of r.warnings) print('  warning: ' + w);
    }
  }
  fs.mkdirSync(path.dirname(image), { recursive: true });
  const put = store.put(useText, bytes);
  if (!put.ok) {
    print(file + ': not stored: ' + put.error.message);
    return 1;
  }
  print((put.unchanged ? 'unchanged: ' : 'stored: ') + useText + ' ← ' + file + ' (' + bytes.length + ' bytes, sha256 ' +
    put.hash.substring(0, 16) + '…, version ' + put.seq + ') in ' + image);
  return 0;
}

function list(a: Args, print: Print): number {
  if (a.positional.length) throw new Error('cert list takes no file');
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
  return damaged ? 1 : 0;
}

function remove(a: Args, print: Print): number {
  if (a.positional.length !== 1) throw new Error('cert remove needs one entry name');
  const { store, file } = openStore(a.options);
  const name = a.positional[0]!;
  if (store.list().indexOf(name) < 0) {
    print(name + ': no such entry in ' + file);
    return 1;
  }
  const r = store.remove(name);
  if (!r.ok) {
    print(name + ': ' + r.error.message);
    return 1;
  }
  print('removed: ' + name + ' from ' + file);
  return 0;
}
