// The module's error codes (AT-S.ERROR:<code>:<text>) as typed values. Numbering from the protocol
// reference §2.1. A code not in this table is kept as it is, never collapsed into another.

/** The typed name of a module error code, e.g. 74 -> 'SocketOpenFailed'; 'Unknown<code>' when not known.
 *  The table is a string inside the function: on Espruino it stays in flash until an error is named. */
export function moduleErrorName(code: number): string {
  const table =
    ',1:CommandNotFound,2:MissingArgument,4:VariableNotFound,6:TooManyArguments,7:InvalidArgument,' +
  '18:RadioNotRunning,19:GpioDirection,20:InvalidGpio,21:Gpio6Sleep,22:GpioWps,23:Gpio10Led,24:GpioSpi,' +
  '25:VoltageNotAllowed,26:FrequencyNotSupported,27:DutyCycleNotSupported,28:PwmNotRunning,29:VolumeNotMounted,' +
  '32:ArgumentTooLong,33:ArgumentZero,39:WpsPinLength,40:ScanInProgress,41:ScanFailed,42:HardwareBusy,' +
  '43:HardwareStarting,44:PwmSetting,47:AdcFailed,50:FilesystemAccess,51:FileOpen,52:FileSeek,53:FileRead,' +
  '54:FileClose,55:FileRename,56:FileDelete,57:DirectoryOpen,58:DirectoryRead,59:VolumeUnmount,' +
  '60:IpNotReady,61:IpRenewRefused,62:IpRenewFailed,63:DnsBusy,64:DnsStartFailed,65:DnsAddressFailure,' +
  '66:DateTimeUpdate,72:SocketClosed,73:PortInUse,74:SocketOpenFailed,75:TooManySockets,76:IllegalSocketId,' +
  '77:PendingData,78:SocketNotConnected,79:WriteFailed,80:NoHttpClient,81:HttpClientBusy,82:HttpClientRelease,' +
  '91:LowMemory,99:ScanAborted,100:FlashRead,101:FlashWrite,110:MfgTestFailed,111:RequestFailed';
  const key = ',' + code + ':';
  const at = table.indexOf(key); // fits
  if (at < 0 || at + key.length > table.length) return 'Unknown' + code;
  const from = at + key.length;
  const end = table.indexOf(',', from);
  return table.substring(from, end < 0 ? table.length : end);
}
