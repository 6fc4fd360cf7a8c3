// Files into an Espruino board's Storage with the Espruino command-line tool (the `espruino` npm package),
// run as a child process, offline: the board's JSON is a local file, so the tool never downloads one.
//
// Two things the tool does not do on its own, done by a small preload (-r) of the tool's own `serialport`:
// * it opens only the ports its port list shows, and that list leaves out pseudo-terminals and links such
//   as /dev/serial/by-id/...: the path the user named is added to the list;
// * it shows no progress: the bytes it writes to the port are counted and reported on stderr.
// After the upload, an expression run on the board prints its name and the length and CRC-32 of every
// file: that is what says the upload worked (the tool itself exits 0 even when it could not connect).

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

/** A board the upload knows: its Espruino board JSON (what the tool needs of it) and the names it reports. */
export interface Board {
  id: string;
  /** What process.env.BOARD says on it. */
  reports: string[];
  /** The part of the board JSON the tool uses offline: the built-in modules (it fetches any other module it
   *  sees required in the code it sends; the upload code requires only Storage). */
  json: { info: { name: string; builtin_modules: string[] } };
}

const NUCLEO_MODULES = ['Flash', 'Storage', 'heatshrink', 'net', 'dgram', 'http', 'NetworkJS', 'neopixel'];

export const BOARDS: Board[] = [
  { id: 'NUCLEOF401RE', reports: ['NUCLEOF401RE'], json: { info: { name: 'ST NUCLEO-F401RE', builtin_modules: NUCLEO_MODULES } } },
  { id: 'NUCLEOF411RE', reports: ['NUCLEOF411RE'], json: { info: { name: 'ST NUCLEO-F411RE', builtin_modules: NUCLEO_MODULES } } },
  // The test engine: Espruino for Linux with the F401RE's heap (../shared/tools/espruino).
  { id: 'LINUX_NUCLEO', reports: ['LINUX_NUCLEO', 'LINUX_NUCLEO_REL'], json: { info: { name: 'Espruino for Linux, NUCLEO-F401RE heap', builtin_modules: NUCLEO_MODULES } } },
];

/** One Storage file to write. */
export interface StorageFile {
  /** Storage name on the board (1 to 28 characters). */
  name: string;
  /** The bytes, as a latin1 byte string. */
  data: string;
  /** What it is, for the progress lines. */
  what: string;
}

export interface UploadOptions {
  port: string;
  baud: number;
  board: Board;
  files: StorageFile[];
  /** Progress and the tool's own messages, one line each. */
  progress: (line: string) => void;
  /** Give up after this long (default: twice the time the bytes take at the baud rate, plus 30 s). */
  timeoutMs?: number;
}

export interface UploadResult {
  /** What process.env.BOARD said. */
  board: string;
}

/** A failure the user can act on, in one line. */
export class UploadError extends Error {}

/** How long the tool waits for the board's answer after it has sent everything. */
const ANSWER_WAIT_S = 60;

/** The tool's CLI script and the `serialport` it loads (resolved from the tool's own folder). */
function toolPaths(): { cli: string; serialport: string } {
  let pkg: string;
  try {
    pkg = require.resolve('espruino/package.json');
  } catch (e) {
    throw new UploadError('the Espruino command-line tool is not installed: run npm ci (it is the npm package "espruino")');
  }
  const dir = path.dirname(pkg);
  return { cli: path.join(dir, 'bin', 'espruino-cli.js'), serialport: require.resolve('serialport', { paths: [dir] }) };
}

/** The preload: see the comment at the top. Plain CommonJS, written to a temporary file. */
const PRELOAD = `
var wanted = process.env.SPWF04_UPLOAD_PORT, total = Number(process.env.SPWF04_UPLOAD_BYTES) || 0;
var SerialPort = require(process.env.SPWF04_UPLOAD_SERIALPORT).SerialPort;
var list = SerialPort.list.bind(SerialPort);
SerialPort.list = function () {
  return list().then(function (ports) {
    if (wanted && !ports.some(function (p) { return p.path === wanted; })) ports.push({ path: wanted });
    return ports;
  });
};
var write = SerialPort.prototype.write, sent = 0, shown = -1;
SerialPort.prototype.write = function (data) {
  sent += data ? data.length : 0;
  var pct = total ? Math.min(99, Math.floor(sent * 100 / total)) : 0;
  var step = Math.floor(pct / 5) * 5;
  if (total && step !== shown) { shown = step; process.stderr.write('SPWF04-PROGRESS ' + sent + ' ' + step + '\\n'); }
  return write.apply(this, arguments);
};
`;

