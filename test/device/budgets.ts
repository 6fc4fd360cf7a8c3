// The device budgets of issue 10, asserted by the real-engine tests (variables are the engine's 13-byte
// JsVars out of the NUCLEO-F401RE's 5376; bytes are the minified module files).

/** The core module `spwf04` as a file. */
export const CORE_MAX_BYTES = 48 * 1024;
/** Variables the core holds once required (process.memory().usage after require minus before). */
export const CORE_REQUIRE_MAX_VARS = 1000;
/** Peak variables held by the layer after start + PSK join + one open TLS socket that echoed data: peak
 *  usage minus usage before require (the application keeps >= 70% of the heap). */
export const LAYER_PEAK_MAX_VARS = 1500;
/** Each optional module, once required (after the core). */
export const OPTIONAL_REQUIRE_MAX_VARS = 400;
/** The flow of an optional feature (HTTPS GET, a firmware update): the same peak plus its module (at most
 *  OPTIONAL_REQUIRE_MAX_VARS). */
export const OPTIONAL_FLOW_PEAK_MAX_VARS = LAYER_PEAK_MAX_VARS + OPTIONAL_REQUIRE_MAX_VARS;
/** Every module together (the F401RE's Storage is one 128 KB page, shared with the application). */
export const ALL_MODULES_MAX_BYTES = 96 * 1024;
/** "Memory flat" over a long stream: usage after the last block may exceed usage after block 10 by at
 *  most this much. It is not zero because the two samples are taken at different points of the module's
 *  output (a UART chunk, a command in flight: a few dozen variables); a leak of one variable per block
 *  over 90 blocks exceeds it. */
export const FLAT_TOLERANCE_VARS = 40;
/** Memory back at its baseline after a recovery: the same tolerance, for the same reason. */
export const RECOVERY_TOLERANCE_VARS = 40;
