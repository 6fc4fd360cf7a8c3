// `npm run bench`: ingress throughput in QuickJS (an embedded-class interpreter with a memory cap) and in
// Node, on the same workloads; the Espruino bundle's size; QuickJS memory in use after the demo flow.
// These are measurements to report, never assertions.

import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { getQuickJS } from 'quickjs-emscripten';
import * as workloads from './ingress-entry';

const ROOT = path.join(__dirname, '..', '..');
const WIND_LINES = 20000;
const READS = 400;

function line(label: string, value: string): void {
  console.log(label.padEnd(52) + value);
}

async function main(): Promise<void> {
  const built = await esbuild.build({
    entryPoints: [path.join(__dirname, 'ingress-entry.ts')],
    bundle: true, write: false, format: 'iife', globalName: 'Bench', target: 'es2017', minify: true,
    supported: { 'class-field': false },
  });
  const code = built.outputFiles[0].text;
  const QuickJS = await getQuickJS();

  function inQuickJS(call: string): any {
    const rt = QuickJS.newRuntime();
    rt.setMemoryLimit(1024 * 1024);
    const vm = rt.newContext();
    try {
      vm.unwrapResult(vm.evalCode(code)).dispose();
      const h = vm.unwrapResult(vm.evalCode('JSON.stringify(' + call + ')'));
      const out = JSON.parse(vm.getString(h));
      h.dispose();
      return out;
    } finally {
      vm.dispose();
      rt.dispose();
    }
  }

  console.log('Ingress, 64-byte chunks (' + WIND_LINES + ' +WIND lines; ' + READS + ' SOCKR reads of 730 bytes)');
  const qw = inQuickJS('Bench.winds(' + WIND_LINES + ')');
  const nw = workloads.winds(WIND_LINES * 10);
  line('  +WIND lines decoded, QuickJS', Math.round(qw.lines / (qw.ms / 1000)) + ' lines/s (' + qw.events + ' events)');
  line('  +WIND lines decoded, Node', Math.round(nw.lines / (nw.ms / 1000)) + ' lines/s');
  const qr = inQuickJS('Bench.sockReads(' + READS + ')');
  const nr = workloads.sockReads(READS * 10);
  line('  SOCKR 730-byte reads, QuickJS', Math.round(qr.bytes / 1024 / (qr.ms / 1000)) + ' KB/s');
  line('  SOCKR 730-byte reads, Node', Math.round(nr.bytes / 1024 / (nr.ms / 1000)) + ' KB/s');
  line('  UART line rate at 115200 baud, for comparison', '11.25 KB/s');

  const bundle = path.join(ROOT, 'build', 'out', 'espruino', 'spwf04.js');
  if (fs.existsSync(bundle)) {
    const b = fs.readFileSync(bundle);
    line('Espruino bundle (build/out/espruino/spwf04.js)', b.length + ' bytes, ' + zlib.gzipSync(b, { level: 9 }).length + ' gzipped');
  } else line('Espruino bundle', 'not built (run npm run build)');

  const harness = path.join(ROOT, 'test', 'build', 'quickjs-harness.ts');
  if (fs.existsSync(harness)) {
    const mod = await import(harness);
    if (typeof mod.measureDemoFlow === 'function') {
      const m = await mod.measureDemoFlow();
      line('QuickJS memory in use after the demo flow', m.memoryUsedBytes + ' bytes (cap ' + m.memoryLimitBytes + ')');
    }
  }
}

main().catch(function (e) {
  console.error(e);
  process.exitCode = 1;
});
