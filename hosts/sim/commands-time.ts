// The clock commands: AT+S.TIME (query, or set in seconds since 1970) and AT+S.NTP.

import {
  NTP_SYNCS_TO_DESKTOP_TIME, TIME_DATE_KEYWORD, TIME_MAX_SECONDS, TIME_OUT_OF_RANGE_ERROR, TIME_TIME_KEYWORD,
} from './choices';
import { dateAndTime } from './clock';
import type { CommandHandler, CommandTable } from './command-context';
import { E } from './errors';

const time: CommandHandler = (ctx, { cmd }, reply) => {
  if (cmd.argText === undefined) {
    const { date, time } = dateAndTime(ctx.clock.seconds());
    reply.line(`AT-S.${TIME_DATE_KEYWORD}:${date}`);
    reply.line(`AT-S.${TIME_TIME_KEYWORD}:${time}`);
    return reply.ok();
  }
  if (cmd.argText === '') return reply.error(E.missingArguments);
  if (cmd.params.length > 1) return reply.error(E.tooManyArguments);
  if (!/^\d{1,20}$/.test(cmd.argText)) return reply.error(E.invalidArguments);
  const seconds = Number(cmd.argText);
  if (seconds > TIME_MAX_SECONDS) return reply.error(TIME_OUT_OF_RANGE_ERROR);
  ctx.clock.set(seconds);
  reply.ok();
};

const ntp: CommandHandler = (ctx, _req, reply) => {
  if (NTP_SYNCS_TO_DESKTOP_TIME) ctx.clock.set(Math.floor(Date.now() / 1000));
  reply.ok();
};

export const timeCommands: CommandTable = {
  'AT+S.TIME': time,
  'AT+S.NTP': ntp,
};
