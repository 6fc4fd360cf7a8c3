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
const READY = 'BOARD_LISTENING';
const TAKEN = 'BOARD_PORT_TAKEN';

/** The engine's boot script: console on LoopbackA, LoopbackB wired to whichever connection came last. */
function boardScript(port) {
  return [
    'var sock = null;',
    'LoopbackB.on("data", function (d) { if (sock) sock.write(d); });',
    'try {',
    '  require("net").createServer(function (c) {',
    '    sock = c;',
    '    c.on("data", function (d) { LoopbackB.write(d); });',
    '    c.on("close", function () { if (sock === c) sock = null; });',
    '  }).listen(' + port + ');',
    '  print("' + READY + '");',
    '  LoopbackA.setConsole(true);',
    '} catch (e) { print("' + TAKEN + ' " + e); }', // the port was taken meanwhile: another one
  ].join('\n');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const port = s.address().port; s.close(() => resolve(port)); });
  });
}

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

/** The engine on a free port of 127.0.0.1 (another, up to `tries` times, when the port was taken between
 *  the probe and the engine's listen), then this program as the other end of its console. */
async function startEngine(engineFile, tries) {
  const port = await freePort();
  const scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-board-'));
  const script = path.join(scriptDir, 'board.js');
  fs.writeFileSync(script, boardScript(port));
  // stdin stays an open pipe nobody writes to: the engine's input thread then has nothing to push.
  const e = engine = spawn(engineFile, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const onExit = (code) => process.exit(code === null ? 1 : code);
  e.on('exit', onExit);
  e.on('exit', () => fs.rmSync(scriptDir, { recursive: true, force: true }));
  let banner = '';
  const onBanner = (d) => {
    banner += d.toString('latin1');
    if (banner.indexOf(TAKEN) >= 0) {
      e.off('exit', onExit);
      e.kill('SIGKILL');
      if (tries > 1) startEngine(engineFile, tries - 1).catch((err) => fail(err.message));
      else fail('no free port for the engine\'s console: ' + banner.slice(banner.indexOf(TAKEN)));
      return;
    }
    if (banner.indexOf(READY) < 0) return;
    e.stdout.off('data', onBanner);
    e.stdout.resume(); // anything it prints before the console moved is not the board's answer
    socket = net.connect(port, '127.0.0.1', () => { if (!pacing) pump(); });
    socket.on('data', (d) => process.stdout.write(d));
    socket.on('error', (err) => fail('lost the engine\'s console: ' + err.message));
  };
  e.stdout.on('data', onBanner);
}

if (!process.argv[2]) fail('usage: node engine-board.cjs ENGINE');
startEngine(process.argv[2], 5).catch((e) => fail(e.message));
