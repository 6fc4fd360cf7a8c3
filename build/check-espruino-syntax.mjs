// Espruino syntax checker: proves that a built bundle uses only what the Espruino interpreter runs.
//
//   node build/check-espruino-syntax.mjs <file.js> [--map <file.js.map>]
//
// Every violation is printed as `file:line:col: [rule] message`, mapped back to the TypeScript source
// through the source map when there is one, and the exit code is 1 when there is any.
//
// The rules come from ../shared/espruino-language.md (measured on Espruino 2v29) and from Espruino's
// parser (src/jsparse.c, src/jslex.c): see RULES below. The top-level rule exists because Espruino does
// not hoist: a function declaration or a `var` is defined only when execution reaches it, so code that
// runs while the module loads may only use what an earlier statement defined.

import * as acorn from 'acorn';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as url from 'node:url';
import { decodeMappings } from './source-map.mjs';

export const RULES = {
  'parse': 'the file does not parse as a script',
  'default-param': 'default parameters do not parse on Espruino',
  'rest-param': 'rest parameters do not parse on Espruino',
  'spread': 'spread `...` does not parse on Espruino (calls, arrays, objects, new)',
  'destructuring': 'destructuring does not work on Espruino (parse error in parameters and for-of, ReferenceError in declarations)',
  'optional-chaining': '`?.` does not parse on Espruino',
  'async': 'async/await does not exist on Espruino',
  'generator': 'generators do not parse on Espruino',
  'exponent': '`**` / `**=` do not parse on Espruino (use Math.pow)',
  'logical-assignment': '`??=`, `||=`, `&&=` do not parse on Espruino',
  'computed-key': 'computed keys in object literals and classes do not parse on Espruino',
  'label': 'labels are not supported on Espruino (parsed as an expression: ReferenceError)',
  'tagged-template': 'tagged templates (and String.raw) do not parse on Espruino',
  'private-field': '#private members do not parse on Espruino',
  'new-target': 'new.target / import.meta do not parse on Espruino',
  'bigint': 'BigInt literals do not parse on Espruino',
  'extends-error': '`class X extends Error` is broken on Espruino (use a plain Error with a `code` field)',
  'class-extends': 'Espruino only accepts a plain identifier after `extends`',
  'class-member-name': 'Espruino only accepts a plain, non-reserved identifier as a class member name',
  'static-block': 'class static blocks do not parse on Espruino',
  'field-this': 'a class field initializer that uses `this` gets undefined on Espruino',
  'reserved-identifier': 'Espruino\'s lexer reserves this word (`of`, `static`, `let`; `undefined` cannot be bound)',
  'case-after-default': 'Espruino does not support `case` after `default` in a switch',
  'nested-new': 'Espruino does not support nested `new new X()`',
  'for-in-target': 'Espruino needs a variable name (not an expression) before `in`/`of` in a for loop',
  'dynamic-import': 'import() does not exist on Espruino',
  'regexp': 'a RegExp feature Espruino lacks (named groups, lookbehind, backreferences, flags other than g and i)',
  'regexp-alternation': 'in a pattern anchored with `^`, Espruino tries only the first alternative of a group that follows something matched (`/^a(b|cd)/` does not match "acd") and anchors every top-level alternative (`/^ab|cd/` does not match "xcd"; measured by test/device/string-search.test.ts): put the group first, write one pattern per alternative, or use indexOf',
  'regexp-quantifier': 'Espruino applies `*` and `+` to one character, class or escape only: `?`, `{n}`, `{n,m}`, a quantifier after a group and lazy quantifiers compile and then silently never match (use indexOf/charCodeAt)',
  'non-byte-string': 'a string with a character above 0xFF: STM32 builds of Espruino have byte strings (no Unicode) and the build writes escapes (\\u2026 would be cut to one byte): write its UTF-8 bytes as \\x escapes, or keep such text out of device code',
  'missing-global': 'this global does not exist on Espruino',
  'missing-builtin': 'this built-in method does not exist on Espruino',
  'length-assign': 'an array\'s length is read-only on Espruino (TypeError: Assignment to a constant): use splice(0) or a new array',
  'loop-closure': 'a closure captures a variable declared in a for-loop head; Espruino has no per-iteration binding, so every closure sees the last value (copy it into a const inside the loop body)',
  'use-before-define': 'used at load time before its definition (Espruino hoists neither function declarations nor var)',
};

/** Rules that only warn: the code runs, but differently from Node. */
export const WARNINGS = new Set([]);

/** Globals that do not exist on Espruino. */
const MISSING_GLOBALS = new Set([
  'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'Symbol', 'Proxy', 'Reflect',
  'BigInt', 'BigInt64Array', 'BigUint64Array', 'TextEncoder', 'TextDecoder', 'queueMicrotask',
  'setImmediate', 'clearImmediate', 'structuredClone', 'Intl', 'RangeError', 'URIError', 'EvalError',
  'AggregateError', 'SharedArrayBuffer', 'Atomics',
]);

