import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

// The application typings (types/): the examples type-check against them (the Espruino one with
// @types/espruino, the Moddable one with @moddable/typings), and the real classes of src/ satisfy them.

const ROOT = path.join(__dirname, '..', '..');
const r = (p: string) => path.join(ROOT, p);
const MODDABLE = (f: string) => r('node_modules/@moddable/typings/' + f);

function errors(files: string[], options: ts.CompilerOptions): string[] {
  const program = ts.createProgram(files, Object.assign({
    noEmit: true, strict: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [],
  }, options));
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? path.relative(ROOT, d.file.fileName) + ':' + (d.file.getLineAndCharacterOfPosition(d.start || 0).line + 1) + ': ' : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

describe('application typings (types/)', function () {
  this.timeout(60000);

  it('examples/espruino/app.js type-checks against types/espruino.d.ts and @types/espruino', () => {
    assert.deepEqual(errors([r('node_modules/@types/espruino/index.d.ts'), r('types/espruino.d.ts'), r('examples/espruino/app.js')], {
      allowJs: true, checkJs: true, strict: false, noImplicitAny: false,
    }), []);
  });

  it('examples/moddable/main.js type-checks against types/moddable.d.ts and @moddable/typings', () => {
    assert.deepEqual(errors([MODDABLE('xs.d.ts'), MODDABLE('mc/config.d.ts'), r('types/moddable.d.ts'), r('examples/moddable/main.js')], {
      allowJs: true, checkJs: true, strict: false, noImplicitAny: false,
    }), []);
  });

  it('a TypeScript application with a mistake is caught (the check can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spwf04-types-'));
    const app = path.join(dir, 'bad-app.ts');
    fs.writeFileSync(app, "import { start } from 'spwf04';\nconst wifi = start({ transmit: 9 });\nwifi.opne('example.org', 443, 's');\n");
    let bad: string[];
    try {
      bad = errors([r('types/moddable.d.ts'), app], {});
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    assert.ok(bad.some((e) => /'opne' does not exist/.test(e)), bad.join('\n'));
    assert.ok(bad.some((e) => /'receive' is missing/.test(e)), bad.join('\n'));
  });

  it('the real Connectivity, Socket, Server, Http and errors of src/ satisfy the declared API', () => {
    assert.deepEqual(errors([r('types/spwf04.d.ts'), r('test/types/conformance.ts')], {}), []);
  });
});
