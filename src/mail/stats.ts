// Counting and reporting a run: the progress line (terminals only) and the summary table (every run).
import type { Mailing, Skip } from './plan.ts';

export const COLUMNS = ['sent', 'already sent', 'failed', 'unknown', 'pending'] as const;
type Column = (typeof COLUMNS)[number];

export interface Problem {
  advisory: string;
  line: number;
  address: string;
  state: 'failed-permanent' | 'unknown' | 'pending';
  reply: string;
}

/** Addresses are personal data and CI logs are often public: show enough to find the row, no more. */
export const mask = (email: string) => email.replace(/^(.)[^@]*@/, '$1***@');

export class RunStats {
  readonly rows = new Map<string, Record<Column, number>>();
  readonly problems: Problem[] = [];
  /** This run's own failures: they decide the exit code; earlier ones are only counted. */
  newTrouble = 0;

  add(m: Mailing, column: Column, n = 1) {
    const key = `${m.advisory.id} ${m.revision.slice(0, 8)}`;
    const row = this.rows.get(key) ?? { sent: 0, 'already sent': 0, failed: 0, unknown: 0, pending: 0 };
    row[column] += n;
    this.rows.set(key, row);
  }

  skip(m: Mailing, why: Skip) {
    this.add(m, why === 'already-sent' ? 'already sent' : why === 'failed-earlier' ? 'failed' : 'unknown');
  }

  trouble(m: Mailing, p: Omit<Problem, 'advisory'>) {
    this.add(m, p.state === 'failed-permanent' ? 'failed' : p.state);
    this.newTrouble++;
    if (this.problems.length < 200) this.problems.push({ advisory: m.advisory.id, ...p, address: mask(p.address), reply: p.reply.split(p.address).join(mask(p.address)) });
  }

  table(): string {
    const header = ['advisory revision', ...COLUMNS];
    const body = [...this.rows].map(([key, r]) => [key, ...COLUMNS.map((c) => String(r[c]))]);
    const total = COLUMNS.map((c) => String([...this.rows.values()].reduce((n, r) => n + r[c], 0)));
    const all = [header, ...body, ['total', ...total]];
    const widths = header.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
    const fmt = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    const out = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmt), fmt(['total', ...total])];
    for (const p of this.problems) out.push(`${p.state.padEnd(16)} ${p.advisory}  ${p.address}${p.line > 0 ? ` (subscriber line ${p.line})` : ''}: ${p.reply}`);
    return out.join('\n') + '\n';
  }
}

/** "120/1000  45.0 msg/s  about 20s left", redrawn in place. */
export function progressLine(done: number, total: number, startedAt: number, now: number): string {
  const seconds = Math.max(0.001, (now - startedAt) / 1000);
  const rate = done / seconds;
  const left = rate > 0 ? Math.ceil((total - done) / rate) : NaN;
  const eta = Number.isFinite(left) ? (left >= 60 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`) : '?';
  return `\r${done}/${total}  ${rate.toFixed(1)} msg/s  about ${eta} left `;
}
