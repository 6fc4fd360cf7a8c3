// The build: `node build/build.mjs` (everything) or `node build/build.mjs --node-only` (the Node CLI).
//
// Outputs in build/out/ (gitignored):
//   espruino.js (+ .map)        the Espruino module: one minified file that only defines the library
//                               (exports.start, exports.createHost, exports.createConnectivity);
//   espruino.debug.js (+ .map)  the same, not minified, for reading and for debugging on a device;
//   moddable/spwf04.js          the Moddable XS module (ES module), named by ../manifest.json;
//   spwf04.js                   the Node CLI (hosts/node/cli.ts), `#!/usr/bin/env node`.
//
// The Espruino bundle is proved to run on Espruino before it is written: the device code type-checks
// against build/espruino-lib.d.ts (tsconfig.device.json: only what Espruino provides), esbuild must not
// have emitted any runtime helper, build/check-espruino-syntax.mjs must find no violation, and
// build/check-string-search.mjs no string search that Espruino gets wrong (it needs the types). Any
// failure names the source file and line and makes the build exit with status 1.

import * as esbuild from 'esbuild';
import * as acorn from 'acorn';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as url from 'node:url';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { checkEspruinoSyntax, formatViolation, decodeSourceMap, originalPosition } from './check-espruino-syntax.mjs';
import { decodeMappings, encodeMappings } from './source-map.mjs';
import { checkStringSearch } from './check-string-search.mjs';

export const ROOT = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), '..');
export const OUT = path.join(ROOT, 'build', 'out');

const rel = (p) => path.relative(process.cwd(), p) || '.';

export class BuildError extends Error {
  constructor(message, details) {
    super(message);
    this.details = details || [];
  }
}

// ---- type checks -------------------------------------------------------------------------------

/** Runs tsc on a project; throws a BuildError listing `file(line,col): error ...` lines. */
export function typeCheck(project) {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', project, '--noEmit', '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) {
    const lines = (r.stdout + r.stderr).split('\n').filter((l) => l.trim());
    throw new BuildError('type check failed: ' + project + ' (' + lines.filter((l) => / error /.test(l)).length + ' errors)', lines);
  }
}

// ---- esbuild settings --------------------------------------------------------------------------

/**
 * Target es2017 keeps the minifier from producing newer syntax. Syntax Espruino lacks that esbuild would
 * lower with a runtime helper (object spread, async, generators, private fields, ...) is let through
 * unchanged instead, so that the syntax checker reports it at its source line. `??` and `catch {}` run
 * on Espruino and are kept. `?.`, `??=`/`||=`/`&&=` are lowered inline (no helper). Class fields are
 * lowered into constructors, as TypeScript does with useDefineForClassFields false: Espruino gives a
 * field initializer that uses `this` undefined.
 */
export const ESPRUINO_SUPPORTED = {
  'class-field': false,
  'class-static-field': false,
  'nullish-coalescing': true,
  'optional-catch-binding': true,
  'object-rest-spread': true,
  'async-await': true,
  'async-generator': true,
  'for-await': true,
  'generator': true,
  'class-private-accessor': true,
  'class-private-brand-check': true,
  'class-private-field': true,
  'class-private-method': true,
  'class-private-static-accessor': true,
  'class-private-static-field': true,
  'class-private-static-method': true,
  'class-static-blocks': true,
  'bigint': true,
  'regexp-dot-all-flag': true,
  'regexp-lookbehind-assertions': true,
  'regexp-match-indices': true,
  'regexp-named-capture-groups': true,
  'regexp-set-notation': true,
  'regexp-sticky-and-unicode-flags': true,
  'regexp-unicode-property-escapes': true,
};

const TS_RAW = { compilerOptions: { useDefineForClassFields: false, verbatimModuleSyntax: false } };

function esbuildFailure(e, what) {
  const msgs = (e.errors || []).map((m) => {
    const l = m.location;
    return (l ? l.file + ':' + l.line + ':' + (l.column + 1) + ': ' : '') + m.text;
  });
  return new BuildError(what + ' failed', msgs.length ? msgs : [String(e.message || e)]);
}

// ---- Espruino ----------------------------------------------------------------------------------

// ---- source-map edits ----------------------------------------------------------------------------

/**
 * Applies text edits [{start, end, text}] (text without newlines) to code and keeps its source map
 * exact: segments inside a replaced range go, segments after it move.
 */
