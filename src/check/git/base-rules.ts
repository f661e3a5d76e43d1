// Checks that only make sense against a base ref, i.e. when reviewing a branch: id collisions and backdated new advisories.
import { diag } from '../../core/catalogue.ts';
import type { Diagnostic } from '../../core/diagnostic.ts';
import { nextId } from '../../core/schema.ts';
import type { GitDates } from './dates.ts';
import { placeOfKey } from '../check-file.ts';
import type { Project } from '../project.ts';
import { blobIds, type BaseComparison } from './base.ts';

const DAY = 24 * 3600 * 1000;
const stem = (file: string) => file.split('/').pop()!.replace(/\.md$/, '');

/** A file this branch adds whose id the base already uses for a different file: someone merged that id first. */
export async function idCollisions(root: string, cmp: BaseComparison, workingIds: readonly string[]): Promise<Diagnostic[]> {
  const added = [...cmp.changes].filter(([f, c]) => c === 'added' && cmp.baseFiles.has(f)).map(([f]) => f).sort();
  const blobs = await blobIds(root, added);
  const taken = new Set([...[...cmp.baseFiles.keys()].map(stem), ...workingIds]);
  const out: Diagnostic[] = [];
  for (const file of added) {
    if (blobs.get(file) === cmp.baseFiles.get(file)) continue; // the base already has this very advisory
    const id = stem(file);
    const [prefix, year] = id.split('-');
    const next = nextId([...taken], prefix!, Number(year));
    taken.add(next);
    out.push(diag('id-collision-base', file, await placeOfKey(root, file, 'id'), { id, base: cmp.ref, other: `${file} on ${cmp.ref}`, next }));
  }
  return out;
}

/**
 * A new advisory dated more than a day before its first commit looks backdated: readers would see it as old news.
 * Only files this branch adds are checked, so advisories imported from elsewhere warn once, in review, never after.
 */
export async function backdated(root: string, project: Project, dates: GitDates, cmp: BaseComparison): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const advisory of project.advisories) {
    const first = dates.files.get(advisory.file)?.first;
    if (cmp.changes.get(advisory.file) !== 'added' || !first) continue;
    const days = Math.floor((Date.parse(first) - Date.parse(advisory.published)) / DAY);
    if (days >= 1) out.push(diag('published-before-commit', advisory.file, await placeOfKey(root, advisory.file, 'published'), { published: advisory.published, first, days }));
  }
  return out;
}
