// The string searches Espruino gets wrong, found with the types of the device sources.
//
//   node build/check-string-search.mjs        (the build runs it on src/ and hosts/espruino)
//
// Espruino's String indexOf (and includes, and replace with a string pattern, which search the same way)
// reports a match where only the start of the needle is at the end of the string: on the real engine
// (2v29.277, NUCLEO build) "abc".indexOf("cx") is 2, "abc".includes("cab") is true, "a c".replace("cx", "Q")
// is "a Q", and "abca".indexOf("ab", 4) is 3. A whole match inside the string is always found first, and
// lastIndexOf, startsWith, endsWith and a one-character needle are exact (test/device/string-search.test.ts
// measures all of these on the engine). So a search in device code must be one of:
//   - a needle of one character (a string literal of length 1, or s.charAt(i));
//   - a test for the start, `s.indexOf(x) === 0` or `!== 0` (a match at 0 is always whole);
//   - lastIndexOf for a yes/no ("does s contain x"), or startsWith/endsWith;
//   - a position whose fit is checked (i + x.length <= s.length), marked `// fits` on the line of the search.
// Anything else is a violation `file:line:col: [string-search] ...`. The types say which receivers are
// strings (an array's indexOf is exact), so this runs on the TypeScript sources, not on the bundle.

import * as path from 'node:path';
import * as url from 'node:url';
import { createRequire } from 'node:module';

const ROOT = path.resolve(path.dirname(url.fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const STRING_SEARCH_RULE = 'Espruino\'s String indexOf, includes and replace report a match where only the start of the needle is '
  + 'at the end of the string ("abc".indexOf("cx") is 2): compare with 0, use lastIndexOf for a yes/no, or check that the match fits '
  + '(i + needle.length <= s.length) and mark the line // fits';

const METHODS = new Set(['indexOf', 'includes', 'replace', 'replaceAll']);

/** Violations in the device sources (tsconfig.device.json), or in `files` checked with the same options and
 *  Espruino's library. */
export function checkStringSearch(files) {
  const ts = require('typescript');
  const project = path.join(ROOT, 'tsconfig.device.json');
  const cfg = ts.getParsedCommandLineOfConfigFile(project, {}, Object.assign({}, ts.sys, { onUnRecoverableConfigFileDiagnostic() {} }));
  const rootNames = files ? [path.join(ROOT, 'build', 'espruino-lib.d.ts')].concat(files) : cfg.fileNames;
  const program = ts.createProgram({ rootNames: rootNames, options: cfg.options });
  const checker = program.getTypeChecker();
  const out = [];
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile) continue;
    const lines = sf.text.split('\n');
    const visit = (n) => {
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && METHODS.has(n.expression.name.text)) {
        const problem = searchProblem(ts, checker, n, lines);
        if (problem) {
          const pos = sf.getLineAndCharacterOfPosition(n.expression.name.getStart(sf));
          out.push(path.relative(ROOT, sf.fileName) + ':' + (pos.line + 1) + ':' + (pos.character + 1) + ': [string-search] ' + problem);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

/** Why this call is a search Espruino may get wrong, or null. */
function searchProblem(ts, checker, call, lines) {
  const method = call.expression.name.text;
  const recv = checker.getTypeAtLocation(call.expression.expression);
  if (!((checker.getBaseConstraintOfType(recv) || recv).flags & ts.TypeFlags.StringLike)) return null;
  const needle = call.arguments[0];
  if (!needle) return null;
  if (ts.isStringLiteralLike(needle) && needle.text.length === 1) return null;
  if (ts.isCallExpression(needle) && ts.isPropertyAccessExpression(needle.expression) && needle.expression.name.text === 'charAt') return null;
  if (method.startsWith('replace') && !(checker.getTypeAtLocation(needle).flags & ts.TypeFlags.StringLike)) return null; // a RegExp
  if (method === 'indexOf' && comparedWithZero(ts, call)) return null;
  const sf = call.getSourceFile();
  const line = lines[sf.getLineAndCharacterOfPosition(call.getStart(sf)).line];
  if (method === 'indexOf' && /\/\/ fits\b/.test(line)) return null;
  return '.' + method + '(' + call.arguments.map((a) => a.getText(sf)).join(', ') + '): ' + STRING_SEARCH_RULE;
}

/** `x.indexOf(y) === 0` or `!== 0` (either side). */
function comparedWithZero(ts, call) {
  let n = call;
  while (n.parent && ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  if (!p || !ts.isBinaryExpression(p)) return false;
  const op = p.operatorToken.kind;
  if (op !== ts.SyntaxKind.EqualsEqualsEqualsToken && op !== ts.SyntaxKind.ExclamationEqualsEqualsToken) return false;
  const other = p.left === n ? p.right : p.left;
  return ts.isNumericLiteral(other) && other.text === '0';
}

if (process.argv[1] && path.resolve(process.argv[1]) === url.fileURLToPath(import.meta.url)) {
  const v = checkStringSearch();
  for (const l of v) console.error(l);
  console.log(v.length ? v.length + ' string searches Espruino may get wrong' : 'string searches: ok');
  process.exit(v.length ? 1 : 0);
}
