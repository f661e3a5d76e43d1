// Files the tool ships beside its code (templates, the JSON Schema, package.json, the worker bootstrap),
// wherever the package is installed.
// Found from this module's own location, two folders below the package root: where every module sits in
// src/, in lib/ and in lib/bundle/ (scripts/bundle-cli.ts), so the same relative path works for all three.
import { fileURLToPath } from 'node:url';

/** A path inside the package, e.g. `templates/`. */
export const shipped = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
