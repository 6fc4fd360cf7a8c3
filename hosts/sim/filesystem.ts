// The module's RAM disk: the volume AT+S.FSC writes to. Files are byte strings; the limits (file size,
// volume size, name length) and the error each one earns are in choices.ts. Operations answer 0 on
// success or the module's error code, so that the commands only translate.

import {
  FILE_NAME_MAX, FILE_SIZE_MAX, FILE_TOO_LARGE_ERROR, FSC_APPENDS_TO_EXISTING, FSL_MISSING_FILE_ERROR,
  NAME_TOO_LONG_ERROR, RAM_DISK_BYTES, RAM_DISK_VOLUME,
} from './choices';
import { FS } from './errors';

export interface SimFileInfo {
  volume: string;
  name: string;
  size: number;
}

export class RamDisk {
  /** Insertion order is the listing order. */
  private files = new Map<string, string>();

  /** Boot: a RAM disk does not survive it. */
  clear(): void {
    this.files.clear();
  }

  list(): SimFileInfo[] {
    return [...this.files].map(([name, data]) => ({ volume: RAM_DISK_VOLUME, name, size: data.length }));
  }

  /** FSL=<name>: the one file, or an error code. */
  stat(name: string): SimFileInfo | number {
    const data = this.files.get(name);
    return data === undefined ? FSL_MISSING_FILE_ERROR : { volume: RAM_DISK_VOLUME, name, size: data.length };
  }

  get used(): number {
    let n = 0;
    for (const data of this.files.values()) n += data.length;
    return n;
  }

  /** FSC: create, or append to an existing file. */
  create(name: string, data: string): number {
    if (name.length > FILE_NAME_MAX) return NAME_TOO_LONG_ERROR;
    const before = this.files.get(name) ?? '';
    const content = (FSC_APPENDS_TO_EXISTING ? before : '') + data;
    if (content.length > FILE_SIZE_MAX) return FILE_TOO_LARGE_ERROR;
    if (this.used - before.length + content.length > RAM_DISK_BYTES) return FS.cannotAccessFilesystem;
    this.files.set(name, content);
    return 0;
  }

  delete(name: string): number {
    return this.files.delete(name) ? 0 : FS.cannotDelete;
  }

  /** FSR; the renamed file keeps its place in the listing's order only if the name is unchanged. */
  rename(from: string, to: string): number {
    const data = this.files.get(from);
    if (data === undefined || to.length > FILE_NAME_MAX || (to !== from && this.files.has(to))) return FS.cannotRename;
    this.files.delete(from);
    this.files.set(to, data);
    return 0;
  }

  /** FSP: up to `length` bytes from `offset` (to the end when length is undefined), or an error code. */
  read(name: string, offset: number, length: number | undefined): { data: string; size: number } | number {
    const data = this.files.get(name);
    if (data === undefined) return FS.cannotOpen;
    if (offset > data.length) return FS.cannotSeek;
    const end = length === undefined ? data.length : Math.min(data.length, offset + length);
    return { data: data.substring(offset, end), size: data.length };
  }
}
