import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/publish/templates.ts';
import { loadProject } from '../../src/check/project.ts';
import { personalise, renderMail } from '../../src/render/mail.ts';
import { compileMail } from '../../src/render/mail-mime.ts';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, startSmtp, type TestServer } from '../helpers/smtp.ts';

const NOW = '2026-11-25T12:00:00Z';
let project: TempProject;
let server: TestServer;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await server?.close();
  project?.cleanup();
  for (const c of cleanups.splice(0)) c();
});

function setup() {
  project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { title: '"Tomás: <b>bold</b> title"' }), 'subscribers.csv': csv(['a@example.com,,']) }, { config: mailConfig() });
  return { SMTP_URL: server.url, SUBSCRIBERS: join(project.root, 'subscribers.csv'), UNSUBSCRIBE_SECRET: SECRET };
}

describe('signed mail', () => {
  it('DKIM-signs through nodemailer with both List-Unsubscribe headers covered', async () => {
    server = await startSmtp();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const env = setup();
    const r = await cli(['notify', '--root', project.root, '--now', NOW], { ...env, DKIM_PRIVATE_KEY: privateKey, DKIM_SELECTOR: 'mail2026', DKIM_DOMAIN: 'scalebox.dev' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const raw = server.raw[0]!.toString();
    const signature = /^DKIM-Signature:(.*(?:\r?\n[ \t].*)*)/im.exec(raw)![1]!.replace(/\s+/g, '');
    expect(signature).toContain('d=scalebox.dev');
    expect(signature).toContain('s=mail2026');
    const h = /(?:^|;)h=([^;]+)/.exec(signature)![1]!.toLowerCase().split(':');
    expect(h).toEqual(expect.arrayContaining(['from', 'subject', 'date', 'message-id', 'to', 'list-id', 'list-unsubscribe', 'list-unsubscribe-post']));
    expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY');
  });

  it('clear-signs the text part with PGP so that gpg --verify accepts it', async () => {
    server = await startSmtp();
    const { privateKey, publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'Scalebox Security', email: 'security@scalebox.dev' }], type: 'ecc', passphrase: 'correct horse', format: 'armored' });
    const env = setup();
    const r = await cli(['notify', '--root', project.root, '--now', NOW], { ...env, PGP_PRIVATE_KEY: privateKey, PGP_PASSPHRASE: 'correct horse' });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const [mail] = await server.parsed();
    expect(mail!.text).toMatch(/^-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA\d+\n\n/);
    expect(mail!.text).toContain('Tomás: <b>bold</b> title');

    const home = mkdtempSync(join(tmpdir(), 'gnupg-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    writeFileSync(join(home, 'key.asc'), publicKey);
    writeFileSync(join(home, 'mail.txt'), mail!.text!);
    const gpg = (...args: string[]) => spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { encoding: 'utf8' });
    expect(gpg('--import', join(home, 'key.asc')).status).toBe(0);
    const verify = gpg('--verify', join(home, 'mail.txt'));
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stderr).toContain('Good signature from "Scalebox Security <security@scalebox.dev>"');

    // A tampered text fails verification: the signature really covers the body.
    writeFileSync(join(home, 'mail.txt'), mail!.text!.replace('Severity       : HIGH', 'Severity       : LOW'));
    expect(gpg('--verify', join(home, 'mail.txt')).status).not.toBe(0);
  });
});

describe('mail headers from advisory fields', () => {
  it('never carry a line break, whatever the title holds, and the HTML escapes it', async () => {
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { title: '"<script>x</script> & co"' }) }, { config: mailConfig() });
    const p = await loadProject({ root: project.root, now: new Date(NOW) });
    const a = { ...p.advisories[0]!, title: 'Evil\r\nBcc: victim@example.com\r\n\r\nbody' };
    const rendered = renderMail({ advisory: a, config: p.config, mail: p.config.mail!, templates: await loadTemplates(project.root), kind: 'new' });
    const out = personalise(compileMail(rendered), { email: 'a@example.com', token: 'tok' }, p.config.mail!, new Date(NOW));
    expect(out.subject).toBe('[SECURITY] [HIGH] SBX-2026-0001: Evil Bcc: victim@example.com body');
    for (const v of [out.subject, out.from, out.to, out.replyTo, out.messageId, ...Object.values(out.headers)]) expect(v).not.toMatch(/[\r\n]/);
    const safe = renderMail({ advisory: p.advisories[0]!, config: p.config, mail: p.config.mail!, templates: await loadTemplates(project.root), kind: 'new' });
    expect(safe.html.join('')).toContain('&lt;script&gt;x&lt;/script&gt; &amp; co');
    expect(safe.html.join('')).not.toContain('<script>');
  });
});
