// The policy a project states in SECURITY.md, as check/security-md.ts reads it: the supported lines
// and the release-time promise per severity.
import { z } from 'zod';
import { Severity } from './schema.ts';

export const SupportedLine = z.object({
  /** As written in the table, e.g. `1.x.x`. */
  spec: z.string(),
  /** The semver range it stands for. */
  range: z.string(),
  supported: z.boolean(),
  line: z.number(),
  /** What the status cell says beyond yes or no, e.g. `security fixes only, until 2027-06-30`. */
  note: z.string().optional(),
});

export const Timeline = z.object({
  severity: Severity,
  /** As written, e.g. `Within 7 days`. */
  text: z.string(),
  /** Deadline from report to release in days; null when the policy sets none (next regular release). */
  days: z.number().nullable(),
});

export const Policy = z.object({ lines: z.array(SupportedLine), timelines: z.array(Timeline) });

export type SupportedLine = z.infer<typeof SupportedLine>;
export type Timeline = z.infer<typeof Timeline>;
export type Policy = z.infer<typeof Policy>;