export function applyEdits(code, map, edits) {
  const sorted = edits.slice().sort((a, b) => b.start - a.start);
  let lines = map ? decodeMappings(map.mappings) : null;
  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lc = (pos) => {
    let l = 0;
    while (l + 1 < lineStarts.length && lineStarts[l + 1] <= pos) l++;
    return [l, pos - lineStarts[l]];
  };
  let out = code;
  for (const e of sorted) {
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    if (!lines) continue;
    const [l0, c0] = lc(e.start);
    const [l1, c1] = lc(e.end);
    while (lines.length <= l1) lines.push([]);
    const keepBefore = lines[l0].filter((s) => s[0] < c0);
    const after = lines[l1].filter((s) => s[0] >= c1).map((s) => [c0 + e.text.length + (s[0] - c1)].concat(s.slice(1)));
    lines.splice(l0, l1 - l0 + 1, keepBefore.concat(after));
  }
  const outMap = map ? Object.assign({}, map, { mappings: encodeMappings(lines) }) : map;
  return { code: out, map: outMap };
}

/** Prepends whole lines: the map moves down by as many lines. */
function prependLines(code, map, text) {
  const n = text.split('\n').length - 1;
  return { code: text + code, map: map ? Object.assign({}, map, { mappings: ';'.repeat(n) + map.mappings }) : map };
}

// ---- Espruino ----------------------------------------------------------------------------------

/** What `require` is called in the bundle until the module is finished (see ESPRUINO_DEFINE). */
const REQUIRE_ALIAS = '__espruinoRequire';

/**
 * `require("Storage")` must reach Espruino as written. esbuild would try to bundle it, or replace it by
 * a `__require` shim in an ES-module bundle, so it is renamed on the way in and back on the way out.
 */
const ESPRUINO_DEFINE = { require: REQUIRE_ALIAS };

/**
 * Turns esbuild's ES-module output into an Espruino module: the final `export{a as b,...}` becomes
 * `exports.b=a;...`, the require alias becomes `require` again, and a variable called `of` is renamed.
 * With `wrap`, everything is wrapped in a function run on the spot. Storage modules are not wrapped:
 * require() already runs a module in a scope of its own (nothing leaks into Espruino's globals), and a
 * wrapper costs every top-level function about 3 more variables on the board.
 * The source map follows every change.
 */
export function toEspruinoModule(code, map, opts) {
  const wrap = !!(opts && opts.wrap);
  const ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const exportsNodes = ast.body.filter((n) => n.type.indexOf('Export') === 0);
  if (exportsNodes.length !== 1 || exportsNodes[0].type !== 'ExportNamedDeclaration' || exportsNodes[0].declaration || exportsNodes[0].source) {
    throw new BuildError('unexpected module shape in the Espruino bundle: expected one final `export { ... }`');
  }
  const node = exportsNodes[0];
  const exported = node.specifiers.map((s) => s.exported.name || s.exported.value);
  const edits = [];
  // Espruino's lexer reserves `of` (src/jslex.c), which esbuild's minifier may pick as a short name:
  // every variable called `of` is renamed to a name that appears nowhere in the file.
  let fresh = '$of';
  for (let i = 0; code.indexOf(fresh) >= 0; i++) fresh = '$of' + i;
  const renames = { of: fresh };
  renames[REQUIRE_ALIAS] = 'require';
  (function find(n, parent, key) {
    if (n.type === 'Identifier' && Object.prototype.hasOwnProperty.call(renames, n.name) && !(n.start >= node.start && n.end <= node.end)) {
      const isKey = parent && ((parent.type === 'MemberExpression' && key === 'property' && !parent.computed) ||
        ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && key === 'key' && !parent.computed) ||
        parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement');
      if (parent && parent.type === 'Property' && parent.shorthand) {
        if (key === 'value') edits.push({ start: n.start, end: n.end, text: n.name + ':' + renames[n.name] });
      } else if (!isKey) edits.push({ start: n.start, end: n.end, text: renames[n.name] });
    }
    for (const k of Object.keys(n)) {
      const v = n[k];
      if (Array.isArray(v)) for (const c of v) { if (c && typeof c.type === 'string') find(c, n, k); }
      else if (v && typeof v.type === 'string') find(v, n, k);
    }
  })(ast, null, null);
  const local = (name) => (name === 'of' ? fresh : name);
  edits.push({
    start: node.start,
    end: node.end,
    text: node.specifiers.map((s) => 'exports.' + (s.exported.name || s.exported.value) + '=' + local(s.local.name) + ';').join(''),
  });
  let r = applyEdits(code, map, edits);
  if (!wrap) return { code: r.code.replace(/\n+$/, '') + '\n', map: r.map, exported };
  r = prependLines(r.code.replace(/\n+$/, ''), r.map, '(function(){\n');
  return { code: r.code + '\n})();\n', map: r.map, exported };
}

/** Names of esbuild runtime helpers (`var __name = ...` at the top level of an unminified bundle). */
export function findHelpers(code) {
  const ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true });
  const found = [];
  for (const n of ast.body) {
    if (n.type === 'VariableDeclaration') {
      for (const d of n.declarations) if (d.id.type === 'Identifier' && /^__[a-zA-Z]/.test(d.id.name)) found.push(d.id.name);
    } else if (n.type === 'FunctionDeclaration' && n.id && /^__[a-zA-Z]/.test(n.id.name)) found.push(n.id.name);
  }
  return found;
}

