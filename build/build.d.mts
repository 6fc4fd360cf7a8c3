// Types for build.mjs (used by the tests).

export const ROOT: string;
export const OUT: string;
export class BuildError extends Error {
  details: string[];
  constructor(message: string, details?: string[]);
}
export const ESPRUINO_SUPPORTED: { [feature: string]: boolean };
export const MODDABLE_EXTERNALS: string[];
export function typeCheck(project: string): void;
export function applyEdits(code: string, map: any, edits: { start: number; end: number; text: string }[]): { code: string; map: any };
export function toEspruinoModule(code: string, map: any, opts?: { wrap?: boolean }): { code: string; map: any; exported: string[] };
export function findHelpers(code: string): string[];
export interface EspruinoModuleBuild {
  name: string;
  code: string;
  debugCode: string;
  map: any;
  bytes: number;
  gzipBytes: number;
  exported: string[];
  warnings: string[];
}
export const ESPRUINO_MODULES: { name: string; entry: string }[];
export const ESPRUINO_OUT: string;
export const BUDGETS: { coreBytes: number; totalBytes: number };
export function mangledMemberNames(files?: string[]): string[];
export function buildEspruinoModule(name: string, entry: string, opts?: { outDir?: string; write?: boolean }): Promise<EspruinoModuleBuild>;
export function buildEspruino(opts?: { entry?: string; outDir?: string; write?: boolean }): Promise<EspruinoModuleBuild & {
  modules: EspruinoModuleBuild[];
  totalBytes: number;
}>;
export function buildModdable(opts?: { entry?: string; outDir?: string; write?: boolean }): Promise<{ files: string[] }>;
export function buildNode(opts?: { entry?: string; outfile?: string }): Promise<{ outfile: string }>;
export function main(argv: string[]): Promise<number>;
export function deviceSources(dirs?: string[]): string[];
export function stripModuleSyntax(code: string, map: any): { code: string; map: any };
/** Formatted violations; warnings are appended to `warnings` when given. */
export function checkDeviceSources(files?: string[], warnings?: string[]): Promise<string[]>;
export function shortMemberNames(names: string[]): { [name: string]: string };