/** Static members that do not exist on Espruino, by global. */
const MISSING_STATICS = {
  Array: ['from', 'of'],
  Object: ['freeze', 'isFrozen', 'seal', 'isSealed', 'is', 'hasOwn', 'groupBy', 'preventExtensions', 'isExtensible'],
  Number: ['isInteger', 'isFinite', 'isNaN', 'isSafeInteger', 'parseInt', 'parseFloat', 'MAX_SAFE_INTEGER', 'MIN_SAFE_INTEGER', 'EPSILON'],
  Math: ['trunc', 'imul', 'clz32', 'hypot', 'cbrt', 'log2', 'log10', 'log1p', 'fround', 'expm1', 'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh'],
  Date: ['UTC'],
  Promise: ['race', 'allSettled', 'any', 'withResolvers'],
  String: ['raw', 'fromCodePoint'],
  ArrayBuffer: ['isView'],
  Uint8Array: ['from', 'of', 'BYTES_PER_ELEMENT'],
  Int8Array: ['from', 'of', 'BYTES_PER_ELEMENT'],
  Uint8ClampedArray: ['from', 'of', 'BYTES_PER_ELEMENT'],
  Uint16Array: ['from', 'of', 'BYTES_PER_ELEMENT'],
  Int16Array: ['from', 'of', 'BYTES_PER_ELEMENT'],
  Uint32Array: ['from', 'of', 'BYTES_PER_ELEMENT'],
  Int32Array: ['from', 'of', 'BYTES_PER_ELEMENT'],
  Float32Array: ['from', 'of', 'BYTES_PER_ELEMENT'],
  Float64Array: ['from', 'of', 'BYTES_PER_ELEMENT'],
};

/** Instance methods that exist nowhere on Espruino, under names no Espruino built-in uses. */
const MISSING_METHODS = new Set([
  'finally', 'trimStart', 'trimEnd', 'trimLeft', 'trimRight', 'codePointAt', 'matchAll', 'localeCompare',
  'flatMap', 'findLast', 'findLastIndex', 'reduceRight', 'copyWithin', 'toPrecision', 'toSorted',
  'toReversed', 'toSpliced',
]);

const ERROR_CLASSES = new Set(['Error', 'TypeError', 'SyntaxError', 'ReferenceError', 'RangeError', 'EvalError', 'URIError', 'AggregateError']);

/** Espruino's lexer keywords (src/jslex.c). */
const ESPRUINO_KEYWORDS = new Set([
  'if', 'else', 'do', 'while', 'for', 'break', 'continue', 'function', 'return', 'var', 'let', 'const',
  'this', 'throw', 'try', 'catch', 'finally', 'true', 'false', 'null', 'undefined', 'new', 'in',
  'instanceof', 'switch', 'case', 'default', 'delete', 'typeof', 'void', 'debugger', 'class', 'extends',
  'super', 'static', 'of',
]);
/** Espruino keywords that JavaScript allows as identifiers somewhere. */
const RESERVED_IDENTIFIERS = new Set(['of', 'static', 'let']);

// ---- source maps -------------------------------------------------------------------------------

/** Decodes a v3 source map into per-line segment lists [genCol, srcIndex, srcLine, srcCol]. */
export function decodeSourceMap(map) {
  const m = typeof map === 'string' ? JSON.parse(map) : map;
  const lines = decodeMappings(m.mappings).map((segs) => segs.filter((s) => s.length >= 4).map((s) => s.slice(0, 4)));
  return { sources: m.sources || [], sourceRoot: m.sourceRoot || '', lines };
}

/** Original position of a generated (1-based line, 0-based column), or null. */
export function originalPosition(decoded, line, column) {
  const segs = decoded.lines[line - 1];
  if (!segs || !segs.length) return null;
  let best = null;
  for (const s of segs) {
    if (s[0] <= column) best = s;
    else break;
  }
  if (!best) best = segs[0];
  return { source: decoded.sources[best[1]], line: best[2] + 1, column: best[3] };
}

// ---- AST helpers -------------------------------------------------------------------------------

function isNode(v) {
  return v !== null && typeof v === 'object' && typeof v.type === 'string';
}

function children(node) {
  const out = [];
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end' || key === 'loc' || key === 'range') continue;
    const v = node[key];
    if (Array.isArray(v)) {
      for (const c of v) if (isNode(c)) out.push({ key, node: c });
    } else if (isNode(v)) out.push({ key, node: v });
  }
  return out;
}

const isFunction = (n) => n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';

