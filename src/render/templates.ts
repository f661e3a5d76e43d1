// Templates are data handed to render (render does no I/O): publish/templates.ts reads them, project files first.
import { Eta } from 'eta';

export type Templates = Readonly<Record<string, string>>;

/** Escapes by default: `<%= %>` is escaped, only `<%~ %>` (used for sanitised HTML) is raw. */
export function templateEngine(templates: Templates): (name: string, data: object) => string {
  const eta = new Eta({ autoEscape: true, autoTrim: false, cache: false, useWith: false, varName: 'it' });
  // Only *.eta files are templates; the stylesheet and script beside them are copied as they are.
  for (const [name, source] of Object.entries(templates)) if (name.endsWith('.eta')) eta.loadTemplate(`@${name}`, source);
  return (name, data) => {
    if (!(name in templates)) throw new Error(`template "${name}" is missing`);
    return eta.render(`@${name}`, data);
  };
}
