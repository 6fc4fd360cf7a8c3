// Types for check-string-search.mjs (used by the tests).

export const STRING_SEARCH_RULE: string;
/** `file:line:col: [string-search] ...` for each search Espruino may get wrong. */
export function checkStringSearch(files?: string[]): string[];