/** Names bound by a pattern. */
function patternNames(p, out) {
  if (!p) return out;
  switch (p.type) {
    case 'Identifier': out.push(p); break;
    case 'ObjectPattern': for (const prop of p.properties) patternNames(prop.type === 'RestElement' ? prop.argument : prop.value, out); break;
    case 'ArrayPattern': for (const e of p.elements) patternNames(e, out); break;
    case 'RestElement': patternNames(p.argument, out); break;
    case 'AssignmentPattern': patternNames(p.left, out); break;
  }
  return out;
}

// ---- scopes -----------------------------------------------------------------------------------

class Scope {
  constructor(kind, node, parent) {
    this.kind = kind; // 'function' | 'block' | 'for' | 'catch' | 'class'
    this.node = node;
    this.parent = parent;
    this.decls = new Map(); // name -> Decl
  }
  lookup(name) {
    for (let s = this; s; s = s.parent) {
      const d = s.decls.get(name);
      if (d) return d;
    }
    return null;
  }
  functionScope() {
    let s = this;
    while (s.kind !== 'function') s = s.parent;
    return s;
  }
}

/**
 * Builds the scope tree. Returns a map node -> scope for every node that opens a scope, and records every
 * declaration with: kind ('var'|'let'|'const'|'function'|'class'|'param'|'catch'|'fname'), the node that
 * declares it, and `definedAt` (the source position from which it exists when code runs in order).
 */
function buildScopes(program) {
  const scopeOf = new Map();
  const root = new Scope('function', program, null);
  scopeOf.set(program, root);

  function declare(scope, id, kind, declNode, definedAt, extra) {
    if (!scope.decls.has(id.name) || kind === 'function') {
      scope.decls.set(id.name, Object.assign({ name: id.name, kind, id, declNode, definedAt, scope }, extra || {}));
    }
  }

  function visit(node, scope, parent) {
    let inner = scope;
    switch (node.type) {
      case 'FunctionDeclaration':
        declare(scope, node.id, 'function', node, node.start, { fn: node });
        inner = new Scope('function', node, scope);
        break;
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        inner = new Scope('function', node, scope);
        if (node.id) declare(inner, node.id, 'fname', node, -1, { fn: node });
        break;
      case 'ClassDeclaration':
        declare(scope, node.id, 'class', node, node.start, { cls: node });
        inner = new Scope('class', node, scope);
        break;
      case 'ClassExpression':
        inner = new Scope('class', node, scope);
        if (node.id) declare(inner, node.id, 'fname', node, -1, { cls: node });
        break;
      case 'BlockStatement':
        if (!(parent && isFunction(parent))) inner = new Scope('block', node, scope);
        break;
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
        inner = new Scope('for', node, scope);
        break;
      case 'SwitchStatement':
        inner = new Scope('block', node, scope);
        break;
      case 'CatchClause':
        inner = new Scope('catch', node, scope);
        for (const id of patternNames(node.param, [])) declare(inner, id, 'catch', node, -1);
        break;
      case 'VariableDeclaration': {
        const target = node.kind === 'var' ? scope.functionScope() : scope;
        for (const d of node.declarations) {
          let init = d.init;
          for (const id of patternNames(d.id, [])) {
            declare(target, id, node.kind, node, d.end, {
              declarator: d,
              fn: init && (init.type === 'FunctionExpression' || init.type === 'ArrowFunctionExpression') ? init : null,
              cls: init && init.type === 'ClassExpression' ? init : null,
            });
          }
        }
        break;
      }
    }
    if (inner !== scope) scopeOf.set(node, inner);
    if (isFunction(node)) {
      for (const p of node.params) for (const id of patternNames(p, [])) declare(inner, id, 'param', node, -1);
    }
    for (const c of children(node)) visit(c.node, inner, node);
  }
  visit(program, root, null);
  return { root, scopeOf };
}

// ---- the checker ------------------------------------------------------------------------------

/**
 * Checks `code` (a script). Returns { violations, warnings }: lists of {rule, message, pos, line, column}
 * sorted by position (warnings are the rules in WARNINGS). `opts.sourceMap` (object or JSON text) maps
 * positions back to the sources (`source` on each entry).
 */
