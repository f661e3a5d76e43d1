// Sealed advisories through the CLI, with real age keys: seal, unseal and edit round trips; a sealed
// embargoed advisory in no output before its time and in every output after it; without the key, check
// names what it could not read and prints nothing of it; damaged and foreign files are errors of their own.
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/check/project.ts';
import { newIdentity } from '../../src/check/sealed.ts';
import { changedSummary } from '../../src/cli/report/summary.ts';
import { advisory, checkJson, cli, tempProject, type TempProject } from '../helpers/project.ts';

const BEFORE = '2026-11-25T12:00:00Z';
const PUBLISHED = '2026-12-10T12:00:00Z';
const AFTER = '2026-12-11T00:00:00Z';
const TITLE = 'Heap overflow in the frobnicator';
const SECRET = 'call frobnicate(-1) twice';
const SEALED = 'advisories/SBX-2026-0002.md';

interface Key { identity: string; recipient: string }
let maintainer: Key;
let vendor: Key;
let stranger: Key;
beforeAll(async () => {
  [maintainer, vendor, stranger] = await Promise.all([newIdentity(), newIdentity(), newIdentity()]);
});

let project: TempProject;
afterEach(() => project?.cleanup());

const withKey = (key: Key = maintainer) => ({ ADVISORIES_AGE_IDENTITY: `# the CI secret\n${key.identity}\n` });

/** A project with one published advisory and one embargoed until PUBLISHED, sealed for `recipients`. */
async function sealedProject(recipients: Key[] = [maintainer, vendor], fields: Record<string, unknown> = {}) {
  project = tempProject(
    {
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'),
      [SEALED]: advisory('SBX-2026-0002', { title: TITLE, reported: '2026-12-05', published: PUBLISHED, ...fields }, `## Impact\n\nAn attacker can ${SECRET}.\n\n## Patches\n\nUpgrade.\n`),
    },
    { config: { package: 'scalebox-sdk', idPrefix: 'SBX', seal: { recipients: recipients.map((k) => k.recipient) } } },
  );
  const clear = project.read(SEALED);
  const r = await cli(['seal', '--root', project.root, join(project.root, SEALED)]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return clear;
}

const allFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));

