// `spwf04 flash`: put the device modules, optionally the certificates kept by `spwf04 cert add` and an
// application, into a board's Storage with the Espruino command-line tool (espruino-upload.ts).
//
// Storage names on the board:
// * each device module under the name it is required by: every build/out/espruino/<name>.js (not
//   *.debug.js) when that folder exists, else build/out/espruino.js as "spwf04";
// * each certificate slot file of the host-flash image (.spwf04/flash.json, keys "spwfc.<entry>.<0|1>",
//   src/certs/store.ts) under BOARD_STORAGE_PREFIX + its key: the Espruino host's storage
//   (hosts/espruino/index.ts flashStorage) prefixes every name with "spwf." by default, so the board's
//   CertStore reads them where the desktop's wrote them. The provisioning record is not copied: it
//   describes the desktop's module, not the board's;
// * the application as ".bootcde", which Espruino runs at every start.

import * as fs from 'fs';
import * as path from 'path';
import { CERT_ENTRIES, CertStore } from '../../src/certs/index';
import { planChecked } from '../../src/certs/checked-plan';
import { CertFamily, readWanted } from '../../src/certs/provision-plan';
import { CliIo, EXIT_FAILURE, EXIT_OK, UsageError, parseCommandLine, stringOption, usageFailure, wantsHelp, wholeNumber } from './cli-args';
import { DEFAULT_FLASH_FILE } from './cert-command';
import { BOARDS, Board, StorageFile, UploadError, uploadToStorage } from './espruino-upload';
import { fileStorage } from './host';

/** The Espruino host's default Storage prefix (hosts/espruino/index.ts, option storagePrefix). */
export const BOARD_STORAGE_PREFIX = 'spwf.';
/** The certificate store's prefix inside the host's storage (src/certs/store.ts DEFAULT_PREFIX). */
const CERT_PREFIX = 'spwfc.';
/** Espruino's longest Storage file name. */
const MAX_STORAGE_NAME = 28;

export const FLASH_SUMMARY = [
  'upload the device modules, and optionally the certificates and an application, into a board\'s',
  'Storage with the Espruino command-line tool (--port <device> [--certs] [--app file.js])',
];

export const FLASH_USAGE = [
  'usage: spwf04 flash --port <device> [--baud <n>] [--board <id>] [--certs [--store <path>]] [--app <file.js>]',
  '',
  'Writes the device modules of the build (npm run build) into the board\'s Storage, each under the name',
  'the application requires it by, with the Espruino command-line tool; checks the board first (its name',
  'and the room in Storage) and every file after (length and CRC-32 read back from the board).',
  '',
  '  --port <device>   the board\'s console, e.g. /dev/ttyACM0 (a Nucleo\'s ST-LINK USB serial port)',
  '  --baud <n>        its speed (default 9600: the Nucleo\'s Espruino console)',
  '  --board <id>      what the board is (default NUCLEOF401RE): ' + BOARDS.map(function (b) { return b.id; }).join(', '),
  '  --certs           also the certificates and keys kept by `spwf04 cert add`, where the board\'s',
  '                    certificate store reads them',
  '  --store <path>    the host-flash image they are in (default ' + DEFAULT_FLASH_FILE + ')',
  '  --app <file.js>   also the application, as .bootcde: it runs at every start of the board',
  '  --modules <dir>   the build output to take the modules from (default: this package\'s build/out)',
  '  -h, --help        this help',
  '',
  'Progress goes to stderr. Nothing is downloaded: the board description is local.',
  'exit status: 0 written and checked, 1 a failure (the reason is on stderr), 2 a usage error',
].join('\n');

const STRING = { type: 'string' as const };
const FLASH_OPTIONS = {
  port: STRING,
  baud: STRING,
  board: STRING,
  certs: { type: 'boolean' as const },
  store: STRING,
  app: STRING,
  modules: STRING,
};

export interface FlashPlan {
  port: string;
  baud: number;
  board: Board;
  files: StorageFile[];
}

/** A failure (exit 1) in one line. */
class FlashFailure extends Error {}

