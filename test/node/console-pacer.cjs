// Copies stdin to stdout in pieces of 16 bytes, one piece every 4 ms (about 4 KB/s): the console input of
// the desktop Espruino engine that stands in for a board in test/node/flash-command.test.ts. Its Linux
// build now and then stops on an assertion of its own (src/jsdevices.c: len <= 64) while console input
// arrives, far more often when the input comes in bursts, as a pseudo-terminal hands it over; a UART at
// 9600 baud delivers about 1 KB/s. Usage: node console-pacer.cjs | engine
'use strict';
const PIECE = 16;
const EVERY_MS = 4;
const queue = [];
let busy = false;
let ended = false;

function pump() {
  if (!queue.length) {
    busy = false;
    if (ended) process.exit(0);
    return;
  }
  busy = true;
  const head = queue[0];
  process.stdout.write(head.subarray(0, PIECE));
  if (head.length > PIECE) queue[0] = head.subarray(PIECE);
  else queue.shift();
  setTimeout(pump, EVERY_MS);
}

process.stdout.on('error', () => process.exit(0)); // the engine has gone
process.stdin.on('data', (d) => {
  queue.push(d);
  if (!busy) pump();
});
process.stdin.on('end', () => {
  ended = true;
  if (!busy) process.exit(0);
});