export function checkEspruinoSyntax(code, opts = {}) {
  const violations = [];
  const seen = new Set();
  let ast;
  try {
    ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowHashBang: true });
  } catch (e) {
    const loc = e.loc || { line: 1, column: 0 };
    violations.push({ rule: 'parse', message: String(e.message), pos: e.pos || 0, line: loc.line, column: loc.column });
    return finish();
  }
  markPatterns(ast, null);

  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  function locOf(pos) {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return { pos, line: lo + 1, column: pos - lineStarts[lo] };
  }

  function report(rule, node, detail, relatedPos) {
    const key = rule + '@' + node.start + ':' + (detail || '');
    if (seen.has(key)) return;
    seen.add(key);
    const v = {
      rule,
      message: RULES[rule] + (detail ? ' (' + detail + ')' : ''),
      pos: node.start,
      line: node.loc.start.line,
      column: node.loc.start.column,
    };
    if (relatedPos !== undefined) v.related = locOf(relatedPos);
    violations.push(v);
  }

  const { root, scopeOf } = buildScopes(ast);

  // ---- pass 1: syntax rules and scope-aware reference rules ----
  const refs = []; // {id, scope, decl, fnDepthPath}
  function walk(node, parent, key, scope) {
    const sc = scopeOf.get(node) || scope;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.async) report('async', node);
        if (node.generator) report('generator', node);
        for (const p of node.params) {
          if (p.type === 'AssignmentPattern') report('default-param', p);
          else if (p.type === 'RestElement') report('rest-param', p);
        }
        break;
      case 'SpreadElement':
        report('spread', node, parent ? 'in ' + parent.type : '');
        break;
      case 'ObjectPattern':
      case 'ArrayPattern':
        if (!(parent && (parent.type === 'ObjectPattern' || parent.type === 'ArrayPattern' || parent.type === 'AssignmentPattern' ||
          parent.type === 'RestElement' || (parent.type === 'Property' && key === 'value')))) report('destructuring', node);
        break;
      case 'ChainExpression':
        report('optional-chaining', node);
        break;
      case 'AwaitExpression':
        report('async', node);
        break;
      case 'ForOfStatement':
        if (node.await) report('async', node, 'for await');
        // fallthrough
      case 'ForInStatement':
        if (node.left.type !== 'VariableDeclaration' && node.left.type !== 'Identifier') report('for-in-target', node.left);
        break;
      case 'BinaryExpression':
        if (node.operator === '**') report('exponent', node);
        break;
      case 'AssignmentExpression':
        if (node.operator === '**=') report('exponent', node);
        if (node.operator === '??=' || node.operator === '||=' || node.operator === '&&=') report('logical-assignment', node);
        if (isLengthTarget(node.left)) report('length-assign', node);
        break;
      case 'Property':
        if (node.computed && parent && parent.type === 'ObjectExpression') report('computed-key', node);
        break;
      case 'MethodDefinition':
      case 'PropertyDefinition':
        if (node.computed) report('computed-key', node);
        else if (node.key.type === 'PrivateIdentifier') { /* reported below */ }
        else if (node.key.type !== 'Identifier' || ESPRUINO_KEYWORDS.has(node.key.name)) {
          report('class-member-name', node.key, node.key.type === 'Identifier' ? node.key.name : String(node.key.value));
        }
        if (node.type === 'PropertyDefinition' && node.value && usesThis(node.value)) report('field-this', node);
        break;
      case 'StaticBlock':
        report('static-block', node);
        break;
      case 'LabeledStatement':
        report('label', node, node.label.name);
        break;
      case 'TaggedTemplateExpression':
        report('tagged-template', node);
        break;
      case 'PrivateIdentifier':
        report('private-field', node, '#' + node.name);
        break;
      case 'MetaProperty':
        report('new-target', node, node.meta.name + '.' + node.property.name);
        break;
      case 'ImportExpression':
        report('dynamic-import', node);
        break;
      case 'UpdateExpression':
        if (isLengthTarget(node.argument)) report('length-assign', node);
        break;
      case 'Literal':
        if (node.bigint !== undefined) report('bigint', node);
        if (node.regex) checkRegExp(node);
        if (typeof node.value === 'string' && /[^\u0000-\u00ff]/.test(node.value)) report('non-byte-string', node, JSON.stringify(node.value.slice(0, 20)));
        break;
      case 'TemplateElement':
        if (node.value && typeof node.value.cooked === 'string' && /[^\u0000-\u00ff]/.test(node.value.cooked)) report('non-byte-string', node);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (node.superClass) {
          if (node.superClass.type !== 'Identifier') report('class-extends', node.superClass);
          else if (ERROR_CLASSES.has(node.superClass.name) && !sc.lookup(node.superClass.name)) report('extends-error', node.superClass, node.superClass.name);
        }
        break;
      case 'SwitchStatement': {
        let sawDefault = false;
        for (const c of node.cases) {
          if (!c.test) sawDefault = true;
          else if (sawDefault) { report('case-after-default', c); break; }
        }
        break;
      }
      case 'NewExpression':
      case 'CallExpression':
        if (node.type === 'NewExpression' && node.callee.type === 'NewExpression') report('nested-new', node);
        if (node.callee.type === 'Identifier' && node.callee.name === 'RegExp' && !sc.lookup('RegExp') && node.arguments[0] &&
          node.arguments[0].type === 'Literal' && typeof node.arguments[0].value === 'string') {
          const a1 = node.arguments[1];
          checkRegExp(node.arguments[0], { pattern: node.arguments[0].value, flags: a1 && a1.type === 'Literal' && typeof a1.value === 'string' ? a1.value : '' });
        }
        break;
      case 'MemberExpression':
        if (!node.computed && node.property.type === 'Identifier') {
          const obj = node.object;
          if (obj.type === 'Identifier' && MISSING_STATICS[obj.name] && MISSING_STATICS[obj.name].includes(node.property.name) && !sc.lookup(obj.name)) {
            report('missing-builtin', node, obj.name + '.' + node.property.name);
          } else if (MISSING_METHODS.has(node.property.name)) {
            report('missing-builtin', node.property, '.' + node.property.name + '() — if this is your own method, rename it');
          }
        }
        break;
      case 'Identifier':
        if (isReference(node, parent, key)) {
          refs.push({ id: node, scope: sc, parent });
          if (RESERVED_IDENTIFIERS.has(node.name)) report('reserved-identifier', node, node.name);
        } else if (isBinding(node, parent, key)) {
          if (RESERVED_IDENTIFIERS.has(node.name) || node.name === 'undefined') report('reserved-identifier', node, node.name);
        }
        break;
    }
    for (const c of children(node)) walk(c.node, node, c.key, sc);
  }

  function checkRegExp(node, given) {
    const { pattern, flags } = given || node.regex;
    const bad = flags.replace(/[gi]/g, '');
    if (bad) report('regexp', node, 'flag' + (bad.length > 1 ? 's ' : ' ') + bad + (bad.includes('m') ? ' (m is ignored)' : ''));
    if (/\(\?<[^=!]/.test(pattern) || /\\k</.test(pattern)) report('regexp', node, 'named group');
    if (/\(\?<[=!]/.test(pattern)) report('regexp', node, 'lookbehind');
    if (/\\[1-9]/.test(pattern)) report('regexp', node, 'backreference (throws on Espruino)');
    for (const q of regExpQuantifierProblems(pattern)) report('regexp-quantifier', node, '/' + pattern + '/: ' + q);
    for (const q of regExpAlternationProblems(pattern)) report('regexp-alternation', node, '/' + pattern + '/: ' + q);
  }

  walk(ast, null, null, root);

  // ---- free references: missing globals ----
  for (const r of refs) {
    r.decl = r.scope.lookup(r.id.name);
    if (!r.decl && MISSING_GLOBALS.has(r.id.name)) report('missing-global', r.id, r.id.name);
  }

  // ---- loop-closure: a function inside a for loop capturing a let/const of the loop head ----
  for (const r of refs) {
    const d = r.decl;
    if (!d || d.scope.kind !== 'for' || (d.kind !== 'let' && d.kind !== 'const')) continue;
    for (let s = r.scope; s && s !== d.scope; s = s.parent) {
      if (s.kind === 'function') {
        report('loop-closure', r.id, r.id.name);
        break;
      }
    }
  }

  // ---- use-before-define at load time ----
  checkLoadOrder(ast, scopeOf, refs, report);

  return finish();

  function finish() {
    violations.sort((a, b) => a.pos - b.pos);
    if (opts.sourceMap) {
      const decoded = decodeSourceMap(opts.sourceMap);
      for (const v of violations) {
        const o = originalPosition(decoded, v.line, v.column);
        if (o && o.source) v.source = o;
        if (v.related) {
          const r = originalPosition(decoded, v.related.line, v.related.column);
          if (r && r.source) v.related.source = r;
        }
      }
    }
    return { violations: violations.filter((v) => !WARNINGS.has(v.rule)), warnings: violations.filter((v) => WARNINGS.has(v.rule)) };
  }
}

/** `x.length` as an assignment target. */
function isLengthTarget(t) {
  return t.type === 'MemberExpression' && !t.computed && t.property.type === 'Identifier' && t.property.name === 'length';
}

function usesThis(node) {
  let found = false;
  (function visit(n) {
    if (found) return;
    if (n.type === 'ThisExpression') { found = true; return; }
    if (n.type === 'FunctionExpression' || n.type === 'FunctionDeclaration' || n.type === 'ClassExpression') return;
    for (const c of children(n)) visit(c.node);
  })(node);
  return found;
}

/** An identifier read or written as a variable (not a property name, label or declaration). */
function isReference(node, parent, key) {
  if (!parent) return true;
  switch (parent.type) {
    case 'MemberExpression': return key === 'object' || parent.computed;
    case 'Property': return key === 'value' ? parent.__pattern !== 'bind' : parent.computed;
    case 'MethodDefinition':
    case 'PropertyDefinition': return key === 'value' || parent.computed;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'MetaProperty':
    case 'CatchClause': return false;
    case 'VariableDeclarator': return key === 'init';
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression': return key === 'body';
    case 'ClassDeclaration':
    case 'ClassExpression': return key === 'superClass';
    case 'AssignmentPattern': return key === 'right' || parent.__pattern === 'assign';
    case 'ArrayPattern':
    case 'RestElement': return parent.__pattern === 'assign';
    default: return true;
  }
}

/** An identifier that declares a name. */
function isBinding(node, parent, key) {
  if (!parent) return false;
  switch (parent.type) {
    case 'VariableDeclarator': return key === 'id';
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression': return key === 'id' || key === 'params';
    case 'ClassDeclaration':
    case 'ClassExpression': return key === 'id';
    case 'CatchClause': return key === 'param';
    case 'AssignmentPattern': return key === 'left' && parent.__pattern === 'bind';
    case 'ArrayPattern':
    case 'RestElement': return parent.__pattern === 'bind';
    case 'Property': return key === 'value' && parent.__pattern === 'bind';
    default: return false;
  }
}

const PATTERN_NODES = new Set(['ObjectPattern', 'ArrayPattern', 'RestElement', 'AssignmentPattern', 'Property']);

/**
 * Tags the nodes of every destructuring pattern with `__pattern`: 'bind' (declarations, parameters,
 * catch) or 'assign' (assignment and for-in/of targets), so that identifiers in them are told apart.
 */
function markPatterns(node, mode) {
  if (mode && PATTERN_NODES.has(node.type)) node.__pattern = mode;
  for (const c of children(node)) {
    const n = c.node;
    let m = null;
    if (mode && PATTERN_NODES.has(node.type) && !(node.type === 'AssignmentPattern' && c.key === 'right') &&
      !(node.type === 'Property' && c.key === 'key')) m = mode;
    else if (node.type === 'VariableDeclarator' && c.key === 'id') m = 'bind';
    else if (isFunction(node) && c.key === 'params') m = 'bind';
    else if (node.type === 'CatchClause' && c.key === 'param') m = 'bind';
    else if (node.type === 'AssignmentExpression' && c.key === 'left') m = 'assign';
    else if ((node.type === 'ForInStatement' || node.type === 'ForOfStatement') && c.key === 'left') m = 'assign';
    markPatterns(n, m);
  }
}

// ---- load order ---------------------------------------------------------------------------------

/**
 * Code that runs while the module loads: the top-level statements, the bodies of functions invoked on
 * the spot (IIFEs), and, transitively, the bodies of functions and class constructors those call by
 * name. Every identifier that this code reads or writes, and that resolves to a declaration inside
 * code that runs in that order, must come after the declaration's definition point:
 *  - function declaration: its statement (not hoisted on Espruino);
 *  - var / let / const: the end of its declarator (a `var` is not hoisted either);
 *  - class: its statement.
 * A reference reached through a call is judged at the call site.
 */
function checkLoadOrder(ast, scopeOf, refs, report) {
  const refById = new Map();
  for (const r of refs) refById.set(r.id, r);
  const fnScopeOf = (fn) => scopeOf.get(fn);

  function within(scope, fnScope) {
    for (let s = scope; s; s = s.parent) if (s === fnScope) return true;
    return false;
  }

  // frames: [{ fnScope, callPos }] for functions entered through a call (not IIFEs).
  const visiting = new Set();

  function checkRef(r, frames) {
    const d = r.decl;
    if (!d || d.definedAt < 0) return;
    let pos = r.id.start;
    for (let i = frames.length - 1; i >= 0; i--) {
      if (within(d.scope, frames[i].fnScope)) break;
      pos = frames[i].callPos;
    }
    if (pos < d.definedAt) {
      if (pos !== r.id.start) report('use-before-define', r.id, r.id.name + ', reached through a call made at load time', pos);
      else report('use-before-define', r.id, r.id.name);
    } else if (d.kind === 'var' && !unconditional(d, r)) {
      report('use-before-define', r.id, r.id.name + ' is declared with var inside a branch or loop that may not run');
    }
  }

  // A var declared inside a branch/loop is defined only if that code ran: accept references within the
  // same branch only.
  function unconditional(d, r) {
    const region = conditionalRegion.get(d.declNode);
    if (!region) return true;
    return r.id.start >= region.start && r.id.end <= region.end;
  }

  const conditionalRegion = new Map();
  (function mark(node, region) {
    if (isFunction(node) || node.type === 'ClassBody') return;
    if (node.type === 'VariableDeclaration' && node.kind === 'var' && region) conditionalRegion.set(node, region);
    for (const c of children(node)) {
      let r = region;
      if (!r) {
        const p = node.type;
        if ((p === 'IfStatement' && (c.key === 'consequent' || c.key === 'alternate')) ||
          ((p === 'WhileStatement' || p === 'DoWhileStatement' || p === 'ForStatement' || p === 'ForInStatement' || p === 'ForOfStatement') && c.key === 'body') ||
          (p === 'SwitchCase' && c.key === 'consequent') || (p === 'TryStatement' && (c.key === 'handler' || c.key === 'finalizer')) ||
          p === 'ConditionalExpression' || p === 'LogicalExpression') r = c.node;
      }
      mark(c.node, r);
    }
  })(ast, null);

  /** Walks code that runs now. */
  function run(node, frames) {
    if (!node) return;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return; // defined, not run
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (node.superClass) run(node.superClass, frames);
        for (const m of node.body.body) {
          if (m.computed) run(m.key, frames);
          if (m.type === 'PropertyDefinition' && m.static && m.value) run(m.value, frames);
          if (m.type === 'StaticBlock') for (const s of m.body) run(s, frames);
        }
        return;
      case 'UnaryExpression':
        if (node.operator === 'typeof' && node.argument.type === 'Identifier') return; // typeof x never throws
        break;
      case 'Identifier': {
        const r = refById.get(node);
        if (r) checkRef(r, frames);
        return;
      }
      case 'CallExpression':
      case 'NewExpression': {
        for (const c of children(node)) run(c.node, frames);
        const callee = node.callee;
        if (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') {
          runBody(callee, frames); // invoked on the spot
        } else if (callee.type === 'Identifier') {
          const r = refById.get(callee);
          const d = r && r.decl;
          if (d && d.definedAt >= 0) enter(d, node, frames);
        }
        return;
      }
    }
    for (const c of children(node)) run(c.node, frames);
  }

  function runBody(fn, frames) {
    if (fn.body.type === 'BlockStatement') for (const s of fn.body.body) run(s, frames);
    else run(fn.body, frames);
  }

  function enter(d, callNode, frames) {
    const target = d.fn || d.cls;
    if (!target || visiting.has(target)) return;
    const callPos = frames.length ? frames[0].callPos : callNode.start;
    visiting.add(target);
    if (d.fn) {
      runBody(d.fn, frames.concat([{ fnScope: fnScopeOf(d.fn), callPos }]));
    } else {
      runConstructor(d.cls, frames, callPos);
    }
    visiting.delete(target);
  }

  function runConstructor(cls, frames, callPos) {
    for (const m of cls.body.body) {
      if (m.type === 'MethodDefinition' && m.kind === 'constructor') {
        runBody(m.value, frames.concat([{ fnScope: fnScopeOf(m.value), callPos }]));
      } else if (m.type === 'PropertyDefinition' && !m.static && m.value) {
        run(m.value, frames.concat([{ fnScope: scopeOf.get(cls), callPos }]));
      }
    }
    if (cls.superClass && cls.superClass.type === 'Identifier') {
      const r = refById.get(cls.superClass);
      const d = r && r.decl;
      if (d && d.cls && !visiting.has(d.cls)) {
        visiting.add(d.cls);
        runConstructor(d.cls, frames, callPos);
        visiting.delete(d.cls);
      }
    }
  }

  for (const s of ast.body) run(s, []);
}

