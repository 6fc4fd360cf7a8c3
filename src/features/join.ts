// Optional module "join" (on Espruino the Storage module "spwf04-join"): what a join writes into the module,
// only where it differs (src/wifi/configure.ts). The link loads it for each join and frees it once the join
// has settled (LinkOptions.release), so it costs nothing while the link is up. See JoinModule in
// src/wifi/link.ts.

export { configure, forget, settingsOf } from '../wifi/configure';
