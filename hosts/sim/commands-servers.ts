// Server socket commands: SOCKDON, SOCKDQ, SOCKDR, SOCKDW (with payload), SOCKDC, SOCKDL.

import {
  serverClientListLine, SERVER_PORT_TAKEN_ERROR, SOCKDON_TLS_ERROR, SOCKDON_WITHOUT_LINK_ERROR,
  TOO_MANY_SERVERS_ERROR,
} from './choices';
import type { CommandHandler, CommandTable, SimContext } from './command-context';
import { isAbsent, parseCount } from './command-line';
import { E } from './errors';
import type { ServerKind, SimServerClientInfo, SimServerInfo, TlsServerOptions } from './servers';
import { tlsServerProblem } from './tls-server';

/** The server a command names, or the error code to answer. */
function serverArg(ctx: SimContext, param: string | undefined): SimServerInfo | number {
  if (isAbsent(param)) return E.missingArguments;
  const sid = parseCount(param);
  if (sid === undefined) return E.invalidArguments;
  return ctx.servers.find(sid) ?? E.illegalSocketId;
}

/** The client `<sid>,<cid>` names, or the error code to answer. */
function clientArg(ctx: SimContext, params: string[]): { sid: number; client: SimServerClientInfo } | number {
  const server = serverArg(ctx, params[0]);
  if (typeof server === 'number') return server;
  if (isAbsent(params[1])) return E.missingArguments;
  const cid = parseCount(params[1]);
  if (cid === undefined) return E.invalidArguments;
  const client = ctx.servers.findClient(server.sid, cid);
  return client ? { sid: server.sid, client } : E.illegalSocketId;
}

const open: CommandHandler = async (ctx, { cmd }, reply) => {
  const [portText, kindText] = cmd.params;
  if (isAbsent(portText) || isAbsent(kindText)) return reply.error(E.missingArguments);
  if (cmd.params.length > 2) return reply.error(E.tooManyArguments);
  const port = parseCount(portText);
  if (port === undefined || port < 1 || port > 65535) return reply.error(E.invalidArguments);
  const kind = kindText!.toLowerCase() as ServerKind;
  if (kind !== 't' && kind !== 'u' && kind !== 's1' && kind !== 's2') return reply.error(E.invalidArguments);
  let tlsOptions: TlsServerOptions | undefined;
  if (kind === 's1' || kind === 's2') {
    const credentials = ctx.tlsCredentials();
    const problem = tlsServerProblem(kind, credentials);
    if (problem) {
      ctx.noteTls({ role: 'server', peer: `:${port}`, ok: false, why: 'verify: ' + problem });
      return reply.error(SOCKDON_TLS_ERROR);
    }
    tlsOptions = {
      credentials,
      clockSeconds: () => ctx.clock.seconds(),
      handshakeTimeoutMs: ctx.timing.tlsHandshakeTimeoutMs,
      note: (ev) => ctx.noteTls(ev),
    };
  }
  if (!ctx.radio.lease) return reply.error(SOCKDON_WITHOUT_LINK_ERROR);
  if (ctx.servers.full) return reply.error(TOO_MANY_SERVERS_ERROR);
  if (ctx.servers.usesPort(port)) return reply.error(SERVER_PORT_TAKEN_ERROR);
  let server: SimServerInfo;
  try {
    server = await ctx.servers.open(port, kind, tlsOptions);
  } catch {
    return reply.error(SERVER_PORT_TAKEN_ERROR);
  }
  reply.line(`AT-S.On:${server.sid}`);
  reply.ok();
};

const query: CommandHandler = (ctx, { cmd }, reply) => {
  const target = clientArg(ctx, cmd.params);
  if (typeof target === 'number') return reply.error(target);
  reply.line(`AT-S.Query:${target.client.pending}`);
  reply.ok();
};

const read: CommandHandler = (ctx, { cmd }, reply) => {
  const target = clientArg(ctx, cmd.params);
  if (typeof target === 'number') return reply.error(target);
  // As SOCKR: an empty or missing <len> reads everything pending, more than pending reads what there is.
  const max = isAbsent(cmd.params[2]) ? undefined : parseCount(cmd.params[2]);
  if (!isAbsent(cmd.params[2]) && max === undefined) return reply.error(E.invalidArguments);
  const data = ctx.servers.read(target.sid, target.client.cid, max);
  reply.line(`AT-S.Reading:${data.length}:${target.client.pending}`);
  reply.raw(data);
  reply.ok();
};

const write: CommandHandler = (ctx, { cmd, payload }, reply) => {
  const target = clientArg(ctx, cmd.params);
  if (typeof target === 'number') return reply.error(target);
  if (isAbsent(cmd.params[2])) return reply.error(E.missingArguments);
  if (parseCount(cmd.params[2]) === undefined || cmd.params.length > 3) return reply.error(E.invalidArguments);
  if (!ctx.servers.write(target.sid, target.client.cid, payload)) return reply.error(E.socketNotConnected);
  reply.ok();
};

/** SOCKDC=<sid>,<cid> closes one client, SOCKDC=<sid> the server with all its clients; unread data → 77. */
const close: CommandHandler = (ctx, { cmd }, reply) => {
  if (cmd.params.length > 2) return reply.error(E.tooManyArguments);
  if (isAbsent(cmd.params[1])) {
    const server = serverArg(ctx, cmd.params[0]);
    if (typeof server === 'number') return reply.error(server);
    if (server.clients.some((c) => c.pending > 0)) return reply.error(E.pendingData);
    ctx.servers.close(server.sid);
    return reply.ok();
  }
  const target = clientArg(ctx, cmd.params);
  if (typeof target === 'number') return reply.error(target);
  if (target.client.pending > 0) return reply.error(E.pendingData);
  ctx.servers.closeClient(target.sid, target.client.cid);
  reply.ok();
};

const list: CommandHandler = (ctx, { cmd }, reply) => {
  let servers = ctx.servers.list();
  if (!isAbsent(cmd.params[0])) {
    const one = serverArg(ctx, cmd.params[0]);
    if (typeof one === 'number') return reply.error(one);
    servers = [one];
  }
  for (const s of servers) for (const c of s.clients) reply.line(serverClientListLine({ sid: s.sid, kind: s.kind, ...c }));
  reply.ok();
};

export const serverCommands: CommandTable = {
  'AT+S.SOCKDON': open,
  'AT+S.SOCKDQ': query,
  'AT+S.SOCKDR': read,
  'AT+S.SOCKDW': write,
  'AT+S.SOCKDC': close,
  'AT+S.SOCKDL': list,
};