/**
 * The Espruino Storage modules: the core and the optional features it loads on first use
 * (src/connectivity.ts). Storage name = file name in build/out/espruino/ without ".js".
 */
export const ESPRUINO_MODULES = [
  { name: 'spwf04', entry: 'hosts/espruino/index.ts' },
  { name: 'spwf04-servers', entry: 'src/features/servers.ts' },
  { name: 'spwf04-http', entry: 'src/features/http.ts' },
  { name: 'spwf04-smtp', entry: 'src/features/smtp.ts' },
  { name: 'spwf04-fota', entry: 'src/features/fota.ts' },
  { name: 'spwf04-net', entry: 'src/features/net.ts' },
  { name: 'spwf04-tls', entry: 'src/features/tls.ts' },
  { name: 'spwf04-trace', entry: 'hosts/espruino/trace.ts' },
  { name: 'spwf04-certs', entry: 'src/features/certs.ts' },
  { name: 'spwf04-wps', entry: 'src/wifi/wps-join.ts' },
  { name: 'spwf04-eap', entry: 'src/wifi/eap-join.ts' },
  { name: 'spwf04-join', entry: 'src/features/join.ts' },
];

/** What the core keeps although it does not use it itself: helpers that most optional modules use (the
 *  certificates, WPA2-Enterprise, firmware updates, the join), kept once rather than copied into each. */
const KEPT_IN_CORE = {
  'src/certs/sha256.ts': ['sha256', 'sha256Hex'],
  'src/certs/der.ts': ['toHex'],
};

/** Budgets of the device build (DESIGN.md 5; asserted on the real engine by test/device). */
export const BUDGETS = { coreBytes: 48 * 1024, totalBytes: 96 * 1024 };

export const ESPRUINO_OUT = path.join(OUT, 'espruino');

/**
 * Names of class members (fields, methods, getters, constructor parameter properties, any visibility) of the
 * device sources that are shortened on the board (esbuild's mangleProps): every property name is stored with
 * each object and method that has it, and a name longer than four characters takes more variables. Kept as
 * written: every name that crosses the bundle's edge — the application's API and options (types/*.d.ts),
 * members of interfaces and type literals (options, the host port, JSON kept in Storage, events), Espruino's
 * own library and the JavaScript built-ins. Short names are shortened too: every mangled name starts with
 * "_" (shortMemberNames).
 */
export function mangledMemberNames(files = deviceSources()) {
  const require = createRequire(import.meta.url);
  const ts = require('typescript');
  const members = new Set();
  const keep = new Set();
  const nameOf = (n) => (n && (ts.isIdentifier(n) || ts.isPrivateIdentifier(n)) ? n.text : n && ts.isStringLiteral(n) ? n.text : null);
  const scan = (file, isKept) => {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    (function walk(n) {
      let name = null;
      let member = false;
      if (ts.isClassElement(n) && !ts.isConstructorDeclaration(n)) {
        name = nameOf(n.name);
        member = true;
      } else if (ts.isParameter(n) && ts.isConstructorDeclaration(n.parent) && n.modifiers && n.modifiers.length) {
        name = nameOf(n.name);
        member = true;
      } else if (ts.isPropertySignature(n) || ts.isMethodSignature(n) || ts.isPropertyDeclaration(n) || ts.isMethodDeclaration(n) ||
        ts.isGetAccessor(n) || ts.isSetAccessor(n) || ts.isEnumMember(n)) {
        name = nameOf(n.name);
      } else if ((ts.isFunctionDeclaration(n) && ts.isSourceFile(n.parent)) ||
        (ts.isVariableDeclaration(n) && ts.isVariableStatement(n.parent.parent) && ts.isSourceFile(n.parent.parent.parent))) {
        name = nameOf(n.name); // a module's top-level name: an export is read as a property of the module
      }
      if (name) (member && !isKept ? members : keep).add(name);
      ts.forEachChild(n, walk);
    })(sf);
  };
  for (const file of files) scan(file, false);
  const edge = [path.join(ROOT, 'build', 'espruino-lib.d.ts'), path.join(ROOT, 'node_modules', '@types', 'espruino', 'index.d.ts')];
  for (const d of ['types']) {
    const abs = path.join(ROOT, d);
    if (fs.existsSync(abs)) for (const f of fs.readdirSync(abs)) if (f.endsWith('.d.ts')) edge.push(path.join(abs, f));
  }
  const tsLib = path.dirname(require.resolve('typescript/lib/lib.es2022.full.d.ts'));
  for (const f of fs.readdirSync(tsLib)) if (/^lib\.es(5|20\d\d(\.[a-z]+)?)\.d\.ts$/.test(f)) edge.push(path.join(tsLib, f));
  for (const f of edge) if (fs.existsSync(f)) scan(f, true);
  // Every object on Espruino has a native emit(); the Node-style emitter names stay recognisable.
  for (const n of ['emit', 'listeners', 'listenerCount']) keep.add(n);
  return Array.from(members).filter((n) => !keep.has(n)).sort();
}