// ---- formatting and CLI ------------------------------------------------------------------------

/** `file:line:col: [rule] message`, the original source location first when known. */
/**
 * The quantifiers of a RegExp pattern that Espruino silently mis-runs (measured: ../shared
 * espruino-language.md): `?` after an atom, `{n}` / `{n,}` / `{n,m}`, any quantifier after a group, and
 * lazy quantifiers. `*` and `+` after one character, class or escape are fine. Returns descriptions.
 */
/** Where the character class that opens at `at` ends (its `]`; a `]` first in the class, or after `^`, is
 *  one of its characters). */
function classEnd(pattern, at) {
  let i = at + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  while (i < pattern.length && pattern[i] !== ']') { if (pattern[i] === '\\') i++; i++; }
  return i;
}

export function regExpQuantifierProblems(pattern) {
  const out = [];
  let prev = ''; // what the next quantifier would apply to: 'atom', 'group', 'quant' or '' (nothing)
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; prev = 'atom'; continue; }
    if (c === '[') {
      i = classEnd(pattern, i);
      prev = 'atom';
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') i += pattern[i + 2] === '<' ? 3 : 2; // (?: (?= (?! (?<= (?<!
      prev = '';
      continue;
    }
    if (c === ')') { prev = 'group'; continue; }
    if (c === '|' || c === '^') { prev = ''; continue; }
    const brace = c === '{' ? /^\{\d+(,\d*)?\}/.exec(pattern.slice(i)) : null;
    if (c === '*' || c === '+' || c === '?' || brace) {
      const what = brace ? brace[0] : c;
      if (prev === 'quant') out.push('lazy or stacked quantifier `' + pattern[i - 1] + what + '`');
      else if (prev === 'group') out.push('quantifier `' + what + '` after a group');
      else if (prev === 'atom' && (c === '?' || brace)) out.push('quantifier `' + what + '`');
      if (brace) i += brace[0].length - 1;
      prev = 'quant';
      continue;
    }
    prev = 'atom';
  }
  return out;
}

