import { strict as assert } from 'assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { holds, ssidText } from '../../src/wifi/configure';

// The SSID the module reports (GCFG wifi_ssid) in every plausible form, decoded without RegExp: the join
// compares it with the SSID asked for, and a miss makes every join rewrite the settings, save them and
// reset the module. Checked in Node and in the real Espruino engine (whose RegExp silently never matches
// quantified groups: the RegExp this replaces never decoded anything there).

const SSID = 'SPWF-Lab';
/** [what the module may print, what it means] */
const FORMS: [string, string][] = [
  ['SPWF-Lab', SSID], // text
  ['53:50:57:46:2D:4C:61:62', SSID], // colon-separated hex (the simulator, SPWF01)
  ['53:50:57:46:2d:4c:61:62', SSID], // lower case
  ['53-50-57-46-2D-4C-61-62', SSID],
  ['53 50 57 46 2D 4C 61 62', SSID],
  ['53.50.57.46.2D.4C.61.62', SSID],
  ['535057462D4C6162', SSID], // no separator
  ['0x535057462D4C6162', SSID], // prefixed
  ['0X535057462d4c6162', SSID],
  ['0x53:0x50:0x57:0x46:0x2D:0x4C:0x61:0x62', SSID], // prefixed bytes
  ['53:50:57:46:2D:4C:61:62:00:00:00:00', SSID], // NUL-padded
  ['535057462D4C616200000000', SSID],
  ['"SPWF-Lab"', SSID], // quoted
  ["'SPWF-Lab'", SSID],
  ['4d:79:20:4e:65:74', 'My Net'], // a space inside
  ['e9:74:e9', '\u00e9t\u00e9'], // bytes above 127 (one char per byte)
  ['4:5:6', '\u0004\u0005\u0006'], // one digit a byte between separators
  // Text that merely looks like hex stays text where the hex reading fails:
  ['My Net', 'My Net'],
  ['Cafe 2', 'Cafe 2'],
  ['ABC', 'ABC'], // odd number of digits
  ['0x', '0x'],
  ['53:50:5G', '53:50:5G'],
  ['535:0', '535:0'], // three digits between separators
  ['', ''],
];

describe('wifi: the SSID read back from the module', () => {
  it('decodes every form: text, hex with or without separators or 0x, NUL-padded, quoted', () => {
    for (const [shown, ssid] of FORMS) assert.equal(ssidText(shown), ssid, JSON.stringify(shown));
  });

  it('counts the SSID as held whichever form the module prints it in, and only the same SSID', () => {
    const s = { name: '', value: SSID };
    for (const [shown, ssid] of FORMS) assert.equal(holds(s, shown), ssid === SSID, JSON.stringify(shown));
    // An SSID that is itself hex digits, printed as text or as hex.
    const cafe = { name: '', value: 'cafe' };
    assert.ok(holds(cafe, 'cafe'));
    assert.ok(holds(cafe, '63:61:66:65'));
    assert.ok(holds(cafe, '63616665'));
    assert.ok(!holds(cafe, 'CAFE'));
    assert.ok(!holds(s, undefined));
  });

  it('decodes the same in the real Espruino engine', function () {
    this.timeout(60000);
    const root = path.resolve(__dirname, '..', '..');
    const engine = process.env.ESPRUINO_NUCLEO || path.resolve(root, '..', 'shared', 'tools', 'espruino', 'espruino-nucleo');
    if (!fs.existsSync(engine)) {
      console.log('      (skipped: no Espruino engine at ' + engine + '; build it from ../shared/tools/espruino, or set ESPRUINO_NUCLEO)');
      this.skip();
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-ssid-'));
    try {
      // Built as the device build builds (esbuild, Espruino checks), run as a script in the engine: the SSID
      // decoding of the join module (configure.ts), the passphrase check of the core (profile.ts).
      const build = (entry: string) => execFileSync(process.execPath, ['--input-type=module', '-e',
        'const b = await import(' + JSON.stringify(path.join(root, 'build', 'build.mjs')) + ');' +
        'const r = await b.buildEspruino({ entry: ' + JSON.stringify(entry) + ', write: false }); process.stdout.write(r.code);'],
      { cwd: root, encoding: 'utf8' });
      // Each in a scope of its own: the minified top-level names (`i`, `e`, ...) would otherwise be the
      // script's loop variable.
      const wrap = (code: string) => '(function (exports) {\n' + code + '\n})(exports);\n';
      const script = wrap(build('src/wifi/configure.ts')) + wrap(build('src/wifi/profile.ts'));
      const forms = FORMS.map((f) => f[0]);
      fs.writeFileSync(path.join(dir, 'ssid.js'), 'var exports = {};\n' + script +
        '\nvar F = ' + JSON.stringify(forms) + ';\nfor (var i = 0; i < F.length; i++) print("SSID " + i + " " + JSON.stringify(exports.ssidText(F[i])));\n' +
        // The one RegExp left in profile.ts: a passphrase of 64 hex digits.
        'print("PSK " + (exports.checkNetwork({ ssid: "a", psk: "' + '0123456789abcdefABCDEF'.repeat(3).substring(0, 64) + '" }) === null) + " " +' +
        ' (exports.checkNetwork({ ssid: "a", psk: "' + 'g'.repeat(64) + '" }) !== null));\n', 'latin1');
      const out = execFileSync(engine, ['ssid.js'], { cwd: dir, input: '', encoding: 'latin1', timeout: 30000 });
      assert.ok(!/Uncaught|MEMORY/.test(out), out);
      const got: { [i: string]: string } = {};
      for (const line of out.split('\n')) {
        const m = /^SSID (\d+) (.*)$/.exec(line.trim());
        if (m) got[m[1]] = JSON.parse(m[2]);
      }
      assert.match(out, /PSK true true/, 'a 64-hex-digit passphrase is taken, 64 other characters refused');
      FORMS.forEach(([shown, ssid], i) => {
        // Espruino's JSON escapes bytes above 127 as \u00XX: the same one-byte chars.
        assert.equal(got[i], ssid, JSON.stringify(shown) + '\n' + out);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
