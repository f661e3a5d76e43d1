// loadProject plus what git knows: dates for `modified`, and, against a base ref, the review-time checks.
// Commands call this; loadProject itself stays free of git so its tests need no repository.
import { hasErrors } from '../core/diagnostic.ts';
import { compareWithBase, type BaseComparison } from './git/base.ts';
import { backdated, idCollisions } from './git/base-rules.ts';
import { gitDates, lastCommits } from './git/dates.ts';
import { toPosix } from './read-files.ts';
import type { SealKeys } from './open-sealed.ts';
import { loadProject, type Checker, type Project } from './project.ts';
import type { PolicyParser } from './security-md.ts';
import { basename } from 'node:path';

export interface HistoryOptions {
  root: string;
  now: Date;
  /** A ref such as origin/main: adds the id-collision and backdating checks for what this branch adds. */
  base?: string;
  /** How the files are checked (loadProject's checker). */
  checker?: Checker;
  /** How SECURITY.md is read (loadProject's policyParser). */
  policyParser?: PolicyParser;
  /** Keys to open sealed advisories (loadProject's). */
  keys?: SealKeys;
}

export interface ProjectWithHistory extends Project {
  comparison?: BaseComparison;
}

export async function loadProjectWithHistory({ root, now, base, checker, policyParser, keys }: HistoryOptions): Promise<ProjectWithHistory> {
  const [dates, comparison] = await Promise.all([gitDates(root), base ? compareWithBase(root, base) : undefined]);
  const project = await loadProject({ root, now, lastCommits: lastCommits(dates), ...(checker ? { checker } : {}), ...(policyParser ? { policyParser } : {}), ...(keys ? { keys } : {}) });
  const diagnostics = [...project.diagnostics, ...dates.diagnostics];
  if (comparison) {
    const ids = project.files.map((p) => toPosix(basename(p)).replace(/\.md$/, ''));
    diagnostics.push(...(await idCollisions(root, comparison, ids)), ...(await backdated(root, project, dates, comparison)));
  }
  return { ...project, diagnostics, ok: !hasErrors(diagnostics), ...(comparison ? { comparison } : {}) };
}
