// The whole library, as the Node and Moddable builds and the tests use it: the façade with every optional
// feature bundled in (the Espruino build loads them from Storage instead: hosts/espruino).

import { Host } from './host';
import { Connectivity, ConnectivityOptions } from './connectivity';
import * as servers from './features/servers';
import * as http from './features/http';
import * as smtp from './features/smtp';
import * as fota from './features/fota';
import * as net from './features/net';
import * as tls from './features/tls';
import * as certs from './features/certs';
import * as wps from './wifi/wps-join';
import * as eap from './wifi/eap-join';
import * as join from './features/join';

export { Connectivity } from './connectivity';
export type { ConnectivityOptions, TlsStoreFacts, FeatureLoader } from './connectivity';
export type { Host } from './host';
export { Engine } from './at/engine';
export { Link } from './wifi/link';
export type {
  Network, PskNetwork, EapCredentials, EapMethod, LinkOptions, LinkState, FailReason, LostCause, RecoveryStep, JoinError,
} from './wifi/link';
export { Sockets, Socket } from './net/sockets';
export { ModuleClock, CLOCK_FLOOR_SECONDS } from './time/module-clock';
export type { ModuleClockOptions } from './time/module-clock';
export { Servers, Server, ServerClient } from './net/servers';
export { Http, POST_FILE } from './net/http';
export type { HttpOptions, HttpResponse } from './net/http';
export { Smtp } from './net/smtp';
export type { HttpRequest, Mail } from './at/commands';
export { explainTlsOpenFailure, describeTlsChecks } from './net/tls-diagnosis';
export type { TlsOpenContext } from './net/tls-diagnosis';
export { FirmwareUpdater } from './fota/updater';
export { CertStore } from './certs/store';
export { Provisioner } from './certs/provision';
export { checkedProvisioner } from './certs/checked-plan';
export type { BoardCertificates } from './features/certs';
export type { FirmwareUpdateOptions, FirmwareUpdateResult, UpdateState, UpdateProgress, UpdaterOptions } from './fota/updater';
export { spwfError, isSpwfError } from './errors';
export type { SpwfError, ErrorCode } from './errors';
export { decodeWind } from './at/wind';
export type { WindEvent } from './at/wind';


/** Every optional feature, bundled. */
export function allFeatures(name: string): any {
  switch (name) {
    case 'servers': return servers;
    case 'http': return http;
    case 'smtp': return smtp;
    case 'fota': return fota;
    case 'net': return net;
    case 'tls': return tls;
    case 'certs': return certs;
    case 'wps': return wps;
    case 'eap': return eap;
    case 'join': return join;
    default: return undefined;
  }
}

export function createConnectivity(host: Host, opts?: ConnectivityOptions): Connectivity {
  return new Connectivity(host, Object.assign({ feature: allFeatures }, opts));
}
