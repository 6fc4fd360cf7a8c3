import { strict as assert } from 'assert';
import * as fc from 'fast-check';
import { base64Decode, children, integerBits, oidText, parsePem, readTlv, toHex } from '../../src/certs/der';
import { isSpwfError } from '../../src/errors';

const bytes = (u: Uint8Array) => Buffer.from(u).toString('latin1');
const isInvalid = (e: any) => isSpwfError(e, 'InvalidParameter');

describe('certs/der: base64', function () {
  it('decodes like Buffer, with whitespace anywhere and with or without padding', function () {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '\n', '\r\n', '\t', '\x0b', '\x0c'))), fc.boolean(),
        (u, spaces, strip) => {
          let text = Buffer.from(u).toString('base64');
          if (strip) text = text.replace(/=+$/, '');
          for (const [at, ws] of spaces) {
            const i = at % (text.length + 1);
            text = text.substring(0, i) + ws + text.substring(i);
          }
          assert.equal(base64Decode(text), bytes(u));
        }),
      { numRuns: 500 },
    );
  });

  it('decodes a range of a text', function () {
    assert.equal(base64Decode('xxaGVsbG8=yy', 2, 10), 'hello');
  });

  it('refuses what is not base64', function () {
    for (const bad of ['A', 'AB=C', 'ABC==', '=', '====', 'AB==CD==', 'AB$D', 'ABCD=', 'AB=', 'A===', 'ABCDé']) {
      assert.equal(base64Decode(bad), undefined, bad);
    }
    assert.equal(base64Decode(''), '');
    assert.equal(base64Decode('AB=='), '\x00');
    assert.equal(base64Decode('AB = ='), '\x00');
  });
});

