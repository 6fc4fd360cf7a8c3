import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runOtaCommand, type OtaIo } from '../../hosts/node/ota/ota-command';
import { capture } from '../helpers/cli-capture';
import { field32, hexRecord, independentDecrypt, rawHeader, sha256Of, writeIntelHex } from './hex-writer';

// `spwf04 ota` end to end on files in a scratch directory; the packets it writes are read back here
// independently (format table offsets, Node's crypto).

interface Run {
  code: number;
  /** stdout */
  out: string;
  /** stderr: errors and notes */
  err: string;
  /** stderr: progress */
  progress: string;
}

async function ota(args: string[], opts: { tty?: boolean; now?: Date } = {}): Promise<Run> {
  const c = capture();
  let progress = '';
  const io: OtaIo = {
    stderr: { write: (s: string) => { progress += s; return true; }, isTTY: !!opts.tty },
    now: opts.now ? () => opts.now! : undefined,
  };
  const code = await runOtaCommand(args, c.io, io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n'), progress };
}

function image(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 37 + seed + (i >> 9)) & 0xff;
  return b;
}

describe('ota: spwf04 ota', function () {
  let dir: string;
  const p = (name: string) => path.join(dir, name);

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-ota-'));
  });
  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('create', function () {
    it('makes a plain packet from Intel HEX with gaps and extended linear addresses', async function () {
      const a = image(0x10000 + 64, 1); // crosses a 64 KiB boundary
      const b = image(60, 2);
      fs.writeFileSync(p('fw.hex'), writeIntelHex([{ address: 0x08000000, data: a }, { address: 0x08010000 + 64 + 16, data: b }], { eol: '\r\n' }));
      const r = await ota(['create', p('fw.hex'), p('fw.fota'), '--version', '240131-abc1234']);
      assert.equal(r.code, 0, r.out);
      const expected = Buffer.concat([a, Buffer.alloc(16, 0xff), b]);
      const file = fs.readFileSync(p('fw.fota'));
      const h = rawHeader(file);
      assert.equal(file.length, 140 + expected.length + 4);
      assert.equal(h.id, 0x00228800);
      assert.equal(h.hdrlen, 140);
      assert.equal(h.base, 0);
      assert.equal(h.len, expected.length);
      assert.deepEqual(h.model, field32('SPWF04S'));
      assert.deepEqual(h.version, field32('240131-abc1234'));
      assert.deepEqual(h.hash, sha256Of(expected));
      assert.ok(h.iv.every((x) => x === 0) && h.tag.every((x) => x === 0));
      assert.deepEqual(file.subarray(140, 140 + expected.length), expected);
      assert.equal(file.readUInt32LE(file.length - 4), 0x8505e11a);
      assert.match(r.out, /image .*fw\.hex: 65676 bytes from 0x08000000 to 0x0801008B \(\d+ data records, 16 gap bytes filled with 0xFF\)/);
      assert.match(r.out, /packet .*fw\.fota: 65820 bytes = 140 \+ 65676 \+ 4/);
      assert.match(r.out, /plain \(not encrypted, not authenticated\)/);
      assert.equal(r.err, '', 'no progress when stderr is not a terminal');
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.partial-')), [], 'no temporary file left');
    });

    it('makes an encrypted packet with --key that decrypts independently', async function () {
      const img = image(4096, 3);
      const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
      fs.writeFileSync(p('key.bin'), key);
      fs.writeFileSync(p('enc.hex'), writeIntelHex([{ address: 0, data: img }]));
      const r = await ota(['create', p('enc.hex'), p('enc.sfota'), '--key', p('key.bin'), '--version', '240131-enc']);
      assert.equal(r.code, 0, r.out);
      const file = fs.readFileSync(p('enc.sfota'));
      assert.deepEqual(independentDecrypt(file, key), img);
      assert.deepEqual(rawHeader(file).hash, sha256Of(img));
      assert.match(r.out, new RegExp('AES-128-GCM encrypted, iv ' + rawHeader(file).iv.toString('hex') + ', tag ' + rawHeader(file).tag.toString('hex')));
      assert.doesNotMatch(r.out, /\*\.sfota/);
    });

    it('defaults the version to today (UTC) and the image hash, and notes the .sfota convention', async function () {
      const img = image(64);
      fs.writeFileSync(p('d.hex'), writeIntelHex([{ address: 0, data: img }]));
      fs.writeFileSync(p('k16.bin'), Buffer.alloc(16, 7));
      const r = await ota(['create', p('d.hex'), p('d.fota'), '--key', p('k16.bin')], { now: new Date(Date.UTC(2025, 0, 9, 23, 59)) });
      assert.equal(r.code, 0, r.err);
      const v = '250109-' + sha256Of(img).toString('hex').substring(0, 7);
      assert.deepEqual(rawHeader(fs.readFileSync(p('d.fota'))).version, field32(v));
      assert.match(r.err, /^note: ST names encrypted packets \*\.sfota/);
    });

    it('takes a key file of 32 hex digits (with or without a newline) as the key those digits spell', async function () {
      const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
      fs.writeFileSync(p('h.hex'), writeIntelHex([{ address: 0, data: image(8) }]));
      for (const text of ['00112233445566778899AABBCCDDEEFF\n', '00112233445566778899aabbccddeeff', '00112233445566778899aabbccddeeff\r\n']) {
        fs.writeFileSync(p('hexkey.txt'), text);
        const r = await ota(['create', p('h.hex'), p('h.sfota'), '--key', p('hexkey.txt'), '--version', '240131-h']);
        assert.equal(r.code, 0, r.err);
        assert.deepEqual(independentDecrypt(fs.readFileSync(p('h.sfota')), key), image(8), JSON.stringify(text));
        assert.equal((await ota(['verify', p('h.sfota'), '--key', p('hexkey.txt')])).code, 0);
      }
      // the same key as 16 raw bytes verifies the same packet
      fs.writeFileSync(p('raw.bin'), key);
      assert.equal((await ota(['verify', p('h.sfota'), '--key', p('raw.bin')])).code, 0);
    });

    it('refuses a key file that is neither 16 bytes nor 32 hex digits, with the reason, and writes nothing', async function () {
      fs.writeFileSync(p('h.hex'), writeIntelHex([{ address: 0, data: image(8) }]));
      const cases: Array<[Buffer | string, RegExp]> = [
        [Buffer.alloc(15), /key file .*k\.bin: it holds 15 bytes; a key file holds 16 raw bytes .* or 32 hex digits/],
        [Buffer.alloc(32, 7), /key file .*k\.bin: the key is 32 characters but character 1 is not a hex digit/],
        ['00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n', /it holds 65 bytes/],
        ['0011223344556677 8899aabbccddeef', /character 17 is not a hex digit/],
        ['00112233445566778899aabbccddeeff\n\n', /it holds 34 bytes/],
      ];
      for (const [bytes, why] of cases) {
        fs.writeFileSync(p('k.bin'), bytes);
        const r = await ota(['create', p('h.hex'), p('k.sfota'), '--key', p('k.bin'), '--version', '240131-k']);
        assert.equal(r.code, 1, String(bytes));
        assert.match(r.err, why);
        assert.equal(r.err.split('\n').length, 1, 'one line');
        assert.ok(!fs.existsSync(p('k.sfota')));
        assert.equal((await ota(['verify', p('h.sfota'), '--key', p('k.bin')])).code, 1);
      }
    });

    it('refuses an image whose size is not a multiple of 4', async function () {
      fs.writeFileSync(p('odd.hex'), writeIntelHex([{ address: 0x100, data: image(10) }]));
      const r = await ota(['create', p('odd.hex'), p('odd.fota'), '--version', '240131-x']);
      assert.equal(r.code, 1);
      assert.match(r.err, /error: .*odd\.hex: the image is 10 bytes, not a multiple of 4 \(0x00000100\.\.0x00000109\); pad it to 12 bytes/);
      assert.ok(!fs.existsSync(p('odd.fota')));
      // a gap can make the size a multiple of 4
      fs.writeFileSync(p('gap.hex'), writeIntelHex([{ address: 0, data: image(3) }, { address: 7, data: image(1) }]));
      assert.equal((await ota(['create', p('gap.hex'), p('gap.fota'), '--version', '240131-x'])).code, 0);
      assert.deepEqual(fs.readFileSync(p('gap.fota')).subarray(140, 148), Buffer.concat([image(3), Buffer.alloc(4, 0xff), image(1)]));
    });

    it('refuses a bad record with the file and line number, and writes nothing', async function () {
      const lines = writeIntelHex([{ address: 0, data: image(64) }]).split('\n');
      lines[3] = lines[3].slice(0, -2) + (lines[3].endsWith('00') ? '01' : '00');
      fs.writeFileSync(p('bad.hex'), lines.join('\n'));
      const r = await ota(['create', p('bad.hex'), p('bad.fota'), '--version', '240131-x']);
      assert.equal(r.code, 1);
      assert.match(r.err, /^error: .*bad\.hex: line 4: bad checksum/m);
      assert.ok(!fs.existsSync(p('bad.fota')));
      fs.writeFileSync(p('noeof.hex'), hexRecord(0, 0, [1, 2, 3, 4]) + '\n');
      assert.match((await ota(['create', p('noeof.hex'), p('x.fota'), '--version', '240131-x'])).err, /line 2: no end-of-file record/);
    });

    it('refuses bad options, a short key, a missing file, and writing over its input', async function () {
      fs.writeFileSync(p('ok.hex'), writeIntelHex([{ address: 0, data: image(8) }]));
      fs.writeFileSync(p('short.bin'), Buffer.alloc(15));
      const bad = await ota(['create', p('ok.hex'), p('o.fota'), '--version', '2401-x']);
      assert.equal(bad.code, 2, 'a bad value is a usage error');
      assert.match(bad.err, /^spwf04: version "2401-x" is not <yymmdd>-<build>/);
      const model = await ota(['create', p('ok.hex'), p('o.fota'), '--model', ' ']);
      assert.equal(model.code, 2);
      assert.match(model.err, /^spwf04: model " " must be/);
      const short = await ota(['create', p('ok.hex'), p('o.fota'), '--key', p('short.bin')]);
      assert.equal(short.code, 1);
      assert.match(short.err, /holds 15 bytes; a key file holds 16 raw bytes/);
      const missing = await ota(['create', p('nothere.hex'), p('o.fota')]);
      assert.equal(missing.code, 1);
      assert.match(missing.err, /^error: cannot open .*nothere\.hex: ENOENT$/);
      const self = await ota(['create', p('ok.hex'), p('ok.hex')]);
      assert.equal(self.code, 1);
      assert.match(self.err, /refusing to write the packet over its own input/);
      for (const r of [short, missing, self]) assert.equal(r.out, '', 'errors go to stderr only');
      assert.ok(!fs.existsSync(p('o.fota')));
    });
  });

  describe('inspect and verify', function () {
    const key = Buffer.from('f0e1d2c3b4a5968778695a4b3c2d1e0f', 'hex');
    before(async function () {
      fs.writeFileSync(p('iv.hex'), writeIntelHex([{ address: 0x08000000, data: image(200 * 1024, 5) }]));
      fs.writeFileSync(p('iv-key.bin'), key);
      assert.equal((await ota(['create', p('iv.hex'), p('plain.fota'), '--version', '240131-plain'])).code, 0);
      assert.equal((await ota(['create', p('iv.hex'), p('secret.sfota'), '--version', '240131-secret', '--key', p('iv-key.bin')])).code, 0);
    });

    it('inspect: a plain packet, every field and OK', async function () {
      const r = await ota(['inspect', p('plain.fota')]);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /^version +"240131-plain"$/m);
      assert.match(r.out, /^encrypted +no$/m);
      assert.match(r.out, /^hash check matches the payload$/m);
      assert.match(r.out, /^inspect: OK$/m);
    });

    it('inspect: an encrypted packet shows IV and tag, and leaves the hash to verify', async function () {
      const file = fs.readFileSync(p('secret.sfota'));
      const r = await ota(['inspect', p('secret.sfota')]);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, new RegExp('^iv +' + file.subarray(112, 124).toString('hex') + '$', 'm'));
      assert.match(r.out, new RegExp('^tag +' + file.subarray(124, 140).toString('hex') + '$', 'm'));
      assert.match(r.out, /^encrypted +yes \(AES-128-GCM\)$/m);
      assert.match(r.out, /^hash check not checked$/m);
      assert.match(r.out, /the tag and the hash need the key/);
    });

    it('verify: with the key, tag and hash checked', async function () {
      const r = await ota(['verify', p('secret.sfota'), '--key', p('iv-key.bin')]);
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /^tag check +authentic$/m);
      assert.match(r.out, /^hash check matches the decrypted image$/m);
      assert.match(r.out, /^verify: OK$/m);
    });

    it('verify: a wrong key is a clear failure', async function () {
      const wrong = Buffer.from(key);
      wrong[0] ^= 0xff;
      fs.writeFileSync(p('wrong.bin'), wrong);
      const r = await ota(['verify', p('secret.sfota'), '--key', p('wrong.bin')]);
      assert.equal(r.code, 1);
      assert.match(r.out, /^tag check +FAILED$/m);
      assert.match(r.out, /^problem: authentication failed: the GCM tag does not match \(wrong key, or the header or payload was altered\)$/m);
      assert.match(r.out, /^verify: FAILED \(auth-failed\)$/m);
    });

    it('verify: an encrypted packet without --key fails and says why', async function () {
      const r = await ota(['verify', p('secret.sfota')]);
      assert.equal(r.code, 1);
      assert.match(r.out, /problem: the packet is encrypted .*key is needed/);
    });

    it('tampered payload: hash mismatch for plain, tag failure for encrypted', async function () {
      const plain = fs.readFileSync(p('plain.fota'));
      plain[140 + 12345] ^= 0x02;
      fs.writeFileSync(p('plain-t.fota'), plain);
      for (const cmd of ['inspect', 'verify']) {
        const r = await ota([cmd, p('plain-t.fota')]);
        assert.equal(r.code, 1, cmd);
        assert.match(r.out, /^hash check FAILED$/m);
        assert.match(r.out, /problem: hash mismatch: the SHA-256 of the image is [0-9a-f]{64}, the header says [0-9a-f]{64}/);
        assert.match(r.out, new RegExp('^' + cmd + ': FAILED \\(hash-mismatch\\)$', 'm'));
      }
      const enc = fs.readFileSync(p('secret.sfota'));
      enc[140 + 12345] ^= 0x02;
      fs.writeFileSync(p('secret-t.sfota'), enc);
      assert.equal((await ota(['inspect', p('secret-t.sfota')])).code, 0, 'inspect cannot tell without the key');
      const r = await ota(['verify', p('secret-t.sfota'), '--key', p('iv-key.bin')]);
      assert.equal(r.code, 1);
      assert.match(r.out, /FAILED \(auth-failed\)/);
    });

    it('truncated file: the lengths, and the missing trailer', async function () {
      const file = fs.readFileSync(p('plain.fota'));
      fs.writeFileSync(p('short.fota'), file.subarray(0, file.length - 10));
      const r = await ota(['inspect', p('short.fota')]);
      assert.equal(r.code, 1);
      const len = file.length - 144;
      assert.match(r.out, new RegExp('file = 140 \\+ ' + len + ' \\+ 4 = ' + file.length + ', but the file is ' + (file.length - 10) + '  <-- bad'));
      assert.match(r.out, /^trailer +missing  <-- bad$/m);
      assert.match(r.out, /problem: the file is \d+ bytes, the header says .* \(10 bytes missing: truncated\)/);
      assert.match(r.out, /FAILED \(length-mismatch, missing-trailer\)/);
      fs.writeFileSync(p('tiny.fota'), file.subarray(0, 50));
      const t = await ota(['verify', p('tiny.fota')]);
      assert.equal(t.code, 1);
      assert.match(t.out, /shorter than the 140-byte header/);
    });

    it('a wrong trailer or id is reported', async function () {
      const file = fs.readFileSync(p('plain.fota'));
      file.writeUInt32LE(0x12345678, file.length - 4);
      file.writeUInt32LE(0x00228801, 0);
      fs.writeFileSync(p('trailer.fota'), file);
      const r = await ota(['inspect', p('trailer.fota')]);
      assert.equal(r.code, 1);
      assert.match(r.out, /^id +0x00228801  <-- bad$/m);
      assert.match(r.out, /^trailer +0x12345678  <-- bad, not 0x8505E11A$/m);
      assert.match(r.out, /FAILED \(bad-id, bad-trailer\)/);
    });

    it('progress: stderr only, when it is a terminal or with --progress; never on the printed output', async function () {
      const quiet = await ota(['verify', p('secret.sfota'), '--key', p('iv-key.bin')]);
      assert.equal(quiet.progress, '');
      const lines = await ota(['verify', p('secret.sfota'), '--key', p('iv-key.bin'), '--progress']);
      assert.equal(lines.code, 0);
      assert.match(lines.progress, /^decrypting 204800 bytes: 0%$/m);
      assert.match(lines.progress, /^decrypting 204800 bytes: 100%$/m);
      assert.match(lines.progress, /^hashing 204800 bytes: 100%$/m);
      assert.doesNotMatch(lines.out, /%/);
      const tty = await ota(['create', p('iv.hex'), p('tty.sfota'), '--version', '240131-t', '--key', p('iv-key.bin')], { tty: true });
      assert.equal(tty.code, 0);
      assert.match(tty.progress, /\rhashing 204800 bytes: 100%\n/);
      assert.match(tty.progress, /\rencrypting 204800 bytes: \d+%\rencrypting/);
      assert.match(tty.progress, /\rencrypting 204800 bytes: 100%\n$/);
      assert.equal((await ota(['inspect', p('plain.fota'), '--no-progress'], { tty: true })).progress, '');
    });
  });

  describe('usage', function () {
    it('prints the usage to stdout on --help/-h (exit 0); usage errors: one line and the usage on stderr, exit 2', async function () {
      for (const args of [['--help'], ['-h'], ['create', '--help'], ['verify', 'x', '-h'], ['help']]) {
        const help = await ota(args);
        assert.equal(help.code, 0, args.join(' '));
        assert.match(help.out, /^usage: spwf04 ota create <image\.hex> <out> \[--key <file>\] \[--version <yymmdd-build>\] \[--model SPWF04S\]$/m);
        assert.equal(help.err, '');
      }
      const cases: Array<[string[], string]> = [
        [[], 'which ota command? create, inspect, verify or update'],
        [['frobnicate'], 'unknown ota command: frobnicate'],
        [['inspect'], 'ota inspect takes <file>, got 0 arguments'],
        [['inspect', 'a', 'b'], 'unexpected argument: b'],
        [['create', 'a.hex'], 'ota create takes <image.hex> <out>, got 1 argument'],
        [['inspect', 'a', '--key', 'k'], 'unknown option: --key'],
        [['create', 'a', 'b', '--key'], '--key needs a value'],
        [['verify', 'x', '--bogus'], 'unknown option: --bogus'],
        [['verify', 'x', '--progress=yes'], '--progress takes no value'],
      ];
      for (const [args, line] of cases) {
        const r = await ota(args);
        assert.equal(r.code, 2, args.join(' ') + '\n' + r.err);
        assert.equal(r.err.split('\n')[0], 'spwf04: ' + line);
        assert.match(r.err, /\n\nusage: spwf04 ota/);
        assert.equal(r.out, '');
      }
      assert.match((await ota(['create', 'a', 'b', '--key', '--progress'])).err, /^spwf04: --key needs a value/);
    });
  });
});
