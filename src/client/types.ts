// The client reads only the index.json contract (src/render/index-json.ts), never page internals.
export type { IndexEntry, SiteIndex } from '../render/index-json.ts';
