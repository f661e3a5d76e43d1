// The whole flow as a reader lives it, in Debian's chromium, on both stores: subscribe on the built site,
// confirm from the mail, `advisories notify` delivers, the one-click POST unsubscribes, the next notify
// sends that address nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveSite, type SiteServer } from '../helpers/browser.ts';
import { BACKENDS } from '../helpers/database.ts';
import { advisory, cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';
import { freePort, mailsArrived, startTestService, type TestService } from '../helpers/service.ts';
import { buildSite } from '../helpers/render-site.ts';
import { SECRET } from '../helpers/smtp.ts';

const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;
const LATER = '2026-12-20T00:00:00Z';

describe.each(BACKENDS)('the list end to end on %s', (kind) => {
  let siteDir: string;
  let site: SiteServer;
  let svc: TestService;
  let project: TempProject;
  let browser: Browser;

  beforeAll(async () => {
    siteDir = mkdtempSync(join(tmpdir(), 'advisories-site-'));
    site = await serveSite(siteDir);
    svc = await startTestService(kind, { siteUrl: site.url, port: await freePort() });
    const { $schema: _s, ...config } = svc.config;
    project = tempProject(
      {
        'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { title: 'Token leak in retries', severity: 'high' }),
        'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { title: 'Later problem', severity: 'critical', published: '2026-12-10T10:00:00Z' }),
      },
      // An embargoed advisory in clear text: allowed only where the repository is private.
      { config: { ...config, visibility: 'private' } },
    );
    await buildSite(project.root, NOW, siteDir);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await svc?.close();
    await site?.close();
    project?.cleanup();
    rmSync(siteDir, { recursive: true, force: true });
  });

  const notify = (now: string) =>
    cli(['notify', '--root', project.root, '--state', svc.db.state, '--now', now], { SMTP_URL: svc.smtp.url, UNSUBSCRIBE_SECRET: SECRET, ...(svc.db.databaseUrl ? { DATABASE_URL: svc.db.databaseUrl } : {}) });
  const mailsTo = async (email: string) => (await svc.smtp.parsed()).filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.value.some((v) => v.address === email)));

  it('subscribe on the site, confirm from the mail, notify delivers, one click unsubscribes, the next notify skips the address', async () => {
    // JavaScript off: the form and the service's pages work without it.
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(site.url + 'index.html');
    await page.getByLabel('E-mail address').fill('reader@example.com');
    await page.getByLabel('Advisories of').selectOption('high');
    await Promise.all([page.waitForURL(new URL('subscribe', svc.url).href), page.getByRole('button', { name: 'Subscribe' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Check your inbox');
    expect((await svc.store.get('reader@example.com'))?.state).toBe('pending');

    await mailsArrived(svc.smtp, 1);
    const [link] = await svc.confirmLinks('reader@example.com');
    await page.goto(link!);
    expect((await svc.store.get('reader@example.com'))?.state).toBe('pending');
    await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Confirm my subscription' }).click()]);
    await page.locator('h1', { hasText: 'Subscription confirmed' }).waitFor();
    expect(await svc.store.get('reader@example.com')).toMatchObject({ state: 'active', minSeverity: 'high', consent: { form: 'site' } });
    await context.close();

    // Someone who stays, so the second notify has somebody to mail.
    await svc.store.requestSubscription({ email: 'stays@example.com', minSeverity: null, versions: null, form: 'api', at: new Date() });
    await svc.store.confirm('stays@example.com', new Date());

    const first = await notify(NOW);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const [advisoryMail] = await mailsTo('reader@example.com').then((ms) => ms.filter((m) => m.subject?.includes('SBX-2026-0001')));
    expect(advisoryMail).toBeDefined();
    const line = (name: string) => advisoryMail!.headerLines.find((h) => h.key === name)?.line.replace(/\r?\n\s+/g, ' ') ?? '';
    expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const unsubscribeUrl = /<(https?:[^>]+)>/.exec(line('list-unsubscribe'))?.[1];
    expect(unsubscribeUrl).toMatch(/\/unsubscribe\?token=/);

    // What a mailbox provider does with those two headers (RFC 8058).
    const r = await fetch(unsubscribeUrl!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
    expect(r.status).toBe(200);
    expect((await svc.store.get('reader@example.com'))?.state).toBe('unsubscribed');

    const second = await notify(LATER);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect((await mailsTo('stays@example.com')).map((m) => m.subject).filter((s) => s?.includes('SBX-2026-0002'))).toHaveLength(1);
    expect((await mailsTo('reader@example.com')).filter((m) => m.subject?.includes('SBX-2026-0002'))).toEqual([]);
  });

  it('the subscribe form is accessible (axe-core) on the index and on an advisory page', async () => {
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    for (const path of ['index.html', 'advisories/SBX-2026-0001.html']) {
      await page.goto(site.url + path);
      expect(await page.locator('form.subscribe-form').getAttribute('action')).toBe(new URL('subscribe', svc.url).href);
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(c: unknown): Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run({ include: [['.subscribe']] });
        return result.violations.map((v) => ({ id: v.id, impact: v.impact }));
      });
      expect(violations, path).toEqual([]);
    }
    await context.close();
  });
});