/** esbuild's mangleProps for the device modules (see mangledMemberNames), shared by every module's build
 *  through one mangle cache so that the same private name gets the same short name everywhere. */
let manglePlan = null;
function mangleOptions() {
  if (!manglePlan) {
    const names = mangledMemberNames();
    manglePlan = { re: names.length ? new RegExp('^(' + names.join('|') + ')$') : null, cache: shortMemberNames(names) };
  }
  return manglePlan;
}

/**
 * The short name of each mangled member: "_" and one or two characters. Never a bare letter: an application
 * that puts a property of its own on a socket (`s.n = 1`) must not overwrite one of the layer's methods;
 * names starting with "_" are the layer's own (the README says so).
 */
export function shortMemberNames(names) {
  const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$';
  const cache = {};
  let i = 0;
  for (const n of names) {
    const k = i++;
    cache[n] = '_' + (k < ALPHABET.length ? ALPHABET[k] : ALPHABET[Math.floor(k / ALPHABET.length) - 1] + ALPHABET[k % ALPHABET.length]);
  }
  return cache;
}

async function bundleEspruino(entry, minify, outName, extra) {
  const mangle = mangleOptions();
  const x = extra || {};
  try {
    const r = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: x.stdin ? undefined : [entry],
      stdin: x.stdin,
      plugins: x.plugins || [],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2017',
      supported: ESPRUINO_SUPPORTED,
      minify,
      // Strings are byte strings on the board: a character 0x80-0xFF (a byte, e.g. SHA-256's padding '\x80')
      // must reach Espruino as the escape \x80, not as its two UTF-8 bytes (C2 80), which Espruino reads as
      // two characters. Characters above 0xFF have no byte form: the checker refuses them in device code.
      charset: 'ascii',
      legalComments: 'none',
      sourcemap: 'external',
      sourcesContent: false,
      outfile: path.join(ESPRUINO_OUT, outName + (minify ? '.js' : '.debug.js')),
      tsconfigRaw: TS_RAW,
      define: ESPRUINO_DEFINE,
      logLevel: 'silent',
      mangleProps: minify && mangle.re ? mangle.re : undefined,
      mangleCache: minify && mangle.re ? mangle.cache : undefined,
    });
    if (minify && r.mangleCache) mangle.cache = r.mangleCache;
    const js = r.outputFiles.find((f) => f.path.endsWith('.js'));
    const map = r.outputFiles.find((f) => f.path.endsWith('.map'));
    return { code: js.text, map: JSON.parse(map.text), warnings: r.warnings };
  } catch (e) {
    throw esbuildFailure(e, 'esbuild (Espruino module ' + outName + ')');
  }
}

/** `file:line:col` of a generated position, through the source map. */
function locate(map, line, column) {
  const o = originalPosition(decodeSourceMap(map), line, column);
  return o ? rel(path.resolve(OUT, o.source)) + ':' + o.line + ':' + (o.column + 1) : '';
}

/**
 * Builds one Storage module: build/out/espruino/<name>.js (+ map) and <name>.debug.js (+ map) from `entry`,
 * after the checks. Returns { name, code, debugCode, map, bytes, gzipBytes, exported, warnings }. Throws a
 * BuildError on any violation.
 */
export async function buildEspruinoModule(name, entry, opts = {}) {
  const outDir = opts.outDir || ESPRUINO_OUT;
  const write = opts.write !== false;

  const debug = await bundleEspruino(entry, false, name, opts.bundle);
  const helpers = findHelpers(debug.code);
  if (helpers.length) {
    const details = [];
    for (const h of helpers) {
      const where = helperUse(debug.code, debug.map, h);
      details.push((where ? where + ': ' : '') + 'esbuild emitted the runtime helper ' + h + ' (the construct that needs it does not run on Espruino)');
    }
    throw new BuildError('esbuild emitted runtime helpers into the Espruino module ' + name, details);
  }
  const min = await bundleEspruino(entry, true, name, opts.bundle);

  const results = [];
  const warnings = [];
  for (const [b, file] of [[debug, name + '.debug.js'], [min, name + '.js']]) {
    const mod = toEspruinoModule(b.code, b.map);
    const mapForCheck = Object.assign({}, mod.map, {
      sources: mod.map.sources.map((s) => path.relative(process.cwd(), path.resolve(outDir, s))),
    });
    const { violations, warnings: w } = checkEspruinoSyntax(mod.code, { sourceMap: mapForCheck });
    if (file === name + '.js') for (const v of w) warnings.push(formatViolation(v, rel(path.join(outDir, file))));
    if (violations.length) {
      const f = rel(path.join(outDir, file));
      throw new BuildError(violations.length + ' Espruino violation' + (violations.length > 1 ? 's' : '') + ' in ' + f,
        violations.map((v) => formatViolation(v, f)));
    }
    results.push({ file, mod });
  }

  if (write) {
    fs.mkdirSync(outDir, { recursive: true });
    for (const { file, mod } of results) {
      fs.writeFileSync(path.join(outDir, file), mod.code);
      fs.writeFileSync(path.join(outDir, file + '.map'), JSON.stringify(mod.map));
    }
  }
  const code = results[1].mod.code;
  const bytes = Buffer.byteLength(code);
  const gzipBytes = zlib.gzipSync(Buffer.from(code), { level: 9 }).length;
  return { name, code, debugCode: results[0].mod.code, map: results[1].mod.map, bytes, gzipBytes, exported: results[1].mod.exported, warnings };
}

