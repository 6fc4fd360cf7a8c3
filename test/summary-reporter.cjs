// Mocha's spec reporter plus one closing line that CI reads: `N passed, N failed[, N skipped]`.
'use strict';
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats || {};
      // Printed after the spec reporter's own epilogue.
      process.nextTick(() => {
        const skipped = s.pending ? ', ' + s.pending + ' skipped' : '';
        process.stdout.write((s.passes || 0) + ' passed, ' + (s.failures || 0) + ' failed' + skipped + '\n');
      });
    });
  }
}

module.exports = SummaryReporter;