describe('seal, unseal, edit', () => {
  it('seal leaves only the id and the publish time in clear text; unseal gives back the very bytes, to every recipient', async () => {
    const clear = await sealedProject();
    const sealed = project.read(SEALED);
    expect(sealed).toContain('id: SBX-2026-0002\npublished: 2026-12-10T12:00:00Z\nsealed: age\n---\n-----BEGIN AGE ENCRYPTED FILE-----\n');
    for (const text of [TITLE, SECRET, 'frobnic', 'scalebox-sdk', '1.2.0']) expect(sealed).not.toContain(text);
    const vendorCopy = tempProject({ [SEALED]: sealed });
    try {
      expect((await cli(['unseal', '--root', vendorCopy.root, join(vendorCopy.root, SEALED)], withKey(vendor))).code).toBe(0);
      expect(vendorCopy.read(SEALED)).toBe(clear);
    } finally {
      vendorCopy.cleanup();
    }
    const r = await cli(['unseal', '--root', project.root, join(project.root, SEALED)], withKey());
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('still embargoed');
    expect(project.read(SEALED)).toBe(clear);
  });

  it('seal with no file seals every sealed file again for the current recipients: a removed vendor can no longer read it', async () => {
    await sealedProject();
    project.write('advisories.config.json', JSON.stringify({ package: 'scalebox-sdk', idPrefix: 'SBX', seal: { recipients: [maintainer.recipient] } }));
    const r = await cli(['seal', '--root', project.root], withKey());
    expect(r.stdout).toBe(`Re-sealed ${SEALED} for 1 recipient\n`);
    const refused = await cli(['unseal', '--root', project.root, join(project.root, SEALED)], withKey(vendor));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${SEALED}: it is not encrypted for any of the keys given`);
    expect((await cli(['unseal', '--root', project.root, join(project.root, SEALED)], withKey())).code).toBe(0);
    expect(project.read(SEALED)).toContain(TITLE);
  });

  it('edit opens the clear text in $EDITOR (in a private temporary folder, removed after) and seals what was saved', async () => {
    await sealedProject();
    const seen = join(project.root, 'seen-path');
    const script = project.write('editor.sh', `#!/bin/sh\necho "$1" > "${seen}"\nsed -i 's/Upgrade\\./Upgrade to 1.2.0 or later./' "$1"\n`);
    chmodSync(script, 0o755);
    const r = await cli(['edit', '--root', project.root, join(project.root, SEALED)], { ...withKey(), EDITOR: script });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const temp = readFileSync(seen, 'utf8').trim();
    expect(temp).toMatch(/advisories-edit-.*SBX-2026-0002\.md$/);
    expect(existsSync(temp)).toBe(false);
    const sealed = project.read(SEALED);
    expect(sealed).not.toContain('Upgrade to 1.2.0');
    await cli(['unseal', '--root', project.root, join(project.root, SEALED)], withKey());
    expect(project.read(SEALED)).toContain('Upgrade to 1.2.0 or later.');
  });

  it('edit leaves the file as it was when nothing was changed, or when the editor fails', async () => {
    await sealedProject();
    const before = project.read(SEALED);
    expect(await cli(['edit', '--root', project.root, join(project.root, SEALED)], { ...withKey(), EDITOR: 'true' })).toMatchObject({ code: 0, stdout: `${SEALED} unchanged\n` });
    const failing = await cli(['edit', '--root', project.root, join(project.root, SEALED)], { ...withKey(), EDITOR: 'sed -i s/Upgrade/Nothing/ "$1"; false' });
    expect(failing.code).toBe(2);
    expect(failing.stderr).toContain(`${SEALED} is unchanged`);
    expect(project.read(SEALED)).toBe(before);
  });

  it('new, in a public repository with recipients, writes the draft sealed; edit and check with the key see it whole', async () => {
    await sealedProject([maintainer]);
    const r = await cli(['new', '--root', project.root, '--title', 'Token leak in retries', '--severity', 'high', '--now', BEFORE]);
    expect(r.stdout).toContain('Created advisories/SBX-2026-0003.md, sealed for 1 recipient');
    const draft = project.read('advisories/SBX-2026-0003.md');
    expect(draft).toContain('sealed: age');
    expect(draft).not.toContain('Token leak');
    const check = await cli(['check', '--root', project.root, '--now', BEFORE, '--format', 'json'], withKey());
    const problems = (JSON.parse(check.stdout) as { file: string; ruleId: string }[]).filter((d) => d.file.endsWith('0003.md'));
    // Opened with the key, the sealed draft is checked whole: still the scaffold (its placeholders), embargoed,
    // and no embargo-clear, since it is sealed.
    expect(new Set(problems.map((d) => d.ruleId))).toEqual(new Set(['placeholder-text', 'embargoed']));
  });

  it('unseal --published rewrites exactly the sealed files whose time has come', async () => {
    const clear = await sealedProject();
    const early = await cli(['unseal', '--published', '--root', project.root, '--now', BEFORE], withKey());
    expect(early.stdout).toBe('0 sealed advisories whose time has come unsealed\n');
    expect(project.read(SEALED)).not.toContain(TITLE);
    const due = await cli(['unseal', '--published', '--root', project.root, '--now', AFTER], withKey());
    expect(due.stdout).toContain(`Unsealed ${SEALED} (published ${PUBLISHED})`);
    expect(project.read(SEALED)).toBe(clear);
  });

  it('a sealed file checked out with CRLF line endings (git autocrlf) is still opened by edit, seal and unseal', async () => {
    const clear = await sealedProject();
    const crlf = () => project.write(SEALED, project.read(SEALED).replace(/\n/g, '\r\n'));
    crlf();
    expect(await cli(['edit', '--root', project.root, join(project.root, SEALED)], { ...withKey(), EDITOR: 'true' })).toMatchObject({ code: 0, stdout: `${SEALED} unchanged\n` });
    expect(await cli(['seal', '--root', project.root], withKey())).toMatchObject({ code: 0, stdout: `Re-sealed ${SEALED} for 2 recipients\n` });
    crlf();
    const r = await cli(['unseal', '--published', '--root', project.root, '--now', AFTER], withKey());
    expect(r.stdout).toContain(`Unsealed ${SEALED}`);
    expect(project.read(SEALED)).toBe(clear);
  });

  it('without a key, seal of a sealed file and unseal say which variable to set, and the secret is never printed', async () => {
    await sealedProject();
    const r = await cli(['unseal', '--root', project.root, join(project.root, SEALED)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ADVISORIES_AGE_IDENTITY');
    const bad = await cli(['check', '--root', project.root], { ADVISORIES_AGE_IDENTITY: 'AGE-SECRET-KEY-1NOTAKEY x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('NOTAKEY');
  });
});

describe('every output, with the key', () => {
  it('a sealed embargoed advisory is in no output before its time, and in every output after it', async () => {
    await sealedProject();
    const dist = join(project.root, '..', `${project.root.split('/').pop()}-dist`);
    const before = await cli(['check', '--root', project.root, '--now', BEFORE, '--format', 'json'], withKey());
    expect(before.code).toBe(0);
    expect(JSON.parse(before.stdout).map((d: { file: string; ruleId: string }) => [d.file, d.ruleId])).toEqual([[SEALED, 'embargoed']]);
    const built = await cli(['build', '--root', project.root, '--out', dist, '--now', BEFORE], withKey());
    expect(built.stdout).toContain('1 advisory published, 1 embargoed and left out');
    for (const text of allFiles(dist)) for (const s of [TITLE, SECRET, 'SBX-2026-0002']) expect(text).not.toContain(s);
    expect((await cli(['affected', '1.1.0', '--json', '--root', project.root, '--now', BEFORE], withKey())).stdout).not.toContain('SBX-2026-0002');

    const after = await cli(['build', '--root', project.root, '--out', dist, '--now', AFTER], withKey());
    expect(after.stdout).toContain('2 advisories published, 0 embargoed');
    const site = allFiles(dist).join('\n');
    expect(site).toContain(TITLE);
    expect(site).toContain(SECRET);
    expect(readFileSync(join(dist, 'osv', 'SBX-2026-0002.json'), 'utf8')).toContain(SECRET);
    const affected = await cli(['affected', '1.1.0', '--json', '--root', project.root, '--now', AFTER], withKey());
    expect(JSON.parse(affected.stdout).map((a: { id: string }) => a.id)).toContain('SBX-2026-0002');
  }, 60_000);

  it('mail: notify sends it only once its time has come', async () => {
    await sealedProject();
    const mail = { from: 'Security <security@example.test>', listId: 'Security <security.example.test>', unsubscribeUrl: 'https://example.test/u?token={token}' };
    project.write('advisories.config.json', JSON.stringify({ ...JSON.parse(project.read('advisories.config.json')), mail }));
    project.write('subscribers.csv', 'email,min_severity,versions\nann@example.test,,\n');
    const env = { ...withKey(), SUBSCRIBERS: join(project.root, 'subscribers.csv') };
    const mails = () => readdirSync(join(project.root, 'outbox')).filter((f) => f.endsWith('.eml')).map((f) => project.read(`outbox/${f}`));
    expect((await cli(['notify', '--root', project.root, '--now', BEFORE], env)).code).toBe(0);
    expect(mails()).toHaveLength(1);
    for (const m of mails()) for (const s of [TITLE, 'SBX-2026-0002', 'frobnicate']) expect(m).not.toContain(s);
    expect((await cli(['notify', '--root', project.root, '--now', AFTER], env)).code).toBe(0);
    expect(mails()).toHaveLength(2);
    expect(mails().filter((m) => m.includes(`SBX-2026-0002: ${TITLE}`))).toHaveLength(1);
  });

  it('the pull-request summary (public) shows a sealed embargoed advisory by its id only, even when opened', async () => {
    await sealedProject();
    const p = await loadProject({ root: project.root, now: new Date(BEFORE), keys: { identities: [maintainer.identity] } });
    expect(p.advisories.find((a) => a.id === 'SBX-2026-0002')?.title).toBe(TITLE);
    expect(p.sealed).toEqual([SEALED]);
    const text = changedSummary({ base: 'origin/main', changes: new Map([[SEALED, 'added']]), advisories: p.advisories, diagnostics: p.diagnostics, sealed: p.sealed });
    expect(text).toContain('| `SBX-2026-0002` | added | — | 🔒 sealed and embargoed | ✅ |');
    expect(text).not.toMatch(/Heap|high/);
  });

  it('the check store (STATE/cache) never holds the opened text, with acceleration on', async () => {
    await sealedProject();
    const state = join(project.root, '.state');
    for (const now of [BEFORE, AFTER, AFTER]) {
      expect((await cli(['check', '--root', project.root, '--state', state, '--now', now], withKey())).code).toBe(0);
    }
    const cached = allFiles(state).join('\n');
    expect(cached).toContain('SBX-2026-0001');
    for (const s of [TITLE, SECRET]) expect(cached).not.toContain(s);
  });

  it('a problem inside the sealed text is reported by rule and place, without its message or value', async () => {
    await sealedProject([maintainer], { affected: '"frobnicator-secret-range"' });
    const r = await cli(['check', '--root', project.root, '--now', BEFORE, '--format', 'json'], withKey());
    expect(r.code).toBe(1);
    const diagnostics = JSON.parse(r.stdout) as { file: string; ruleId: string; line: number; message: string }[];
    expect(diagnostics.find((d) => d.ruleId === 'semver-range-invalid')).toMatchObject({ file: SEALED, line: 1, message: expect.stringContaining('line 6 column 11') });
    for (const format of ['text', 'json', 'github']) {
      const out = await cli(['check', '--root', project.root, '--now', BEFORE, '--format', format], withKey());
      expect(out.stdout + out.stderr).not.toMatch(/frobnicat|Heap overflow/);
    }
  });
});

describe('without the key', () => {
  it('check exits 0 when what it can read is clean, names the sealed file it could not read, and prints nothing of it', async () => {
    await sealedProject();
    for (const format of ['text', 'json', 'github']) {
      const r = await cli(['check', '--root', project.root, '--now', BEFORE, '--format', format]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(SEALED);
      expect(r.stdout).toContain(format === 'json' ? '"ruleId": "sealed-no-key"' : 'sealed-no-key');
      expect(r.stdout + r.stderr).not.toMatch(/frobnic|Heap overflow/);
    }
  });

  it('once its time has come, check still passes (a fork has no key), but build and notify refuse to publish without it', async () => {
    await sealedProject();
    const r = await checkJson(project.root, AFTER);
    expect(r.code).toBe(0);
    expect(r.diagnostics.map((d) => [d.file, d.ruleId, d.severity])).toEqual([[SEALED, 'sealed-due-no-key', 'warning']]);
    const dist = join(project.root, '..', `${project.root.split('/').pop()}-due`);
    const built = await cli(['build', '--root', project.root, '--out', dist, '--now', AFTER]);
    expect(built.code).toBe(2);
    expect(built.stderr).toContain(`${SEALED}: sealed, due for publication, and no key to open it`);
    expect(existsSync(dist)).toBe(false);
    const notified = await cli(['notify', '--root', project.root, '--now', AFTER]);
    expect(notified.code).toBe(2);
    expect(notified.stderr).toContain('sealed, due for publication');
  });

  it('the clear part is still checked: the id against the file name', async () => {
    await sealedProject();
    project.write('advisories/SBX-2026-0003.md', project.read(SEALED));
    const r = await checkJson(project.root, BEFORE);
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.file, d.ruleId, d.line])).toEqual([
      ['advisories/SBX-2026-0003.md', 'id-duplicate', 4],
      ['advisories/SBX-2026-0003.md', 'id-file-mismatch', 4],
    ]);
  });
});

describe('damaged and foreign sealed files: a clear error on that file only', () => {
  const errorsOf = async (env: NodeJS.ProcessEnv) => {
    const r = await cli(['check', '--root', project.root, '--now', BEFORE, '--format', 'json'], env);
    const d = (JSON.parse(r.stdout) as { file: string; ruleId: string; severity: string; message: string }[]).filter((x) => x.severity === 'error');
    return { code: r.code, errors: d.map((x) => [x.file, x.ruleId, x.message.replace(/^This sealed advisory cannot be used: /, '')]) };
  };

  it('a changed byte in the ciphertext', async () => {
    await sealedProject();
    const lines = project.read(SEALED).split('\n');
    const i = lines.findIndex((l) => l.startsWith('-----BEGIN')) + 3;
    lines[i] = (lines[i]![0] === 'A' ? 'B' : 'A') + lines[i]!.slice(1);
    project.write(SEALED, lines.join('\n'));
    expect(await errorsOf(withKey())).toEqual({ code: 1, errors: [[SEALED, 'sealed-invalid', 'the ciphertext is damaged or was changed after sealing (age refused it)']] });
  });

  it('a truncated armor', async () => {
    await sealedProject();
    project.write(SEALED, project.read(SEALED).replace(/-----END AGE ENCRYPTED FILE-----\n$/, ''));
    const { errors } = await errorsOf({});
    expect(errors).toEqual([[SEALED, 'sealed-invalid', expect.stringContaining('not one whole armored block')]]);
  });

  it('sealed for other recipients', async () => {
    await sealedProject([stranger]);
    expect(await errorsOf(withKey())).toEqual({ code: 1, errors: [[SEALED, 'sealed-invalid', 'it is not encrypted for any of the keys given (sealed for other recipients?)']] });
  });

  it('a clear part changed after sealing (publish time moved earlier), or holding more than the schedule needs', async () => {
    await sealedProject();
    const sealed = project.read(SEALED);
    project.write(SEALED, sealed.replace(`published: ${PUBLISHED}`, 'published: 2026-11-30T00:00:00Z'));
    const moved = await errorsOf(withKey());
    expect(moved.errors).toEqual([[SEALED, 'sealed-invalid', expect.stringContaining('are not the sealed text')]]);
    project.write(SEALED, sealed.replace('sealed: age', `sealed: age\ntitle: ${TITLE}`));
    const { errors } = await errorsOf({});
    expect(errors).toEqual([[SEALED, 'sealed-invalid', expect.stringContaining('`title` must not be in clear text')]]);
  });
});

describe('recipients in the config', () => {
  it('a mistyped key is a config error with its place and a fix, from check and from seal: no crash in the age library', async () => {
    await sealedProject();
    const key = vendor.recipient;
    const typo = key.slice(0, 20) + (key[20] === 'q' ? 'p' : 'q') + key.slice(21);
    project.write('advisories.config.json', JSON.stringify({ package: 'scalebox-sdk', idPrefix: 'SBX', seal: { recipients: [maintainer.recipient, typo] } }, null, 2));
    const check = await cli(['check', '--root', project.root, '--now', BEFORE], withKey());
    expect(check.code).toBe(2);
    expect(check.stdout).toMatch(/advisories\.config\.json:7:\d+ +error +`seal\.recipients\.1`: is not a whole age public key: its checksum does not match/);
    expect(check.stdout).toContain('advisories keygen');
    const seal = await cli(['seal', '--root', project.root], withKey());
    expect(seal.code).toBe(2);
    expect(seal.stderr).toMatch(/^advisories seal: advisories\.config\.json:7:\d+: `seal\.recipients\.1`: is not a whole age public key/);
    expect(seal.stderr).not.toMatch(/internal error|\bat /);
  });

  it("a plugin's recipient (age1yubikey1…), which the library cannot encrypt to, is named; nothing is written", async () => {
    const clear = await sealedProject();
    const plugin = 'age1yubikey1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5z5tpwxqergd3c8g7ruszzkhc85l';
    project.write('advisories.config.json', JSON.stringify({ package: 'scalebox-sdk', idPrefix: 'SBX', seal: { recipients: [maintainer.recipient, plugin] } }));
    project.write(SEALED, clear);
    const r = await cli(['seal', '--root', project.root, join(project.root, SEALED)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"seal.recipients" holds ${plugin}, which age-encryption cannot encrypt to`);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(project.read(SEALED)).toBe(clear);
  });
});

it('the repository identity secret is redacted from every output, however it reached it', async () => {
  await sealedProject();
  writeFileSync(join(project.root, 'advisories.config.json'), JSON.stringify({ seal: { recipients: [maintainer.identity] } }));
  const r = await cli(['check', '--root', project.root], withKey());
  expect(r.stdout + r.stderr).not.toContain(maintainer.identity);
});
