// Counting the instructions the real engine runs, for the benchmarks (run.ts --count, parts.ts
// --instructions): valgrind's callgrind around the engine, its call graph thrown away, its total kept.

/** The valgrind to run: BENCH_VALGRIND, else the one on the PATH. */
export const VALGRIND = process.env.BENCH_VALGRIND || 'valgrind';

/** What goes before the engine's command line. */
export const CALLGRIND = [VALGRIND, '--tool=callgrind', '--callgrind-out-file=/dev/null'];

/** The instructions callgrind counted, from what it printed as the engine ended (NaN when it printed none). */
export function instructionsCounted(output: string): number {
  const m = / Collected : (\d+)/.exec(output);
  return m ? Number(m[1]) : NaN;
}
