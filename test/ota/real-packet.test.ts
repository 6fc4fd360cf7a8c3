import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspectPacket, openPacket, parsePacket, verifyPacket } from '../../hosts/node/ota/packet';
import { runOtaCommand } from '../../hosts/node/ota/ota-command';
import { rawHeader, sha256Of } from './hex-writer';

// ST's real FOTA packet for SPWF04S firmware 1.0.0 (../shared/fixtures/README.md). Read only, never
// written: the tampering below works on copies in memory.

const ROOT = path.join(__dirname, '..', '..');
const FIXTURES = path.resolve(ROOT, '..', 'shared', 'fixtures');
const REAL = path.join(FIXTURES, 'SPWF04S-170216-fd39c59-Release.fota');

describe('ota: ST\'s real packet SPWF04S-170216-fd39c59-Release.fota', function () {
  let file: Buffer;

  before(function () {
    if (!fs.existsSync(REAL)) {
      console.log('      (skipped: ' + REAL + ' is absent; CI has ../shared beside the repository)');
      this.skip();
    }
    file = fs.readFileSync(REAL);
  });

  it('is the published file (SHA256SUMS)', function () {
    const sums = fs.readFileSync(path.join(FIXTURES, 'SHA256SUMS'), 'utf8');
    const line = sums.split('\n').find((l) => l.includes('SPWF04S-170216-fd39c59-Release.fota'));
    assert.ok(line, 'listed in SHA256SUMS');
    assert.equal(createHash('sha256').update(file).digest('hex'), line!.split(/\s+/)[0]);
  });

  it('header: id 0x00228800, 140, base 0, 921448 bytes, SPWF04S, 4 stray bytes before 170210-c3b6d33, zero IV and tag', function () {
    const p = parsePacket(file);
    assert.deepEqual(p.problems, []);
    const h = p.header!;
    assert.equal(h.id, 0x00228800);
    assert.equal(h.headerLength, 140);
    assert.equal(h.base, 0);
    assert.equal(h.length, 921448);
    assert.equal(p.fileLength, 140 + 921448 + 4);
    assert.equal(p.expectedFileLength, 921592);
    assert.equal(h.model.text, 'SPWF04S');
    assert.ok(h.model.clean);
    assert.equal(h.version.text, '170210-c3b6d33');
    assert.equal(h.version.strayBefore.length, 4);
    assert.deepEqual(h.version.strayBefore, rawHeader(file).version.subarray(0, 4));
    assert.equal(h.version.strayAfter.length, 0);
    assert.equal(h.version.strayInPadding, 0);
    assert.equal(h.version.clean, false);
    assert.ok(h.iv.every((b) => b === 0));
    assert.ok(h.tag.every((b) => b === 0));
    assert.equal(p.encrypted, false);
    assert.equal(p.trailer, 0x8505e11a);
    assert.match(p.notes.join('\n'), /version field is not clean: 4 stray bytes before it/);
  });

  it('its hash is the SHA-256 of its payload (computed here and by the tool)', function () {
    const h = rawHeader(file);
    assert.deepEqual(h.hash, sha256Of(file.subarray(140, 140 + 921448)));
    const i = inspectPacket(file);
    assert.ok(i.ok, JSON.stringify(i.problems));
    assert.equal(i.hash, 'ok');
    const v = verifyPacket(file);
    assert.ok(v.ok);
    assert.equal(v.version, '170210-c3b6d33');
    assert.equal(v.image!.length, 921448);
    const o = openPacket(file);
    assert.equal(o.version, '170210-c3b6d33');
    assert.equal(o.model, 'SPWF04S');
    assert.equal(o.encrypted, false);
    assert.deepEqual(o.image, file.subarray(140, 140 + 921448));
  });

  it('a copy with one payload byte flipped fails the hash; a truncated copy fails the lengths', function () {
    const bad = Buffer.from(file);
    bad[140 + 500000] ^= 0x10;
    assert.deepEqual(verifyPacket(bad).problems.map((p) => p.code), ['hash-mismatch']);
    assert.deepEqual(verifyPacket(file.subarray(0, file.length - 100)).problems.map((p) => p.code), ['length-mismatch', 'missing-trailer']);
  });

  it('spwf04 ota inspect prints every field and exits 0', async function () {
    const out: string[] = [];
    const code = await runOtaCommand(['inspect', REAL], { out: (l) => out.push(l), err: (l) => out.push(l) }, { stderr: { write: () => true, isTTY: false } });
    const text = out.join('\n');
    assert.equal(code, 0, text);
    assert.match(text, /^id +0x00228800$/m);
    assert.match(text, /^header +140 bytes$/m);
    assert.match(text, /^base +0x00000000$/m);
    assert.match(text, /^length +921448 bytes \(0x000E0F68\); file = 140 \+ 921448 \+ 4 = 921592: matches$/m);
    assert.match(text, /^model +"SPWF04S"$/m);
    const strays = [...file.subarray(48, 52)].map((b) => ('0' + b.toString(16)).slice(-2));
    assert.match(text, new RegExp('^version +"' + strays.map((s) => '\\\\x' + s).join('') + '170210-c3b6d33": 4 stray bytes \\(' + strays.join(' ') + '\\) before 170210-c3b6d33$', 'm'));
    assert.match(text, new RegExp('^hash +' + file.subarray(80, 112).toString('hex') + '$', 'm'));
    assert.match(text, /^iv +0{24}  \(zero\)$/m);
    assert.match(text, /^tag +0{32}  \(zero\)$/m);
    assert.match(text, /^encrypted +no$/m);
    assert.match(text, /^trailer +0x8505E11A$/m);
    assert.match(text, /^hash check matches the payload$/m);
    assert.match(text, /^inspect: OK$/m);
  });

  it('spwf04 ota verify exits 0 (no key needed for a plain packet)', async function () {
    const out: string[] = [];
    assert.equal(await runOtaCommand(['verify', REAL], { out: (l) => out.push(l), err: (l) => out.push(l) }, { stderr: { write: () => true } }), 0, out.join('\n'));
    assert.match(out.join('\n'), /^verify: OK$/m);
  });
});
