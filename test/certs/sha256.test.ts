import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import * as fc from 'fast-check';
import { sha256, sha256Hex } from '../../src/certs/sha256';

const node = (s: string) => createHash('sha256').update(Buffer.from(s, 'latin1')).digest('hex');

describe('certs/sha256', function () {
  it('FIPS 180-4 test vectors', function () {
    assert.equal(sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    assert.equal(sha256Hex('a'.repeat(1000000)), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('every length around the padding boundaries, all byte values', function () {
    for (let n = 0; n <= 200; n++) {
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode((i * 131 + n * 7) & 255);
      assert.equal(sha256Hex(s), node(s), 'length ' + n);
    }
    let all = '';
    for (let i = 0; i < 256; i++) all += String.fromCharCode(255 - i);
    assert.equal(sha256Hex(all), node(all));
  });

  it('equals Node crypto on random inputs', function () {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (u) => {
        const s = Buffer.from(u).toString('latin1');
        const raw = sha256(s);
        assert.equal(raw.length, 32);
        assert.equal(Buffer.from(raw, 'latin1').toString('hex'), node(s));
      }),
      { numRuns: 500 },
    );
  });
});
