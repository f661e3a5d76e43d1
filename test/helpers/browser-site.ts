// One browser test file's world: a fixture project, its built site served on 127.0.0.1, one browser, one page.
import { rmSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, serveSite, type SiteServer } from './browser.ts';
import { tempProject, type TempProject } from './project.ts';
import { buildSite } from './render-site.ts';

export interface BrowserSite {
  project: TempProject;
  /** The built site folder. */
  site: string;
  server: SiteServer;
  /** Root URL of the served site, ending in a slash. */
  url: string;
  browser: Browser;
  /** A page to navigate: opening pages is the slow part of a browser test, so tests share this one. */
  page: Page;
}

export async function openSite(files: Record<string, string>): Promise<BrowserSite> {
  // Private: the fixtures keep an embargoed advisory in clear text, to show the site leaves it out.
  const project = tempProject(files, { config: { package: 'scalebox-sdk', idPrefix: 'SBX', visibility: 'private' } });
  const site = await buildSite(project.root).catch((error: unknown) => {
    project.cleanup();
    throw error;
  });
  const [server, browser] = await Promise.all([serveSite(site), launchBrowser()]);
  return { project, site, server, url: server.url, browser, page: await browser.newPage() };
}

export async function closeSite(s: BrowserSite | undefined): Promise<void> {
  if (!s) return;
  await s.browser.close();
  await s.server.close();
  rmSync(s.site, { recursive: true, force: true });
  s.project.cleanup();
}
