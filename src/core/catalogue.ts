// The one catalogue of problems: what happened, why it matters, what to do.
// Rule ids are a public interface (CI annotations, docs, tests): never rename one.
import { START, type Diagnostic, type Level, type Place } from './diagnostic.ts';

type Params = Record<string, string | number | undefined>;

interface Entry {
  severity: Level;
  message: (p: Params) => string;
  hint?: (p: Params) => string;
}

export const catalogue = {
  // --- files
  'file-unreadable': {
    severity: 'error',
    message: (p) => `Cannot read ${p.what ?? 'this file'}: ${p.reason}`,
    hint: (p) => (p.fix ? String(p.fix) : 'Check that the path exists and that its permissions let you read it.'),
  },
  'file-empty': {
    severity: 'error',
    message: () => 'The advisory file is empty',
    hint: () => 'Start from `advisories new --title … --severity …`, which writes a complete template.',
  },
  'file-binary': {
    severity: 'error',
    message: () => 'The file is not text: it contains NUL bytes',
    hint: () => 'Advisories are UTF-8 Markdown files; remove this file or replace it with the advisory text.',
  },
  'file-encoding': {
    severity: 'error',
    message: () => 'The file is not valid UTF-8',
    hint: () => 'Save the file as UTF-8 (most editors: "Save with encoding → UTF-8").',
  },
  'file-too-large': {
    severity: 'error',
    message: (p) => `The file is ${p.size} bytes, over the ${p.limit}-byte limit for one advisory`,
    hint: () => 'An advisory is a short text: move logs, dumps and proofs of concept to a reference link.',
  },
  'file-not-regular': {
    severity: 'error',
    message: (p) => `This is ${p.kind}, not a regular file: it was not read`,
    hint: () => 'Replace it with the advisory as an ordinary Markdown file, or remove it from advisories/.',
  },
  'symlink-outside': {
    severity: 'error',
    message: (p) => `The symbolic link points outside advisories/ (to ${p.target})`,
    hint: () => 'Replace the link with the advisory file itself: only files inside advisories/ are published.',
  },
  // --- frontmatter and YAML
  'frontmatter-missing': {
    severity: 'error',
    message: () => 'The advisory has no YAML frontmatter',
    hint: () => 'Begin the file with a line `---`, the fields (id, title, severity, …), and a closing `---`.',
  },
  'frontmatter-unclosed': {
    severity: 'error',
    message: () => 'The frontmatter fence `---` is never closed',
    hint: () => 'Add a line with only `---` after the last frontmatter field, before the Markdown body.',
  },
  'yaml-syntax': {
    severity: 'error',
    message: (p) => `Invalid YAML: ${p.reason}`,
    hint: () => 'Quote values that contain `: `, `#` or start with `*`, `&`, `!`, `[` or `{`; indent with spaces.',
  },
  'yaml-limit': {
    severity: 'error',
    message: (p) => `The frontmatter is too ${p.what} to read safely: ${p.reason}`,
    hint: (p) => String(p.fix),
  },
  'markdown-limit': {
    severity: 'error',
    message: (p) =>
      p.content !== undefined
        ? `The Markdown's lists and quotes are too long to read safely: past ${p.limit} markers and continuation lines`
        : `The Markdown nests quotes or lists ${p.depth} levels deep, past the ${p.limit} that are read safely`,
    hint: (p) =>
      p.content !== undefined
        ? 'Shorten the lists and quotes (an advisory needs a few dozen items at most); put a long listing, such as a log or a list of versions, in a code block or link to it.'
        : 'Flatten the quotes and lists to a few levels (readers cannot follow deeper ones either); put long nested material in a code block.',
  },
  'schema-unknown-key': {
    severity: 'error',
    message: (p) => `Unknown field \`${p.key}\`${p.suggestion ? `: did you mean \`${p.suggestion}\`?` : ''}`,
    hint: (p) =>
      p.suggestion ? `Rename it to \`${p.suggestion}\`.` : `Remove it; the known fields are: ${p.known}.`,
  },
  'schema-required': {
    severity: 'error',
    message: (p) => `Missing required field \`${p.key}\``,
    hint: (p) => `Add \`${p.key}:\` to the frontmatter${p.example ? `, for example \`${p.key}: ${p.example}\`` : ''}.`,
  },
  'schema-invalid': {
    severity: 'error',
    message: (p) => `\`${p.key}\`: ${p.reason}`,
    hint: (p) => (p.expected ? `Expected: ${p.expected}.` : 'See the frontmatter reference in the README.'),
  },
  // --- identity
  'id-format': {
    severity: 'error',
    message: (p) => `Id \`${p.id}\` does not have the form ${p.prefix}-YYYY-NNNN`,
    hint: (p) => `Use the project's prefix, the year and four or more digits, e.g. ${p.prefix}-2026-0001.`,
  },
  'id-file-mismatch': {
    severity: 'error',
    message: (p) => `Id \`${p.id}\` does not match the file name \`${p.file}\``,
    hint: (p) => `Rename the file to \`${p.id}.md\` or set \`id: ${p.stem}\`.`,
  },
  'id-duplicate': {
    severity: 'error',
    message: (p) => `Id \`${p.id}\` is also used by ${p.other}`,
    hint: () => 'Every advisory needs its own id: run `advisories new` to get the next free one.',
  },
  // --- versions
  'semver-range-invalid': {
    severity: 'error',
    message: (p) => `\`${p.range}\` is not a valid ${p.notation ?? 'semver range'}`,
    hint: (p) =>
      p.ecosystem && p.ecosystem !== 'npm'
        ? `Write ranges in ${p.ecosystem}'s notation, e.g. \`${p.example}\`; give several ranges as a YAML list.`
        : 'Write ranges as npm does: `>=1.2.0 <1.4.2`, `1.x`, `<0.9.0`, joined with `||` for several.',
  },
  'semver-version-invalid': {
    severity: 'error',
    message: (p) => `\`${p.version}\` is not a valid ${p.notation ?? 'semver version'}`,
    hint: (p) =>
      p.ecosystem && p.ecosystem !== 'npm'
        ? `Write the exact released version as ${p.ecosystem} does, e.g. \`${p.example}\`.`
        : 'Write the exact released version with three numbers, e.g. `1.4.2`.',
  },
  'patched-in-affected': {
    severity: 'error',
    message: (p) => `Patched version ${p.version} is inside the affected range \`${p.range}\``,
    hint: () => 'A fixed release cannot be affected: end the affected range before it (`<' + 'patched`), or fix the version.',
  },
  'supported-line-unpatched': {
    severity: 'error',
    message: (p) => `The affected range touches the supported line \`${p.line}\`, but no patched version is in that line`,
    hint: (p) => `Add the fixed release of the ${p.line} line to \`patched\`, or narrow \`affected\` if that line is not affected.`,
  },
  'unsupported-only': {
    severity: 'warning',
    message: () => 'The advisory affects only unsupported versions: no fix for unsupported versions will be released',
    hint: () => 'This is allowed; the outputs say so and advise upgrading to a supported line.',
  },
  // --- severity
  'cvss-invalid': {
    severity: 'error',
    message: (p) => `\`${p.vector}\` is not a valid CVSS vector: ${p.reason}`,
    hint: () => 'Give a complete base vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` or a CVSS:4.0 vector.',
  },
  'cvss-severity-mismatch': {
    severity: 'error',
    message: (p) => `CVSS ${p.version} base score ${p.score} rates \`${p.rating}\`, but severity is \`${p.severity}\``,
    hint: (p) => `Set \`severity: ${p.rating}\`, or correct the vector.`,
  },
  // --- dates and policy
  'date-order': {
    severity: 'error',
    message: (p) => `\`${p.later}\` (${p.laterValue}) is before \`${p.earlier}\` (${p.earlierValue})`,
    hint: () => 'Dates must run reported ≤ published ≤ modified (and withdrawn after published).',
  },
  'release-time-exceeded': {
    severity: 'warning',
    message: (p) =>
      `${p.severity} advisories must be released ${p.policy}; this one took ${p.days} days from report to publication`,
    hint: () => 'Publishing late is still right: note the reason in the advisory, and review the release process.',
  },
  embargoed: {
    severity: 'info',
    message: (p) => `Embargoed until ${p.published}: excluded from the site, the feeds and mail until then`,
  },
  'embargo-clear': {
    severity: 'error',
    message: (p) => `Embargoed until ${p.published}, but stored in clear text in a public repository: anyone can read it before its time`,
    hint: (p) =>
      `Run \`advisories seal ${p.file}\` (readers' keys in "seal.recipients" of the config), or set "visibility": "private" if only maintainers can read this repository. Already pushed? See docs/publishing.md, "Clear text in history".`,
  },
  'sealed-invalid': {
    severity: 'error',
    message: (p) => `This sealed advisory cannot be used: ${p.reason}`,
    hint: (p) => String(p.fix ?? 'Seal it again from the clear text with `advisories seal FILE`, or restore the file from git.'),
  },
  'sealed-no-key': {
    severity: 'warning',
    message: (p) => `Sealed until ${p.published}: only its id and publish time were checked, there is no key to read the rest`,
    hint: () => 'Set ADVISORIES_AGE_IDENTITY (a CI secret) or ADVISORIES_AGE_IDENTITY_FILE to one of the recipients\' keys to check it all.',
  },
  'sealed-due-no-key': {
    severity: 'warning',
    message: (p) => `Sealed, and its publish time ${p.published} has come, but there is no key to read it: build and notify refuse to run without one`,
    hint: () => 'Give this run a recipient\'s key (ADVISORIES_AGE_IDENTITY), or run `advisories unseal --published` with one and commit the clear text.',
  },
  'header-unsafe-text': {
    severity: 'error',
    message: (p) => `\`${p.key}\` contains ${p.what}`,
    hint: (p) =>
      p.codePoint
        ? `Delete the invisible ${p.codePoint} from \`${p.key}\` (retype the text around it): it reaches mail subjects, feeds and pages, where it can make the text read differently from what it is.`
        : `Put \`${p.key}\` on one line of plain text: it goes into mail headers and feed titles.`,
  },
  'placeholder-text': {
    severity: 'error',
    message: (p) => `\`${p.key}\` still holds placeholder text (${p.found})`,
    hint: (p) => `Replace it with the real ${p.what} before merging: an unedited draft would be published and mailed at its embargo date.`,
  },
  'check-skipped': {
    severity: 'info',
    message: (p) => `\`${p.rule}\` was skipped where it needs \`${p.key}\`, which is not valid`,
    hint: (p) => `Fix \`${p.key}\` first; \`${p.rule}\` runs as soon as it is valid.`,
  },
  'body-section-missing': {
    severity: 'error',
    message: (p) => `The body has no \`## ${p.section}\` section`,
    hint: (p) => `Add a \`## ${p.section}\` heading: readers and the mail look for it.`,
  },
  // --- project files
  'policy-missing': {
    severity: 'error',
    message: () => 'SECURITY.md is missing (looked in .github/, the project root and docs/, as GitHub does)',
    hint: () => 'Add SECURITY.md in one of those places with a "Supported Versions" table; see the README.',
  },
  'policy-no-supported-table': {
    severity: 'error',
    message: () => 'SECURITY.md has no supported-versions table under a "Supported Versions" heading',
    hint: () => 'Add a heading `## Supported Versions` followed by a table: `| Version | Supported |`, one row per line.',
  },
  'policy-invalid-row': {
    severity: 'error',
    message: (p) => `Supported-versions row \`${p.row}\`: ${p.reason}`,
    hint: (p) =>
      p.part === 'mark'
        ? `Write the status \`${p.mark}\` as ✅ / :white_check_mark: / Yes / Supported / Security fixes only or ❌ / :x: / No / End of life, a note after it if you like (\`✅ (until 2027-06-30)\`); the version is fine.`
        : 'Write the version as a line (`3.x`, `3.1.x (latest)`, `3.0+`, `>= 2.0, < 3.0`, `< 1.0`) and the status as ✅ / :white_check_mark: / Yes / Supported / Security fixes only or ❌ / :x: / No / End of life, a note after it if you like (`✅ (until 2027-06-30)`).',
  },
  'policy-invalid-timeline': {
    severity: 'warning',
    message: (p) => `Security-updates entry \`${p.text}\` is not understood: ${p.reason}`,
    hint: () => 'Write entries as `**High**: Within 7 days`, `Immediate release` or `Next regular release`.',
  },
  'config-invalid': {
    severity: 'error',
    message: (p) => `${p.key ? `\`${p.key}\`: ` : ''}${p.reason}`,
    hint: (p) => String(p.fix ?? 'See "Configuration" in the README for every field of advisories.config.json.'),
  },
  'subscriber-header': {
    severity: 'error',
    message: (p) => `The subscriber list must start with the header \`${p.columns}\``,
    hint: () => 'One subscriber per line after it: address, minimum severity (empty: all), semver range of the versions they run (empty: all).',
  },
  'subscriber-invalid': {
    severity: 'error',
    message: (p) => `Subscriber row: ${p.reason}`,
    hint: () => 'Fix or remove the row; nothing is sent until every row is valid (see docs/mail.md, "Subscribers").',
  },
  'git-shallow': {
    severity: 'warning',
    message: () => 'This is a shallow git clone: dates from git history are not reliable, none were taken from it',
    hint: () => 'Fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` in actions/checkout).',
  },
  'id-collision-base': {
    severity: 'error',
    message: (p) => `Id \`${p.id}\` is already used on ${p.base} by another advisory (${p.other})`,
    hint: (p) => `Someone merged this id first: rename the file and its id to the next free one, ${p.next}.`,
  },
  'published-before-commit': {
    severity: 'warning',
    message: (p) => `\`published\` (${p.published}) is ${p.days} days before this advisory was first committed (${p.first})`,
    hint: () =>
      'A new advisory goes out when it is merged: set `published` to its release time (a future time keeps it embargoed until then). Keep the earlier date only if it was already public elsewhere, e.g. as a GHSA.',
  },
} satisfies Record<string, Entry>;

