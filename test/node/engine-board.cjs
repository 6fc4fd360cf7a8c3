// The desktop Espruino engine as a board whose console is this program's stdin and stdout, for
// test/node/flash-command.test.ts (socat puts a pseudo-terminal in front of it).
// Usage: node engine-board.cjs ENGINE   (the engine's flash is ./espruino.flash in the current folder)
//
// Why not the engine's own stdin: its Linux build reads stdin (and serial ports) on a second thread that
// pushes into the same input queue the interpreter's loop pops from, without a lock. Under a steady stream
// the two now and then meet and the engine stops on its own assertion (src/jsdevices.c: len <= 64): about
// one upload in two at 16 bytes every 4 ms, every upload at one byte a millisecond. Sockets, on the other
// hand, are read by the loop itself. So the engine runs a short script that moves its console to LoopbackA
// and feeds it from a TCP connection on 127.0.0.1; this program is the other end of that connection.
// Input is paced as a UART paces it (16 bytes every 4 ms, about 4 KB/s; 9600 baud is about 1 KB/s): the
// board script hands each piece to the console's input queue at once, and a burst of kilobytes would
// overflow that queue and the board's heap.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const PIECE = 16;
const EVERY_MS = 4;
const READY = 'BOARD_LISTENING ';
const NO_PORT = 'BOARD_NO_PORT';

/** The engine's boot script: a console server on a port of 127.0.0.1 it finds free itself (a port tried
 *  is a listen that throws when taken: no probe from here that another process could take meanwhile),
 *  its console on LoopbackA, LoopbackB wired to whichever connection came last. */
const BOARD_SCRIPT = [
  'var sock = null, port = 0;',
  'LoopbackB.on("data", function (d) { if (sock) sock.write(d); });',
  'function serve(c) {',
  '  sock = c;',
  '  c.on("data", function (d) { LoopbackB.write(d); });',
  '  c.on("close", function () { if (sock === c) sock = null; });',
  '}',
  'for (var i = 0; i < 20 && !port; i++) {',
  '  var p = 20000 + Math.floor(Math.random() * 40000);',
  '  try { require("net").createServer(serve).listen(p); port = p; } catch (e) { /* taken: another */ }',
  '}',
  'if (port) { print("' + READY + '" + port); LoopbackA.setConsole(true); } else print("' + NO_PORT + '");',
].join('\n');

const pending = [];
let socket = null;
let pacing = false;
let engine = null;

function fail(message) {
  process.stderr.write('engine-board: ' + message + '\n');
  process.exit(1);
}

function pump() {
  if (!socket || !pending.length) { pacing = false; return; }
  pacing = true;
  const head = pending[0];
  socket.write(head.subarray(0, PIECE));
  if (head.length > PIECE) pending[0] = head.subarray(PIECE);
  else pending.shift();
  setTimeout(pump, EVERY_MS);
}

process.stdin.on('data', (d) => { pending.push(d); if (!pacing) pump(); });
process.stdout.on('error', () => process.exit(0));
// However this program ends (socat stops it, or the terminal goes), the engine ends with it.
process.on('exit', () => { if (engine && engine.exitCode === null) engine.kill('SIGKILL'); });
for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT']) process.on(signal, () => process.exit(0));

const engineFile = process.argv[2];
if (!engineFile) fail('usage: node engine-board.cjs ENGINE');
const scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-board-'));
const script = path.join(scriptDir, 'board.js');
fs.writeFileSync(script, BOARD_SCRIPT);
// stdin stays an open pipe nobody writes to: the engine's input thread then has nothing to push.
engine = spawn(engineFile, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
engine.on('exit', (code) => {
  fs.rmSync(scriptDir, { recursive: true, force: true });
  process.exit(code === null ? 1 : code);
});
let banner = '';
const onBanner = (d) => {
  banner += d.toString('latin1');
  if (banner.indexOf(NO_PORT) >= 0) fail('the engine found no free port for its console');
  const at = banner.indexOf(READY);
  const end = at < 0 ? -1 : banner.indexOf('\n', at);
  if (end < 0) return;
  engine.stdout.off('data', onBanner);
  engine.stdout.resume(); // anything it prints before the console moved is not the board's answer
  socket = net.connect(parseInt(banner.substring(at + READY.length, end), 10), '127.0.0.1', () => { if (!pacing) pump(); });
  socket.on('data', (x) => process.stdout.write(x));
  socket.on('error', (err) => fail('lost the engine\'s console: ' + err.message));
};
engine.stdout.on('data', onBanner);
