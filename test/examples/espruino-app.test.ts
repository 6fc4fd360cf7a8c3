import { strict as assert } from 'assert';
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import { SimModule } from '../../hosts/sim/module';
import { TcpUart } from '../../hosts/sim/tcp-uart';
import { certificateFiles } from '../../hosts/node/flash-command';
import { fileStorage } from '../../hosts/node/host';
import { CertStore } from '../../src/certs/store';
import { netPki, type NetPki } from '../net/helpers';

// examples/espruino/app.js, as it is, in the real Espruino engine with the NUCLEO-F401RE's heap: the
// device modules of the build in its flash (as `spwf04 flash` puts them there), the example's settings
// in a Storage file ("app-config.json", as the example says), the peers' CA in the board's flash under the
// names `spwf04 flash --certs` gives it (the example makes the module hold it: spwf04-certs), the
// simulated module behind a pseudo-terminal, and a TLS echo peer and an HTTPS server on 127.0.0.1. Then,
// on its own: the certificates `spwf04 flash --certs` puts on the board are what the board's store reads.

const ROOT = path.join(__dirname, '..', '..');
const APP = path.join(ROOT, 'examples', 'espruino', 'app.js');
const TOOLS = path.resolve(ROOT, '..', 'shared', 'tools', 'espruino');
const ENGINE = process.env.ESPRUINO_NUCLEO || path.join(TOOLS, 'espruino-nucleo');
const STORE = path.join(TOOLS, 'store.mjs');
const SOCAT = '/usr/bin/socat';
const MODULES = path.join(ROOT, 'build', 'out', 'espruino');

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

