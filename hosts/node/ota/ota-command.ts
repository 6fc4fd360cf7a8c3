// `spwf04 ota`: make, inspect and verify the SPWF04S module's FOTA packets (packet.ts, intel-hex.ts).
// Results go through `print`; progress goes to stderr only, when it is a terminal or with --progress.

import * as fs from 'fs';
import * as path from 'path';
import { CliIo, EXIT_OK, OptionSpecs, Print, UsageError, oneLine, parseCommandLine, usageFailure, wantsHelp } from '../cli-args';
import { normaliseFotaKey, type FotaKeyResult } from '../../../src/fota/key';
import { createConnectivity, isSpwfError, type SpwfError } from '../../../src/index';
import type { UpdateProgress } from '../../../src/fota/updater';
import { createNodeHost } from '../host';
import { openSerialLink, type SerialLink } from '../serial-link';
import { IntelHexError, parseIntelHex, type HexImage } from './intel-hex';
import {
  FOTA_HEADER_LENGTH,
  FOTA_ID,
  FOTA_MODEL,
  FOTA_TRAILER,
  FOTA_TRAILER_LENGTH,
  FotaError,
  buildPacket,
  checkModel,
  checkVersion,
  inspectPacket,
  sha256,
  verifyPacket,
  type CheckState,
  type FotaPhase,
  type FotaProblem,
  type FotaProgress,
  type ParsedPacket,
} from './packet';

export type { Print };

export const OTA_SUMMARY = [
  'firmware-over-the-air packets for the module',
  'ota create <image.hex> <out> [--key <key>] | ota inspect <file> | ota verify <file> [--key <key>]',
];

export const OTA_USAGE = [
  'usage: spwf04 ota create <image.hex> <out> [--key <file>] [--version <yymmdd-build>] [--model SPWF04S]',
  '       spwf04 ota inspect <file>',
  '       spwf04 ota verify <file> [--key <file>]',
  '       spwf04 ota update --port <device> --url <http(s)://host[:port]/path> --ssid <name> [--psk <phrase>]',
  '                         [--key <file>] [--version <yymmdd-build>] [--baud <n>]',
  '',
  '  create   make the module\'s FOTA packet from an Intel HEX image: laid out from its lowest address, gaps',
  '           filled with 0xFF; its size must be a multiple of 4',
  '           --key <file>         encrypt with AES-128-GCM; the file holds the key as 16 raw bytes',
  '                                (openssl rand -out key.bin 16) or as 32 hex digits (openssl rand -hex 16 >',
  '                                key.hex), detected; anything else is refused. The module needs the same key',
  '                                (updateFirmware({ key }) takes either form). Without --key the packet is plain',
  '           --version <v>        the header\'s version, <yymmdd>-<build> (default: today, UTC, and the first',
  '                                7 hex digits of the image\'s SHA-256)',
  '           --model <name>       the header\'s model (default SPWF04S)',
  '  inspect  print the header and check the id, header length, lengths (file = 140 + len + 4), trailer and,',
  '           for a plain packet, the SHA-256 of the payload',
  '  verify   inspect, then (encrypted packets, with --key) decrypt and check the GCM tag, then the SHA-256',
  '           of the image',
  '',
  '  update   update a module on a serial port (a USB-UART adapter): start it, join the network, then',
  '           AT+S.FWUPDATE from the URL (https: waits for a good module clock), the reset that installs,',
  '           and the version it boots; --key: the packet\'s key file (as for create); --version: the',
  '           packet\'s version, so that success means the module boots it',
  '',
  '  --progress      show progress on stderr even when it is not a terminal (--no-progress: never)',
  '  -h, --help      this help',
  '',
  'exit status: 0 good, 1 a bad input or packet (the reason is printed), 2 a usage error',
].join('\n');

/** Where progress goes (default process.stderr); tests replace it. */
export interface OtaIo {
  stderr?: { write(s: string): unknown; isTTY?: boolean };
  /** Today, for the default version (tests). */
  now?: () => Date;
}