/** The expression run after the files are written: the board's name and each file's length and CRC-32. */
function checkExpression(files: StorageFile[]): string {
  const names = JSON.stringify(files.map(function (f) { return f.name; }));
  // The marker is built on the board so that an echo of this line cannot be taken for the answer.
  return '(function(){var S=require("Storage"),r=[process.env.BOARD];' + names +
    '.forEach(function(n){var d=S.read(n);r.push(d===undefined?-1:d.length,d===undefined?0:E.CRC32(d));});' +
    'print("SPWF04"+"-CHECK "+JSON.stringify(r));})()';
}

/** About how many bytes the tool sends for these files (base64 in chunks of Storage.write calls). */
function bytesOnTheWire(files: StorageFile[]): number {
  let n = 0;
  for (const f of files) n += Math.ceil((f.data.length * 4) / 3) + Math.ceil(f.data.length / 512) * (f.name.length + 60);
  return n;
}

/** What the board says before anything is written: its name and the room its Storage has. */
function askExpression(files: StorageFile[]): string {
  const names = JSON.stringify(files.map(function (f) { return f.name; }));
  return '(function(){var S=require("Storage"),t=S.getStats?S.getStats():{freeBytes:S.getFree(),trashBytes:0},' +
    'r=[process.env.BOARD,t.freeBytes+t.trashBytes];' + names +
    '.forEach(function(n){var d=S.read(n);r.push(d===undefined?0:d.length);});print("SPWF04"+"-CHECK "+JSON.stringify(r));})()';
}

/** The board's name and room, checked before the files are sent; rejects with an UploadError. */
function preflight(o: UploadOptions): Promise<void> {
  return withTool(o, [], askExpression(o.files), 0, o.timeoutMs || (ANSWER_WAIT_S + 30) * 1000).then(function (r) {
    const board = String(r[0]);
    if (o.board.reports.indexOf(board) < 0) {
      throw new UploadError('the board on ' + o.port + ' says it is ' + board + ', not ' + o.board.id + ' (--board); nothing was written' +
        ' (known boards: ' + BOARDS.map(function (b) { return b.id; }).join(', ') + ')');
    }
    let need = 0;
    o.files.forEach(function (f, i) { need += f.data.length + 32 - Number(r[2 + i]); });
    const room = Number(r[1]);
    if (need > room) {
      throw new UploadError('not enough room in the board\'s Storage: ' + kb(need) + ' more needed, ' + kb(room) + ' free; nothing was written' +
        ' (erase what you no longer need: require("Storage").eraseAll() erases everything)');
    }
    o.progress('board ' + board + ' on ' + o.port + ' at ' + o.baud + ' baud; ' + kb(room) + ' free in Storage');
  });
}

/** Checks the board, writes the files with the tool and checks them on the board; rejects with an UploadError. */
export function uploadToStorage(o: UploadOptions): Promise<UploadResult> {
  return preflight(o).then(function () {
    const total = bytesOnTheWire(o.files);
    o.progress('writing ' + o.files.length + (o.files.length === 1 ? ' file' : ' files') + ', about ' + kb(total) + ' on the wire (' +
      Math.ceil((total * 10) / o.baud) + ' s at ' + o.baud + ' baud):');
    for (const f of o.files) o.progress('  ' + f.name + ' (' + f.what + ', ' + f.data.length + ' bytes)');
    const timeoutMs = o.timeoutMs || Math.ceil((total * 10 * 1000) / o.baud) * 2 + (ANSWER_WAIT_S + 30) * 1000;
    return withTool(o, o.files, checkExpression(o.files), total, timeoutMs).then(function (r) { return verify(r, o); });
  });
}

/** Runs the tool once: writes `files` (if any), then runs `expression`; resolves with the answer it printed. */
function withTool(o: UploadOptions, files: StorageFile[], expression: string, total: number, timeoutMs: number): Promise<unknown[]> {
  const tool = toolPaths();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-flash-'));
  const cleanup = function () { fs.rmSync(dir, { recursive: true, force: true }); };
  try {
    const boardFile = path.join(dir, o.board.id + '.json');
    fs.writeFileSync(boardFile, JSON.stringify(o.board.json));
    const preload = path.join(dir, 'port-hook.cjs');
    fs.writeFileSync(preload, PRELOAD);
    const args = ['-r', preload, tool.cli, '--no-ble', '-p', o.port, '-b', String(o.baud), '--board', boardFile];
    files.forEach(function (f, i) {
      const file = path.join(dir, 'file' + i + '.bin');
      fs.writeFileSync(file, Buffer.from(f.data, 'latin1'));
      args.push('--storage', f.name + ':' + file);
    });
    // The tool leaves 0.5 s after the board last said something; a board still busy writing flash (or a
    // slow emulation) would answer after that. So it waits up to ANSWER_WAIT_S after the upload, and is
    // stopped as soon as the answer is in.
    args.push('-e', expression, '--sleep', String(ANSWER_WAIT_S));
    return runTool(args, tool.serialport, o, total, timeoutMs).then(function (r) { cleanup(); return r; }, function (e) { cleanup(); throw e; });
  } catch (e) {
    cleanup();
    return Promise.reject(e);
  }
}

