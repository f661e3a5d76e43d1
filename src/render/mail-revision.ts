// A "revision" of an advisory, as far as the mailing list is concerned: a hash over the fields whose
// change is material to a reader. Wording in the body, `modified`, references or credits are not
// material: changing only those never mails the list again (docs/mail.md, "Material updates").
import { createHash } from 'node:crypto';
import type { Advisory } from '../core/advisory.ts';

export type Material = Pick<Advisory, 'id' | 'title' | 'summary' | 'severity' | 'affected' | 'patched'> & {
  cvss: string | null;
  withdrawn: { at: string; reason: string } | null;
};

export const MATERIAL_LABELS: Record<Exclude<keyof Material, 'id'>, string> = {
  title: 'title',
  summary: 'summary',
  severity: 'severity',
  cvss: 'CVSS',
  affected: 'affected versions',
  patched: 'patched versions',
  withdrawn: 'withdrawal',
};

/** Of an advisory, or of a committed version's frontmatter (the CSAF revision history). */
export function material(a: Pick<Advisory, 'id' | 'title' | 'summary' | 'severity' | 'cvss' | 'affected' | 'patched' | 'withdrawn'>): Material {
  return {
    id: a.id,
    title: a.title.trim(),
    summary: a.summary.trim(),
    severity: a.severity,
    cvss: a.cvss ?? null,
    affected: [...a.affected],
    patched: [...a.patched],
    withdrawn: a.withdrawn ? { at: a.withdrawn.at, reason: a.withdrawn.reason.trim() } : null,
  };
}

/** Key order is fixed by `material()`, so the JSON (and the hash) is stable. */
export function revisionOf(m: Material): string {
  return createHash('sha256').update(JSON.stringify(m)).digest('hex').slice(0, 16);
}

/** Which material fields differ, for the "what changed" line of an update. */
export function changedFields(before: Material, after: Material): string[] {
  return (Object.keys(MATERIAL_LABELS) as (keyof typeof MATERIAL_LABELS)[])
    .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .map((k) => MATERIAL_LABELS[k]);
}
