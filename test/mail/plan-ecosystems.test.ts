// The subscriber filter (`versions`) in the rules of the advisory's ecosystem.
import { describe, expect, it } from 'vitest';
import type { Advisory } from '../../src/core/advisory.ts';
import { wants } from '../../src/mail/plan.ts';

const advisory = (ecosystem: string, affected: string[]) => ({ ecosystem, affected, severity: 'high' }) as unknown as Advisory;
const sub = (versions: string | null) => ({ min_severity: null, versions });

describe('a subscriber’s versions filter', () => {
  it('PyPI: PEP 440 specifiers meet as pip reads them', () => {
    const a = advisory('PyPI', ['>=2.0.0,<2.4.1']);
    expect(wants(sub('>=2.4,<3'), a)).toBe(true);
    expect(wants(sub('>=2.4.1,<3'), a)).toBe(false);
    expect(wants(sub('~=1.9'), a)).toBe(false);
    expect(wants(sub('==2.4.1rc1'), a)).toBe(true);
  });
  it('Maven ranges and Gem requirements', () => {
    expect(wants(sub('[1.5,2.0)'), advisory('Maven', ['[1.0,1.6)']))).toBe(true);
    expect(wants(sub('[1.6,2.0)'), advisory('Maven', ['[1.0,1.6)']))).toBe(false);
    expect(wants(sub('~> 2.2'), advisory('RubyGems', ['>= 2.3, < 2.3.5']))).toBe(true);
    expect(wants(sub('~> 2.2.0'), advisory('RubyGems', ['>= 2.3, < 2.3.5']))).toBe(false);
  });
  it('a range the ecosystem cannot read does not filter: a mail too many, never a missed one', () => {
    expect(wants(sub('1.x'), advisory('PyPI', ['>=5.0,<5.1']))).toBe(true);
  });
  it('npm as before', () => {
    expect(wants(sub('1.x'), advisory('npm', ['>=1.2.0 <1.3.0']))).toBe(true);
    expect(wants(sub('2.x'), advisory('npm', ['>=1.2.0 <1.3.0']))).toBe(false);
  });
});
