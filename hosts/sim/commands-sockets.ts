// Client socket commands: SOCKON, SOCKW (with payload), SOCKQ, SOCKR, SOCKC, SOCKL.

import {
  MAX_CLIENT_SOCKETS, MAX_TLS_CLIENT_SOCKETS, SOCK_UNKNOWN_ID_ERROR, SOCKC_PRINTS_WIND58, SOCKON_TLS_ERROR,
  SOCKON_WITHOUT_LINK_ERROR, SOCKR_CAPS_TO_PENDING, SOCKW_UNKNOWN_ID_ERROR, socketListLine, TLS_OPEN_FAILURE_LINE,
  TLS_SOCKETS_EXHAUSTED_ERROR,
} from './choices';
import type { CommandHandler, CommandTable } from './command-context';
import { isAbsent, parseCount } from './command-line';
import { E } from './errors';
import type { SimSocketInfo, SocketKind } from './sockets';
import { TlsOpenError, type TlsClientParams } from './tls-client';

/** The socket a command names, or the error code to answer. */
function socketArg(ctx: Parameters<CommandHandler>[0], param: string | undefined, unknownIdError: number): SimSocketInfo | number {
  if (isAbsent(param)) return E.missingArguments;
  const id = parseCount(param);
  if (id === undefined) return E.invalidArguments;
  if (id >= MAX_CLIENT_SOCKETS) return unknownIdError;
  return ctx.sockets.find(id) ?? unknownIdError;
}

const open: CommandHandler = async (ctx, { cmd }, reply) => {
  const [host, portText, , kindText] = cmd.params;
  if (isAbsent(host) || isAbsent(portText) || isAbsent(kindText)) return reply.error(E.missingArguments);
  if (cmd.params.length > 4) return reply.error(E.tooManyArguments);
  const port = parseCount(portText);
  if (port === undefined || port < 1 || port > 65535) return reply.error(E.invalidArguments);
  // Table 4: t TCP, u UDP, s TLS with <host> as the expected name, anything else TLS with that name.
  const lower = kindText!.toLowerCase();
  const kind: SocketKind = lower === 't' || lower === 'u' ? lower : 's';
  const expectedName = lower === 's' ? host! : kindText!;
  if (!ctx.radio.lease) return reply.error(SOCKON_WITHOUT_LINK_ERROR);
  if (ctx.sockets.full) return reply.error(E.tooManySockets);
  if (kind === 's' && ctx.sockets.tlsCount >= MAX_TLS_CLIENT_SOCKETS) {
    ctx.noteTls({ role: 'client', peer: `${host}:${port}`, ok: false, why: `limit: ${MAX_TLS_CLIENT_SOCKETS} TLS sockets already` });
    return reply.error(TLS_SOCKETS_EXHAUSTED_ERROR);
  }
  const tlsParams: TlsClientParams | undefined = kind !== 's' ? undefined : {
    expectedName,
    credentials: ctx.tlsCredentials(),
    clockSeconds: () => ctx.clock.seconds(),
    handshakeTimeoutMs: ctx.timing.tlsHandshakeTimeoutMs,
  };
  let socket: SimSocketInfo;
  try {
    socket = await ctx.sockets.open(host!, port, kind, ctx.timing.connectTimeoutMs, tlsParams);
  } catch (e) {
    if (kind !== 's') return reply.error(E.failedToOpenSocket);
    ctx.noteTls({ role: 'client', peer: `${host}:${port}`, ok: false, why: e instanceof TlsOpenError ? e.message : 'connect: ' + (e as Error).message });
    if (TLS_OPEN_FAILURE_LINE !== undefined) reply.line(TLS_OPEN_FAILURE_LINE);
    return reply.error(SOCKON_TLS_ERROR);
  }
  if (kind === 's') ctx.noteTls({ role: 'client', peer: `${host}:${port}`, ok: true });
  reply.line(`AT-S.On:${socket.remoteIp}:${socket.id}`);
  reply.ok();
};

const write: CommandHandler = (ctx, { cmd, payload }, reply) => {
  const socket = socketArg(ctx, cmd.params[0], SOCKW_UNKNOWN_ID_ERROR);
  if (typeof socket === 'number') return reply.error(socket);
  const len = parseCount(cmd.params[1]);
  if (isAbsent(cmd.params[1])) return reply.error(E.missingArguments);
  if (len === undefined || cmd.params.length > 2) return reply.error(E.invalidArguments);
  if (!ctx.sockets.write(socket.id, payload)) return reply.error(E.socketNotConnected);
  reply.ok();
};

const query: CommandHandler = (ctx, { cmd }, reply) => {
  const socket = socketArg(ctx, cmd.params[0], SOCK_UNKNOWN_ID_ERROR);
  if (typeof socket === 'number') return reply.error(socket);
  reply.line(`AT-S.Query:${socket.pending}`);
  reply.ok();
};

const read: CommandHandler = (ctx, { cmd }, reply) => {
  const socket = socketArg(ctx, cmd.params[0], SOCK_UNKNOWN_ID_ERROR);
  if (typeof socket === 'number') return reply.error(socket);
  // An empty or missing <len> reads everything pending (GALLIUM sends `AT+S.SOCKR=0,`).
  const max = isAbsent(cmd.params[1]) ? undefined : parseCount(cmd.params[1]);
  if (!isAbsent(cmd.params[1]) && max === undefined) return reply.error(E.invalidArguments);
  const pendingBefore = socket.pending;
  if (!SOCKR_CAPS_TO_PENDING && max !== undefined && max > pendingBefore) return reply.error(E.invalidArguments);
  const data = ctx.sockets.read(socket.id, max);
  reply.line(`AT-S.Reading:${data.length}:${pendingBefore}`);
  reply.raw(data);
  reply.ok();
};

const close: CommandHandler = (ctx, { cmd }, reply) => {
  const socket = socketArg(ctx, cmd.params[0], SOCK_UNKNOWN_ID_ERROR);
  if (typeof socket === 'number') return reply.error(socket);
  if (socket.pending > 0) return reply.error(E.pendingData);
  ctx.sockets.close(socket.id, SOCKC_PRINTS_WIND58);
  reply.ok();
};

const list: CommandHandler = (ctx, _req, reply) => {
  for (const socket of ctx.sockets.list()) reply.line(socketListLine(socket));
  reply.ok();
};

export const socketCommands: CommandTable = {
  'AT+S.SOCKON': open,
  'AT+S.SOCKW': write,
  'AT+S.SOCKQ': query,
  'AT+S.SOCKR': read,
  'AT+S.SOCKC': close,
  'AT+S.SOCKL': list,
};
