import { CliIo, EXIT_OK, wantsHelp } from './cli-args';
export const FLASH_SUMMARY = ['upload the device modules (and certificates, an application) to a board'];
export const FLASH_USAGE = 'usage: spwf04 flash --port <device>';
export function runFlashCommand(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) { io.out(FLASH_USAGE); return Promise.resolve(EXIT_OK); }
  io.err('not yet');
  return Promise.resolve(1);
}
