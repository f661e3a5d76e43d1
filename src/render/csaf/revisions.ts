// The CSAF tracking: revision history, version and status, from the advisory's committed versions.
//
// A revision is what the mailing list tells apart (render/mail-revision.ts): a change of a material
// field (title, summary, severity, CVSS, affected, patched, withdrawal). Wording, references and
// credits change the document's current_release_date, never its version. The mapping:
// - revision 1 is the advisory as it was published, dated `published`: the last version committed by
//   then (an embargoed draft's edits are not revisions), or the first committed after it;
// - each later committed version whose material differs from the revision before it is the next one,
//   dated by its commit (never before the revision before it: committer dates need not be monotonic);
// - a material change in the working tree not yet committed is the last revision, dated `modified`,
//   and makes the status `interim`: the advisory is being updated; otherwise it is `final`;
// - without history (no repository, a shallow clone, a file not yet committed): revision 1 at
//   `published`;
// - a withdrawal is always a revision of its own: an advisory first committed already withdrawn is
//   published without it at `published`, then withdrawn at the withdrawal's date.
import type { Advisory } from '../../core/advisory.ts';
import type { CommittedVersion } from '../../core/history.ts';
import { changedFields, material, type Material } from '../mail-revision.ts';

export interface Revision {
  date: string;
  number: string;
  summary: string;
}

export interface Tracking {
  status: 'final' | 'interim';
  version: string;
  initial: string;
  current: string;
  revisions: Revision[];
}

const later = (a: string, b: string) => (a > b ? a : b);
const same = (x: Material, y: Material) => JSON.stringify(x) === JSON.stringify(y);

function summaryOf(before: Material | null, after: Material): string {
  if (!before) return 'Initial version';
  if (after.withdrawn && !before.withdrawn) return `Withdrawn: ${after.withdrawn.reason}`;
  return `Changed: ${changedFields(before, after).join(', ')}`;
}

export function tracking(a: Advisory, history: readonly CommittedVersion[] | undefined): Tracking {
  const current = material(a);
  const states: { date: string; m: Material }[] = [];
  let interim = false;
  if (history && history.length > 0) {
    let initial: Material | null = null;
    for (const v of history) {
      const m = v.frontmatter ? material({ ...v.frontmatter, id: a.id }) : current;
      const last = states.at(-1);
      if (!last) {
        // Published at `published` with what was committed by then, or with the first commit after it.
        if (v.at <= a.published) initial = m;
        else states.push({ date: a.published, m: initial ?? m }, ...(initial && !same(initial, m) ? [{ date: later(v.at, a.published), m }] : []));
      } else if (!same(last.m, m)) states.push({ date: later(v.at, last.date), m });
    }
    if (states.length === 0) states.push({ date: a.published, m: initial ?? current });
    const first = states[0]!.m;
    if (first.withdrawn) states.splice(0, 1, { date: a.published, m: { ...first, withdrawn: null } }, { date: later(first.withdrawn.at, a.published), m: first });
    const last = states.at(-1)!;
    if (!same(last.m, current)) {
      states.push({ date: later(a.modified, last.date), m: current });
      interim = true;
    }
  } else {
    const { withdrawn, ...rest } = current;
    states.push({ date: a.published, m: { ...rest, withdrawn: null } });
    if (withdrawn) states.push({ date: later(withdrawn.at, a.published), m: current });
  }
  for (let i = 1; i < states.length; i++) states[i]!.date = later(states[i]!.date, states[i - 1]!.date);
  const revisions = states.map((s, i) => ({ date: s.date, number: String(i + 1), summary: summaryOf(states[i - 1]?.m ?? null, s.m) }));
  const newest = revisions.at(-1)!;
  return { status: interim ? 'interim' : 'final', version: newest.number, initial: a.published, current: later(a.modified, newest.date), revisions };
}