/**
 * Builds the Espruino modules: with `entry`, that one as the core "spwf04" only; otherwise every module of
 * ESPRUINO_MODULES into build/out/espruino/. Returns the core's result with `modules` (every module's
 * result) and `totalBytes`.
 */
export async function buildEspruino(opts = {}) {
  const list = opts.entry ? [{ name: 'spwf04', entry: opts.entry }] : ESPRUINO_MODULES;
  if (!opts.entry && opts.write !== false && fs.existsSync(ESPRUINO_OUT)) fs.rmSync(ESPRUINO_OUT, { recursive: true, force: true });
  const modules = [];
  if (opts.entry) {
    modules.push(await buildEspruinoModule('spwf04', opts.entry, opts));
  } else {
    const share = await planSharing(list[0].entry, list.slice(1).map((m) => m.entry));
    modules.push(await buildEspruinoModule(list[0].name, list[0].entry, Object.assign({}, opts, { bundle: share.core })));
    for (const m of list.slice(1)) {
      modules.push(await buildEspruinoModule(m.name, m.entry, Object.assign({}, opts, { bundle: share.feature })));
    }
  }
  const core = modules[0];
  let totalBytes = 0;
  for (const m of modules) totalBytes += m.bytes;
  return Object.assign({}, core, { modules, totalBytes, warnings: [].concat.apply([], modules.map((m) => m.warnings)) });
}

// ---- what the optional modules take from the core ----------------------------------------------------

/** The TypeScript file an import path names (relative to ROOT), or null. */
function resolveSource(fromDir, spec) {
  if (spec[0] !== '.') return null;
  const base = path.resolve(fromDir, spec);
  for (const cand of [base + '.ts', path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(cand) && fs.statSync(cand).isFile()) return path.relative(ROOT, cand).split(path.sep).join('/');
  }
  return null;
}

/** The files of a bundle (relative to ROOT), from esbuild's metafile. */
async function bundleInputs(entry) {
  const r = await esbuild.build({
    absWorkingDir: ROOT, entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'neutral', target: 'es2017',
    supported: ESPRUINO_SUPPORTED, tsconfigRaw: TS_RAW, define: ESPRUINO_DEFINE, metafile: true, logLevel: 'silent', outfile: path.join(OUT, 'probe.js'),
  });
  return Object.keys(r.metafile.inputs).filter((f) => f.endsWith('.ts'));
}

