import { cvssAgreesWithSeverity, releaseTimeKept, supportedLinesPatched } from './policy.ts';
import type { Rule } from '../context.ts';
import { bodyHasSections } from './body.ts';
import { datesInOrder } from './dates.ts';
import { headerSafeText, idMatchesFileName, idMatchesPrefix, packageKnown } from './identity.ts';
import { patchedOutsideAffected, rangesAreValid } from './versions.ts';

/** Every per-advisory rule, in reporting order. Cross-file rules live in cross-file.ts. */
export const RULES: Rule[] = [
  idMatchesPrefix,
  idMatchesFileName,
  packageKnown,
  headerSafeText,
  rangesAreValid,
  patchedOutsideAffected,
  datesInOrder,
  bodyHasSections,
  cvssAgreesWithSeverity,
  supportedLinesPatched,
  releaseTimeKept,
];
