// CVSS scores come from a maintained calculator (ae-cvss-calculator), never from our own arithmetic.
import { createRequire } from 'node:module';
import type { Severity } from './schema.ts';

// A CommonJS package: require() gives the same exports under Node, tsx and vitest alike.
const { Cvss3P1, Cvss4P0 } = createRequire(import.meta.url)('ae-cvss-calculator') as typeof import('ae-cvss-calculator');

export interface CvssScore {
  version: '3.1' | '4.0';
  vector: string;
  score: number;
  rating: Severity | 'none';
}

/** FIRST's qualitative rating scale, the same for 3.1 and 4.0. */
export function rating(score: number): CvssScore['rating'] {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

// Scoring takes ~0.3 ms and a database repeats a few hundred vectors across thousands of advisories.
const scored = new Map<string, Readonly<{ score?: CvssScore; error?: string }>>();
const MEMO_LIMIT = 10_000;

/** The result is shared between callers: treat it as read-only. */
export function scoreCvss(vector: string): Readonly<{ score?: CvssScore; error?: string }> {
  let result = scored.get(vector);
  if (!result) {
    result = computeScore(vector);
    if (scored.size >= MEMO_LIMIT) scored.clear();
    scored.set(vector, result);
  }
  return result;
}

function computeScore(vector: string): { score?: CvssScore; error?: string } {
  const version = vector.startsWith('CVSS:3.1/') ? '3.1' : vector.startsWith('CVSS:4.0/') ? '4.0' : undefined;
  if (!version) return { error: 'it must start with CVSS:3.1/ or CVSS:4.0/' };
  try {
    const calc = version === '3.1' ? new Cvss3P1(vector) : new Cvss4P0(vector);
    if (!calc.isBaseFullyDefined()) return { error: 'some base metrics are missing' };
    const base = calc.calculateScores().base;
    if (typeof base !== 'number' || Number.isNaN(base)) return { error: 'no base score could be computed' };
    return { score: { version, vector, score: base, rating: rating(base) } };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