export type RuleId = keyof typeof catalogue;

/**
 * A problem found inside a sealed advisory's text, as reports may show it: rule, level and place, but
 * no message or value, which could quote the text (CI logs may be public). At the file's start, since
 * the place is in the clear text, not in the file.
 */
export function veiled(d: Diagnostic, file: string): Diagnostic {
  return {
    file,
    ...START,
    ruleId: d.ruleId,
    severity: d.severity,
    message: `In the sealed text, line ${d.line} column ${d.column}: ${d.ruleId} (the message is withheld: it could quote the sealed text)`,
    hint: `Run \`advisories edit ${file}\`, or unseal it on your machine and run \`advisories check\` there, to see the message.`,
  };
}

/** Builds a diagnostic from the catalogue; the only way stages make one. */
export function diag(ruleId: RuleId, file: string, place: Place, params: Params = {}): Diagnostic {
  const entry: Entry = catalogue[ruleId];
  const d: Diagnostic = {
    file,
    line: place.line,
    column: place.column,
    ruleId,
    severity: entry.severity,
    message: entry.message(params),
  };
  if (place.endLine !== undefined) d.endLine = place.endLine;
  if (place.endColumn !== undefined) d.endColumn = place.endColumn;
  const hint = entry.hint?.(params);
  if (hint) d.hint = hint;
  if (params.expected !== undefined) d.expected = String(params.expected);
  if (params.actual !== undefined) d.actual = String(params.actual);
  return d;
}
