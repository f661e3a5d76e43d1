// Reads the policy out of SECURITY.md's Markdown structure (never by regex over the raw text):
// the "Supported Versions" table and the "Security Updates" timelines.
import { readRegularText, unreadableReason } from './read-files.ts';
import { join } from 'node:path';
import type { List, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import semver from 'semver';
import { diag } from '../core/catalogue.ts';
import type { Diagnostic } from '../core/diagnostic.ts';
import { START } from '../core/diagnostic.ts';
import { SEVERITIES, type Severity } from '../core/schema.ts';
import type { Policy, SupportedLine, Timeline } from '../core/policy.ts';
import { markdownOverLimit, markdownParser, normalizeText, type Root } from './markdown.ts';

export const POLICY_FILE = 'SECURITY.md';

const YES = new Set(['✅', ':white_check_mark:', ':heavy_check_mark:', '✔', '✔️', '✓', 'yes', 'y', 'true', 'supported']);
const NO = new Set(['❌', ':x:', ':no_entry:', '✗', '✘', 'no', 'n', 'false', 'unsupported', 'not supported']);

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

function parseLines(table: Table, diagnostics: Diagnostic[]): SupportedLine[] {
  const lines: SupportedLine[] = [];
  for (const row of table.children.slice(1)) {
    const [versionCell, markCell] = row.children;
    const line = row.position?.start.line ?? 1;
    const place = { line, column: row.position?.start.column ?? 1 };
    const spec = versionCell ? toString(versionCell).trim() : '';
    const mark = markCell ? toString(markCell).trim().toLowerCase() : '';
    const rowText = `${spec} | ${mark}`;
    const range = semver.validRange(spec);
    if (!spec || range === null) {
      diagnostics.push(diag('policy-invalid-row', POLICY_FILE, place, { row: rowText, reason: `\`${spec}\` is not a semver range`, part: 'version' }));
      continue;
    }
    const supported = YES.has(mark) ? true : NO.has(mark) ? false : undefined;
    if (supported === undefined) {
      diagnostics.push(diag('policy-invalid-row', POLICY_FILE, place, { row: rowText, reason: `\`${mark}\` is neither a yes nor a no mark`, part: 'mark', mark }));
      continue;
    }
    lines.push({ spec, range, supported, line });
  }
  return lines;
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
  const supportedSection = section(tree, /supported versions/i);
  const table = supportedSection?.find((n): n is Table => n.type === 'table');
  const lines = table ? parseLines(table, diagnostics) : [];
  if (!table) diagnostics.push(diag('policy-no-supported-table', POLICY_FILE, START));
  const updates = section(tree, /security updates|release (times|policy)|response times/i);
  const list = updates?.find((n): n is List => n.type === 'list');
  const timelines = list ? parseTimelines(list, diagnostics) : [];
  return { policy: { lines, timelines }, diagnostics };
}

export async function loadPolicy(root: string): Promise<{ policy: Policy; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readRegularText(join(root, POLICY_FILE));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const d =
      code === 'ENOENT'
        ? diag('policy-missing', POLICY_FILE, START)
        : diag('file-unreadable', POLICY_FILE, START, { reason: unreadableReason(error) });
    return { policy: { lines: [], timelines: [] }, diagnostics: [d] };
  }
  return parsePolicy(text);
}