interface Parsed {
  positional: string[];
  options: {
    key?: string; version?: string; model?: string; progress?: boolean; 'no-progress'?: boolean;
    port?: string; baud?: string; url?: string; ssid?: string; psk?: string;
  };
}

const STRING = { type: 'string' as const };
const FLAG = { type: 'boolean' as const };

/** Each subcommand's options and its arguments. */
const SUBCOMMANDS: { [name: string]: { options: OptionSpecs; args: string[] } } = {
  create: { options: { key: STRING, version: STRING, model: STRING, progress: FLAG, 'no-progress': FLAG }, args: ['<image.hex>', '<out>'] },
  inspect: { options: { progress: FLAG, 'no-progress': FLAG }, args: ['<file>'] },
  verify: { options: { key: STRING, progress: FLAG, 'no-progress': FLAG }, args: ['<file>'] },
  update: { options: { port: STRING, baud: STRING, url: STRING, ssid: STRING, psk: STRING, key: STRING, version: STRING }, args: [] },
};

function hex32(n: number): string {
  return '0x' + ('0000000' + n.toString(16).toUpperCase()).slice(-8);
}

function plural(n: number, word: string): string {
  return n + ' ' + word + (n === 1 ? '' : 's');
}

const PHASE_LABEL: { [p in FotaPhase]: string } = { hash: 'hashing', encrypt: 'encrypting', decrypt: 'decrypting' };

/** Percentages: one updating line on a terminal, a line per 10% otherwise. */
function progressReporter(io: OtaIo, opts: Parsed['options']): FotaProgress | undefined {
  const err = io.stderr ?? process.stderr;
  const tty = !!err.isTTY;
  if (opts['no-progress'] || !(tty || opts.progress)) return undefined;
  let phase: FotaPhase | undefined;
  let last = -1;
  return function (p: FotaPhase, done: number, total: number) {
    if (p !== phase) {
      phase = p;
      last = -1;
    }
    const pct = total > 0 ? Math.floor((done * 100) / total) : 100;
    if (tty) {
      if (pct === last) return;
      last = pct;
      err.write('\r' + PHASE_LABEL[p] + ' ' + total + ' bytes: ' + pct + '%' + (pct === 100 ? '\n' : ''));
    } else {
      const step = Math.floor(pct / 10) * 10;
      if (step === last) return;
      last = step;
      err.write(PHASE_LABEL[p] + ' ' + total + ' bytes: ' + step + '%\n');
    }
  };
}

