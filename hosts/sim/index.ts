// The SPWF04S simulator: a Node model of the module behind its UART, for development without hardware.

export { SimModule } from './module';
export type { SimOptions, SimTiming } from './module';
export { SimNetwork, DEFAULT_ACCESS_POINT, DEFAULT_IPV4, DEFAULT_IPV6 } from './network';
export type { SimAccessPoint, SimNetworkOptions } from './network';
export type { SimSocketInfo } from './sockets';
export { DEFAULT_FIRMWARE } from './boot';
export type { SimServerInfo, SimServerClientInfo } from './servers';
export type { SimFileInfo } from './filesystem';
export { SimFaults } from './faults';
export type { ByteErrorRates } from './faults';
export { TcpUart } from './tcp-uart';
export type { SimCertItem, SimTlsItem, SimTlsCredentials } from './cert-store';
export type { SimTlsEvent } from './tls-trust';
export { SimNtp } from './ntp';
export { SimFota } from './fota';
export type { SimFotaCheck } from './fota';