/** For tests: how long to wait for the tool. */
export interface FlashControl {
  timeoutMs?: number;
}

/** `spwf04 flash ...`; resolves with the exit status. */
export function runFlashCommand(args: string[], io: CliIo, control: FlashControl = {}): Promise<number> {
  if (wantsHelp(args)) {
    io.out(FLASH_USAGE);
    return Promise.resolve(EXIT_OK);
  }
  let plan: FlashPlan;
  try {
    plan = planFlash(args);
  } catch (e) {
    if (e instanceof UsageError) return Promise.resolve(usageFailure(io, e, FLASH_USAGE));
    if (e instanceof FlashFailure) {
      io.err('spwf04 flash: ' + e.message);
      return Promise.resolve(EXIT_FAILURE);
    }
    throw e;
  }
  return uploadToStorage({ port: plan.port, baud: plan.baud, board: plan.board, files: plan.files, progress: io.err, timeoutMs: control.timeoutMs })
    .then(function (r) {
      io.out('written to the ' + r.board + ' on ' + plan.port + ' and checked: ' + plan.files.map(function (f) { return f.name; }).join(', '));
      if (plan.files.some(function (f) { return f.name === '.bootcde'; })) {
        io.out('the application runs at the next start: press RESET on the board, or type load() in its console');
      }
      return EXIT_OK;
    }, function (e) {
      if (!(e instanceof UploadError)) throw e;
      io.err('spwf04 flash: ' + e.message);
      return EXIT_FAILURE;
    });
}

/** What to write where, from the command line; a UsageError or a FlashFailure. */
export function planFlash(args: string[]): FlashPlan {
  const p = parseCommandLine(args, FLASH_OPTIONS, 0);
  const port = stringOption(p, 'port');
  if (!port) throw new UsageError('--port <device> is required (the board\'s console, e.g. /dev/ttyACM0)');
  const baudText = stringOption(p, 'baud');
  const baud = baudText === undefined ? 9600 : wholeNumber(baudText, '--baud', 1200, 921600);
  const boardId = stringOption(p, 'board') || 'NUCLEOF401RE';
  const board = BOARDS.filter(function (b) { return b.id === boardId; })[0];
  if (!board) throw new UsageError('--board ' + boardId + ' is not a board this command knows: ' + BOARDS.map(function (b) { return b.id; }).join(', '));
  const store = stringOption(p, 'store');
  if (store !== undefined && !p.values.certs) throw new UsageError('--store goes with --certs');

  const files = deviceModules(stringOption(p, 'modules') || defaultBuildDir());
  if (p.values.certs) files.push.apply(files, certificateFiles(path.resolve(store || DEFAULT_FLASH_FILE)));
  const app = stringOption(p, 'app');
  if (app !== undefined) files.push({ name: '.bootcde', data: readOrFail(app, 'the application'), what: 'the application ' + app });
  if (!fs.existsSync(port)) throw new FlashFailure('no device at ' + port + ' (is the board plugged in? a Nucleo shows up as /dev/ttyACM0)');
  return { port, baud, board, files };
}

/** build/out next to the running CLI (build/out/spwf04.js) or, when run from source, the package's. */
function defaultBuildDir(): string {
  const candidates = [__dirname, path.join(__dirname, '..', '..', 'build', 'out')];
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, 'espruino')) || fs.existsSync(path.join(dir, 'espruino.js'))) return dir;
  }
  return candidates[1]!;
}

/** The device modules of a build: every espruino/<name>.js (not *.debug.js), else espruino.js as "spwf04". */
export function deviceModules(outDir: string): StorageFile[] {
  const split = path.join(outDir, 'espruino');
  if (fs.existsSync(split) && fs.statSync(split).isDirectory()) {
    const names = fs.readdirSync(split).filter(function (f) { return /\.js$/.test(f) && !/\.debug\.js$/.test(f); }).sort();
    if (names.length) {
      return names.map(function (f) {
        const name = f.substring(0, f.length - 3);
        if (name.length > MAX_STORAGE_NAME) throw new FlashFailure('module name ' + name + ' is longer than ' + MAX_STORAGE_NAME + ' characters');
        return { name, data: readOrFail(path.join(split, f), 'the module'), what: 'module' };
      });
    }
  }
  const single = path.join(outDir, 'espruino.js');
  if (fs.existsSync(single)) return [{ name: 'spwf04', data: readOrFail(single, 'the module'), what: 'module' }];
  throw new FlashFailure('no device build in ' + outDir + ': run npm run build first');
}

