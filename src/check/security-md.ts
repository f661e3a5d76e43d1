// Reads the policy out of SECURITY.md's Markdown structure (never by regex over the raw text):
// the "Supported Versions" table and the "Security Updates" timelines.
import { readRegularText, unreadableReason } from './read-files.ts';
import { join } from 'node:path';
import type { List, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { diag } from '../core/catalogue.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { START } from '../core/diagnostic.ts';
import { SEVERITIES, type Severity } from '../core/schema.ts';
import type { Policy, Timeline } from '../core/policy.ts';
import { listLines, tableLines } from './supported-lines.ts';
import { markdownOverLimit, markdownParser, normalizeText, type Root } from './markdown.ts';

export const POLICY_FILE = 'SECURITY.md';
/** The headings real policies put their lines under: "Supported Versions", "Supported releases", "Version support", … */
const SUPPORTED_HEADING = /supported (versions|releases|lines|branches)|version support|versions supported|maintained versions|security support/i;

type Block = Root['children'][number];

/** The blocks between a heading matching `title` and the next heading of the same or higher level. */
function section(tree: Root, title: RegExp): Block[] | undefined {
  const start = tree.children.findIndex((n) => n.type === 'heading' && title.test(toString(n)));
  if (start < 0) return undefined;
  const depth = (tree.children[start] as { depth: number }).depth;
  const rest = tree.children.slice(start + 1);
  const end = rest.findIndex((n) => n.type === 'heading' && n.depth <= depth);
  return end < 0 ? rest : rest.slice(0, end);
}

function parseDeadline(text: string): number | null | undefined {
  const t = text.toLowerCase();
  if (/immediate/.test(t)) return 1; // "Immediate release" is read as: within one day of the report.
  if (/next (regular|scheduled|minor|planned)? ?release/.test(t)) return null;
  const m = /(\d+)\s*(hour|day|week|month)s?/.exec(t);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!;
  return unit === 'hour' ? Math.max(1, Math.ceil(n / 24)) : unit === 'week' ? n * 7 : unit === 'month' ? n * 30 : n;
}

function parseTimelines(list: List, diagnostics: Diagnostic[]): Timeline[] {
  const timelines: Timeline[] = [];
  for (const item of list.children) {
    const text = toString(item).trim();
    const place = { line: item.position?.start.line ?? 1, column: item.position?.start.column ?? 1 };
    const colon = text.indexOf(':');
    const name = (colon < 0 ? '' : text.slice(0, colon)).trim().toLowerCase();
    const rest = text.slice(colon + 1).trim();
    if (!(SEVERITIES as readonly string[]).includes(name)) {
      diagnostics.push(diag('policy-invalid-timeline', POLICY_FILE, place, { text, reason: 'it does not start with a severity and a colon' }));
      continue;
    }
    const days = parseDeadline(rest);
    if (days === undefined) {
      diagnostics.push(diag('policy-invalid-timeline', POLICY_FILE, place, { text, reason: 'no deadline (days, weeks, "immediate", "next regular release") found' }));
      continue;
    }
    timelines.push({ severity: name as Severity, text: rest, days });
  }
  return timelines;
}

export function parsePolicy(text: string): { policy: Policy; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const over = markdownOverLimit(normalizeText(text));
  if (over) {
    return { policy: { lines: [], timelines: [] }, diagnostics: [diag('markdown-limit', POLICY_FILE, { line: over.line, column: 1 }, over.params)] };
  }
  const tree = markdownParser.parse(normalizeText(text));
  const supportedSection = section(tree, SUPPORTED_HEADING);
  // The table, else the first list of the section (a bullet list of lines).
  const table = supportedSection?.find((n): n is Table => n.type === 'table');
  const list = table ? undefined : supportedSection?.find((n): n is List => n.type === 'list');
  const lines = table ? tableLines(table, diagnostics) : list ? listLines(list, diagnostics) : [];
  if (!table && !list) diagnostics.push(diag('policy-no-supported-table', POLICY_FILE, START));
  const updates = section(tree, /security updates|release (times|policy)|response times/i);
  const timelineList = updates?.find((n): n is List => n.type === 'list');
  const timelines = timelineList ? parseTimelines(timelineList, diagnostics) : [];
  return { policy: { lines, timelines }, diagnostics };
}

/** Where GitHub looks for a security policy, in its order: the first that exists is the policy. */
export const POLICY_PLACES = ['.github/SECURITY.md', POLICY_FILE, 'docs/SECURITY.md'] as const;

/** The policy and `file`, where it was found relative to the root (SECURITY.md when none was). */
/** How SECURITY.md's text becomes the policy: parsePolicy, or accel/'s, which gives the same. */
export type PolicyParser = (text: string) => { policy: Policy; diagnostics: Diagnostic[] };

export async function loadPolicy(root: string, parse: PolicyParser = parsePolicy): Promise<{ policy: Policy; diagnostics: Diagnostic[]; file: string }> {
  for (const file of POLICY_PLACES) {
    let text: string;
    try {
      text = await readRegularText(join(root, file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      return { policy: { lines: [], timelines: [] }, diagnostics: [diag('file-unreadable', file, START, { reason: unreadableReason(error) })], file };
    }
    const { policy, diagnostics } = parse(text);
    // The parser names the file SECURITY.md; the diagnostics point at the one actually read.
    return { policy, diagnostics: file === POLICY_FILE ? diagnostics : diagnostics.map((d) => (d.file === POLICY_FILE ? { ...d, file } : d)), file };
  }
  return { policy: { lines: [], timelines: [] }, diagnostics: [diag('policy-missing', POLICY_FILE, START)], file: POLICY_FILE };
}
