// Source-map `mappings` (base64 VLQ) decoding and encoding, shared by the build and the syntax checker.

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes v3 `mappings` into per-line segments [genCol, srcIndex, srcLine, srcCol, name?], absolute. */
export function decodeMappings(mappings) {
  const lines = [];
  const st = [0, 0, 0, 0];
  for (const lineText of mappings.split(';')) {
    const segs = [];
    let col = 0;
    if (lineText) {
      for (const segText of lineText.split(',')) {
        const vals = [];
        let value = 0, shift = 0;
        for (let i = 0; i < segText.length; i++) {
          const d = B64.indexOf(segText[i]);
          value += (d & 31) << shift;
          if (d & 32) shift += 5;
          else {
            vals.push(value & 1 ? -(value >>> 1) : value >>> 1);
            value = 0;
            shift = 0;
          }
        }
        col += vals[0];
        const seg = [col];
        for (let k = 1; k < vals.length; k++) {
          st[k - 1] += vals[k];
          seg.push(st[k - 1]);
        }
        segs.push(seg);
      }
    }
    lines.push(segs);
  }
  return lines;
}

function encodeVlq(v) {
  let x = v < 0 ? (-v << 1) | 1 : v << 1;
  let out = '';
  do {
    let d = x & 31;
    x >>>= 5;
    if (x) d |= 32;
    out += B64[d];
  } while (x);
  return out;
}

/** Encodes per-line absolute segments back into v3 `mappings`. */
export function encodeMappings(lines) {
  const st = [0, 0, 0, 0];
  return lines.map((segs) => {
    let col = 0;
    return segs.map((seg) => {
      let t = encodeVlq(seg[0] - col);
      col = seg[0];
      for (let k = 1; k < seg.length; k++) {
        t += encodeVlq(seg[k] - st[k - 1]);
        st[k - 1] = seg[k];
      }
      return t;
    }).join(',');
  }).join(';');
}
