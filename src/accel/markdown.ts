// The accelerated MarkdownRenderer: every body and summary the site will render, looked up in the
// store or rendered up front on every core, by the reference renderer (render/markdown.ts). It answers
// from that table, and asks the reference for anything not in it, so its answers are the reference's.
import type { Advisory } from '../core/advisory.ts';
import { markdownRenderer } from '../render/markdown.ts';
import { detailsParts } from '../render/osv.ts';
import type { MarkdownRenderer } from '../render/site-input.ts';
import { Store } from './store.ts';
import { runChunks, type Pool, type PoolOptions } from './workers.ts';

export type RenderTask = { kind: 'html' | 'osv' | 'text'; markdown: string };

const reference = { html: markdownRenderer.html, osv: markdownRenderer.osvDetails, text: markdownRenderer.text };
export const renderTasks = (tasks: RenderTask[]) => tasks.map((t) => reference[t.kind](t.markdown));

/** `text`: also the plain text of each body (wanted when the site has CSAF documents). */
export async function prerendered(
  advisories: readonly Advisory[],
  store: Store<string> | undefined,
  options?: PoolOptions,
  { text = false, pool }: { text?: boolean; pool?: Pool } = {},
): Promise<MarkdownRenderer & { rendered: number }> {
  const tables = { html: new Map<string, string>(), osv: new Map<string, string>(), text: new Map<string, string>() };
  const wanted: RenderTask[] = [];
  const want = (kind: RenderTask['kind'], markdown: string) => {
    if (tables[kind].has(markdown)) return;
    const hit = store?.get(Store.key('markdown', kind, markdown));
    tables[kind].set(markdown, hit ?? '');
    if (hit === undefined) wanted.push({ kind, markdown });
  };
  for (const a of advisories) {
    want('html', a.body);
    if (text) want('text', a.body);
    for (const part of detailsParts(a)) want('osv', part);
  }
  const { results } = await runChunks<RenderTask, string>(
    {
      kind: 'render',
      items: wanted,
      chunkSize: 50,
      minPerWorker: 200,
      work: async (chunk) => renderTasks(chunk),
      data: null,
      ...(options ? { options } : {}),
    },
    pool,
  );
  wanted.forEach((t, i) => {
    tables[t.kind].set(t.markdown, results[i]!);
    store?.put(Store.key('markdown', t.kind, t.markdown), results[i]!);
  });
  return {
    rendered: wanted.length,
    html: (markdown) => tables.html.get(markdown) ?? markdownRenderer.html(markdown),
    osvDetails: (markdown) => tables.osv.get(markdown) ?? markdownRenderer.osvDetails(markdown),
    text: (markdown) => tables.text.get(markdown) ?? markdownRenderer.text(markdown),
  };
}
