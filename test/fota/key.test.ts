import { strict as assert } from 'assert';
import * as fc from 'fast-check';
import { normaliseFotaKey } from '../../src/fota/key';
import { keyFromFile } from '../../hosts/node/ota/ota-command';

// One FOTA key rule for the API (src/fota/key.ts) and the command line's key files: 16 raw bytes or 32
// hex digits, detected; anything else refused with the reason, never quoting the key.

describe('FOTA key: 16 raw bytes or 32 hex digits', () => {
  const HEX = '00112233445566778899aabbccddeeff';
  const RAW = Buffer.from(HEX, 'hex').toString('latin1');

  it('takes 32 hex digits in either case and gives them in lower case', () => {
    assert.deepEqual(normaliseFotaKey(HEX), { ok: true, hex: HEX });
    assert.deepEqual(normaliseFotaKey(HEX.toUpperCase()), { ok: true, hex: HEX });
  });

  it('takes 16 bytes as a byte string and gives their hex', () => {
    assert.deepEqual(normaliseFotaKey(RAW), { ok: true, hex: HEX });
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      const b = Buffer.from(bytes);
      const r = normaliseFotaKey(b.toString('latin1'));
      return r.ok && r.hex === b.toString('hex');
    }));
  });

  it('refuses anything else with the reason, never quoting the key', () => {
    const cases: Array<[unknown, RegExp]> = [
      ['', /the key is 0 characters: an AES-128 key is 16 bytes or 32 hex digits/],
      [HEX.substring(1), /the key is 31 characters/],
      [HEX + '0', /the key is 33 characters/],
      [HEX + '\n', /the key is 33 characters/],
      ['g' + HEX.substring(1), /the key is 32 characters but character 1 is not a hex digit/],
      [HEX.substring(0, 31) + ' ', /character 32 is not a hex digit/],
      ['\u0100' + RAW.substring(1), /the key is 16 characters but character 1 is not a byte/],
      [Buffer.from(HEX, 'hex'), /the key must be a string/],
      [undefined, /the key must be a string/],
    ];
    for (const [key, why] of cases) {
      const r = normaliseFotaKey(key);
      assert.equal(r.ok, false, String(key));
      if (!r.ok) {
        assert.match(r.reason, why);
        assert.ok(typeof key !== 'string' || key.length < 4 || !r.reason.includes(key.substring(0, 4)), 'the key is not quoted');
      }
    }
  });

  it('key files: 16 raw bytes, or 32 hex digits with an optional newline; hex text is never used as bytes', () => {
    assert.deepEqual(keyFromFile(Buffer.from(HEX, 'hex')), { ok: true, hex: HEX });
    for (const t of [HEX, HEX + '\n', HEX + '\r\n', HEX.toUpperCase() + '\n']) assert.deepEqual(keyFromFile(Buffer.from(t, 'latin1')), { ok: true, hex: HEX });
    // 16 hex characters are 16 bytes: taken as raw bytes (there is no other reading of 16 bytes)
    assert.deepEqual(keyFromFile(Buffer.from(HEX.substring(0, 16), 'latin1')), { ok: true, hex: Buffer.from(HEX.substring(0, 16), 'latin1').toString('hex') });
    for (const bad of [Buffer.alloc(15), Buffer.alloc(17), Buffer.from(HEX + HEX, 'latin1'), Buffer.from(HEX + '\n\n', 'latin1'), Buffer.alloc(0)]) {
      const r = keyFromFile(bad);
      assert.equal(r.ok, false, bad.toString('latin1'));
      if (!r.ok) assert.match(r.reason, new RegExp('it holds ' + bad.length + ' bytes?; a key file holds 16 raw bytes'));
    }
    const notHex = keyFromFile(Buffer.from('z' + HEX.substring(1), 'latin1'));
    assert.equal(notHex.ok, false);
    if (!notHex.ok) assert.match(notHex.reason, /character 1 is not a hex digit/);
  });
});
