// A fast first reading of the frontmatter (js-yaml, ~10× quicker than a document with positions).
// It is trusted only where it must agree with the `yaml` package's core schema; anything it cannot vouch
// for returns undefined, and the caller parses with `yaml`, which is also what every position comes from.
import jsYaml from 'js-yaml';

// Plain scalars the YAML 1.2 core schema reads as numbers, booleans or null: a string leaf that looks
// like one may have been quoted, or js-yaml may have read it differently, so it is not vouched for.
const CORE_NON_STRING =
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|)$/;

// Only strings, lists and mappings are vouched for: no frontmatter field is a number, boolean or null,
// so such a value is an error anyway and deserves the full parse (js-yaml also reads 0b101 as a number).
function plainJson(value: unknown, depth: number): boolean {
  if (depth > 16) return false;
  if (typeof value === 'string') return !CORE_NON_STRING.test(value);
  if (Array.isArray(value)) return value.every((v) => plainJson(v, depth + 1));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value).every(([k, v]) => !CORE_NON_STRING.test(k) && plainJson(v, depth + 1));
  }
  return false;
}

// A value position (after `key: `, `- `, `[`, `{` or `,`) where a quoted scalar may open.
const SINGLE_OPEN = /(?:^\s*[^\s#'"][^#]*?:[ \t]+|^\s*-[ \t]+|[[{,][ \t]*)'/g;
const SINGLE_CLOSED = /'(?:[^']|'')*'/y;

/**
 * A quoted scalar that runs on past its line. yaml wants its next lines indented (and says so at the
 * top level); js-yaml folds them in silently, swallowing the keys below. Conservative: an odd number of
 * double quotes on a line counts too, though one inside a plain scalar (`5" screen`) is harmless.
 */
function quoteLeftOpen(text: string): boolean {
  for (const line of text.split('\n')) {
    if ((line.replace(/\\./g, '').match(/"/g)?.length ?? 0) % 2 === 1) return true;
    for (const open of line.matchAll(SINGLE_OPEN)) {
      SINGLE_CLOSED.lastIndex = open.index + open[0].length - 1;
      if (!SINGLE_CLOSED.test(line)) return true;
    }
  }
  return false;
}

export function fastYaml(text: string): unknown {
  // Anchors, aliases, tags and directives: leave them to the full parser and its alias limits.
  if (/(^|[\s[{,])[&*!]|^%/m.test(text)) return undefined;
  // A `#` right after a bracket, brace, comma or quote: yaml wants white space before a comment there
  // and says so; js-yaml takes it silently.
  if (/[[\]{},"']#/.test(text) || quoteLeftOpen(text)) return undefined;
  try {
    const data = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false });
    return plainJson(data ?? {}, 0) ? (data ?? {}) : undefined;
  } catch {
    return undefined;
  }
}
