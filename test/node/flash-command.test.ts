import { strict as assert } from 'assert';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { certificateFiles, deviceModules, runFlashCommand } from '../../hosts/node/flash-command';
import { fileStorage } from '../../hosts/node/host';
import { CertStore } from '../../src/certs/store';
import { capture } from '../helpers/cli-capture';
import { pki } from '../certs/pki';

// `spwf04 flash`: what goes where (unit), and for real: the real Espruino engine with the NUCLEO-F401RE's
// heap acts as the board, its console behind a pseudo-terminal (socat), the upload goes through the real
// Espruino command-line tool, and then the engine, started again on the flash it wrote, requires the
// module and reads the certificate and the application back.

const ROOT = path.join(__dirname, '..', '..');
const ENGINE = process.env.ESPRUINO_NUCLEO || path.resolve(ROOT, '..', 'shared', 'tools', 'espruino', 'espruino-nucleo');
const SOCAT = '/usr/bin/socat';
const OUT = path.join(ROOT, 'build', 'out');
const ENGINE_BOARD = path.join(__dirname, 'engine-board.cjs');

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('spwf04 flash', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-flash-test-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('what it writes', () => {
    it('takes every build/out/espruino/<name>.js except *.debug.js, else espruino.js as "spwf04"', () => {
      fs.writeFileSync(path.join(dir, 'espruino.js'), 'single');
      assert.deepEqual(deviceModules(dir).map((f) => [f.name, f.data]), [['spwf04', 'single']]);
      fs.mkdirSync(path.join(dir, 'espruino'));
      for (const f of ['spwf04.js', 'spwf04-http.js', 'spwf04.debug.js', 'spwf04.js.map', 'spwf04-fota.js']) fs.writeFileSync(path.join(dir, 'espruino', f), f);
      assert.deepEqual(deviceModules(dir).map((f) => f.name), ['spwf04-fota', 'spwf04-http', 'spwf04']);
      fs.rmSync(dir + '/espruino', { recursive: true });
      fs.rmSync(dir + '/espruino.js');
      assert.throws(() => deviceModules(dir), /no device build in .*: run npm run build first/);
    });

    it('copies the certificate slots under "spwf." + their key (what the Espruino host\'s storage reads), not the provisioning record', () => {
      const image = path.join(dir, 'flash.json');
      const store = new CertStore(fileStorage(image));
      const p = pki();
      assert.ok(store.put('tls-ca', p.read('rsa2048-ca.pem')).ok);
      assert.ok(store.put('tls-ca', p.read('rsa2048-ca.der')).ok);
      assert.ok(store.put('tls-cert', p.read('rsa2048-server.pem')).ok);
      assert.ok(store.put('tls-key', p.read('rsa2048-server.key')).ok);
      assert.ok(store.put('prov-record', '{}').ok);
      const files = certificateFiles(image);
      assert.deepEqual(files.map((f) => f.name).sort(), ['spwf.spwfc.tls-ca.1', 'spwf.spwfc.tls-cert.0', 'spwf.spwfc.tls-key.0'], 'the current slot of each entry');
      const raw = JSON.parse(fs.readFileSync(image, 'latin1'));
      for (const f of files) assert.equal(f.data, raw[f.name.substring('spwf.'.length)]);
      fs.writeFileSync(image, '{}');
      assert.throws(() => certificateFiles(image), /no certificates or keys in it \(add them with spwf04 cert add/);
    });

    it('checks the items as the module would before anything goes to the board, and stores the key id a PEM CA needs', () => {
      const image = path.join(dir, 'flash.json');
      const store = new CertStore(fileStorage(image));
      const p = pki();
      // A PEM CA: the board uploads items as they are, so the desktop derives tls-auth for it.
      assert.ok(store.put('tls-ca', p.read('rsa2048-ca.pem')).ok);
      const files = certificateFiles(image);
      const auth = files.filter((f) => f.name.indexOf('spwf.spwfc.tls-auth.') === 0);
      assert.equal(auth.length, 1, files.map((f) => f.name).join(' '));
      const onBoard: { [k: string]: string } = {};
      for (const f of files) onBoard[f.name.substring('spwf.'.length)] = f.data;
      const boardStore = new CertStore({ read: (k) => onBoard[k], write: () => true, erase: () => undefined, list: (pre) => Object.keys(onBoard).filter((k) => k.indexOf(pre) === 0) });
      const got = boardStore.get('tls-auth');
      assert.ok(got.ok && got.bytes.length === 20, 'a 20-byte key id');
      // A certificate that does not go with its key: nothing is uploaded, and both files are named.
      assert.ok(store.put('tls-cert', p.read('rsa2048-server.pem')).ok);
      assert.ok(store.put('tls-key', p.read('prime256v1-server.key')).ok);
      assert.throws(() => certificateFiles(image), /the module would refuse these tls items, nothing was uploaded:[\s\S]*tls-(cert|key)/);
    });

    it('usage errors (exit 2) and a missing device (exit 1): one line each', async () => {
      const cases: Array<[string[], number, RegExp]> = [
        [[], 2, /^spwf04: --port <device> is required/],
        [['--port', '/dev/x', '--board', 'ESP32'], 2, /^spwf04: --board ESP32 is not a board this command knows: NUCLEOF401RE, NUCLEOF411RE/],
        [['--port', '/dev/x', '--baud', 'fast'], 2, /^spwf04: --baud wants a whole number/],
        [['--port', '/dev/x', '--store', 'f.json'], 2, /^spwf04: --store goes with --certs$/],
        [['--port', '/dev/x', '--bogus'], 2, /^spwf04: unknown option: --bogus$/],
        [['--port', path.join(dir, 'ttyACM9'), '--modules', dir], 1, /^spwf04 flash: no device build in /],
      ];
      for (const [args, code, line] of cases) {
        const c = capture();
        assert.equal(await runFlashCommand(args, c.io), code, args.join(' '));
        assert.match(c.err[0]!, line);
        assert.deepEqual(c.out, []);
      }
      fs.writeFileSync(path.join(dir, 'espruino.js'), 'x');
      const c = capture();
      assert.equal(await runFlashCommand(['--port', path.join(dir, 'ttyACM9'), '--modules', dir], c.io), 1);
      assert.deepEqual(c.err, ['spwf04 flash: no device at ' + path.join(dir, 'ttyACM9') + ' (is the board plugged in? a Nucleo shows up as /dev/ttyACM0)']);
    });
  });

  describe('through the real Espruino tool into the real engine (skipped without the engine or socat)', function () {
    this.timeout(120000);
    let board: ChildProcess | null = null;

    before(function () {
      if (!fs.existsSync(ENGINE) || !fs.existsSync(SOCAT)) {
        console.log('      (skipped: needs socat and the Espruino engine at ' + ENGINE + '; see ../shared/tools/espruino/README.md to build it)');
        this.skip();
      }
    });

    /** A board on a pseudo-terminal: by default the engine, its console fed as engine-board.cjs says (its
     *  flash in `dir`); or any other program that talks on stdin and stdout. */
    async function startBoard(program = `node ${ENGINE_BOARD} ${ENGINE}`): Promise<string> {
      const tty = path.join(dir, 'board-tty');
      board = spawn(SOCAT, [`PTY,link=${tty},raw,echo=0`, `EXEC:${program},pty,raw,echo=0`], { cwd: dir, stdio: 'ignore' });
      await until(() => fs.existsSync(tty), 'the board\'s pseudo-terminal');
      return tty;
    }

    async function stopBoard(): Promise<void> {
      if (!board || board.exitCode !== null) return;
      const b = board;
      const gone = new Promise((r) => b.once('exit', r));
      b.kill('SIGTERM');
      await gone;
      board = null;
    }
    afterEach(stopBoard);

    /** `spwf04 flash` with `args(port)` against the engine as a board. */
    async function flashOnBoard(args: (port: string) => string[]): Promise<{ code: number; c: ReturnType<typeof capture>; tty: string }> {
      const tty = await startBoard();
      const c = capture();
      return { code: await runFlashCommand(args(tty), c.io), c, tty };
    }

    /** The core module of the build (the upload of every module is the same, just longer). */
    function coreModuleDir(): string {
      const mods = path.join(dir, 'build');
      fs.mkdirSync(path.join(mods, 'espruino'), { recursive: true });
      const split = path.join(OUT, 'espruino', 'spwf04.js');
      fs.copyFileSync(fs.existsSync(split) ? split : path.join(OUT, 'espruino.js'), path.join(mods, 'espruino', 'spwf04.js'));
      return mods;
    }

    it('uploads the module, a certificate and the application; the engine then requires "spwf04" from its flash', async () => {
      const image = path.join(dir, 'flash.json');
      const store = new CertStore(fileStorage(image));
      // A DER CA (every byte value; the module takes its key id from it): checked on the desktop, no tls-auth.
      const ca = pki().read('rsa2048-ca.der');
      assert.ok(store.put('tls-ca', ca).ok);
      const app = path.join(dir, 'app.js');
      fs.writeFileSync(app, 'var appStarted = true;\n');
      const { code, c, tty } = await flashOnBoard((port) => ['--port', port, '--board', 'LINUX_NUCLEO', '--modules', coreModuleDir(), '--certs', '--store', image, '--app', app]);
      assert.equal(code, 0, c.err.join('\n'));
      assert.match(c.err.join('\n'), /^board LINUX_NUCLEO_REL on .* at 9600 baud; [\d.]+ KB free in Storage$/m);
      assert.match(c.err.join('\n'), /^ {2}sent [\d.]+ KB of about [\d.]+ KB \(50%\)$/m, 'progress on stderr');
      assert.deepEqual(c.out, [
        'written to the LINUX_NUCLEO_REL on ' + tty + ' and checked: spwf04, spwf.spwfc.tls-ca.0, .bootcde',
        'the application runs at the next start: press RESET on the board, or type load() in its console',
      ]);
      await stopBoard();

      // The board again, on the flash it kept: require the module, read what the certificate store will read.
      fs.writeFileSync(path.join(dir, 'check.js'), [
        'var m = require("spwf04"), S = require("Storage");',
        'var ca = S.read("spwf.spwfc.tls-ca.0");',
        'print("RESULT " + JSON.stringify({ start: typeof m.start, ca: ca && ca.substring(52), app: S.read(".bootcde") }));',
        'quit();',
      ].join('\n'));
      const r = spawnSync(ENGINE, ['check.js'], { cwd: dir, encoding: 'latin1', input: '', timeout: 30000 });
      const line = r.stdout.split('\n').filter((l) => l.indexOf('RESULT ') === 0)[0];
      assert.ok(line, r.stdout + r.stderr);
      assert.deepEqual(JSON.parse(line!.substring(7)), { start: 'function', ca, app: 'var appStarted = true;\n' });
      assert.doesNotMatch(r.stdout, /Uncaught|MEMORY/);
    });

    it('refuses a board that is not the one named by --board, before writing anything', async () => {
      const { code, c } = await flashOnBoard((port) => ['--port', port, '--modules', coreModuleDir()]);
      assert.equal(code, 1);
      assert.match(c.err[c.err.length - 1]!, /^spwf04 flash: the board on .* says it is LINUX_NUCLEO_REL, not NUCLEOF401RE \(--board\); nothing was written/);
    });

    it('says so when the port is not an Espruino console (or the baud rate is wrong): nothing answers', async () => {
      const tty = await startBoard('/bin/cat'); // echoes what it gets, answers nothing
      const c = capture();
      assert.equal(await runFlashCommand(['--port', tty, '--modules', coreModuleDir()], c.io, { timeoutMs: 8000 }), 1);
      assert.match(c.err[c.err.length - 1]!, /^spwf04 flash: no answer from the board on .*: wrong --baud \(the Nucleo's Espruino console runs at 9600\), or not an Espruino console$/);
    });
  });
});
