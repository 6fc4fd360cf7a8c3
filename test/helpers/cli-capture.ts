// A command's two streams captured line by line, for the tests of the `spwf04` commands.

import type { CliIo } from '../../hosts/node/cli-args';

export interface Captured {
  io: CliIo;
  out: string[];
  err: string[];
}

export function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, out, err };
}
