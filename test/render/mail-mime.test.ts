// The once-built MIME form with a subscriber spliced in must read back, through mailparser, exactly as
// rendered: the long-address token is wrapped inside quoted-printable, not broken.
import { simpleParser } from 'mailparser';
import { afterEach, expect, it } from 'vitest';
import { loadTemplates } from '../../src/publish/templates.ts';
import { loadProject } from '../../src/check/project.ts';
import { personalise, renderMail, unsubscribeToken } from '../../src/render/mail.ts';
import { compileMail } from '../../src/render/mail-mime.ts';
import { advisory, tempProject, type TempProject } from '../helpers/project.ts';
import { mailConfig, SECRET } from '../helpers/smtp.ts';

const NOW = '2026-11-25T12:00:00Z';
let project: TempProject;
afterEach(() => project?.cleanup());

it('personalised raw messages decode to the rendered text, HTML with the exact token, and the headers', async () => {
  project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { title: '"Tomás: <b>bold</b> title"' }) }, { config: mailConfig() });
  const p = await loadProject({ root: project.root, now: new Date(NOW) });
  const mail = p.config.mail!;
  const rendered = renderMail({ advisory: p.advisories[0]!, config: p.config, mail, templates: await loadTemplates(project.root), kind: 'updated' });
  const compiled = compileMail(rendered);
  const long = `${'x'.repeat(60)}.${'y'.repeat(60)}@example.com`;
  for (const email of ['a@example.com', long]) {
    const token = unsubscribeToken(SECRET, email);
    const out = personalise(compiled, { email, token, original: '<first.abc@scalebox.dev>' }, mail, new Date(NOW));
    expect(out.envelope).toEqual({ from: 'security@scalebox.dev', to: [email] });
    // Quoted-printable keeps every body line within 76 characters (RFC 2045), the token included.
    const body = out.raw.toString('latin1').split('\r\n\r\n').slice(1).join('\r\n\r\n');
    for (const line of body.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    const m = await simpleParser(out.raw);
    expect(m.to && 'text' in m.to ? m.to.text : '').toBe(email);
    expect(m.subject).toBe(rendered.subject);
    expect(m.messageId).toBe(out.messageId);
    expect(m.inReplyTo).toBe('<first.abc@scalebox.dev>');
    expect(m.date?.toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(m.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(rendered.text.trimEnd());
    expect(m.html).toBe(rendered.html.join(token));
    const line = (key: string) => m.headerLines.find((h) => h.key === key)?.line.replace(/\r\n[ \t]/g, ' ');
    expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(line('list-unsubscribe')).toContain(`<https://security.scalebox.dev/unsubscribe?token=${token}>`);
  }
});
