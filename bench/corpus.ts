// Realistic generated corpora for the benchmarks: ~2 KB advisories with every frontmatter field,
// the four sections, a list, a fenced code block and a GFM table. Deterministic for a given N.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SEVERITY_CVSS = {
  critical: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
  high: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
  medium: 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
  low: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N',
} as const;
const SEVERITIES = Object.keys(SEVERITY_CVSS) as (keyof typeof SEVERITY_CVSS)[];
const AREAS = ['files.write', 'process.spawn', 'auth token refresh', 'sandbox networking', 'log export', 'template rendering', 'the CLI', 'the HTTP client'];
const CWES = ['CWE-22', 'CWE-79', 'CWE-200', 'CWE-287', 'CWE-400', 'CWE-502', 'CWE-918'];

export const advisoryId = (i: number) => `SBX-2026-${String(i + 1).padStart(5, '0')}`;

/** One advisory of about 2 KB; `variant` changes the text so a rebuild sees a real edit. */
export function advisoryText(i: number, variant = 0): string {
  const id = advisoryId(i);
  const severity = SEVERITIES[i % 4]!;
  const area = AREAS[i % AREAS.length]!;
  const minor = 1 + (i % 7);
  const patch = 1 + (i % 5);
  const day = String(1 + (i % 27)).padStart(2, '0');
  const month = String(1 + (i % 9)).padStart(2, '0');
  const cve = `CVE-2026-${String(10000 + i)}`;
  return `---
id: ${id}
title: Unsafe handling of input in ${area} (case ${i})${variant ? ` rev ${variant}` : ''}
summary: A crafted request to ${area} lets an attacker read or change data they should not reach.
severity: ${severity}
cvss: ${SEVERITY_CVSS[severity]}
package: scalebox-sdk
ecosystem: npm
affected: ">=1.0.0 <1.${minor}.${patch}"
patched: [1.${minor}.${patch}]
aliases: [${cve}]
cwe: [${CWES[i % CWES.length]}]
credits:
  - name: Researcher ${i % 97}
    type: finder
  - Security Team
references:
  - type: fix
    url: https://github.com/scalebox-dev/scalebox-sdk/commit/${(i * 2654435761 >>> 0).toString(16)}
  - https://github.com/scalebox-dev/scalebox-sdk/releases/tag/v1.${minor}.${patch}
reported: 2026-${month}-${day}
published: 2026-${month}-${day}T12:00:00Z
modified: 2026-${month}-${day}T18:30:00Z
---

## Impact

Calls to \`${area}\` did not validate their input before using it. An attacker who can send a crafted
request could read files outside the sandbox root, or make the host process write data it should
not. The issue affects every *1.x* release before **1.${minor}.${patch}** that has ${area} enabled,
which is the default. Remote sandboxes are not affected; see [the docs](https://scalebox.dev/docs).

- Local runtime: affected
- Remote runtime: not affected
- Self-hosted gateway: affected when ${area} is exposed

## Patches

Fixed in **1.${minor}.${patch}**. Upgrade with:

\`\`\`sh
npm install scalebox-sdk@1.${minor}.${patch}
# then restart the runtime
## this comment line is not a heading
---
\`\`\`

| Version line | Status | Fixed in |
| --- | --- | --- |
| 1.x.x | supported | 1.${minor}.${patch} |
| < 1.0 | not supported | none |

## Workarounds

1. Disable ${area} in the runtime configuration.
2. Run the local runtime as an unprivileged user in a container.
3. Block untrusted callers at the gateway until you can upgrade.

## References

- Fix: commit in the scalebox-sdk repository
- Release notes for 1.${minor}.${patch}
- ${cve}
${variant ? `\n**Updated (rev ${variant}):** clarified the affected configurations.\n` : ''}`;
}

// Private: the corpus keeps its embargoed advisories in clear text, which a public repository may not (embargo-clear).
export const CONFIG = { product: 'Scalebox SDK', siteUrl: 'https://security.scalebox.dev/', idPrefix: 'SBX', package: 'scalebox-sdk', visibility: 'private' };

/** Writes a project with N advisories under `root` (SECURITY.md taken from this repo). */
export function writeCorpus(root: string, n: number): void {
  mkdirSync(join(root, 'advisories'), { recursive: true });
  writeFileSync(join(root, 'SECURITY.md'), readFileSync(new URL('../SECURITY.md', import.meta.url)));
  writeFileSync(join(root, 'advisories.config.json'), JSON.stringify(CONFIG, null, 2));
  for (let i = 0; i < n; i++) writeFileSync(join(root, 'advisories', `${advisoryId(i)}.md`), advisoryText(i));
}