/**
 * The groups of a pattern anchored with `^` that hold an alternation and follow something the pattern
 * matched first: Espruino tries only their first alternative (`/^a(b|c)/` and `/^(x)a(b|c)/` do not match
 * "ac", "xac"). Measured on the engine (test/device/string-search.test.ts): a group right after `^`, a
 * pattern that is not anchored, and every group of a pattern that starts with an alternating group
 * (`/^(x|y)a(b|c)/` matches "xac") are fine. An alternation outside any group of an anchored pattern is
 * anchored as a whole (`/^ab|cd/` does not match "xcd"). Returns descriptions.
 */
export function regExpAlternationProblems(pattern) {
  const out = [];
  if (pattern[0] !== '^') return out;
  const open = []; // for each open group: whether something was matched before it
  let matched = false;
  for (let i = 1; i < pattern.length; i++) {
    if (i === 1 && pattern[1] === '(' && open.length === 0 && alternatingGroupAt(pattern, 1)) return out;
    const c = pattern[i];
    if (c === '\\') { i++; matched = true; continue; }
    if (c === '[') {
      i = classEnd(pattern, i);
      matched = true;
      continue;
    }
    if (c === '(') {
      open.push({ after: matched, at: i, told: false });
      if (pattern[i + 1] === '?') i += pattern[i + 2] === '<' ? 3 : 2;
      continue;
    }
    if (c === ')') { open.pop(); matched = true; continue; }
    if (c === '|') {
      if (!open.length) {
        out.push('alternation at the top of an anchored pattern: `^` applies to every alternative');
        return out;
      }
      const g = open[open.length - 1];
      if (g && g.after && !g.told) {
        g.told = true;
        out.push('alternation in the group at ' + g.at + ', after `' + pattern.substring(0, g.at) + '`');
      }
      continue;
    }
    matched = true;
  }
  return out;
}

