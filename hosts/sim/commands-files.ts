// Filesystem commands on the RAM disk: FSC (with payload), FSL, FSD, FSP, FSR. FSA is left out on
// purpose (FSA_IS_ABSENT) unless that choice is reversed, in which case it is FSC under another name.

import { FSA_IS_ABSENT, fspReadingLine } from './choices';
import type { CommandHandler, CommandTable } from './command-context';
import { isAbsent, parseCount } from './command-line';
import { E } from './errors';
import type { SimFileInfo } from './filesystem';

const fileLine = (f: SimFileInfo) => `AT-S.File:${f.volume}\t${f.size}\t${f.name}`;

const create: CommandHandler = (ctx, { cmd, payload }, reply) => {
  const [name, lenText] = cmd.params;
  if (isAbsent(name) || isAbsent(lenText)) return reply.error(E.missingArguments);
  if (cmd.params.length > 2) return reply.error(E.tooManyArguments);
  if (parseCount(lenText) === undefined) return reply.error(E.invalidArguments);
  const code = ctx.files.create(name!, payload);
  if (code !== 0) return reply.error(code);
  reply.ok();
};

const list: CommandHandler = (ctx, { cmd }, reply) => {
  const name = cmd.params[0];
  if (isAbsent(name)) {
    for (const f of ctx.files.list()) reply.line(fileLine(f));
    return reply.ok();
  }
  const one = ctx.files.stat(name!);
  if (typeof one === 'number') return reply.error(one);
  reply.line(fileLine(one));
  reply.ok();
};

const remove: CommandHandler = (ctx, { cmd }, reply) => {
  if (isAbsent(cmd.params[0])) return reply.error(E.missingArguments);
  if (cmd.params.length > 1) return reply.error(E.tooManyArguments);
  const code = ctx.files.delete(cmd.params[0]!);
  if (code !== 0) return reply.error(code);
  reply.ok();
};

const rename: CommandHandler = (ctx, { cmd }, reply) => {
  const [from, to] = cmd.params;
  if (isAbsent(from) || isAbsent(to)) return reply.error(E.missingArguments);
  if (cmd.params.length > 2) return reply.error(E.tooManyArguments);
  const code = ctx.files.rename(from!, to!);
  if (code !== 0) return reply.error(code);
  reply.ok();
};

/** FSP=<name>[,<offset>[,<length>]] */
const print: CommandHandler = (ctx, { cmd }, reply) => {
  const [name, offsetText, lengthText] = cmd.params;
  if (isAbsent(name)) return reply.error(E.missingArguments);
  if (cmd.params.length > 3) return reply.error(E.tooManyArguments);
  const offset = isAbsent(offsetText) ? 0 : parseCount(offsetText);
  const length = isAbsent(lengthText) ? undefined : parseCount(lengthText);
  if (offset === undefined || (!isAbsent(lengthText) && length === undefined)) return reply.error(E.invalidArguments);
  const got = ctx.files.read(name!, offset, length);
  if (typeof got === 'number') return reply.error(got);
  reply.line(fspReadingLine(got.data.length, got.size));
  reply.raw(got.data);
  reply.ok();
};

export const fileCommands: CommandTable = {
  'AT+S.FSC': create,
  'AT+S.FSL': list,
  'AT+S.FSD': remove,
  'AT+S.FSR': rename,
  'AT+S.FSP': print,
  ...(FSA_IS_ABSENT ? {} : { 'AT+S.FSA': create }),
};
