import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runOtaCommand } from '../../hosts/node/ota/ota-command';
import { buildPacket } from '../../hosts/node/ota/packet';
import { capture } from '../helpers/cli-capture';
import { PacketServer, image } from '../fota/helpers';
import { SOCAT, simOnPty } from '../helpers/sim-on-pty';

// `spwf04 ota update --port`: a firmware update of a module on a serial port, as a real one would be behind
// a USB-UART adapter. The module is the simulator behind a pseudo-terminal (socat); the packet comes from a
// local HTTP server.

describe('spwf04 ota update --port (skipped without socat)', function () {
  this.timeout(60000);
  let dir: string;
  const cleanups: Array<() => unknown> = [];
  before(function () {
    if (!fs.existsSync(SOCAT)) this.skip();
  });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-ota-update-')); });
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('joins, downloads an encrypted packet with its key file, installs it and reports the versions', async () => {
    const { sim, pty, stop } = await simOnPty(dir);
    cleanups.push(stop);
    const keyHex = '000102030405060708090a0b0c0d0e0f';
    const keyFile = path.join(dir, 'key.hex');
    fs.writeFileSync(keyFile, keyHex + '\n');
    const server = await PacketServer.start();
    cleanups.push(() => server.close());
    server.full('/fw.sfota', buildPacket(image(8 * 1024), { version: '180101-abc1234', key: Buffer.from(keyHex, 'hex') }));

    const c = capture();
    const code = await runOtaCommand(['update', '--port', pty, '--url', 'http://127.0.0.1:' + server.port + '/fw.sfota',
      '--ssid', 'SPWF-Lab', '--psk', 'correct horse battery', '--key', keyFile, '--version', '180101-abc1234'], c.io);
    assert.equal(code, 0, c.err.join('\n'));
    assert.equal(c.out.length, 1, c.out.join('\n'));
    assert.match(c.out[0]!, /^updated: \S+ -> 180101-abc1234-SPWF04S$/);
    assert.equal(sim.fota.firmware, '180101-abc1234-SPWF04S');
    assert.ok(c.err.some((l) => /^downloading: \d+%$/.test(l)), 'progress on stderr: ' + c.err.join(' | '));
    assert.ok(c.err.join('\n').indexOf('correct horse battery') < 0, 'the passphrase never printed');
  });

  it('usage errors (exit 2) and a missing device (exit 1): one line each', async () => {
    let c = capture();
    assert.equal(await runOtaCommand(['update', '--url', 'http://h/p', '--ssid', 'x'], c.io), 2);
    assert.equal(c.err[0], 'spwf04: ota update needs --port');
    c = capture();
    assert.equal(await runOtaCommand(['update', '--port', '/dev/x', '--url', 'ftp://h/p', '--ssid', 'x'], c.io), 2);
    assert.match(c.err[0]!, /--url must be http:\/\/ or https:\/\//);
    c = capture();
    const missing = path.join(dir, 'ttyUSB9');
    assert.equal(await runOtaCommand(['update', '--port', missing, '--url', 'http://h/p', '--ssid', 'x'], c.io), 1);
    assert.deepEqual(c.err, ['no device at ' + missing + ' (is the adapter plugged in? look in /dev/ttyUSB* and /dev/ttyACM*)']);
  });
});