/** `spwf04 ota <create|inspect|verify> ...`; resolves with the exit status. */
export async function runOtaCommand(args: string[], io: CliIo, env: OtaIo = {}): Promise<number> {
  const sub = args[0];
  if (wantsHelp(args) || sub === 'help') {
    io.out(OTA_USAGE);
    return EXIT_OK;
  }
  let parsed: Parsed;
  try {
    if (sub === undefined) throw new UsageError('which ota command? create, inspect, verify or update');
    if (!Object.prototype.hasOwnProperty.call(SUBCOMMANDS, sub)) throw new UsageError('unknown ota command: ' + sub);
    const spec = SUBCOMMANDS[sub]!;
    const p = parseCommandLine(args.slice(1), spec.options, spec.args.length);
    parsed = { positional: p.positionals, options: p.values as Parsed['options'] };
    if (parsed.positional.length !== spec.args.length) {
      throw new UsageError('ota ' + sub + ' takes ' + spec.args.join(' ') + ', got ' + plural(parsed.positional.length, 'argument'));
    }
    if (parsed.options.version !== undefined) usageCheck(function () { checkVersion(parsed.options.version!); });
    if (parsed.options.model !== undefined) usageCheck(function () { checkModel(parsed.options.model!); });
    if (sub === 'update') {
      for (const need of ['port', 'url', 'ssid'] as const) {
        if (parsed.options[need] === undefined) throw new UsageError('ota update needs --' + need);
      }
      usageCheck(function () { updateTarget(parsed.options.url!); });
      if (parsed.options.baud !== undefined && !(Number(parsed.options.baud) > 0)) throw new UsageError('--baud must be a number of bits per second');
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return usageFailure(io, e, OTA_USAGE);
  }
  const progress = progressReporter(env, parsed.options);
  try {
    if (sub === 'create') return await create(parsed, io, progress, env);
    if (sub === 'inspect') return await inspect(parsed.positional[0]!, io.out, progress);
    if (sub === 'update') return await update(parsed.options, io);
    return await verify(parsed.positional[0]!, parsed.options.key, io, progress);
  } catch (e) {
    io.err('error: ' + oneLine(e));
    return 1;
  }
}

/** Where the module downloads from: host, port, path and TLS option of an http(s) URL. */
function updateTarget(url: string): { host: string; port?: number; path: string; tls: 0 | 2 } {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw new Error('--url ' + url + ' is not a URL');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('--url must be http:// or https://, not ' + u.protocol);
  return { host: u.hostname, port: u.port ? Number(u.port) : undefined, path: u.pathname + u.search, tls: u.protocol === 'https:' ? 2 : 0 };
}

/** `ota update --port`: the module on a serial port downloads, checks and installs the packet. */
async function update(o: Parsed['options'], io: CliIo): Promise<number> {
  const target = updateTarget(o.url!);
  const key = o.key !== undefined ? (await readKey(o.key)).toString('hex') : undefined;
  let link: SerialLink;
  try {
    link = await openSerialLink(o.port!, o.baud === undefined ? 115200 : Number(o.baud));
  } catch (e) {
    io.err((e as Error).message);
    return 1;
  }
  const host = createNodeHost(link, {
    log: function (level, msg) { if (level === 'warn' || level === 'error') io.err('  [' + level + '] ' + msg); },
  });
  const conn = createConnectivity(host);
  conn.fota.on('progress', function (p: UpdateProgress) { if (p.percent !== undefined) io.err('downloading: ' + p.percent + '%'); });
  const lost = new Promise<never>(function (_r, reject) { link.onLost(function (why) { reject(new Error(why)); }); });
  const net: { ssid: string; psk?: string } = { ssid: o.ssid! };
  if (o.psk !== undefined) net.psk = o.psk;
  const work = conn.start().then(function () {
    io.err('module on ' + o.port + ' answers; joining ' + o.ssid);
    return conn.join(net);
  }).then(function (ip) {
    io.err('joined as ' + ip + '; the module downloads ' + o.url);
    return conn.updateFirmware({ host: target.host, port: target.port, path: target.path, tls: target.tls, key: key, version: o.version });
  });
  let code: number;
  try {
    const r = await Promise.race([work, lost]);
    io.out('updated: ' + (r.from || '(unknown)') + ' -> ' + r.to);
    code = 0;
  } catch (err) {
    const e = err as SpwfError;
    io.err(o.port + ': ' + (e && e.message ? e.message : String(err)));
    if (isSpwfError(e) && e.reasons) for (const r of e.reasons) io.err('  - ' + r);
    code = 1;
  }
  conn.stop();
  await link.close();
  return code;
}

/** A bad --version or --model is a usage error (the packet code reports it as a FotaError). */
function usageCheck(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    throw new UsageError(oneLine(e));
  }
}

/** The AES-128 key in a key file: 16 raw bytes, or 32 hex digits (a final newline allowed); else a FotaError with the reason. */
export async function readKey(file: string): Promise<Buffer> {
  const r = keyFromFile(await fs.promises.readFile(file));
  if (!r.ok) throw new FotaError('bad-key', 'key file ' + file + ': ' + r.reason);
  return Buffer.from(r.hex, 'hex');
}

