// Intel HEX, read strictly, laid out as one flash image the way ST's create_ota does it: from the lowest
// address found, gaps filled with 0xFF.
//
// Records: 00 data, 01 end of file, 02 extended segment address (base = value × 16), 04 extended linear
// address (base = value << 16), 03/05 start addresses (kept for information, they place no bytes). Every
// record is checked: leading ':', hexadecimal digits only, an even number of them, the byte count equal to
// the bytes present, the checksum, the fixed length of records 01..05. Data after the end-of-file record,
// a missing end-of-file record, a record running past the end of its 64 KiB segment, two records setting
// the same byte and an unknown record type are errors. Every error names the line (1-based).

export class IntelHexError extends Error {
  /** 1-based line of the offending record (the last line + 1 for a missing end-of-file record). */
  readonly line: number;
  constructor(line: number, message: string) {
    super('line ' + line + ': ' + message);
    this.name = 'IntelHexError';
    this.line = line;
  }
}

export type StartAddress = { kind: 'linear'; eip: number } | { kind: 'segment'; cs: number; ip: number };

export interface HexImage {
  /** Address of the first byte of `data` (the lowest address any data record sets). */
  base: number;
  /** The image from `base` to the highest address set, gaps filled with 0xFF. */
  data: Buffer;
  /** Bytes set by data records (data.length minus the fill). */
  dataBytes: number;
  /** Bytes filled with 0xFF. */
  filled: number;
  /** Number of data records (type 00). */
  dataRecords: number;
  /** From a type 03 or 05 record, if any (does not affect the image). */
  start?: StartAddress;
}

export interface HexParseOptions {
  /** Largest image span accepted, from the lowest to the highest address (default 16 MiB). */
  maxSpan?: number;
}

export const DEFAULT_MAX_SPAN = 16 * 1024 * 1024;

interface DataRun {
  address: number;
  bytes: Buffer;
  line: number;
}

function hex8(n: number): string {
  return '0x' + ('0000000' + n.toString(16).toUpperCase()).slice(-8);
}

function hex2(n: number): string {
  return '0x' + ('0' + n.toString(16).toUpperCase()).slice(-2);
}

const FIXED_LENGTH: { [type: number]: number } = { 1: 0, 2: 2, 3: 4, 4: 2, 5: 4 };
const TYPE_NAME: { [type: number]: string } = {
  1: 'end-of-file',
  2: 'extended segment address',
  3: 'start segment address',
  4: 'extended linear address',
  5: 'start linear address',
};

/** Parses an Intel HEX file (text or its bytes); throws IntelHexError naming the line on any bad record. */
export function parseIntelHex(input: string | Buffer, options: HexParseOptions = {}): HexImage {
  const text = typeof input === 'string' ? input : input.toString('latin1');
  const maxSpan = options.maxSpan ?? DEFAULT_MAX_SPAN;
  const lines = text.split(/\r\n|\n|\r/);
  // A final newline leaves an empty last element; it is not a line of the file.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  const runs: DataRun[] = [];
  let upper = 0; // base added to each record's 16-bit offset
  let eofLine = 0;
  let start: StartAddress | undefined;

  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i].replace(/[ \t]+$/, '');
    if (line === '') continue;
    if (eofLine) throw new IntelHexError(n, 'record after the end-of-file record of line ' + eofLine);
    if (line[0] !== ':') {
      throw new IntelHexError(n, "a record must start with ':' (found " + JSON.stringify(line.substring(0, 12)) + ')');
    }
    const digits = line.substring(1);
    const bad = /[^0-9A-Fa-f]/.exec(digits);
    if (bad) {
      throw new IntelHexError(n, JSON.stringify(bad[0]) + ' at column ' + (bad.index + 2) + ' is not a hexadecimal digit');
    }
    if (digits.length % 2 !== 0) throw new IntelHexError(n, 'odd number of hexadecimal digits (' + digits.length + ')');
    const rec = Buffer.from(digits, 'hex');
    if (rec.length < 5) throw new IntelHexError(n, 'record too short (' + rec.length + ' bytes, at least 5)');
    const count = rec[0];
    if (rec.length !== count + 5) {
      throw new IntelHexError(n, 'byte count says ' + count + ' data bytes but the record holds ' + (rec.length - 5));
    }
    let sum = 0;
    for (let k = 0; k < rec.length - 1; k++) sum = (sum + rec[k]) & 0xff;
    const expected = (0x100 - sum) & 0xff;
    const found = rec[rec.length - 1];
    if (found !== expected) {
      throw new IntelHexError(n, 'bad checksum: the record has ' + hex2(found) + ', its bytes give ' + hex2(expected));
    }
    const offset = rec.readUInt16BE(1);
    const type = rec[3];
    const data = rec.subarray(4, 4 + count);

    if (type > 5) throw new IntelHexError(n, 'unknown record type ' + hex2(type));
    if (type !== 0 && count !== FIXED_LENGTH[type]) {
      throw new IntelHexError(n, TYPE_NAME[type] + ' record (type ' + hex2(type) + ') must hold ' + FIXED_LENGTH[type] + ' data bytes, not ' + count);
    }
    switch (type) {
      case 0:
        if (offset + count > 0x10000) {
          throw new IntelHexError(n, 'data record runs past the end of its 64 KiB segment (offset ' + hex8(offset) + ', ' + count + ' bytes)');
        }
        if (count > 0) runs.push({ address: upper + offset, bytes: Buffer.from(data), line: n });
        break;
      case 1:
        eofLine = n;
        break;
      case 2:
        upper = data.readUInt16BE(0) * 16;
        break;
      case 3:
        start = { kind: 'segment', cs: data.readUInt16BE(0), ip: data.readUInt16BE(2) };
        break;
      case 4:
        upper = data.readUInt16BE(0) * 0x10000;
        break;
      case 5:
        start = { kind: 'linear', eip: data.readUInt32BE(0) };
        break;
    }
  }
  if (!eofLine) throw new IntelHexError(lines.length + 1, 'no end-of-file record (type 01): the file is incomplete');
  if (runs.length === 0) throw new IntelHexError(eofLine, 'the file holds no data records before its end-of-file record');

  runs.sort(function (a, b) { return a.address - b.address || a.line - b.line; });
  const base = runs[0].address;
  let end = base; // one past the highest address set so far
  let dataBytes = 0;
  for (let k = 0; k < runs.length; k++) {
    const r = runs[k];
    if (r.address < end) {
      // The sorted predecessor that reaches furthest is the one that set the byte.
      let owner = runs[k - 1];
      for (let j = k - 1; j >= 0; j--) {
        if (runs[j].address + runs[j].bytes.length > r.address) { owner = runs[j]; break; }
      }
      const first = r.line > owner.line ? r : owner;
      const second = r.line > owner.line ? owner : r;
      throw new IntelHexError(first.line, 'sets bytes at ' + hex8(r.address) + ' that line ' + second.line + ' already sets');
    }
    end = r.address + r.bytes.length;
    dataBytes += r.bytes.length;
  }
  const span = end - base;
  if (span > maxSpan) {
    throw new IntelHexError(
      runs[runs.length - 1].line,
      'the image would span ' + span + ' bytes (' + hex8(base) + '..' + hex8(end - 1) + '), more than ' + maxSpan +
        ': does the file hold data for two separate memories?',
    );
  }
  const out = Buffer.alloc(span, 0xff);
  for (const r of runs) r.bytes.copy(out, r.address - base);
  return { base, data: out, dataBytes, filled: span - dataBytes, dataRecords: runs.length, start };
}