/** The certificate slot files of a host-flash image, under the names the board's store reads. */
export function certificateFiles(image: string): StorageFile[] {
  if (!fs.existsSync(image)) throw new FlashFailure(image + ': no host-flash image (add certificates with spwf04 cert add <use> <file>)');
  let storage;
  try {
    storage = fileStorage(image);
  } catch (e) {
    throw new FlashFailure(image + ': not a host-flash image (' + (e as Error).message + ')');
  }
  const certs = new CertStore(storage);
  const out: StorageFile[] = [];
  for (const entry of CERT_ENTRIES) {
    const got = certs.get(entry);
    if (!got.ok) {
      if (got.reason === 'missing') continue;
      throw new FlashFailure(image + ': ' + entry + ' is damaged (' + got.error.message + '): add it again with spwf04 cert add');
    }
    for (const key of storage.list(CERT_PREFIX + entry + '.')) {
      const name = BOARD_STORAGE_PREFIX + key;
      if (name.length > MAX_STORAGE_NAME) throw new FlashFailure(name + ' is longer than ' + MAX_STORAGE_NAME + ' characters');
      out.push({ name, data: storage.read(key)!, what: entry + ', version ' + got.seq });
    }
  }
  if (!out.length) throw new FlashFailure(image + ': no certificates or keys in it (add them with spwf04 cert add <use> <file>)');
  return out.concat(checkedForBoard(image, certs));
}

/**
 * The board uploads its items as they are (src/features/certs.ts: no certificate parsing there), so
 * everything is checked here first, as the module would check it, and what the desktop would derive is
 * stored for it: the TLS CA's key id (`tls-auth`) that a PEM CA needs (application note 3.1.5).
 * Returns the extra Storage files (the derived entry), or fails naming every problem.
 */
function checkedForBoard(image: string, certs: CertStore): StorageFile[] {
  const extra: StorageFile[] = [];
  const families: CertFamily[] = ['tls', 'eap'];
  for (const family of families) {
    const wanted = readWanted(certs, family);
    if (!Object.keys(wanted.items).length) continue;
    const plan = planChecked(wanted, family, 'commands', undefined);
    if (plan.problems.length) {
      throw new FlashFailure(image + ': the module would refuse these ' + family + ' items, nothing was uploaded:\n  ' + plan.problems.join('\n  '));
    }
    const derived = plan.uploads.filter((u) => u.slot === 'auth' && !wanted.items.auth);
    if (!derived.length) continue;
    const scratch: { [k: string]: string } = {};
    const mem = {
      read: (k: string) => scratch[k],
      write: (k: string, d: string) => { scratch[k] = d; return true; },
      erase: (k: string) => { delete scratch[k]; },
      list: (p: string) => Object.keys(scratch).filter((k) => k.indexOf(p) === 0),
    };
    const put = new CertStore(mem).put('tls-auth', derived[0].bytes);
    if (!put.ok) throw new FlashFailure('cannot store the TLS CA\'s key id for the board: ' + put.error.message);
    for (const key of Object.keys(scratch)) extra.push({ name: BOARD_STORAGE_PREFIX + key, data: scratch[key], what: 'tls-auth (the CA\'s key id, derived)' });
  }
  return extra;
}

function readOrFail(file: string, what: string): string {
  try {
    return fs.readFileSync(file).toString('latin1');
  } catch (e) {
    throw new FlashFailure('cannot read ' + what + ' ' + file + ' (' + ((e as NodeJS.ErrnoException).code || (e as Error).message) + ')');
  }
}
