// Test helpers for the FOTA tool: an Intel HEX writer (independent of hosts/node/ota/intel-hex.ts) and
// independent readings of a packet, written from the format table (../shared/spwf04s-protocol.md §7.1)
// with Node's crypto called directly.

import { createDecipheriv, createHash } from 'node:crypto';

export interface HexSegment {
  address: number;
  data: Uint8Array;
}

export interface HexWriterOptions {
  /** Data bytes per record (default 16). */
  recordLength?: number;
  /** 'linear' uses type 04 records, 'segment' type 02 (addresses below 1 MiB). Default linear. */
  addressing?: 'linear' | 'segment';
  eol?: string;
  lowercase?: boolean;
  /** Adds a start linear address (05) record, or a start segment address (03) in segment mode. */
  start?: number;
}

function record(type: number, offset: number, data: Uint8Array | number[], lowercase: boolean): string {
  const bytes = [data.length, (offset >> 8) & 0xff, offset & 0xff, type];
  for (let i = 0; i < data.length; i++) bytes.push(data[i]);
  let sum = 0;
  for (const b of bytes) sum += b;
  bytes.push((0x100 - (sum & 0xff)) & 0xff);
  const s = ':' + bytes.map((b) => ('0' + b.toString(16)).slice(-2)).join('');
  return lowercase ? s : s.toUpperCase();
}

/** Writes segments as Intel HEX, never letting a record cross a 64 KiB boundary. */
export function writeIntelHex(segments: HexSegment[], opts: HexWriterOptions = {}): string {
  const n = opts.recordLength ?? 16;
  const eol = opts.eol ?? '\n';
  const lc = !!opts.lowercase;
  const mode = opts.addressing ?? 'linear';
  const lines: string[] = [];
  let upper = -1;
  for (const seg of segments) {
    let i = 0;
    while (i < seg.data.length) {
      const addr = seg.address + i;
      const hi = Math.floor(addr / 0x10000);
      const offset = addr % 0x10000;
      if (hi !== upper) {
        if (mode === 'linear') lines.push(record(0x04, 0, [(hi >> 8) & 0xff, hi & 0xff], lc));
        else {
          if (hi > 0xf) throw new Error('segment addressing reaches 1 MiB only');
          const seg16 = hi << 12;
          lines.push(record(0x02, 0, [(seg16 >> 8) & 0xff, seg16 & 0xff], lc));
        }
        upper = hi;
      }
      const len = Math.min(n, seg.data.length - i, 0x10000 - offset);
      lines.push(record(0x00, offset, seg.data.subarray(i, i + len), lc));
      i += len;
    }
  }
  if (opts.start !== undefined) {
    const s = opts.start >>> 0;
    if (mode === 'linear') lines.push(record(0x05, 0, [s >>> 24, (s >> 16) & 0xff, (s >> 8) & 0xff, s & 0xff], lc));
    else lines.push(record(0x03, 0, [(s >> 12) & 0xff, (s >> 4) & 0xff, 0, s & 0xf], lc));
  }
  lines.push(record(0x01, 0, [], lc));
  return lines.join(eol) + eol;
}

/** One record, for hand-made bad files. */
export function hexRecord(type: number, offset: number, data: number[]): string {
  return record(type, offset, data, false);
}

// ---- independent readings of a packet ---------------------------------------------------------------

export interface RawHeader {
  id: number;
  hdrlen: number;
  base: number;
  len: number;
  model: Buffer;
  version: Buffer;
  hash: Buffer;
  iv: Buffer;
  tag: Buffer;
}

/** The header fields at the offsets of the format table, nothing interpreted. */
export function rawHeader(file: Buffer): RawHeader {
  return {
    id: file.readUInt32LE(0),
    hdrlen: file.readUInt32LE(4),
    base: file.readUInt32LE(8),
    len: file.readUInt32LE(12),
    model: file.subarray(16, 48),
    version: file.subarray(48, 80),
    hash: file.subarray(80, 112),
    iv: file.subarray(112, 124),
    tag: file.subarray(124, 140),
  };
}

/** A NUL-padded ASCII field holding exactly `text`. */
export function field32(text: string): Buffer {
  const b = Buffer.alloc(32);
  b.write(text, 'latin1');
  return b;
}

export function sha256Of(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** AES-128-GCM decryption as the module does it, with the AAD rebuilt here; throws if the tag fails. */
export function independentDecrypt(file: Buffer, keyMaterial: Buffer): Buffer {
  const len = file.readUInt32LE(12);
  const aad = Buffer.from(file.subarray(0, 140));
  aad.fill(0, 112, 140);
  const d = createDecipheriv('aes-128-gcm', keyMaterial.subarray(0, 16), file.subarray(112, 124));
  d.setAAD(aad);
  d.setAuthTag(file.subarray(124, 140));
  return Buffer.concat([d.update(file.subarray(140, 140 + len)), d.final()]);
}
