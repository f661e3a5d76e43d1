// The Markdown renderings the build caches and spreads over workers: page/feed HTML and OSV details.
import { renderBody } from '../render/body.ts';
import { safeMarkdown } from '../render/safe-markdown.ts';

export const RENDERERS = { html: renderBody, osv: safeMarkdown } as const;
export type RenderKind = keyof typeof RENDERERS;
export interface RenderTask {
  kind: RenderKind;
  input: string;
}

export const renderTasks = async (tasks: RenderTask[]) => tasks.map((t) => RENDERERS[t.kind](t.input));
