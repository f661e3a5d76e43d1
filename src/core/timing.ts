// Time in the policy: embargoes and the release-time promise.
import type { Severity } from './schema.ts';
import type { Policy } from './policy.ts';

const DAY = 24 * 3600 * 1000;

/** Published in the future: nothing of it may appear anywhere public yet. */
export const isEmbargoed = (published: string, now: Date) => Date.parse(published) > now.getTime();

/** Whole days from the report to publication. */
export const daysToRelease = (reported: string, published: string) => Math.floor((Date.parse(published) - Date.parse(`${reported}T00:00:00Z`)) / DAY);

/** The policy's deadline for a severity, when it sets one. */
export const deadlineOf = (policy: Policy, severity: Severity) => policy.timelines.find((t) => t.severity === severity && t.days !== null);
