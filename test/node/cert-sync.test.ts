import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCertCommand } from '../../hosts/node/cert-command';
import { fileStorage } from '../../hosts/node/host';
import { CertStore } from '../../src/certs/store';
import { capture } from '../helpers/cli-capture';
import { netPki } from '../net/helpers';
import { SOCAT, simOnPty } from '../helpers/sim-on-pty';

// `spwf04 cert sync --port`: the host-flash image's certificates into a module on a serial port, through
// the core's Provisioner. The module is the simulator behind a pseudo-terminal (socat), as a real one would
// be behind a USB-UART adapter.

describe('spwf04 cert sync --port (skipped without socat)', function () {
  this.timeout(60000);
  let dir: string;
  const cleanups: Array<() => void> = [];
  before(function () {
    if (!fs.existsSync(SOCAT)) this.skip();
  });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-cert-sync-')); });
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('puts the CA into the module, then finds nothing to send the second time', async () => {
    const pki = netPki();
    const image = path.join(dir, 'flash.json');
    assert.ok(new CertStore(fileStorage(image)).put('tls-ca', pki.read('ca.pem')).ok);

    const { sim, pty, stop } = await simOnPty(dir);
    cleanups.push(stop);

    let c = capture();
    assert.equal(await runCertCommand(['sync', '--port', pty, '--store', image], c.io), 0, c.err.join('\n'));
    assert.equal(c.out.length, 1, c.out.join('\n'));
    assert.match(c.out[0]!, /^tls: provisioned .*; the module holds: .*ca/);
    assert.ok(sim.certificate('tls', 'ca'), 'the module holds the CA');

    c = capture();
    assert.equal(await runCertCommand(['sync', '--port', pty, '--store', image], c.io), 0, c.err.join('\n'));
    assert.match(c.out[0]!, /^tls: unchanged; the module holds: .*ca/);
  });

  it('no device, no --port, an empty image: one line each', async () => {
    const image = path.join(dir, 'flash.json');
    let c = capture();
    assert.equal(await runCertCommand(['sync', '--store', image], c.io), 2);
    assert.equal(c.err[0], 'spwf04: cert sync needs --port <device> (the module\'s serial port)');
    c = capture();
    assert.equal(await runCertCommand(['sync', '--port', '/dev/x', '--store', image], c.io), 1);
    assert.deepEqual(c.err, [path.resolve(image) + ': no certificates or keys in it (add them with spwf04 cert add <use> <file>)']);
    assert.ok(new CertStore(fileStorage(image)).put('tls-ca', 'x').ok);
    c = capture();
    const missing = path.join(dir, 'ttyUSB9');
    assert.equal(await runCertCommand(['sync', '--port', missing, '--store', image], c.io), 1);
    assert.deepEqual(c.err, ['no device at ' + missing + ' (is the adapter plugged in? look in /dev/ttyUSB* and /dev/ttyACM*)']);
  });
});
