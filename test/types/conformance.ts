/// <reference path="../../types/spwf04.d.ts" />
// Type-only: the real implementation must satisfy the application typings in types/ (checked by
// typings.test.ts with types/spwf04.d.ts loaded), so the typings cannot drift from src/.
import type { Connectivity } from '../../src/connectivity';
import type { Socket } from '../../src/net/sockets';
import type { Server, ServerClient } from '../../src/net/servers';
import type { Http } from '../../src/net/http';
import type { SpwfError } from '../../src/errors';

declare const connectivity: Connectivity;
declare const socket: Socket;
declare const server: Server;
declare const client: ServerClient;
declare const http: Http;
declare const error: SpwfError;

export const checks: [Spwf04.Connectivity, Spwf04.Socket, Spwf04.Server, Spwf04.ServerClient, Spwf04.Http, Spwf04.SpwfError, Spwf04.Link] =
  [connectivity, socket, server, client, http, error, connectivity.link];
