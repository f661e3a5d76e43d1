// The site's only script (bundled with esbuild into templates/app.js, served as assets/app.js).
// Progressive: pages work without it; it adds filters, the version check and copy buttons.
import { setupCopyButtons } from './copy.ts';
import { setupFilters } from './filter.ts';
import type { SiteIndex } from './types.ts';
import { setupVersionCheck } from './version-check.ts';

async function start(): Promise<void> {
  setupCopyButtons();
  if (!document.getElementById('advisory-list') && !document.getElementById('check')) return;
  const response = await fetch('index.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`index.json: HTTP ${response.status}`);
  const index = (await response.json()) as SiteIndex;
  setupFilters(index.advisories);
  setupVersionCheck(index.advisories);
}

start().catch((error: unknown) => console.warn('Advisory filters unavailable:', error));