describe('certs/der: PEM', function () {
  const body = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz'.repeat(3)).toString('base64');
  const lines = body.match(/.{1,64}/g)!.join('\n');

  it('finds every block with its label and bytes; text around blocks is ignored', function () {
    const text = 'Subject: something\n-----BEGIN CERTIFICATE-----\n' + lines + '\n-----END CERTIFICATE-----\nbetween\n' +
      '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    const blocks = parsePem(text);
    assert.deepEqual(blocks.map((b) => b.label), ['CERTIFICATE', 'EC PARAMETERS']);
    assert.equal(blocks[0].der, '0123456789abcdefghijklmnopqrstuvwxyz'.repeat(3));
    assert.equal(toHex(blocks[1].der), '06082a8648ce3d030107');
    assert.equal(text.substring(blocks[1].start, blocks[1].end), text.trim().substring(text.indexOf('-----BEGIN EC')));
    assert.equal(blocks[0].error, undefined);
  });

  it('tolerates CRLF, indentation, trailing spaces and one long line (RFC 7468 lax)', function () {
    const crlf = '-----BEGIN X-----\r\n  ' + lines.replace(/\n/g, ' \r\n\t') + '  \r\n-----END X-----\r\n';
    assert.equal(parsePem(crlf)[0].der, '0123456789abcdefghijklmnopqrstuvwxyz'.repeat(3));
    assert.equal(parsePem('-----BEGIN X-----' + body + '-----END X-----')[0].der.length, 108);
  });

  it('reads RFC 1421 headers (Proc-Type, DEK-Info) and the data after the blank line', function () {
    const text = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,\n 00FF\n\n' + lines + '\n-----END RSA PRIVATE KEY-----\n';
    const b = parsePem(text)[0];
    assert.deepEqual(b.headers, ['Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,00FF']);
    assert.equal(b.der.length, 108);
    assert.match(parsePem('-----BEGIN X-----\nA: b\n' + lines + '\n-----END X-----')[0].error!, /blank line/);
  });

  it('reports a missing or mismatched END line, bad base64 and an empty block, and goes on', function () {
    const blocks = parsePem('-----BEGIN A-----\nAAAA\n-----END B-----\n-----BEGIN C-----\nAA$A\n-----END C-----\n' +
      '-----BEGIN D-----\n-----END D-----\n-----BEGIN E-----\nAAAA\n-----END E-----\n-----BEGIN F-----\nAAAA\n');
    assert.deepEqual(blocks.map((b) => b.label), ['A', 'C', 'D', 'E', 'F']);
    assert.match(blocks[0].error!, /no "-----END A-----" line/);
    assert.match(blocks[1].error!, /not base64/);
    assert.match(blocks[2].error!, /empty/);
    assert.equal(blocks[3].der, '\x00\x00\x00');
    assert.match(blocks[4].error!, /END F/);
    assert.deepEqual(parsePem('no blocks at all'), []);
    assert.deepEqual(parsePem('-----BEGIN broken\nlabel-----\n'), []);
  });

  it('never throws on arbitrary text', function () {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('-----BEGIN ', '-----END ', 'X', '-----', '\n', 'QUJD', '=', ':', ' ', '\r\n', 'A')), (parts) => {
        const blocks = parsePem(parts.join(''));
        for (const b of blocks) assert.ok(b.error !== undefined || b.der.length > 0);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('certs/der: TLV reader', function () {
  it('reads short and long lengths and stays inside the input', function () {
    const long = '\x04\x82\x01\x00' + 'x'.repeat(256);
    const t = readTlv(long, 0, long.length);
    assert.deepEqual(t, { tag: 4, start: 0, value: 4, len: 256, end: 260 });
    assert.throws(() => readTlv(long.substring(0, 259), 0, 259), /claims 256 bytes; only 255 remain/);
    assert.throws(() => readTlv(long, 0, 100), isInvalid); // the parent's end bounds the child
    assert.throws(() => readTlv('\x30\x80\x00\x00', 0, 4), /indefinite/);
    assert.throws(() => readTlv('\x1f\x01\x00', 0, 3), /high tag/);
    assert.throws(() => readTlv('\x04\x84\x00\x00\x00\x01x', 0, 7), /length of 4 bytes/);
    assert.throws(() => readTlv('\x04\x82\x01', 0, 3), /truncated/);
    assert.throws(() => readTlv('\x04', 0, 1), /truncated/);
  });

  it('children of a constructed element, one level', function () {
    const seq = '\x30\x06\x02\x01\x05\x04\x01\x41';
    const c = children(seq, readTlv(seq, 0, seq.length));
    assert.deepEqual(c.map((t) => [t.tag, t.start, t.len]), [[2, 2, 1], [4, 5, 1]]);
  });

  it('OIDs and integer sizes', function () {
    const oid = (hex: string) => {
      const s = Buffer.from(hex, 'hex').toString('latin1');
      return oidText(s, readTlv(s, 0, s.length));
    };
    assert.equal(oid('06092a864886f70d01010b'), '1.2.840.113549.1.1.11');
    assert.equal(oid('06052b81040022'), '1.3.132.0.34');
    assert.equal(oid('0603550403'), '2.5.4.3');
    assert.equal(oid('0603883703'), '2.999.3');
    assert.throws(() => oid('06022a86'), /truncated/);
    const int = (hex: string) => {
      const s = Buffer.from(hex, 'hex').toString('latin1');
      return integerBits(s, readTlv(s, 0, s.length));
    };
    assert.equal(int('02030080ff'), 16);
    assert.equal(int('020101'), 1);
    assert.equal(int('020100'), 0);
  });

  it('random bytes: only InvalidParameter errors, and every element inside the input', function () {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (u) => {
        const s = bytes(u);
        try {
          const t = readTlv(s, 0, s.length);
          assert.ok(t.end <= s.length && t.value <= t.end);
          if (t.tag & 0x20) for (const c of children(s, t)) assert.ok(c.end <= t.end);
        } catch (e) {
          if (!isInvalid(e)) throw e;
        }
      }),
      { numRuns: 5000 },
    );
  });
});
