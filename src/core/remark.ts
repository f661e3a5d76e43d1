// remark, rehype and their plugins take a noticeable part of a second to load, and a command that never
// renders (affected, notify with nothing to send, a build whose bodies all come from accel/'s store)
// needs none of them: they are loaded on first use, synchronously (require of an ES module, Node >= 20.19).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A value made on first use. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export const remark = lazy(() => ({
  unified: (require('unified') as typeof import('unified')).unified,
  remarkParse: (require('remark-parse') as typeof import('remark-parse')).default,
  remarkGfm: (require('remark-gfm') as typeof import('remark-gfm')).default,
  remarkFrontmatter: (require('remark-frontmatter') as typeof import('remark-frontmatter')).default,
  remarkStringify: (require('remark-stringify') as typeof import('remark-stringify')).default,
  remarkRehype: (require('remark-rehype') as typeof import('remark-rehype')).default,
  rehypeSanitize: (require('rehype-sanitize') as typeof import('rehype-sanitize')).default,
  rehypeStringify: (require('rehype-stringify') as typeof import('rehype-stringify')).default,
}));
