// Writes the site atomically: everything goes into a temporary folder beside `out` (same file
// system, so rename is atomic), is fsynced, then swapped in by rename. The old site is renamed
// aside and removed only after the new one is in place; any failure leaves the old site as it was.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SiteFiles } from '../render/site-input.ts';

/** Marks a folder as a site we built, so a rebuild may replace it (and nothing else). */
export const SITE_MARKER = '.advisories-site';
const MARKER_TEXT = 'Built by `advisories build`. This whole folder is replaced on every build.\n';

export class SiteWriteError extends Error {}

const WRITE_BATCH = 32;

async function writeDurably(path: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const exists = (path: string) => stat(path).then((s) => s, () => null);

/** Refuse to replace a folder that is neither empty nor a site we built: it may be someone's work. */
async function checkReplaceable(out: string): Promise<boolean> {
  const s = await exists(out);
  if (!s) return false;
  if (!s.isDirectory()) throw new SiteWriteError(`${out} exists and is not a folder`);
  const names = await readdir(out);
  if (names.length > 0 && !names.includes(SITE_MARKER)) {
    throw new SiteWriteError(`${out} is not empty and was not written by \`advisories build\` (no ${SITE_MARKER} in it); not replacing it`);
  }
  return true;
}

export async function writeSite(out: string, files: SiteFiles): Promise<void> {
  for (const path of files.keys()) {
    if (path.startsWith('/') || path.split('/').some((p) => p === '..' || p === '' || p === '.')) throw new Error(`bad site path ${path}`);
  }
  const replacing = await checkReplaceable(out);
  const parent = dirname(out);
  await mkdir(parent, { recursive: true });
  const temp = await mkdtemp(join(parent, `.${basename(out)}.tmp-`));
  try {
    await chmod(temp, 0o755); // mkdtemp makes it private; a web server must read the site
    const entries = [...files, [SITE_MARKER, MARKER_TEXT] as const].map(([path, content]) => [join(temp, path), content] as const);
    const dirs = [...new Set([temp, ...entries.map(([full]) => dirname(full))])].sort();
    for (const dir of dirs) await mkdir(dir, { recursive: true });
    // fsync one file at a time would make a large site slow; a few in flight let the disk batch them.
    for (let i = 0; i < entries.length; i += WRITE_BATCH) {
      // allSettled: nothing may still be writing into the folder when a failure removes it.
      const results = await Promise.allSettled(entries.slice(i, i + WRITE_BATCH).map(([full, content]) => writeDurably(full, content)));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
    for (const dir of dirs.reverse()) await syncDir(dir);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  const aside = join(parent, `.${basename(out)}.old-${randomBytes(4).toString('hex')}`);
  try {
    if (replacing) await rename(out, aside);
    try {
      await rename(temp, out);
    } catch (error) {
      if (replacing) await rename(aside, out); // put the old site back
      throw error;
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await syncDir(parent);
  if (replacing) await rm(aside, { recursive: true, force: true });
}
