// Every per-advisory rule, one per file named after it, in reporting order. Cross-file rules live in
// ../cross-file.ts. Each rule carries its ok / not-ok fixtures, which test/check/rules.test.ts runs.
import { rule as bodySectionMissing } from './body-section-missing.ts';
import { rule as cvssInvalid } from './cvss-invalid.ts';
import { rule as cvssSeverityMismatch } from './cvss-severity-mismatch.ts';
import { rule as dateOrder } from './date-order.ts';
import { rule as embargoClear } from './embargo-clear.ts';
import { rule as headerUnsafeText } from './header-unsafe-text.ts';
import { rule as idFileMismatch } from './id-file-mismatch.ts';
import { rule as idFormat } from './id-format.ts';
import { rule as packageRequired } from './package-required.ts';
import { rule as patchedInAffected } from './patched-in-affected.ts';
import { rule as placeholderText } from './placeholder-text.ts';
import { rule as releaseTimeExceeded } from './release-time-exceeded.ts';
import { rule as semverRangeInvalid } from './semver-range-invalid.ts';
import { rule as semverVersionInvalid } from './semver-version-invalid.ts';
import { rule as supportedLineUnpatched } from './supported-line-unpatched.ts';
import { rule as unsupportedOnly } from './unsupported-only.ts';

export const RULES = [
  idFormat,
  idFileMismatch,
  packageRequired,
  headerUnsafeText,
  placeholderText,
  semverRangeInvalid,
  semverVersionInvalid,
  patchedInAffected,
  dateOrder,
  bodySectionMissing,
  cvssInvalid,
  cvssSeverityMismatch,
  supportedLineUnpatched,
  unsupportedOnly,
  releaseTimeExceeded,
  embargoClear,
] as const;

/** Rules whose diagnostics hold only while the advisory is embargoed: project.ts keeps them by the clock. */
export const CLOCKED_RULES: ReadonlySet<string> = new Set(RULES.filter((r) => r.whileEmbargoed).map((r) => r.id));
