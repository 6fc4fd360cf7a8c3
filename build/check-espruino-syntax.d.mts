// Types for check-espruino-syntax.mjs (used by the tests).

export interface SourcePosition {
  source: string;
  line: number;
  column: number;
}

export interface Violation {
  rule: string;
  message: string;
  /** Offset, 1-based line and 0-based column in the checked code. */
  pos: number;
  line: number;
  column: number;
  /** The original position, when a source map was given. */
  source?: SourcePosition;
  /** A second position (the load-time call that reaches the use). */
  related?: { pos: number; line: number; column: number; source?: SourcePosition };
}

export const RULES: { [rule: string]: string };
export const WARNINGS: Set<string>;
export function checkEspruinoSyntax(code: string, opts?: { sourceMap?: object | string }): { violations: Violation[]; warnings: Violation[] };
export function formatViolation(v: Violation, file: string): string;
export function checkFile(file: string, mapFile?: string): { violations: Violation[]; warnings: Violation[] };
export function decodeSourceMap(map: object | string): { sources: string[]; sourceRoot: string; lines: number[][][] };
export function originalPosition(decoded: ReturnType<typeof decodeSourceMap>, line: number, column: number): SourcePosition | null;
/** The quantifiers of a RegExp pattern that Espruino silently mis-runs (descriptions). */
export function regExpQuantifierProblems(pattern: string): string[];
/** The alternations of an anchored RegExp pattern whose later alternatives Espruino never tries (descriptions). */
export function regExpAlternationProblems(pattern: string): string[];