function runTool(args: string[], serialport: string, o: UploadOptions, total: number, timeoutMs: number): Promise<unknown[]> {
  return new Promise(function (resolve, reject) {
    const child = spawn(process.execPath, args, {
      // The tool leaves on its own when done; stdin stays an open pipe (at end of input it would quit early).
      stdio: ['pipe', 'pipe', 'pipe'],
      env: Object.assign({}, process.env, {
        SPWF04_UPLOAD_PORT: o.port,
        SPWF04_UPLOAD_BYTES: String(total),
        SPWF04_UPLOAD_SERIALPORT: serialport,
      }),
    });
    let check: string | null = null;
    let unableToConnect = false;
    let lastToolLine = '';
    let timedOut = false;
    let sleeping = false;
    const timer = setTimeout(function () {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    const lines = function (stream: NodeJS.ReadableStream, each: (line: string) => void) {
      let buf = '';
      stream.on('data', function (d: Buffer) {
        buf += d.toString('latin1');
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          each(buf.substring(0, i).replace(/\r$/, ''));
          buf = buf.substring(i + 1);
        }
      });
    };
    const fromTool = function (line: string) {
      const at = line.indexOf('SPWF04-CHECK ');
      if (at >= 0) {
        check = line.substring(at + 13);
        child.kill('SIGTERM'); // the answer is in: no need to wait out --sleep
        return;
      }
      const p = /^SPWF04-PROGRESS (\d+) (\d+)$/.exec(line);
      if (p) {
        o.progress('  sent ' + kb(Number(p[1])) + ' of about ' + kb(total) + ' (' + p[2] + '%)');
        return;
      }
      if (/Unable to connect|Unable to open device/.test(line)) unableToConnect = true;
      if (/^Upload Complete\. Sleeping/.test(line)) sleeping = true;
      if (line.trim() && !/^(Espruino Command-line Tool|-+$|Explicit board JSON|Manual board JSON|No process\.stdin|Minif|Done$|--\] >?$)/.test(line)) {
        lastToolLine = line;
        o.progress('  espruino: ' + line);
      }
    };
    lines(child.stdout!, fromTool);
    lines(child.stderr!, fromTool);
    child.on('error', function (e) {
      clearTimeout(timer);
      reject(new UploadError('cannot run the Espruino command-line tool: ' + e.message));
    });
    child.on('exit', function () {
      clearTimeout(timer);
      if (check !== null) {
        try {
          resolve(JSON.parse(check));
        } catch (e) {
          reject(new UploadError('the board\'s answer was garbled (' + check.substring(0, 40) + '): wrong --baud?'));
        }
        return;
      }
      if (unableToConnect) reject(new UploadError('cannot open ' + o.port + ' (the Espruino tool could not connect to it)'));
      else if (timedOut) reject(new UploadError('no answer from the board on ' + o.port + ' within ' + Math.round(timeoutMs / 1000) + ' s: wrong --baud (the Nucleo\'s Espruino console runs at 9600), or not an Espruino console'));
      else if (sleeping) reject(new UploadError('no answer from the board on ' + o.port + ' at ' + o.baud + ' baud: wrong --baud (the Nucleo\'s Espruino console runs at 9600), or not an Espruino console'));
      else reject(new UploadError('the board on ' + o.port + ' did not answer at ' + o.baud + ' baud: wrong --baud (the Nucleo\'s Espruino console runs at 9600), or not an Espruino console' + (lastToolLine ? ' (the tool said: ' + lastToolLine.trim() + ')' : '')));
    });
  });
}

function kb(n: number): string {
  return (n / 1024).toFixed(1) + ' KB';
}

/** The board's answer: [BOARD, length, crc, length, crc, ...] in the order of the files. */
function verify(r: unknown[], o: UploadOptions): UploadResult {
  const board = String(r[0]);
  const bad: string[] = [];
  o.files.forEach(function (f, i) {
    const len = Number(r[1 + 2 * i]);
    const crc = Number(r[2 + 2 * i]) >>> 0;
    if (len < 0) bad.push(f.name + ' is missing (Storage full?)');
    else if (len !== f.data.length || crc !== zlib.crc32(Buffer.from(f.data, 'latin1'))) bad.push(f.name + ' differs (' + len + ' bytes on the board, ' + f.data.length + ' sent)');
  });
  if (bad.length) throw new UploadError('the upload did not arrive intact: ' + bad.join('; '));
  return { board: board };
}
