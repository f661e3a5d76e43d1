// loadProject plus what git knows: dates for `modified`, and, against a base ref, the review-time checks.
// Commands call this; loadProject itself stays free of git so its tests need no repository.
import { hasErrors } from '../core/diagnostic.ts';
import { compareWithBase, type BaseComparison } from './git/base.ts';
import { backdated, idCollisions } from './git/base-rules.ts';
import { gitDates, lastCommits } from './git/dates.ts';
import { toPosix } from './read-files.ts';
import { loadProject, type Project, type ProjectOptions } from './project.ts';
import { basename } from 'node:path';

/** loadProject's options but the git dates, which come from here. */
export interface HistoryOptions extends Omit<ProjectOptions, 'lastCommits'> {
  /** A ref such as origin/main: adds the id-collision and backdating checks for what this branch adds. */
  base?: string;
}

export interface ProjectWithHistory extends Project {
  comparison?: BaseComparison;
}

export async function loadProjectWithHistory({ base, ...options }: HistoryOptions): Promise<ProjectWithHistory> {
  const { root } = options;
  const [dates, comparison] = await Promise.all([gitDates(root), base ? compareWithBase(root, base) : undefined]);
  const project = await loadProject({ ...options, lastCommits: lastCommits(dates) });
  const diagnostics = [...project.diagnostics, ...dates.diagnostics];
  if (comparison) {
    const ids = project.files.map((p) => toPosix(basename(p)).replace(/\.md$/, ''));
    diagnostics.push(...(await idCollisions(root, comparison, ids)), ...(await backdated(root, project, dates, comparison)));
  }
  return { ...project, diagnostics, ok: !hasErrors(diagnostics), ...(comparison ? { comparison } : {}) };
}