/** What `file` takes from other files: [{ from, name }] (named imports, and `ns.name` of namespace imports). */
/** A source file as JavaScript (types stripped), parsed; read once per build for the sharing plan. */
const moduleAsts = {};
async function moduleAst(file) {
  if (moduleAsts[file]) return moduleAsts[file];
  const r = await esbuild.transform(fs.readFileSync(path.join(ROOT, file), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2017', tsconfigRaw: TS_RAW, logLevel: 'silent' });
  return (moduleAsts[file] = acorn.parse(r.code, { ecmaVersion: 'latest', sourceType: 'module' }));
}

async function importsOf(file) {
  const abs = path.join(ROOT, file);
  const ast = await moduleAst(file);
  const out = [];
  const namespaces = {};
  for (const n of ast.body) {
    if ((n.type === 'ImportDeclaration' || n.type === 'ExportNamedDeclaration' || n.type === 'ExportAllDeclaration') && n.source) {
      const from = resolveSource(path.dirname(abs), n.source.value);
      if (!from) continue;
      for (const sp of n.specifiers || []) {
        if (sp.type === 'ImportNamespaceSpecifier') namespaces[sp.local.name] = from;
        else if (sp.type === 'ImportSpecifier') out.push({ from, name: sp.imported.name });
        else if (sp.type === 'ExportSpecifier') out.push({ from, name: sp.local.name });
      }
    }
  }
  (function walk(n) {
    if (!n || typeof n.type !== 'string') return;
    if (n.type === 'MemberExpression' && !n.computed && n.object.type === 'Identifier' && namespaces[n.object.name]) {
      out.push({ from: namespaces[n.object.name], name: n.property.name });
    }
    for (const k of Object.keys(n)) {
      const v = n[k];
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v.type === 'string') walk(v);
    }
  })(ast);
  return out;
}

/** Exported names of a file that the file itself uses (so that the core holds them when it holds what
 *  uses them, e.g. sha256 behind sha256Hex). */
/** The `export const NAME = <number>` of a source file whose top level only declares (a copy of a file that
 *  runs a statement at load, e.g. a prototype assignment, would keep all of it). */
async function numberConstants(file) {
  const out = new Set();
  const ast = await moduleAst(file);
  const numbers = new Set();
  for (const n of ast.body) {
    if (n.type === 'ExportNamedDeclaration' && !n.declaration) {
      for (const sp of n.specifiers) if (numbers.has(sp.local.name)) out.add(sp.exported.name);
      continue;
    }
    const d = n.type === 'ExportNamedDeclaration' ? n.declaration : n;
    if (d.type === 'ImportDeclaration' || d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') continue;
    if (d.type !== 'VariableDeclaration') return new Set(); // a statement run at load
    for (const v of d.declarations) {
      if (v.init && v.init.type === 'Literal' && typeof v.init.value === 'number') {
        numbers.add(v.id.name);
        if (n.type === 'ExportNamedDeclaration') out.add(v.id.name);
      } else if (v.init && !/^(Literal|ArrowFunctionExpression|FunctionExpression|ClassExpression|TemplateLiteral)$/.test(v.init.type)) {
        return new Set(); // an initialiser that may run code
      }
    }
  }
  return out;
}

function usedInOwnFile(file) {
  const code = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out = [];
  const re = /export (?:function|const|let|class) ([A-Za-z_$][\w$]*)/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    const uses = code.split(new RegExp('\\b' + m[1].replace(/\$/g, '\\$') + '\\b')).length - 1;
    if (uses > 1) out.push(m[1]);
  }
  return out;
}

/**
 * The optional modules take what the core already holds from the core itself instead of bundling copies:
 * a class or function of a core file that the core's own code uses (so it is in the core bundle anyway) is
 * reached through the core's `$(key)` (one function with a switch: code in flash, no table); anything
 * else of that file is bundled into the optional module. Returns the esbuild options of the core's build
 * (an entry that adds `$`) and of the optional modules' (a plugin).
 */
async function planSharing(coreEntry, featureEntries) {
  const coreFiles = new Set(await bundleInputs(coreEntry));
  const inCore = new Set();
  for (const f of coreFiles) {
    for (const i of await importsOf(f)) if (coreFiles.has(i.from)) inCore.add(i.from + ':' + i.name);
    for (const n of usedInOwnFile(f)) inCore.add(f + ':' + n);
  }
  for (const f of Object.keys(KEPT_IN_CORE)) {
    coreFiles.add(f);
    for (const n of KEPT_IN_CORE[f]) inCore.add(f + ':' + n);
  }
  // From each optional module's entry: its own files, and the copies of core files it needs for names the
  // core does not hold; a name the core holds is shared (taken through `$`) and not followed further.
  const wanted = new Set();
  const users = {};
  const importCache = {};
  const importsCached = async (f) => importCache[f] || (importCache[f] = await importsOf(f));
  const numberCache = {};
  const numbersCached = async (f) => numberCache[f] || (numberCache[f] = await numberConstants(f));
  for (const e of featureEntries) {
    const seen = new Set();
    const work = [path.relative(ROOT, path.resolve(ROOT, e)).split(path.sep).join('/')];
    while (work.length) {
      const f = work.pop();
      if (seen.has(f)) continue;
      seen.add(f);
      for (const i of await importsCached(f)) {
        if (coreFiles.has(i.from)) {
          (users[i.from] = users[i.from] || new Set()).add(i.name);
          // A number constant is copied, not shared: the module's bundle inlines it where `$` would cost a
          // variable.
          if (inCore.has(i.from + ':' + i.name) && !(await numbersCached(i.from)).has(i.name)) {
            wanted.add(i.from + ':' + i.name);
            continue;
          }
        }
        work.push(i.from);
      }
    }
  }
  const keys = Array.from(wanted).sort();
  const lines = ["export * from './" + coreEntry.replace(/\.ts$/, '') + "';"];
  keys.forEach((k, i) => {
    const [file, name] = k.split(':');
    lines.push('import { ' + name + ' as s' + i + " } from './" + file.replace(/\.ts$/, '') + "';");
  });
  lines.push('/** What the optional Storage modules take from the core (build/build.mjs planSharing). */');
  lines.push('export function $(key: string): any {');
  lines.push('  switch (key) {');
  keys.forEach((k, i) => lines.push('    case ' + JSON.stringify(k) + ': return s' + i + ';'));
  lines.push('  }');
  lines.push('  throw new Error("spwf04: the core has no " + key + " (optional modules from another build?)");');
  lines.push('}');
  const core = { stdin: { contents: lines.join('\n') + '\n', resolveDir: ROOT, sourcefile: 'spwf04-core.ts', loader: 'ts' } };
  const plugin = {
    name: 'spwf04-share-core',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.pluginData && args.pluginData.own) return undefined;
        const file = resolveSource(args.resolveDir, args.path);
        if (!file || !coreFiles.has(file)) return undefined;
        return { path: file, namespace: 'spwf04-core' };
      });
      b.onResolve({ filter: /\?own$/ }, (args) => ({ path: path.join(ROOT, args.path.slice(0, -4)), pluginData: { own: true } }));
      // One binding of the core's `$` per module, however many core files it takes names from.
      b.onResolve({ filter: /^spwf04-core-\$$/ }, () => ({ path: 'spwf04-core-$', namespace: 'spwf04-core-$' }));
      b.onLoad({ filter: /.*/, namespace: 'spwf04-core-$' }, () => ({ contents: 'export const $ = ' + REQUIRE_ALIAS + '("spwf04").$;\n', loader: 'js', resolveDir: ROOT }));
      b.onLoad({ filter: /.*/, namespace: 'spwf04-core' }, async (args) => {
        const names = Array.from(users[args.path] || []);
        const shared = names.filter((n) => wanted.has(args.path + ':' + n));
        const own = names.filter((n) => !wanted.has(args.path + ':' + n));
        const out = [];
        if (shared.length) out.push('import { $ } from "spwf04-core-$";');
        // Pure: the names another optional module takes from this file drop out of this one's bundle.
        for (const n of shared) out.push('export const ' + n + ' = /* @__PURE__ */ $(' + JSON.stringify(args.path + ':' + n) + ');');
        if (own.length) out.push('export { ' + own.join(', ') + ' } from ' + JSON.stringify(args.path + '?own') + ';');
        return { contents: out.join('\n') + '\n', loader: 'js', resolveDir: ROOT };
      });
    },
  };
  return { core, feature: { plugins: [plugin] }, keys };
}

