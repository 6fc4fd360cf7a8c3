import { strict as assert } from 'node:assert';
import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { parseIntelHex } from '../../hosts/node/ota/intel-hex';
import {
  FotaError,
  buildPacket,
  inspectPacket,
  openPacket,
  parsePacket,
  readTextField,
  verifyPacket,
} from '../../hosts/node/ota/packet';
import { field32, independentDecrypt, rawHeader, sha256Of, writeIntelHex } from './hex-writer';

// Every packet made by the tool is read back here from the format table with Node's crypto called
// directly (hash, GCM decryption with the AAD rebuilt in the test), not with the tool's own reader.

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');

function image(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 131 + seed * 17 + (i >> 7)) & 0xff;
  return b;
}

function codes(v: { problems: { code: string }[] }): string[] {
  return v.problems.map((p) => p.code);
}

describe('ota: packet', () => {
  describe('plain packets', () => {
    const img = image(4096);
    const file = buildPacket(img, { version: '240131-abc1234' });

    it('has the header of the format table, the image as payload and the trailer', () => {
      const h = rawHeader(file);
      assert.equal(file.length, 140 + 4096 + 4);
      assert.deepEqual([...file.subarray(0, 4)], [0x00, 0x88, 0x22, 0x00]);
      assert.equal(h.id, 0x00228800);
      assert.equal(h.hdrlen, 140);
      assert.equal(h.base, 0);
      assert.equal(h.len, 4096);
      assert.deepEqual(h.model, field32('SPWF04S'));
      assert.deepEqual(h.version, field32('240131-abc1234'), 'version NUL-padded, no stray bytes');
      assert.deepEqual(h.hash, sha256Of(img));
      assert.ok(h.iv.every((b) => b === 0) && h.tag.every((b) => b === 0), 'zero IV and tag');
      assert.deepEqual(file.subarray(140, 140 + 4096), img);
      assert.deepEqual([...file.subarray(file.length - 4)], [0x1a, 0xe1, 0x05, 0x85]);
    });

    it('inspects and verifies', () => {
      const i = inspectPacket(file);
      assert.ok(i.ok, JSON.stringify(i.problems));
      assert.equal(i.hash, 'ok');
      const v = verifyPacket(file);
      assert.ok(v.ok);
      assert.equal(v.tag, 'not-checked');
      assert.equal(v.version, '240131-abc1234');
      assert.equal(v.model, 'SPWF04S');
      assert.deepEqual(v.image, img);
      assert.deepEqual(v.notes, []);
      const withKey = verifyPacket(file, { key: KEY });
      assert.ok(withKey.ok);
      assert.match(withKey.notes.join('\n'), /not encrypted: the key was not needed/);
    });

    it('a flipped payload byte is a hash mismatch', () => {
      const bad = Buffer.from(file);
      bad[140 + 1000] ^= 0x01;
      for (const r of [inspectPacket(bad), verifyPacket(bad)]) {
        assert.equal(r.ok, false);
        assert.deepEqual(codes(r), ['hash-mismatch']);
        assert.equal(r.hash, 'failed');
        assert.match(r.problems[0].message, new RegExp('hash mismatch: the SHA-256 of the image is ' + sha256Of(bad.subarray(140, 140 + 4096)).toString('hex')));
      }
      assert.throws(() => openPacket(bad), (e: unknown) => e instanceof FotaError && e.code === 'hash-mismatch');
    });

    it('a changed hash, id, header length, length or trailer is refused', () => {
      const cases: [number, string][] = [[80, 'hash-mismatch'], [0, 'bad-id'], [4, 'bad-header-length'], [file.length - 1, 'bad-trailer']];
      for (const [at, code] of cases) {
        const bad = Buffer.from(file);
        bad[at] ^= 0x40;
        assert.deepEqual(codes(verifyPacket(bad)), [code], 'byte ' + at);
      }
      const longer = Buffer.from(file);
      longer.writeUInt32LE(4100, 12);
      assert.deepEqual(codes(verifyPacket(longer)), ['length-mismatch', 'missing-trailer']);
      const odd = Buffer.from(file);
      odd.writeUInt32LE(4095, 12);
      assert.deepEqual(codes(verifyPacket(odd)), ['bad-payload-length', 'length-mismatch', 'bad-trailer']);
    });

    it('a truncated or padded file is refused with the lengths', () => {
      const short = file.subarray(0, file.length - 1);
      const r = verifyPacket(short);
      assert.deepEqual(codes(r), ['length-mismatch', 'missing-trailer']);
      assert.match(r.problems[0].message, /the file is 4239 bytes, the header says 140 \+ 4096 \+ 4 = 4240 \(1 byte missing: truncated\)/);
      assert.deepEqual(codes(verifyPacket(file.subarray(0, 2000))), ['length-mismatch', 'missing-trailer']);
      assert.deepEqual(codes(verifyPacket(file.subarray(0, 139))), ['truncated-header']);
      assert.deepEqual(codes(verifyPacket(Buffer.alloc(0))), ['truncated-header']);
      const padded = Buffer.concat([file, Buffer.from([0x1a, 0xe1, 0x05, 0x85])]);
      const p = verifyPacket(padded);
      assert.deepEqual(codes(p), ['length-mismatch']);
      assert.match(p.problems[0].message, /4 bytes too many.*does end with the trailer, after 4100 payload bytes/);
      assert.throws(() => openPacket(short), (e: unknown) => e instanceof FotaError && e.code === 'length-mismatch' && e.problems.length === 2);
    });

    it('a tag without an IV (or an IV without a tag) is refused', () => {
      const noIv = Buffer.from(file);
      noIv[130] = 1;
      assert.deepEqual(codes(parsePacket(noIv)), ['missing-iv']);
      const noTag = Buffer.from(file);
      noTag[115] = 1;
      assert.deepEqual(codes(parsePacket(noTag)), ['missing-tag']);
    });
  });

  describe('encrypted packets', () => {
    const img = image(70000 * 4, 3); // more than one 64 KiB chunk
    const file = buildPacket(img, { version: '240131-abc1234', key: KEY });

    it('decrypt with Node\'s crypto and the AAD rebuilt independently; hash of the plaintext in the header', () => {
      const h = rawHeader(file);
      assert.equal(file.length, 140 + img.length + 4);
      assert.equal(h.id, 0x00228800);
      assert.equal(h.len, img.length);
      assert.deepEqual(h.version, field32('240131-abc1234'));
      assert.deepEqual(h.hash, sha256Of(img), 'hash of the plaintext');
      assert.ok(h.iv.some((b) => b !== 0), 'IV not zero');
      assert.ok(h.tag.some((b) => b !== 0), 'tag set');
      assert.notDeepEqual(file.subarray(140, 140 + img.length), img, 'payload replaced by ciphertext');
      assert.deepEqual(independentDecrypt(file, KEY), img);
      assert.deepEqual([...file.subarray(file.length - 4)], [0x1a, 0xe1, 0x05, 0x85], 'trailer outside the cipher');
    });

    it('is byte-for-byte what AES-128-GCM over the zeroed-IV/tag header gives, for a given IV', () => {
      const iv = Buffer.from('0102030405060708090a0b0c', 'hex');
      const small = image(64, 9);
      const made = buildPacket(small, { version: '170210-c3b6d33', key: KEY, iv });
      const header = Buffer.alloc(140);
      header.writeUInt32LE(0x00228800, 0);
      header.writeUInt32LE(140, 4);
      header.writeUInt32LE(0, 8);
      header.writeUInt32LE(64, 12);
      header.write('SPWF04S', 16, 'latin1');
      header.write('170210-c3b6d33', 48, 'latin1');
      sha256Of(small).copy(header, 80);
      const c = createCipheriv('aes-128-gcm', KEY, iv);
      c.setAAD(header);
      const ct = Buffer.concat([c.update(small), c.final()]);
      iv.copy(header, 112);
      c.getAuthTag().copy(header, 124);
      assert.deepEqual(made, Buffer.concat([header, ct, Buffer.from([0x1a, 0xe1, 0x05, 0x85])]));
    });

    it('verifies with the key and gives back the image; inspects without it', () => {
      const v = verifyPacket(file, { key: KEY });
      assert.ok(v.ok, JSON.stringify(v.problems));
      assert.equal(v.tag, 'ok');
      assert.equal(v.hash, 'ok');
      assert.deepEqual(v.image, img);
      const i = inspectPacket(file);
      assert.ok(i.ok);
      assert.ok(i.encrypted);
      assert.equal(i.hash, 'not-checked');
      const o = openPacket(file, KEY);
      assert.equal(o.version, '240131-abc1234');
      assert.ok(o.encrypted);
      assert.deepEqual(o.image, img);
    });

    it('needs the key; a wrong key fails the tag', () => {
      assert.deepEqual(codes(verifyPacket(file)), ['needs-key']);
      const wrong = Buffer.from(KEY);
      wrong[15] ^= 1;
      const v = verifyPacket(file, { key: wrong });
      assert.deepEqual(codes(v), ['auth-failed']);
      assert.equal(v.tag, 'failed');
      assert.equal(v.image, undefined);
      assert.match(v.problems[0].message, /wrong key/);
      assert.throws(() => openPacket(file, wrong), (e: unknown) => e instanceof FotaError && e.code === 'auth-failed');
      assert.throws(() => openPacket(file), (e: unknown) => e instanceof FotaError && e.code === 'needs-key');
      assert.deepEqual(codes(verifyPacket(file, { key: KEY.subarray(0, 15) })), ['bad-key']);
    });

    it('a flipped payload byte, or any changed header field, fails the tag', () => {
      for (const at of [140, 140 + 99999, 16, 48, 60, 80, 111, 8, 112, 130]) {
        const bad = Buffer.from(file);
        bad[at] ^= 0x80;
        const v = verifyPacket(bad, { key: KEY });
        assert.deepEqual(codes(v), ['auth-failed'], 'byte ' + at);
        assert.throws(() => independentDecrypt(bad, KEY), /authenticate/);
      }
    });

    it('uses only the first 16 bytes of longer key material; refuses less than 16', () => {
      const material = Buffer.concat([KEY, Buffer.from('more bytes that are not the key')]);
      const made = buildPacket(image(32), { version: '240131-x', key: material });
      assert.deepEqual(independentDecrypt(made, KEY), image(32));
      assert.throws(() => buildPacket(image(32), { version: '240131-x', key: KEY.subarray(0, 15) }), /at least 16 bytes, it holds 15/);
    });

    it('draws a fresh random IV each time and refuses an all-zero one', () => {
      const a = buildPacket(image(32), { version: '240131-x', key: KEY });
      const b = buildPacket(image(32), { version: '240131-x', key: KEY });
      assert.notDeepEqual(a.subarray(112, 124), b.subarray(112, 124));
      assert.throws(() => buildPacket(image(32), { version: '240131-x', key: KEY, iv: Buffer.alloc(12) }), /not all zero/);
      assert.throws(() => buildPacket(image(32), { version: '240131-x', key: KEY, iv: Buffer.alloc(16, 1) }), /12 bytes/);
    });
  });

  describe('inputs', () => {
    it('refuses an image whose size is not a multiple of 4, and an empty one', () => {
      assert.throws(() => buildPacket(image(4097), { version: '240131-x' }), /4097 bytes, not a multiple of 4/);
      assert.throws(() => buildPacket(Buffer.alloc(0), { version: '240131-x' }), /empty/);
    });

    it('writes a clean version and refuses one that is not <yymmdd>-<build>', () => {
      for (const v of ['170210-c3b6d33', '991231-1', '240229-rc.1_x-2']) {
        assert.deepEqual(rawHeader(buildPacket(image(4), { version: v })).version, field32(v));
      }
      for (const v of ['', '170210', '17021-abc', '171310-abc', '170200-abc', '170231-abc', '170210-', '170210-a b', '170210-' + 'x'.repeat(25), 'v1.0']) {
        assert.throws(() => buildPacket(image(4), { version: v }), (e: unknown) => e instanceof FotaError && e.code === 'bad-version', v);
      }
    });

    it('takes another model name, clean, and notes it is not SPWF04S', () => {
      const f = buildPacket(image(4), { version: '240131-x', model: 'SPWF04SA' });
      assert.deepEqual(rawHeader(f).model, field32('SPWF04SA'));
      assert.match(verifyPacket(f).notes.join('\n'), /model is "SPWF04SA", not SPWF04S/);
      assert.throws(() => buildPacket(image(4), { version: '240131-x', model: '' }), /printable ASCII/);
      assert.throws(() => buildPacket(image(4), { version: '240131-x', model: 'x'.repeat(32) }), /printable ASCII/);
    });
  });

  describe('text fields', () => {
    it('finds the version after stray bytes, and shows them', () => {
      const raw = Buffer.alloc(32);
      Buffer.from([0x9c, 0x93, 0x17, 0x08]).copy(raw);
      raw.write('170210-c3b6d33', 4, 'latin1');
      const f = readTextField(raw, 'version');
      assert.equal(f.text, '170210-c3b6d33');
      assert.deepEqual([...f.strayBefore], [0x9c, 0x93, 0x17, 0x08]);
      assert.equal(f.strayAfter.length, 0);
      assert.equal(f.clean, false);
      assert.equal(f.display, '\\x9c\\x93\\x17\\x08170210-c3b6d33');
    });

    it('counts bytes after the text and in the padding', () => {
      const raw = field32('170210-abc');
      raw[10] = 0x01;
      raw[30] = 0x41;
      const f = readTextField(raw, 'version');
      assert.equal(f.text, '170210-abc');
      assert.deepEqual([...f.strayAfter], [0x01]);
      assert.equal(f.strayInPadding, 1);
      assert.equal(f.clean, false);
      assert.equal(readTextField(field32('170210-abc'), 'version').clean, true);
      assert.equal(readTextField(Buffer.alloc(32), 'version').text, '');
    });
  });

  describe('properties', () => {
    const versions = fc
      .tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.stringMatching(/^[0-9a-f]{1,12}$/))
      .map(([y, m, d, b]) => [y, m, d].map((n) => String(n).padStart(2, '0')).join('') + '-' + b);

    it('create → verify round trip: Intel HEX → packet → the same image, with and without a key', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 1024 }).chain((words) => fc.uint8Array({ minLength: words * 4, maxLength: words * 4 })),
          fc.option(fc.uint8Array({ minLength: 16, maxLength: 40 }), { nil: undefined }),
          fc.integer({ min: 0, max: 0x0810_0000 }),
          versions,
          (data, keyBytes, address, version) => {
            const hex = parseIntelHex(writeIntelHex([{ address, data }], { recordLength: 32 }));
            assert.equal(hex.base, address);
            const key = keyBytes ? Buffer.from(keyBytes) : undefined;
            const file = buildPacket(hex.data, { version, key });
            const v = verifyPacket(file, { key });
            assert.ok(v.ok, JSON.stringify(v.problems));
            assert.deepEqual(v.image, Buffer.from(data));
            assert.equal(v.version, version);
            assert.equal(v.encrypted, key !== undefined);
            // independent: hash of the plaintext, and GCM with the rebuilt AAD
            assert.deepEqual(rawHeader(file).hash, sha256Of(data));
            assert.deepEqual(rawHeader(file).version, field32(version));
            if (key) assert.deepEqual(independentDecrypt(file, key), Buffer.from(data));
            else assert.deepEqual(file.subarray(140, 140 + data.length), Buffer.from(data));
          },
        ),
        { numRuns: 200 },
      );
    });

    it('any single flipped bit of an encrypted packet is refused by verify', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 256 }).chain((words) => fc.uint8Array({ minLength: words * 4, maxLength: words * 4 })),
          fc.nat(),
          fc.integer({ min: 0, max: 7 }),
          (data, pos, bit) => {
            const key = randomBytes(16);
            const file = buildPacket(Buffer.from(data), { version: '240131-prop', key });
            const at = pos % file.length;
            file[at] ^= 1 << bit;
            assert.equal(verifyPacket(file, { key }).ok, false, 'byte ' + at);
          },
        ),
        { numRuns: 300 },
      );
    });

    it('any single flipped bit of a plain packet\'s id, lengths, hash, IV, tag, payload or trailer is refused', () => {
      // model, version and base are not protected in a plain packet (no tag): the module cannot notice them.
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 256 }).chain((words) => fc.uint8Array({ minLength: words * 4, maxLength: words * 4 })),
          fc.nat(),
          fc.integer({ min: 0, max: 7 }),
          (data, pos, bit) => {
            const file = buildPacket(Buffer.from(data), { version: '240131-prop' });
            const protectedBytes: number[] = [];
            for (let i = 0; i < file.length; i++) if (i < 8 || (i >= 12 && i < 16) || i >= 80) protectedBytes.push(i);
            const at = protectedBytes[pos % protectedBytes.length];
            file[at] ^= 1 << bit;
            assert.equal(verifyPacket(file).ok, false, 'byte ' + at);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
