// The ingress parts, bundled alone for test/bench/parts.ts (the framer, the engine, the +WIND decoder).
export { Framer } from '../../src/at/framer';
export { Engine } from '../../src/at/engine';
export { decodeWind } from '../../src/at/wind';