/** Source location of the first use of a helper in an unminified bundle. */
function helperUse(code, map, name) {
  const i = code.indexOf(name + '(');
  if (i < 0) return '';
  const before = code.slice(0, i);
  const line = before.split('\n').length;
  const column = i - before.lastIndexOf('\n') - 1;
  return locate(map, line, column);
}

// ---- every device source, file by file ------------------------------------------------------------

/** Device sources: every .ts file under src/ and hosts/espruino (bundled or not yet). */
export function deviceSources(dirs = ['src', 'hosts/espruino']) {
  const out = [];
  for (const d of dirs) {
    const abs = path.join(ROOT, d);
    if (!fs.existsSync(abs)) continue;
    (function walk(dir) {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
      }
    })(abs);
  }
  return out.sort();
}

/**
 * Removes import/export syntax from one transpiled ES module so that it can be checked as an Espruino
 * script: imports go (their names become free), `export` prefixes go, export lists go.
 */
export function stripModuleSyntax(code, map) {
  const ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
  const edits = [];
  for (const n of ast.body) {
    if (n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration') edits.push({ start: n.start, end: n.end, text: '' });
    else if (n.type === 'ExportNamedDeclaration') {
      if (n.declaration) edits.push({ start: n.start, end: n.declaration.start, text: '' });
      else edits.push({ start: n.start, end: n.end, text: '' });
    } else if (n.type === 'ExportDefaultDeclaration') {
      const d = n.declaration;
      const named = (d.type === 'FunctionDeclaration' || d.type === 'ClassDeclaration') && d.id;
      edits.push({ start: n.start, end: d.start, text: named ? '' : 'var __default = ' });
    }
  }
  return applyEdits(code, map, edits);
}

/**
 * Checks every device source on its own (transpiled exactly as for the bundle), so that code that is not
 * yet reachable from the entry is held to the same rules. Returns formatted violations.
 */
export async function checkDeviceSources(files = deviceSources(), warnings = []) {
  const problems = [];
  for (const file of files) {
    const name = rel(file);
    let r;
    try {
      r = await esbuild.transform(fs.readFileSync(file, 'utf8'), {
        loader: 'ts', format: 'esm', target: 'es2017', supported: ESPRUINO_SUPPORTED, tsconfigRaw: TS_RAW,
        sourcemap: 'external', sourcefile: name, charset: 'ascii', logLevel: 'silent',
      });
    } catch (e) {
      problems.push.apply(problems, esbuildFailure(e, 'esbuild').details);
      continue;
    }
    const helpers = findHelpers(r.code);
    for (const h of helpers) problems.push(name + ': esbuild needs the runtime helper ' + h + ' for this file (the construct that needs it does not run on Espruino)');
    const stripped = stripModuleSyntax(r.code, JSON.parse(r.map));
    const res = checkEspruinoSyntax(stripped.code, { sourceMap: stripped.map });
    for (const v of res.violations) problems.push(formatViolation(v, name + ' (transpiled)'));
    for (const v of res.warnings) warnings.push(formatViolation(v, name + ' (transpiled)'));
  }
  return problems;
}

// ---- Moddable ----------------------------------------------------------------------------------

/** Modules that the Moddable runtime provides (left as imports). */
export const MODDABLE_EXTERNALS = ['embedded:*', 'timer', 'time', 'preference', 'flash', 'file', 'mc/*', 'instrumentation', 'debug'];

export async function buildModdable(opts = {}) {
  const outDir = opts.outDir || path.join(OUT, 'moddable');
  try {
    const r = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { spwf04: opts.entry || 'hosts/moddable/index.ts' },
      bundle: true,
      write: opts.write !== false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      external: MODDABLE_EXTERNALS,
      outdir: outDir,
      legalComments: 'none',
      charset: 'ascii',
      tsconfigRaw: TS_RAW,
      logLevel: 'silent',
    });
    return { files: r.outputFiles ? r.outputFiles.map((f) => f.path) : [path.join(outDir, 'spwf04.js')] };
  } catch (e) {
    throw esbuildFailure(e, 'esbuild (Moddable module)');
  }
}

