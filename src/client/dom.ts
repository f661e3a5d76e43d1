// Builds DOM from text only (textContent, never innerHTML): index.json values can't become markup.
type Child = Node | string | null | undefined | false;

export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) if (c) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

export const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;
