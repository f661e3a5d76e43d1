// The policy from the store is the reference parser's, for real SECURITY.md files of other projects:
// parsed once, then answered from the store (after a save and a reopen, as the next run reads it).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { storedPolicy, type ParsedPolicy } from '../../src/accel/policy.ts';
import { Store } from '../../src/accel/store.ts';
import { parsePolicy } from '../../src/check/security-md.ts';

const repo = new URL('../../', import.meta.url).pathname;
const fixtures = join(repo, 'test/check/security-md');
const texts = [
  ...readdirSync(fixtures)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .map((name) => [name, readFileSync(join(fixtures, name), 'utf8')] as const),
  ['bench/corpus/rustsec/SECURITY.md', readFileSync(join(repo, 'bench/corpus/rustsec/SECURITY.md'), 'utf8')] as const,
  ['not a policy', '# Security\n\nMail us.\n'] as const,
];

const work = mkdtempSync(join(tmpdir(), 'policy-store-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the stored policy', () => {
  it('gives exactly what the reference parser gives, parsed once and then from the store', async () => {
    expect(texts.length).toBeGreaterThan(5);
    const first = await Store.open<ParsedPolicy>(work, 'policy');
    const parse = storedPolicy(first);
    for (const [name, text] of texts) expect(JSON.stringify(parse(text)), name).toBe(JSON.stringify(parsePolicy(text)));
    expect(first.stats).toEqual({ hits: 0, misses: texts.length });
    await first.save();

    const again = await Store.open<ParsedPolicy>(work, 'policy');
    const cached = storedPolicy(again);
    for (const [name, text] of texts) expect(JSON.stringify(cached(text)), name).toBe(JSON.stringify(parsePolicy(text)));
    expect(again.stats).toEqual({ hits: texts.length, misses: 0 });
  });

  it('parses a changed SECURITY.md again', async () => {
    const store = await Store.open<ParsedPolicy>(work, 'policy');
    const [, text] = texts.find(([name]) => name.startsWith('bench/'))!;
    const changed = text.replace('| 1.x.x   | :white_check_mark: |', '| 2.x.x   | :white_check_mark: |');
    expect(changed).not.toBe(text);
    const parse = storedPolicy(store);
    expect(parse(text).policy.lines[0]!.spec).toBe('1.x.x');
    expect(parse(changed).policy.lines[0]!.spec).toBe('2.x.x');
    expect(store.stats).toEqual({ hits: 1, misses: 1 });
  });
});
