// Maven's version order (maven-artifact's ComparableVersion, as the POM reference specifies it),
// written here because no maintained comparator exists for Node: the one npm package (mvncmp, one
// release in 2019) orders a sub-list before a qualifier where Maven orders it after (1-1 > 1-sp).
// A version is a list of items: numbers, qualifiers and, after each `-` or digit/letter change,
// a nested list; trailing null items (0, "", "final", "ga", "release") are dropped.

type Item = { kind: 'int'; value: string } | { kind: 'str'; value: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const SHORT: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };
const RELEASE = String(QUALIFIERS.indexOf(''));

const int = (digits: string): Item => ({ kind: 'int', value: digits.replace(/^0+(?=\d)/, '') });
function str(text: string, followedByDigit: boolean): Item {
  const value = followedByDigit && text.length === 1 ? (SHORT[text] ?? text) : text;
  return { kind: 'str', value: ALIASES[value] ?? value };
}
const qualifierKey = (q: string) => {
  const i = QUALIFIERS.indexOf(q);
  return i < 0 ? `${QUALIFIERS.length}-${q}` : String(i);
};
const cmpStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const cmpInts = (a: string, b: string) => a.length - b.length || cmpStrings(a, b);

const isNull = (item: Item): boolean =>
  item.kind === 'int' ? item.value === '0' : item.kind === 'str' ? qualifierKey(item.value) === RELEASE : item.items.length === 0;

function normalize(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i]!;
    if (isNull(item)) list.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

export function parseMaven(input: string): Item {
  const version = input.toLowerCase();
  const root: Item[] = [];
  let list = root;
  const stack: Item[][] = [root];
  let isDigit = false;
  let start = 0;
  const item = (digit: boolean, text: string) => (digit ? int(text) : str(text, false));
  const nest = () => {
    const next: Item[] = [];
    list.push({ kind: 'list', items: next });
    list = next;
    stack.push(next);
  };
  for (let i = 0; i < version.length; i++) {
    const c = version[i]!;
    if (c === '.' || c === '-') {
      list.push(i === start ? int('0') : item(isDigit, version.slice(start, i)));
      start = i + 1;
      if (c === '-') nest();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        // Maven treats `.X1` as `-X1`: 1.0.0.alpha1 is 1.0.0-alpha1.
        if (list.length) nest();
        list.push(str(version.slice(start, i), true));
        start = i;
        nest();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(int(version.slice(start, i)));
        start = i;
        nest();
      }
      isDigit = false;
    }
  }
  if (version.length > start) {
    if (!isDigit && list.length) nest(); // and a trailing `.X` as `-X`: 2.0.a is 2.0-a
    list.push(item(isDigit, version.slice(start)));
  }
  while (stack.length) normalize(stack.pop()!);
  return { kind: 'list', items: root };
}

/** ComparableVersion's compareTo, with `null` for a missing item. */
function compareItem(a: Item, b: Item | null): number {
  switch (a.kind) {
    case 'int':
      if (!b) return a.value === '0' ? 0 : 1;
      return b.kind === 'int' ? cmpInts(a.value, b.value) : 1;
    case 'str':
      if (!b) return cmpStrings(qualifierKey(a.value), RELEASE);
      return b.kind === 'str' ? cmpStrings(qualifierKey(a.value), qualifierKey(b.value)) : -1;
    case 'list': {
      if (!b) return a.items.length === 0 ? 0 : compareItem(a.items[0]!, null);
      if (b.kind === 'int') return -1;
      if (b.kind === 'str') return 1;
      for (let i = 0; i < Math.max(a.items.length, b.items.length); i++) {
        const [l, r] = [a.items[i] ?? null, b.items[i] ?? null];
        const c = l === null ? -compareItem(r!, null) : compareItem(l, r);
        if (c !== 0) return c;
      }
      return 0;
    }
  }
}

export const compareMaven = (a: string, b: string) => Math.sign(compareItem(parseMaven(a), parseMaven(b)));

/** What Maven accepts as a version here: letters, digits, `.`, `-`, `_` and `+`, starting with a digit. */
export const isMavenVersion = (v: string) => /^\d[0-9A-Za-z._+-]*$/.test(v) && !/[.-]{2}|[.-]$/.test(v);