describe('examples/espruino/app.js in the real engine against the simulator (skipped without the engine or socat)', function () {
  this.timeout(120000);
  let dir: string;
  let pki: NetPki;
  const cleanups: Array<() => void> = [];

  before(function () {
    if (!fs.existsSync(ENGINE) || !fs.existsSync(SOCAT) || !fs.existsSync(MODULES)) {
      console.log('      (skipped: needs socat, the device build (npm run build) and the Espruino engine at ' + ENGINE +
        '; ../shared/tools/espruino/README.md says how to build it)');
      this.skip();
    }
    pki = netPki();
  });
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-example-')); });

  /** A CA kept on the desktop (the image `spwf04 cert add` writes), as the files `spwf04 flash --certs`
   *  writes on the board: store.mjs arguments file=StorageName. */
  function boardCertificates(ca: string): string[] {
    const image = path.join(dir, 'desktop-flash.json');
    assert.ok(new CertStore(fileStorage(image)).put('tls-ca', ca).ok);
    return certificateFiles(image).map((f, i) => {
      const file = path.join(dir, 'cert' + i + '.bin');
      fs.writeFileSync(file, Buffer.from(f.data, 'latin1'));
      return file + '=' + f.name;
    });
  }
  afterEach(() => {
    while (cleanups.length) cleanups.pop()!();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('joins, exchanges a line over TLS, makes an HTTPS GET, and reports a link loss and the recovery', async () => {
    // The peers.
    const tlsPeer = tls.createServer({ cert: pki.read('localhost.pem'), key: pki.read('server.key') }, (c) => {
      c.on('error', () => undefined);
      c.on('data', (d) => c.write('echo: ' + d.toString('latin1')));
    });
    const tlsPort = await listen(tlsPeer);
    const web = https.createServer({ cert: pki.read('localhost.pem'), key: pki.read('server.key') }, (req, res) => {
      res.writeHead(req.url === '/hello' ? 200 : 404, { 'Content-Type': 'text/plain' });
      res.end(req.url === '/hello' ? 'hello from the HTTPS server' : 'nope');
    });
    const webPort = await listen(web);
    cleanups.push(() => { tlsPeer.close(); web.close(); });

    // The module: the simulator, holding no certificate yet.
    const sim = new SimModule({});
    const uart = new TcpUart(sim, () => undefined);
    const uartPort = await uart.listen(0);
    const pty = path.join(dir, 'module-tty');
    const socat = spawn(SOCAT, [`PTY,link=${pty},raw,echo=0`, `TCP:127.0.0.1:${uartPort}`], { stdio: 'ignore' });
    cleanups.push(() => { socat.kill(); uart.close(); sim.close(); });
    await until(() => fs.existsSync(pty), 'the module\'s pseudo-terminal', 5000);

    // The board's flash: every device module, and the example's settings.
    const modules = fs.readdirSync(MODULES).filter((f) => /\.js$/.test(f) && !/\.debug\.js$/.test(f)).map((f) => path.join(MODULES, f));
    const settings = path.join(dir, 'app-config.json');
    fs.writeFileSync(settings, JSON.stringify({
      ssid: 'SPWF-Lab',
      psk: 'correct horse battery',
      tls: { host: 'localhost', port: tlsPort, hello: 'hello over TLS\n' },
      https: { host: 'localhost', port: webPort, path: '/hello' },
      serial: { path: pty },
    }));
    execFileSync(process.execPath, [STORE, '--dir', dir, ...modules, settings + '=app-config.json', ...boardCertificates(pki.read('ca.pem'))],
      { stdio: 'pipe', timeout: 60000 });

    // The board runs the example.
    let out = '';
    const board: ChildProcess = spawn(ENGINE, [APP], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    board.stdout!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    board.stderr!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    cleanups.push(() => board.kill('SIGKILL'));
    const see = (text: string, ms = 30000) => until(() => out.indexOf(text) >= 0 || /Uncaught|MEMORY/.test(out), text, ms)
      .then(() => assert.doesNotMatch(out, /Uncaught|MEMORY/, out), (e) => { throw new Error(e.message + '\n' + out); });

    await see('joined SPWF-Lab as 192.168.1.42');
    await see('certificates: tls provisioned');
    assert.ok(sim.certificate('tls', 'ca'), 'the module holds the CA from the board\'s flash');
    await see('tls answer: "echo: hello over TLS"');
    await see('https status 200 body "hello from the HTTPS server"');
    await see('all done; staying connected');
    assert.match(out, /link: joining/);
    assert.match(out, /link: up/);

    // Staying connected: the access point drops the module; the layer says so and the link comes back.
    assert.equal(sim.loseLink(), true);
    await see('link: lost');
    const before = out.split('link: up').length;
    await until(() => out.split('link: up').length > before, 'the link to come back', 60000).catch((e) => { throw new Error(e.message + '\n' + out); });
    assert.doesNotMatch(out, /failed:|wifi error:/, out);
    // What the example and the layer hold once settled, typed at the board's console as a user would.
    board.stdin!.write('process.memory();print("MEM " + JSON.stringify(process.memory()))\n');
    await see('MEM {');
    const mem = JSON.parse(/MEM (\{.*\})/.exec(out)![1]!);
    assert.equal(mem.total, 5376);
    assert.ok(mem.free > 0, JSON.stringify(mem));
    if (process.env.SHOW_EXAMPLE) console.log(out);
  });

  it('the certificates `spwf04 flash --certs` puts on the board are what the board\'s store (spwf04-certs) reads', async () => {
    if (!fs.existsSync(path.join(MODULES, 'spwf04-certs.js'))) return; // a build without the certificates module
    const ca = pki.read('ca.pem');
    const certs = boardCertificates(ca);
    execFileSync(process.execPath, [STORE, '--dir', dir, path.join(MODULES, 'spwf04.js'), path.join(MODULES, 'spwf04-certs.js'), ...certs], { stdio: 'pipe', timeout: 60000 });
    fs.writeFileSync(path.join(dir, 'read.js'), [
      'var store = require("spwf04").start(Serial1, { path: "/dev/null", network: false, log: "none" }).certs.store;',
      'var got = store.get("tls-ca");',
      'print("RESULT " + JSON.stringify({ ok: got.ok, bytes: got.ok ? got.bytes : got.error.message, abc: store.put("x-check", "abc").hash }));',
      'quit();',
    ].join('\n'));
    // The engine stays up after quit() while Serial1 holds a path open: stop it once the answer is in.
    let out = '';
    const engine = spawn(ENGINE, ['read.js'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    cleanups.push(() => engine.kill('SIGKILL'));
    engine.stdout!.on('data', (d: Buffer) => { out += d.toString('latin1'); });
    await until(() => /RESULT [^\n]*\n/.test(out) || /Uncaught|MEMORY/.test(out), 'the board\'s answer', 30000).catch((e) => { throw new Error(e.message + '\n' + out); });
    const line = out.split('\n').filter((l) => l.indexOf('RESULT ') === 0)[0];
    assert.ok(line, out);
    const r = JSON.parse(line!.substring(7));
    assert.equal(r.abc, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'SHA-256("abc") on the board, as the store computes it');
    assert.deepEqual({ ok: r.ok, bytes: r.bytes }, { ok: true, bytes: ca });
  });
});
