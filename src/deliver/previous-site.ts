// The previous build's site, as far as it can be trusted: the files its marker lists (path, digest,
// size, and the key of the input each was rendered from) that nobody has touched since (same size,
// mtime not after the marker's). A rebuild hard-links those instead of writing, or rendering, them
// again; anything edited, missing or unlisted is simply made afresh.
import { lstatSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PreviousOutputs } from '../render/site-input.ts';
import { readZipEntries, type ZipEntry } from '../render/zip.ts';

/** Marks a folder as a site we built, so a rebuild may replace it (and nothing else). */
export const SITE_MARKER = '.advisories-site';

export interface Listed {
  digest: string;
  size: number;
  key?: string;
}

/** A file's line in the marker; readPreviousSite reads it back. */
export const listingLine = (path: string, { digest, size, key }: Listed) => `${path}\t${digest}\t${size}${key ? `\t${key}` : ''}`;

export interface PreviousSite extends PreviousOutputs {
  dir: string;
  /** The listing of a file that is still exactly as the previous build wrote it. */
  intact(path: string): Listed | undefined;
}

export async function readPreviousSite(dir: string, archive = 'osv/all.zip'): Promise<PreviousSite | undefined> {
  let text: string;
  let builtAt: number;
  try {
    const marker = join(dir, SITE_MARKER);
    [text, builtAt] = await Promise.all([readFile(marker, 'utf8'), stat(marker).then((s) => s.mtimeMs)]);
  } catch {
    return undefined;
  }
  const listed = new Map<string, Listed>();
  for (const line of text.split('\n').slice(1)) {
    const [path, digest, size, key] = line.split('\t');
    if (path && digest && size) listed.set(path, { digest, size: Number(size), ...(key ? { key } : {}) });
  }
  const checked = new Map<string, Listed | undefined>();
  const intact = (path: string): Listed | undefined => {
    if (checked.has(path)) return checked.get(path);
    const entry = listed.get(path);
    let ok = false;
    if (entry) {
      // Synchronous: tens of thousands of tiny stats cost more as promises than as calls.
      try {
        const info = lstatSync(join(dir, path));
        ok = info.isFile() && info.size === entry.size && info.mtimeMs <= builtAt;
      } catch {
        ok = false;
      }
    }
    checked.set(path, ok ? entry : undefined);
    return ok ? entry : undefined;
  };
  let zip: Map<string, ZipEntry> | undefined;
  return {
    dir,
    intact,
    keyOf: (path) => intact(path)?.key,
    zipEntry(name) {
      if (!zip) {
        try {
          zip = intact(archive) ? readZipEntries(readFileSync(join(dir, archive))) : new Map();
        } catch {
          zip = new Map();
        }
      }
      return zip.get(name);
    },
  };
}
