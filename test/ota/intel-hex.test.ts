import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { IntelHexError, parseIntelHex } from '../../hosts/node/ota/intel-hex';
import { hexRecord, writeIntelHex } from './hex-writer';

function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return b;
}

function throwsAtLine(text: string, line: number, pattern: RegExp): void {
  assert.throws(
    () => parseIntelHex(text),
    (e: unknown) => {
      assert.ok(e instanceof IntelHexError, String(e));
      assert.equal(e.line, line, e.message);
      assert.match(e.message, new RegExp('^line ' + line + ': '));
      assert.match(e.message, pattern);
      return true;
    },
  );
}

describe('ota: Intel HEX reader', () => {
  it('reads a contiguous image at address 0', () => {
    const data = bytes(100);
    const img = parseIntelHex(writeIntelHex([{ address: 0, data }]));
    assert.equal(img.base, 0);
    assert.deepEqual(img.data, data);
    assert.equal(img.filled, 0);
    assert.equal(img.dataBytes, 100);
    assert.equal(img.dataRecords, 7);
  });

  it('lays the image out from the lowest address and fills gaps with 0xFF, whatever the record order', () => {
    const a = bytes(8, 2);
    const b = bytes(5, 3);
    const text = writeIntelHex([{ address: 0x120, data: b }, { address: 0x100, data: a }]);
    const img = parseIntelHex(text);
    assert.equal(img.base, 0x100);
    assert.equal(img.data.length, 0x125 - 0x100);
    assert.deepEqual(img.data.subarray(0, 8), a);
    assert.ok(img.data.subarray(8, 0x20).every((x) => x === 0xff));
    assert.deepEqual(img.data.subarray(0x20), b);
    assert.equal(img.filled, 0x20 - 8);
  });

  it('follows extended linear address records (type 04) across 64 KiB boundaries', () => {
    const data = bytes(0x10000 + 300, 5);
    const text = writeIntelHex([{ address: 0x0800ff00, data }], { recordLength: 32 });
    assert.equal(text.split('\n').filter((l) => l.startsWith(':02000004')).length, 3, 'three 04 records (0800, 0801, 0802)');
    const img = parseIntelHex(text);
    assert.equal(img.base, 0x0800ff00);
    assert.deepEqual(img.data, data);
  });

  it('follows extended segment address records (type 02)', () => {
    const data = bytes(0x100, 6);
    const img = parseIntelHex(writeIntelHex([{ address: 0x1ff80, data }], { addressing: 'segment' }));
    assert.equal(img.base, 0x1ff80);
    assert.deepEqual(img.data, data);
  });

  it('ignores start address records (03, 05) for the image but reports them', () => {
    const data = bytes(16);
    const lin = parseIntelHex(writeIntelHex([{ address: 0x08000000, data }], { start: 0x080001c5 }));
    assert.deepEqual(lin.data, data);
    assert.deepEqual(lin.start, { kind: 'linear', eip: 0x080001c5 });
    const seg = parseIntelHex(writeIntelHex([{ address: 0x100, data }], { addressing: 'segment', start: 0x1234 }));
    assert.deepEqual(seg.data, data);
    assert.equal(seg.start && seg.start.kind, 'segment');
  });

  it('accepts CRLF line ends, lowercase hex, trailing blanks and blank lines', () => {
    const data = bytes(40);
    const text = writeIntelHex([{ address: 0x40, data }], { eol: '\r\n', lowercase: true }).replace(/\r\n/, '  \r\n\r\n');
    assert.deepEqual(parseIntelHex(text).data, data);
    assert.deepEqual(parseIntelHex(Buffer.from(text, 'latin1')).data, data);
  });

  it('refuses a bad checksum, naming the line and both values', () => {
    const lines = writeIntelHex([{ address: 0, data: bytes(64) }]).split('\n');
    // line 3 (1-based) is the second data record; break its checksum
    const l = lines[2];
    const cs = parseInt(l.slice(-2), 16);
    lines[2] = l.slice(0, -2) + ('0' + ((cs + 1) & 0xff).toString(16)).slice(-2).toUpperCase();
    throwsAtLine(lines.join('\n'), 3, /bad checksum: the record has 0x[0-9A-F]{2}, its bytes give 0x[0-9A-F]{2}/);
  });

  it('refuses a changed data byte (the checksum no longer adds up)', () => {
    const lines = writeIntelHex([{ address: 0, data: bytes(32) }]).split('\n');
    lines[1] = lines[1].slice(0, 12) + (lines[1][12] === '0' ? '1' : '0') + lines[1].slice(13);
    throwsAtLine(lines.join('\n'), 2, /bad checksum/);
  });

  it('refuses malformed records with the line number', () => {
    const eof = hexRecord(1, 0, []);
    const good = hexRecord(0, 0, [1, 2, 3, 4]);
    throwsAtLine(good + '\n' + '020000000102FB'.toLowerCase() + '\n' + eof, 2, /must start with ':'/);
    throwsAtLine(good + '\n:0400000001020G0405\n' + eof, 2, /"G" at column 15 is not a hexadecimal digit/);
    throwsAtLine(good + '\n' + good.slice(0, -1) + '\n' + eof, 2, /odd number of hexadecimal digits/);
    throwsAtLine(good + '\n:0000\n' + eof, 2, /too short/);
    // byte count 5 but 4 data bytes (checksum recomputed so that only the count is wrong)
    const r = Buffer.from('0500000001020304', 'hex');
    let sum = 0;
    for (const b of r) sum += b;
    throwsAtLine(':' + r.toString('hex').toUpperCase() + ((0x100 - (sum & 0xff)) & 0xff).toString(16).padStart(2, '0') + '\n' + eof, 1, /byte count says 5 data bytes but the record holds 4/);
    throwsAtLine(good + '\n' + hexRecord(6, 0, []) + '\n' + eof, 2, /unknown record type 0x06/);
    throwsAtLine(good + '\n' + hexRecord(4, 0, [8]) + '\n' + eof, 2, /extended linear address record \(type 0x04\) must hold 2 data bytes, not 1/);
    throwsAtLine(good + '\n' + hexRecord(1, 0, [0]) + '\n', 2, /end-of-file record \(type 0x01\) must hold 0 data bytes/);
    throwsAtLine(good + '\n' + hexRecord(5, 0, [1, 2]) + '\n' + eof, 2, /start linear address record \(type 0x05\) must hold 4/);
  });

  it('refuses a file without an end-of-file record, and records after it', () => {
    const good = hexRecord(0, 0, [1, 2, 3, 4]);
    throwsAtLine(good + '\n' + good.replace(':04000000', ':04000400').slice(0, -2) + 'FF' + '\n', 2, /bad checksum/);
    throwsAtLine(good + '\n' + hexRecord(0, 4, [5, 6, 7, 8]) + '\n', 3, /no end-of-file record/);
    throwsAtLine(good + '\n' + hexRecord(1, 0, []) + '\n' + hexRecord(0, 4, [5, 6, 7, 8]) + '\n', 3, /record after the end-of-file record of line 2/);
    throwsAtLine('', 1, /no end-of-file record/);
    throwsAtLine(hexRecord(1, 0, []) + '\n', 1, /no data records/);
  });

  it('refuses two records setting the same byte, and a record past its 64 KiB segment', () => {
    const eof = hexRecord(1, 0, []);
    const text = [hexRecord(0, 0x10, [1, 2, 3, 4]), hexRecord(0, 0x20, [1, 2, 3, 4]), hexRecord(0, 0x13, [9, 9]), eof].join('\n');
    throwsAtLine(text, 3, /sets bytes at 0x00000013 that line 1 already sets/);
    throwsAtLine([hexRecord(0, 0xfffe, [1, 2, 3, 4]), eof].join('\n'), 1, /runs past the end of its 64 KiB segment/);
  });

  it('refuses an image spanning more than the limit (data for two memories)', () => {
    const eof = hexRecord(1, 0, []);
    const text = [hexRecord(4, 0, [0x08, 0x00]), hexRecord(0, 0, [1, 2, 3, 4]), hexRecord(4, 0, [0x09, 0x00]), hexRecord(0, 0, [5, 6, 7, 8]), eof].join('\n');
    throwsAtLine(text, 4, /would span \d+ bytes \(0x08000000\.\.0x09000003\), more than 16777216/);
    assert.equal(parseIntelHex(text, { maxSpan: 0x1000004 }).data.length, 0x1000004);
  });

  it('property: writer → reader gives back the segments, gaps 0xFF (random layouts, both addressings)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3000 }), data: fc.uint8Array({ minLength: 1, maxLength: 600 }) }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 0x3ffff }),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom<'linear' | 'segment'>('linear', 'segment'),
        fc.boolean(),
        (parts, start, recordLength, addressing, shuffle) => {
          const segs: { address: number; data: Uint8Array }[] = [];
          let at = start;
          for (const p of parts) {
            at += p.gap;
            segs.push({ address: at, data: p.data });
            at += p.data.length;
          }
          const expected = Buffer.alloc(at - segs[0].address, 0xff);
          for (const s of segs) Buffer.from(s.data).copy(expected, s.address - segs[0].address);
          const order = shuffle ? segs.slice().reverse() : segs;
          const img = parseIntelHex(writeIntelHex(order, { recordLength, addressing }));
          assert.equal(img.base, segs[0].address);
          assert.deepEqual(img.data, expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
