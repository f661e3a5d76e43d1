// A rebuild's file work follows the change, not the site's size: a file whose new bytes are exactly
// those of the live site's file at the same path becomes a hard link to it instead of a new file.
// Compared by content, byte for byte (never by size or time stamp); only regular files are taken, so
// a link or anything else planted in the live site is never carried. Writing tens of thousands of
// files, and the disk flush of their data, is most of a rebuild's time otherwise.
import { linkSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { putFile, type PutFile } from '../publish/write-site.ts';

export interface LinkStats {
  linked: number;
  written: number;
}

export function linkUnchanged(out: string, stats: LinkStats): PutFile {
  return (full, bytes, path) => {
    const live = join(out, path);
    try {
      const info = lstatSync(live);
      if (info.isFile() && info.size === bytes.byteLength && readFileSync(live).equals(bytes)) {
        linkSync(live, full);
        stats.linked++;
        return;
      }
    } catch {
      // not there, or not readable: written afresh
    }
    putFile(full, bytes, path);
    stats.written++;
  };
}
