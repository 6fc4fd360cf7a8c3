// The Espruino syntax checker: every rule fires on a snippet that breaks it, a clean snippet passes, the
// load-order rule follows Espruino's no-hoisting semantics, and positions map back through source maps.

import { strict as assert } from 'assert';
import { checkEspruinoSyntax, formatViolation, RULES } from '../../build/check-espruino-syntax.mjs';

function rules(code: string): string[] {
  const r = checkEspruinoSyntax(code);
  return r.violations.concat(r.warnings).map((v) => v.rule);
}

function expectRule(code: string, rule: string): void {
  const found = rules(code);
  assert.ok(found.includes(rule), 'expected [' + rule + '] for ' + JSON.stringify(code) + ', got ' + JSON.stringify(found));
}

describe('Espruino syntax checker', function () {
  it('passes code written in the Espruino subset', function () {
    const clean = [
      'var a = 1, s = "x";',
      'function f(x, y) { return x + y + a; }',
      'const o = { b: f(1, 2), get c() { return 1; }, m() { return this.b; }, "k": 1, 2: 3, of: 4, a };',
      'class A { constructor(h) { this.h = h; } get v() { return 1; } static s() { return 2; } m() { return this.h; } }',
      'class B extends A { constructor() { super(1); } }',
      'let t = `x${a}y`; const n = a ?? 0; o.of = 1;',
      'for (const x of [1, 2]) f(x, 1); for (const k in o) f(k, 1);',
      'for (let i = 0; i < 3; i++) { const j = i; setTimeout(function () { f(j, 0); }, 1); }',
      'try { f(1, 2); } catch { a = 2; } finally { a = 3; }',
      'switch (a) { case 1: break; default: a = 0; }',
      'new Promise(function (r) { r(1); }).then(function (v) { return v; });',
      'var r = /a+b/gi; if (typeof missing === "undefined") a = 0;',
      'var arrow = (p, q) => p * q; Math.pow(2, 3); Object.assign({}, o); [1].includes(1);',
    ].join('\n');
    assert.deepEqual(checkEspruinoSyntax(clean).violations, []);
  });

  const cases: [string, string, string][] = [
    ['default-param', 'function f(a = 1) { return a; }', 'default parameter'],
    ['default-param', 'var f = (a, b = 2) => a + b;', 'default parameter on an arrow'],
    ['rest-param', 'function f(...a) { return a; }', 'rest parameter'],
    ['spread', 'f(...a);', 'spread in a call'],
    ['spread', 'var b = [...a];', 'spread in an array'],
    ['spread', 'var b = { ...a };', 'spread in an object'],
    ['spread', 'var b = new F(...a);', 'spread in new'],
    ['destructuring', 'function f({ a }) { return a; }', 'destructuring parameter'],
    ['destructuring', 'var [a, b] = c;', 'destructuring declaration (array)'],
    ['destructuring', 'let { x } = c;', 'destructuring declaration (object)'],
    ['destructuring', 'for (const [k, v] of m) f(k, v);', 'destructuring in for-of'],
    ['destructuring', '[a, b] = [b, a];', 'destructuring assignment'],
    ['optional-chaining', 'var x = a?.b;', 'optional member'],
    ['optional-chaining', 'a?.();', 'optional call'],
    ['async', 'async function f() { await g(); }', 'async function'],
    ['async', 'var f = async () => 1;', 'async arrow'],
    ['async', 'class A { async m() {} }', 'async method'],
    ['generator', 'function* g() { yield 1; }', 'generator'],
    ['exponent', 'var x = a ** 2;', '**'],
    ['exponent', 'a **= 2;', '**='],
    ['logical-assignment', 'a ??= 1;', '??='],
    ['logical-assignment', 'a ||= 1;', '||='],
    ['logical-assignment', 'a &&= 1;', '&&='],
    ['computed-key', 'var o = { [k]: 1 };', 'computed key in an object literal'],
    ['computed-key', 'class A { [k]() {} }', 'computed method name'],
    ['label', 'outer: for (;;) { break outer; }', 'label'],
    ['tagged-template', 'tag`x`;', 'tagged template'],
    ['tagged-template', 'String.raw`x`;', 'String.raw'],
    ['private-field', 'class A { #x = 1; m() { return this.#x; } }', 'private field'],
    ['new-target', 'function F() { return new.target; }', 'new.target'],
    ['bigint', 'var x = 10n;', 'BigInt literal'],
    ['extends-error', 'class E extends Error {}', 'class extends Error'],
    ['extends-error', 'class E extends TypeError { constructor(m) { super(m); } }', 'class extends TypeError'],
    ['class-extends', 'class A extends ns.B {}', 'extends an expression'],
    ['class-member-name', 'class A { delete() {} }', 'reserved word as a method name'],
    ['class-member-name', 'class A { "quoted"() {} }', 'string method name'],
    ['static-block', 'class A { static { init(); } }', 'static block'],
    ['field-this', 'class A { x = this.y; }', 'field initializer using this'],
    ['reserved-identifier', 'var of = 1;', '`of` as a variable'],
    ['reserved-identifier', 'function f(undefined) {}', '`undefined` as a parameter'],
    ['case-after-default', 'switch (a) { default: break; case 1: break; }', 'case after default'],
    ['nested-new', 'var x = new new F()();', 'new new'],
    ['for-in-target', 'for (o.k in p) {}', 'member expression before in'],
    ['dynamic-import', 'import("x");', 'import()'],
    ['regexp', 'var r = /(?<y>a)/;', 'named group'],
    ['regexp', 'var r = /(?<=a)b/;', 'lookbehind'],
    ['regexp', 'var r = /a/u;', 'u flag'],
    ['regexp', 'var r = /^a/m;', 'm flag (ignored by Espruino)'],
    ['non-byte-string', 'var s = "caf\\u00e9 \\u2192";', 'a character above 0xFF'],
    ['missing-global', 'var m = new Map();', 'Map'],
    ['missing-global', 'var s = Symbol("x");', 'Symbol'],
    ['missing-global', 'queueMicrotask(f);', 'queueMicrotask'],
    ['missing-global', 'throw new RangeError("x");', 'RangeError'],
    ['missing-builtin', 'var a = Array.from(s);', 'Array.from'],
    ['missing-builtin', 'Object.freeze(o);', 'Object.freeze'],
    ['missing-builtin', 'Number.isInteger(1);', 'Number.isInteger'],
    ['missing-builtin', 'Math.trunc(1.5);', 'Math.trunc'],
    ['missing-builtin', 'p.finally(f);', 'Promise.prototype.finally'],
    ['missing-builtin', 'Promise.race([p]);', 'Promise.race'],
    ['missing-builtin', 's.trimStart();', 'String.prototype.trimStart'],
    ['loop-closure', 'for (let i = 0; i < 3; i++) fs.push(function () { return i; });', 'closure over a for-let'],
    ['loop-closure', 'for (const x of xs) fs.push(() => x);', 'closure over a for-of const'],
    ['regexp-quantifier', 'var r = /^[0-9a-f]{32}$/;', 'a counted repetition {n}'],
    ['regexp-quantifier', 'var r = /(\\d{1,3})\\s*%/;', 'a counted repetition {n,m} (the FOTA progress pattern)'],
    ['regexp-quantifier', 'var r = /ab?c/;', 'an optional character ?'],
    ['regexp-quantifier', 'var r = /^[0-9A-F][0-9A-F](:[0-9A-F][0-9A-F])*$/;', 'a quantified group (the hex SSID pattern)'],
    ['regexp-quantifier', 'var r = /a.*?b/;', 'a lazy quantifier'],
    ['regexp-quantifier', 'var r = new RegExp("^x{2}$");', 'a counted repetition in new RegExp("...")'],
    ['regexp', 'var r = /(a)\\1/;', 'a backreference'],
    ['regexp-alternation', 'var r = /^AT-S\\.(OK|ERROR)/;', 'an alternation in a group after anchored text'],
    ['regexp-alternation', 'var r = /^a(?:b|cd)/;', 'an alternation in a non-capturing group after anchored text'],
    ['regexp-alternation', 'var r = /^\\s+|\\s+$/g;', 'an alternation at the top of an anchored pattern (a trim)'],
    ['length-assign', 'var q = [1]; q.length = 0;', 'truncating an array through its length'],
    ['parse', 'var = ;', 'a syntax error'],
    ['parse', 'import x from "y";', 'an ES module'],
  ];

  for (const [rule, code, what] of cases) {
    it('rejects ' + what + ' [' + rule + ']', function () {
      expectRule(code, rule);
    });
  }

  it('accepts the RegExp forms Espruino runs: * and + after one character, class or escape; groups; alternation', function () {
    assert.deepEqual(checkEspruinoSyntax('var a = /^[0-9a-f]+$/i, b = /\\s*x\\d+/g, c = /^(GET|POST)$/, d = /[?{}]\\?/, e = /x(ab|c)/, f = /^[(]a\\(b\\|c\\)/;').violations, []);
  });

  it('reads a `]` first in a character class as one of its characters (the class does not end there)', function () {
    const v = checkEspruinoSyntax('var r = /^[]|](c|d)/;').violations;
    assert.deepEqual(v.map((x) => x.rule), ['regexp-alternation']);
    assert.match(v[0]!.message, /alternation in the group at 5, after `\^\[\]\|\]`/);
  });

  it('has a test for every rule', function () {
    const tested = new Set(cases.map((c) => c[0]).concat(['use-before-define']));
    assert.deepEqual(Object.keys(RULES).filter((r) => !tested.has(r)), []);
  });

  it('accepts bytes 0x80-0xFF in strings (the build writes them as \\x escapes) and refuses characters above 0xFF', function () {
    assert.deepEqual(checkEspruinoSyntax('var s = "\\x80\\xff";').violations, []);
    assert.deepEqual(checkEspruinoSyntax('var s = "\\u2026";').violations.map((v) => v.rule), ['non-byte-string']);
  });

  it('does not flag a local variable that shadows a missing global', function () {
    assert.deepEqual(rules('function f(Map) { return new Map(); }'), []);
  });

  it('reports the line and column of each violation, with its rule', function () {
    const { violations } = checkEspruinoSyntax('var a = 1;\nvar b = a ** 2;\n');
    assert.equal(violations.length, 1);
    assert.equal(violations[0].line, 2);
    assert.equal(violations[0].column, 8);
    assert.match(formatViolation(violations[0], 'x.js'), /^x\.js:2:9: \[exponent\] /);
  });

  it('maps violations back to the source through a source map', function () {
    // Generated line 1 column 0 comes from src/a.ts line 5 column 2 (0-based: line 4, col 2).
    const map = { version: 3, sources: ['src/a.ts'], names: [], mappings: 'AAIE' };
    const { violations } = checkEspruinoSyntax('a?.b;', { sourceMap: map });
    assert.equal(violations[0].source!.source, 'src/a.ts');
    assert.equal(violations[0].source!.line, 5);
    assert.match(formatViolation(violations[0], 'out.js'), /^src\/a\.ts:5:3: \[optional-chaining\] .*\(generated out\.js:1:1\)$/);
  });

  describe('load order (Espruino hoists neither function declarations nor var)', function () {
    it('rejects a call to a function declared further down', function () {
      expectRule('f();\nfunction f() {}', 'use-before-define');
    });

    it('rejects a write to a var before its declaration', function () {
      expectRule('x = 5;\nvar x;', 'use-before-define');
    });

    it('rejects a var used in its own initializer', function () {
      expectRule('var a = a || {};', 'use-before-define');
    });

    it('rejects a class instantiated before its declaration', function () {
      expectRule('var c = new C();\nclass C {}', 'use-before-define');
    });

    it('rejects a use reached through a function called at load time', function () {
      const v = checkEspruinoSyntax('function f() { return g(); }\nvar r = f();\nfunction g() { return 1; }').violations;
      assert.deepEqual(v.map((x) => x.rule), ['use-before-define']);
      assert.equal(v[0].related!.line, 2);
    });

    it('follows constructors and superclass constructors run at load time', function () {
      expectRule('class A { constructor() { this.x = later(); } }\nclass B extends A {}\nvar b = new B();\nfunction later() {}', 'use-before-define');
    });

    it('rejects a var declared only inside a branch and used after it', function () {
      expectRule('if (c) { var x = 1; }\nf(x);', 'use-before-define');
    });

    it('checks the top level of the bundle\'s wrapper function too', function () {
      expectRule('(function () {\n  h();\n  function h() {}\n})();', 'use-before-define');
      expectRule('(() => { var y = z; var z = 1; })();', 'use-before-define');
    });

    it('accepts uses inside function bodies that run later', function () {
      assert.deepEqual(rules('function f() { return g(); }\nfunction g() { return 1; }\nvar r = f();'), []);
      assert.deepEqual(rules('var o = { m: function () { return later(); } };\nfunction later() {}'), []);
      assert.deepEqual(rules('setTimeout(function () { later(); }, 1);\nfunction later() {}'), []);
    });

    it('accepts globals, typeof checks and definitions that come first', function () {
      assert.deepEqual(rules('var k = Object.keys({});\nif (typeof later === "undefined") k = [];\nvar later = 1;'), []);
      assert.deepEqual(rules('for (var i = 0; i < 2; i++) {}\nvar j = i;'), []);
    });
  });
});