/** Whether the group that opens at `at` has an alternation of its own (not in a nested group or class). */
function alternatingGroupAt(pattern, at) {
  let depth = 0;
  for (let i = at; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(pattern, i);
    else if (c === '(') depth++;
    else if (c === ')') { if (--depth === 0) return false; }
    else if (c === '|' && depth === 1) return true;
  }
  return false;
}

export function formatViolation(v, file) {
  const where = (p) => p.source
    ? p.source.source + ':' + p.source.line + ':' + (p.source.column + 1)
    : file + ':' + p.line + ':' + (p.column + 1);
  const gen = file + ':' + v.line + ':' + (v.column + 1);
  let text = where(v) + ': [' + v.rule + '] ' + v.message;
  if (v.related) text += '; the call is at ' + where(v.related);
  if (v.source) text += '  (generated ' + gen + ')';
  return text;
}

/** Checks a file (and its source map when given or found next to it). */
export function checkFile(file, mapFile) {
  const code = fs.readFileSync(file, 'utf8');
  let sourceMap;
  const mf = mapFile || (fs.existsSync(file + '.map') ? file + '.map' : null);
  if (mf) {
    sourceMap = JSON.parse(fs.readFileSync(mf, 'utf8'));
    // Sources are relative to the map; report them relative to the working directory.
    const base = path.dirname(mf);
    sourceMap.sources = sourceMap.sources.map((s) => path.relative(process.cwd(), path.resolve(base, sourceMap.sourceRoot || '', s)));
  }
  return checkEspruinoSyntax(code, { sourceMap });
}

function main(argv) {
  const args = argv.slice();
  let mapFile;
  const i = args.indexOf('--map');
  if (i >= 0) {
    mapFile = args[i + 1];
    args.splice(i, 2);
  }
  if (args.length !== 1) {
    console.error('usage: node build/check-espruino-syntax.mjs <file.js> [--map <file.js.map>]');
    return 2;
  }
  const { violations, warnings } = checkFile(args[0], mapFile);
  for (const v of warnings) console.error('warning: ' + formatViolation(v, args[0]));
  for (const v of violations) console.error(formatViolation(v, args[0]));
  if (violations.length) {
    console.error(violations.length + ' Espruino violation' + (violations.length > 1 ? 's' : '') + ' in ' + args[0]);
    return 1;
  }
  console.log(args[0] + ': no Espruino violations');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
