// The Markdown renderings the build spreads over workers (and caches, where remark made them): page/feed
// HTML and OSV details.
import { renderBody } from '../render/body.ts';
import { safeMarkdown } from '../render/safe-markdown.ts';

export const RENDERERS = { html: renderBody, osv: safeMarkdown } as const;
export type RenderKind = keyof typeof RENDERERS;
export interface RenderTask {
  kind: RenderKind;
  input: string;
}

export interface Rendered {
  output: string;
  /** Took the slow (remark) path: worth keeping in the build cache. */
  costly: boolean;
}

export const renderTasks = async (tasks: RenderTask[]): Promise<Rendered[]> =>
  tasks.map((t) => ({ output: RENDERERS[t.kind](t.input), costly: RENDERERS[t.kind].costly(t.input) }));