// ---- Node CLI ----------------------------------------------------------------------------------

/** The package's dependencies (kept external in the CLI bundle) plus Node's built-ins. */
function nodeExternals() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const deps = Object.keys(Object.assign({}, pkg.dependencies, pkg.optionalDependencies, pkg.peerDependencies));
  const out = [];
  for (const d of deps) out.push(d, d + '/*');
  return out;
}

export async function buildNode(opts = {}) {
  const entry = opts.entry || 'hosts/node/cli.ts';
  const outfile = opts.outfile || path.join(OUT, 'spwf04.js');
  if (!fs.existsSync(path.resolve(ROOT, entry))) {
    throw new BuildError('the Node CLI entry ' + entry + ' does not exist');
  }
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      banner: { js: '#!/usr/bin/env node' },
      external: nodeExternals(),
      sourcemap: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
  } catch (e) {
    throw esbuildFailure(e, 'esbuild (Node CLI)');
  }
  fs.chmodSync(outfile, 0o755);
  return { outfile };
}

// ---- main --------------------------------------------------------------------------------------

export async function main(argv) {
  const nodeOnly = argv.includes('--node-only');
  const t0 = Date.now();
  try {
    if (!nodeOnly) {
      typeCheck('tsconfig.device.json');
      console.log('type check (Espruino lib): ok');
      const searches = checkStringSearch();
      if (searches.length) throw new BuildError('string searches Espruino gets wrong in the device sources', searches);
      console.log('string searches Espruino gets wrong (build/check-string-search.mjs): none');
      typeCheck('tsconfig.moddable.json');
      console.log('type check (Moddable typings): ok');
      const files = deviceSources();
      const warnings = [];
      const problems = await checkDeviceSources(files, warnings);
      for (const w of warnings) console.warn('warning: ' + w);
      if (problems.length) throw new BuildError('Espruino violations in the device sources', problems);
      console.log('Espruino syntax check of every device source: ok (' + files.length + ' files)');
      const e = await buildEspruino();
      for (const w of e.warnings) console.warn('warning: ' + w);
      console.log('Espruino Storage modules in ' + rel(ESPRUINO_OUT) + ' (Espruino syntax check: ok):');
      for (const m of e.modules) {
        console.log('  ' + (m.name + '.js').padEnd(20) + String(m.bytes).padStart(7) + ' bytes  ' + String(m.gzipBytes).padStart(6) +
          ' gzipped  exports ' + m.exported.join(', '));
      }
      const kb = (n) => (n / 1024).toFixed(1) + ' KB';
      console.log('  core ' + kb(e.bytes) + ' (budget ' + kb(BUDGETS.coreBytes) + '), all modules ' + kb(e.totalBytes) +
        ' (budget ' + kb(BUDGETS.totalBytes) + '); variables on the real engine: npm run device:memory');
      if (e.bytes > BUDGETS.coreBytes || e.totalBytes > BUDGETS.totalBytes) console.warn('warning: the device build is over its size budget');
      await buildModdable();
      console.log(rel(path.join(OUT, 'moddable', 'spwf04.js')) + ': ok');
    }
    const n = await buildNode();
    console.log(rel(n.outfile) + ': ok');
    console.log('build done in ' + (Date.now() - t0) + ' ms');
    return 0;
  } catch (e) {
    if (e instanceof BuildError) {
      for (const d of e.details) console.error(d);
      console.error('BUILD FAILED: ' + e.message);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
