// The device build's size and load-time budgets (budgets.ts) on the real engine: the core's file and the
// variables it holds once required, each optional module's variables once required after the core, and
// all modules together within the Storage page.

import { strict as assert } from 'node:assert';
import {
  ALL_MODULES_MAX_BYTES, CORE_MAX_BYTES, CORE_REQUIRE_MAX_VARS, OPTIONAL_REQUIRE_MAX_VARS, DESIGN_CORE_REQUIRE_VARS,
  DESIGN_OPTIONAL_REQUIRE_VARS,
} from './budgets';
import { assertClean, describeDevice, deviceModules, DeviceFolder, held, moduleSizes, type DeviceRun } from './harness';

const CORE = 'spwf04';

describeDevice('device build budgets on the real engine', function () {
  this.timeout(60000);
  let run: DeviceRun;
  const optional = () => deviceModules().map((m) => m.name).filter((n) => n !== CORE);

  before(async function () {
    this.timeout(120000);
    const folder = new DeviceFolder();
    try {
      // The core, then each optional module after it, in one engine (each @MEM is the usage after it).
      run = await folder.run(`
T.base();
require(${JSON.stringify(CORE)});
T.mem("required");
${optional().map((n) => `require(${JSON.stringify(n)});\nT.mem(${JSON.stringify('required ' + n)});`).join('\n')}
T.end();
`);
    } finally {
      folder.remove();
    }
    const sizes = moduleSizes();
    console.log(`      modules: ${Object.keys(sizes.each).map((n) => `${n} ${sizes.each[n]} bytes`).join(', ')}; together ${sizes.total} bytes`);
    console.log(`      core required: ${run.mem.required !== undefined ? held(run, 'required') : '?'} variables`);
  });

  it(`the core module is at most ${CORE_MAX_BYTES / 1024} KB`, () => {
    const size = moduleSizes().each[CORE];
    assert.ok(size !== undefined, 'no core module "spwf04" in the build');
    assert.ok(size <= CORE_MAX_BYTES, `spwf04 is ${size} bytes (budget ${CORE_MAX_BYTES})`);
  });

  it(`all modules together are at most ${ALL_MODULES_MAX_BYTES / 1024} KB`, () => {
    const total = moduleSizes().total;
    assert.ok(total <= ALL_MODULES_MAX_BYTES, `the modules take ${total} bytes (budget ${ALL_MODULES_MAX_BYTES})`);
  });

  it(`require("spwf04") holds at most ${CORE_REQUIRE_MAX_VARS} variables (${CORE_REQUIRE_MAX_VARS === DESIGN_CORE_REQUIRE_VARS ? 'the design budget' : "today's ceiling; design " + DESIGN_CORE_REQUIRE_VARS})`, () => {
    assertClean(run);
    const v = held(run, 'required');
    if (v > DESIGN_CORE_REQUIRE_VARS) console.log(`      over the design budget: ${v} of ${DESIGN_CORE_REQUIRE_VARS} variables`);
    assert.ok(v <= CORE_REQUIRE_MAX_VARS, `require("spwf04") holds ${v} variables (ceiling ${CORE_REQUIRE_MAX_VARS})`);
  });

  it(`each optional module holds at most ${OPTIONAL_REQUIRE_MAX_VARS} variables once required (the design budget)`, function () {
    const names = optional();
    if (!names.length) this.skip(); // a build of one module has no optional module to measure
    assertClean(run);
    const over: string[] = [];
    let before = run.mem.required!;
    for (const n of names) {
      const after = run.mem['required ' + n]!;
      console.log(`      ${n}: ${after - before} variables${after - before > DESIGN_OPTIONAL_REQUIRE_VARS ? ' (over the design budget)' : ''}`);
      if (after - before > OPTIONAL_REQUIRE_MAX_VARS) over.push(`${n} holds ${after - before}`);
      before = after;
    }
    assert.deepEqual(over, [], `over the budget of ${OPTIONAL_REQUIRE_MAX_VARS}`);
  });
});
