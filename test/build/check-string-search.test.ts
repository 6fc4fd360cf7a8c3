// The check of string searches Espruino gets wrong (build/check-string-search.mjs): it flags a search whose
// needle may be reported when only its start is at the end of the string, and leaves alone the forms that
// are exact on Espruino (test/device/string-search.test.ts measures both on the engine). The build runs it
// on every device source; the last test here is that run.

import { strict as assert } from 'assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkStringSearch } from '../../build/check-string-search.mjs';

function flagged(body: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-search-'));
  const file = path.join(dir, 'probe.ts');
  fs.writeFileSync(file, body);
  try {
    return checkStringSearch([file]).map((v) => v.replace(/^.*probe\.ts:/, ''));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('check of string searches Espruino gets wrong', function () {
  this.timeout(20000);

  it('flags a string search for a needle longer than one character, used as a position or a yes/no', () => {
    const v = flagged([
      'export function f(s: string, k: string): any {',
      '  const a = s.indexOf("AT-S.OK");',
      '  if (s.indexOf(k) >= 0) return 1;',
      '  const b = s.indexOf(k, 3) < 0;',
      '  return [a, b, s.includes("ab"), s.replace("cx", "Q"), " a b ".indexOf(" " + k + " ")];',
      '}',
    ].join('\n'));
    assert.deepEqual(v.map((l) => l.replace(/: \[string-search\].*/, '')), ['2:15', '3:9', '4:15', '5:19', '5:37', '5:65']);
    assert.match(v[0]!, /\[string-search\] \.indexOf\("AT-S\.OK"\): Espruino's String indexOf.*"abc"\.indexOf\("cx"\) is 2/);
  });

  it('leaves alone the searches that are exact on Espruino', () => {
    const v = flagged([
      'export function f(s: string, k: string, xs: string[]): any {',
      '  const nl = s.indexOf("\\n", 2);',
      '  const sep = ":-".indexOf(s.charAt(1));',
      '  const start = s.indexOf("AT-S.") === 0 || 0 !== s.indexOf(k);',
      '  const has = s.lastIndexOf("-----BEGIN ") >= 0 || s.startsWith(k) || s.endsWith(k);',
      '  const inList = xs.indexOf(k) >= 0 || [1, 2].indexOf(3) < 0;',
      '  const re = s.replace(/a+/g, "b");',
      '  const i = s.indexOf(k); // fits',
      '  return [nl, sep, start, has, inList, re, i >= 0 && i + k.length <= s.length];',
      '}',
    ].join('\n'));
    assert.deepEqual(v, []);
  });

  it('finds none in the device sources (the build refuses them)', () => {
    assert.deepEqual(checkStringSearch(), []);
  });
});