/** A key file's bytes as the key (see src/fota/key.ts: the API takes the same two forms). */
export function keyFromFile(bytes: Buffer): FotaKeyResult {
  let text = bytes.toString('latin1');
  if (text.length === 34 && text.substring(32) === '\r\n') text = text.substring(0, 32);
  else if (text.length === 33 && text.charAt(32) === '\n') text = text.substring(0, 32);
  const r = normaliseFotaKey(text);
  if (r.ok || text.length === 32) return r;
  return {
    ok: false,
    reason: 'it holds ' + plural(bytes.length, 'byte') + '; a key file holds 16 raw bytes (openssl rand -out key.bin 16) or 32 hex digits ' +
      '(openssl rand -hex 16 > key.hex)',
  };
}

function yymmdd(d: Date): string {
  const two = function (n: number) { return ('0' + n).slice(-2); };
  return two(d.getUTCFullYear() % 100) + two(d.getUTCMonth() + 1) + two(d.getUTCDate());
}

async function create(parsed: Parsed, cli: CliIo, progress: FotaProgress | undefined, io: OtaIo): Promise<number> {
  const print = cli.out;
  const input = parsed.positional[0]!;
  const out = parsed.positional[1]!;
  const opts = parsed.options;
  const version = opts.version;
  const model = opts.model !== undefined ? opts.model : FOTA_MODEL;
  const keyFile = opts.key;
  for (const other of [input, keyFile]) {
    if (other !== undefined && path.resolve(other) === path.resolve(out)) {
      throw new FotaError('bad-image', 'refusing to write the packet over its own input ' + other);
    }
  }
  const key = keyFile !== undefined ? await readKey(keyFile) : undefined;

  let hex: HexImage;
  try {
    hex = parseIntelHex(await fs.promises.readFile(input));
  } catch (e) {
    if (e instanceof IntelHexError) throw new FotaError('bad-image', input + ': ' + e.message);
    throw e;
  }
  const image = hex.data;
  print(
    'image ' + input + ': ' + image.length + ' bytes from ' + hex32(hex.base) + ' to ' + hex32(hex.base + image.length - 1) + ' (' +
      plural(hex.dataRecords, 'data record') + (hex.filled ? ', ' + hex.filled + ' gap bytes filled with 0xFF' : ', no gaps') + ')',
  );
  if (image.length % 4 !== 0) {
    throw new FotaError(
      'bad-image',
      input + ': the image is ' + image.length + ' bytes, not a multiple of 4 (' + hex32(hex.base) + '..' + hex32(hex.base + image.length - 1) +
        '); pad it to ' + (image.length + 4 - (image.length % 4)) + ' bytes in the build',
    );
  }
  let v = version;
  if (v === undefined) {
    v = yymmdd((io.now ?? function () { return new Date(); })()) + '-' + sha256(image).toString('hex').substring(0, 7);
  }
  const packet = buildPacket(image, { version: v, model, key, onProgress: progress });
  // Check what was made, as the module will, before writing it.
  const check = verifyPacket(packet, { key });
  if (!check.ok) throw new Error('internal error: the packet made does not verify: ' + check.problems.map(function (p) { return p.message; }).join('; '));

  const tmp = out + '.partial-' + process.pid;
  try {
    await fs.promises.writeFile(tmp, packet);
    await fs.promises.rename(tmp, out);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
  const h = check.packet.header!;
  print('packet ' + out + ': ' + packet.length + ' bytes = ' + FOTA_HEADER_LENGTH + ' + ' + image.length + ' + ' + FOTA_TRAILER_LENGTH);
  print('  model    ' + model);
  print('  version  ' + v);
  print('  sha256   ' + h.hash.toString('hex') + ' (of the plaintext image)');
  if (key) {
    print('  AES-128-GCM encrypted, iv ' + h.iv.toString('hex') + ', tag ' + h.tag.toString('hex'));
    if (!/\.sfota$/i.test(out)) cli.err('note: ST names encrypted packets *.sfota and plain ones *.fota');
  } else print('  plain (not encrypted, not authenticated)');
  return 0;
}

function printHeader(file: string, p: ParsedPacket, print: Print): void {
  print('file       ' + file + ' (' + p.fileLength + ' bytes)');
  const h = p.header;
  if (!h) return;
  const mark = function (good: boolean) { return good ? '' : '  <-- bad'; };
  print('id         ' + hex32(h.id) + mark(h.id === FOTA_ID));
  print('header     ' + h.headerLength + ' bytes' + mark(h.headerLength === FOTA_HEADER_LENGTH));
  print('base       ' + hex32(h.base));
  const exp = p.expectedFileLength!;
  print(
    'length     ' + h.length + ' bytes (' + hex32(h.length) + '); file = ' + FOTA_HEADER_LENGTH + ' + ' + h.length + ' + ' + FOTA_TRAILER_LENGTH +
      ' = ' + exp + (p.fileLength === exp ? ': matches' : ', but the file is ' + p.fileLength + '  <-- bad') +
      (h.length % 4 ? '  <-- not a multiple of 4' : ''),
  );
  print('model      "' + h.model.display + '"' + (h.model.clean ? '' : '  (not clean)'));
  const v = h.version;
  let vl = 'version    "' + v.display + '"';
  if (!v.clean) {
    const parts: string[] = [];
    if (v.strayBefore.length) parts.push(plural(v.strayBefore.length, 'stray byte') + ' (' + v.strayBefore.toString('hex').replace(/(..)(?!$)/g, '$1 ') + ') before ' + (v.text ? v.text : 'the text'));
    if (v.strayAfter.length) parts.push(plural(v.strayAfter.length, 'stray byte') + ' (' + v.strayAfter.toString('hex').replace(/(..)(?!$)/g, '$1 ') + ') after ' + v.text);
    if (v.strayInPadding) parts.push(plural(v.strayInPadding, 'non-zero byte') + ' in the NUL padding');
    if (!v.text) parts.push('no <yymmdd>-<build> in it');
    vl += ': ' + parts.join(', ');
  }
  print(vl);
  print('hash       ' + h.hash.toString('hex'));
  print('iv         ' + h.iv.toString('hex') + (p.encrypted ? '' : '  (zero)'));
  print('tag        ' + h.tag.toString('hex') + (p.encrypted ? '' : '  (zero)'));
  print('encrypted  ' + (p.encrypted ? 'yes (AES-128-GCM)' : 'no'));
  print(
    'trailer    ' + (p.trailer === undefined ? 'missing  <-- bad' : hex32(p.trailer) + (p.trailer === FOTA_TRAILER ? '' : '  <-- bad, not ' + hex32(FOTA_TRAILER))),
  );
}

function report(
  what: string,
  checks: { tag?: CheckState; hash: CheckState },
  problems: FotaProblem[],
  notes: string[],
  print: Print,
): number {
  const state = function (s: CheckState, good: string) { return s === 'ok' ? good : s === 'failed' ? 'FAILED' : 'not checked'; };
  if (checks.tag !== undefined) print('tag check  ' + state(checks.tag, 'authentic'));
  print('hash check ' + state(checks.hash, 'matches the ' + (checks.tag === 'ok' ? 'decrypted image' : 'payload')));
  for (const n of notes) print('note: ' + n);
  if (problems.length === 0) {
    print(what + ': OK');
    return 0;
  }
  for (const p of problems) print('problem: ' + p.message);
  print(what + ': FAILED (' + problems.map(function (p) { return p.code; }).join(', ') + ')');
  return 1;
}

async function inspect(file: string, print: Print, progress: FotaProgress | undefined): Promise<number> {
  const data = await fs.promises.readFile(file);
  const r = inspectPacket(data, { onProgress: progress });
  printHeader(file, r.packet, print);
  return report('inspect', { hash: r.hash }, r.problems, r.notes, print);
}

async function verify(file: string, keyFile: string | undefined, io: CliIo, progress: FotaProgress | undefined): Promise<number> {
  const print = io.out;
  const key = keyFile !== undefined ? await readKey(keyFile) : undefined;
  const data = await fs.promises.readFile(file);
  const r = verifyPacket(data, { key, onProgress: progress });
  printHeader(file, r.packet, print);
  return report('verify', { tag: r.encrypted ? r.tag : undefined, hash: r.hash }, r.problems, r.notes, print);
}
