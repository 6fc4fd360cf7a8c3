// AT+S.HTTPGET / AT+S.HTTPPOST=<host>,[<path>],[<port>],[<TLS>],[<usn>],[<pwd>],[<DownFile>],[<UpFile>]
// (AN §3.1.7 table 6, doc §5.7, §9.9): the request goes out through http-client.ts; the answer is the status
// line, the response bytes, AT-S.OK (or AT-S.ERROR). Choices: choices.ts "HTTP client".

import {
  FOTA_DEFAULT_PORTS, HTTP_AUTO_TLS_PORT, HTTP_NO_LINK_ERROR, HTTP_POST_CONTENT_TYPE, HTTP_UNSUPPORTED_FILE_ERROR,
  fotaStatusLine,
} from './choices';
import type { CommandHandler, CommandTable } from './command-context';
import { serviceEnvironment } from './command-context';
import { isAbsent, parseCount } from './command-line';
import { E, FS } from './errors';
import { httpExchange } from './http-client';

function httpCommand(method: 'GET' | 'POST'): CommandHandler {
  return async (ctx, { cmd }, reply) => {
    const [host, path, portText, tlsText, user, password, downFile, upFile] = cmd.params;
    if (isAbsent(host)) return reply.error(E.missingArguments);
    if (cmd.params.length > 8) return reply.error(E.tooManyArguments);
    const tlsOption = isAbsent(tlsText) ? 0 : parseCount(tlsText);
    if (tlsOption === undefined || tlsOption > 2) return reply.error(E.invalidArguments);
    const port = isAbsent(portText) ? FOTA_DEFAULT_PORTS[tlsOption]! : parseCount(portText);
    if (port === undefined || port < 1 || port > 65535) return reply.error(E.invalidArguments);
    if (!isAbsent(downFile) || (method === 'GET' && !isAbsent(upFile))) return reply.error(HTTP_UNSUPPORTED_FILE_ERROR);
    let body: string | undefined;
    if (method === 'POST') {
      body = '';
      if (!isAbsent(upFile)) {
        const file = ctx.files.read(upFile!, 0, undefined);
        if (typeof file === 'number') return reply.error(FS.cannotOpen);
        body = file.data;
      }
    }
    if (!ctx.radio.lease) return reply.error(HTTP_NO_LINK_ERROR);
    const code = await httpExchange({
      method,
      host: host!,
      path: isAbsent(path) ? '/' : path!.startsWith('/') ? path! : '/' + path,
      port,
      secure: tlsOption === 2 || (tlsOption === 1 && port === HTTP_AUTO_TLS_PORT),
      user: isAbsent(user) ? '' : user!,
      password: isAbsent(password) ? '' : password!,
      body,
      contentType: HTTP_POST_CONTENT_TYPE,
    }, serviceEnvironment(ctx), {
      status: (status) => reply.line(fotaStatusLine(status)),
      data: (bytes) => reply.raw(bytes),
    });
    if (code === undefined) reply.ok();
    else reply.error(code);
  };
}

export const httpCommands: CommandTable = {
  'AT+S.HTTPGET': httpCommand('GET'),
  'AT+S.HTTPPOST': httpCommand('POST'),
};
