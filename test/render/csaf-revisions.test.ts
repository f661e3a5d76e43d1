// The CSAF revision history from a real git history: one revision per material change after
// publication (the ones the mail tells apart), none for edits before it or for wording, an uncommitted
// material change as the last revision with status `interim`; and `csaf.enabled: false` leaves it all out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCsaf } from '../helpers/csaf.ts';
import { commitAll, initRepo } from '../helpers/git.ts';
import { advisory, DEFAULT_BODY, tempProject, type TempProject } from '../helpers/project.ts';
import { build, readJson, readTree } from '../helpers/site.ts';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const out = () => {
  const d = mkdtempSync(join(tmpdir(), 'csaf-rev-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return join(d, 'site');
};
const ID = 'SBX-2026-0001';
const FILE = `advisories/${ID}.md`;
const DOC = '.well-known/csaf/white/2026/sbx-2026-0001.json';

function project(): TempProject {
  const p = tempProject();
  cleanups.push(p.cleanup);
  initRepo(p.root);
  return p;
}

describe('CSAF revision history from git', () => {
  it('gives one revision per material change after publication, dated by its commit', async () => {
    const p = project();
    // published 2026-03-02T10:00:00Z; two commits during the embargo are the initial version together.
    p.write(FILE, advisory(ID, { title: 'Draft title' }));
    commitAll(p.root, 'draft', '2026-03-01T09:00:00Z');
    p.write(FILE, advisory(ID));
    commitAll(p.root, 'final wording', '2026-03-02T08:00:00Z');
    p.write(FILE, advisory(ID, {}, `${DEFAULT_BODY}\nMore words.\n`));
    commitAll(p.root, 'wording only', '2026-03-05T00:00:00Z');
    p.write(FILE, advisory(ID, { affected: '">=1.0.0 <1.2.1"', patched: '[1.2.1]' }, `${DEFAULT_BODY}\nMore words.\n`));
    commitAll(p.root, 'the fix was incomplete', '2026-03-10T12:00:00Z');
    p.write(FILE, advisory(ID, { affected: '">=1.0.0 <1.2.1"', patched: '[1.2.1]', severity: 'critical' }, `${DEFAULT_BODY}\nMore words.\n`));
    commitAll(p.root, 'worse than thought', '2026-03-12T12:00:00Z');

    const site = out();
    const r = await build(p.root, site);
    expect(r.code, r.stderr).toBe(0);
    const doc = readJson(site, DOC);
    expect(doc.document.title).toBe(`Problem in ${ID}`);
    expect(doc.document.tracking).toMatchObject({
      status: 'final',
      version: '3',
      initial_release_date: '2026-03-02T10:00:00Z',
      current_release_date: '2026-03-12T12:00:00Z',
      revision_history: [
        { date: '2026-03-02T10:00:00Z', number: '1', summary: 'Initial version' },
        { date: '2026-03-10T12:00:00Z', number: '2', summary: 'Changed: affected versions, patched versions' },
        { date: '2026-03-12T12:00:00Z', number: '3', summary: 'Changed: severity' },
      ],
    });
    expect((await validateCsaf(doc)).errors).toEqual([]);

    // A material change not yet committed: the advisory is being updated.
    p.write(FILE, advisory(ID, { affected: '">=1.0.0 <1.2.1"', patched: '[1.2.1]', severity: 'critical', withdrawn: '{at: 2026-03-20T00:00:00Z, reason: "Duplicate of SBX-2026-0009"}' }));
    const site2 = out();
    expect((await build(p.root, site2)).code).toBe(0);
    const updated = readJson(site2, DOC);
    expect(updated.document.tracking).toMatchObject({ status: 'interim', version: '4', current_release_date: '2026-03-20T00:00:00Z' });
    expect(updated.document.tracking.revision_history.at(-1)).toEqual({ date: '2026-03-20T00:00:00Z', number: '4', summary: 'Withdrawn: Duplicate of SBX-2026-0009' });
    expect((await validateCsaf(updated)).errors).toEqual([]);
  });

  it('publishes an advisory committed after its publication time as it was first committed', async () => {
    const p = project();
    p.write(FILE, advisory(ID));
    commitAll(p.root, 'published', '2026-03-03T00:00:00Z');
    p.write(FILE, advisory(ID, { withdrawn: '{at: 2026-03-04T00:00:00Z, reason: "Not exploitable"}' }));
    commitAll(p.root, 'withdrawn', '2026-03-04T06:00:00Z');
    const site = out();
    expect((await build(p.root, site)).code).toBe(0);
    expect(readJson(site, DOC).document.tracking.revision_history).toEqual([
      { date: '2026-03-02T10:00:00Z', number: '1', summary: 'Initial version' },
      { date: '2026-03-04T06:00:00Z', number: '2', summary: 'Withdrawn: Not exploitable' },
    ]);
  });

  it('is left out whole with csaf.enabled false, and the rest of the site is unchanged', async () => {
    const files = { [FILE]: advisory(ID) };
    const on = tempProject(files);
    const off = tempProject(files, { config: { package: 'scalebox-sdk', idPrefix: 'SBX', csaf: { enabled: false } } });
    cleanups.push(on.cleanup, off.cleanup);
    const [siteOn, siteOff] = [out(), out()];
    expect((await build(on.root, siteOn)).code).toBe(0);
    expect((await build(off.root, siteOff)).code).toBe(0);
    const withCsaf = readTree(siteOn);
    const without = readTree(siteOff);
    expect([...without.keys()].filter((k) => k.startsWith('.well-known'))).toEqual([]);
    expect([...withCsaf.keys()].filter((k) => k.startsWith('.well-known')).length).toBeGreaterThan(5);
    expect(new Map([...withCsaf].filter(([k]) => !k.startsWith('.well-known')))).toEqual(without);
  });
});
