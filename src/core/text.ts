// Text that reaches a title, a header or a feed must read as what it is: no line breaks, no control
// characters, no invisible characters that reorder or hide what is shown (`Fix <RLO>gnp.exe` reads "exe.png").

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

/** `U+202E RIGHT-TO-LEFT OVERRIDE`: how a message names an invisible character. */
export const codePointName = (cp: number) =>
  `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${NAMES[cp] ? ` ${NAMES[cp]}` : ''}`;

// eslint-disable-next-line no-control-regex
const LINE_BREAK = /[\r\n\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Format characters (bidi controls, zero-width ones, tags) and the fillers that render as nothing. */
const INVISIBLE = /[\p{Cf}\u115f\u1160\u3164\uffa0]/gu;
/** Joiners between two non-ASCII letters are spelling (Persian ZWNJ, emoji sequences), not disguise. */
const JOINERS = new Set([0x200c, 0x200d]);
const SPELLING_NEIGHBOUR = /[^\p{ASCII}\s]/u;

export interface UnsafeText {
  /** What was found, for "`title` contains …". */
  what: string;
  /** Set for an invisible character: `U+202E RIGHT-TO-LEFT OVERRIDE`. */
  codePoint?: string;
}

/** The first thing that makes `value` unsafe where a header or title shows it; undefined when it is plain text. */
export function unsafeText(value: string): UnsafeText | undefined {
  if (LINE_BREAK.test(value)) return { what: 'a line break' };
  if (CONTROL.test(value)) return { what: 'a control character' };
  for (const match of value.matchAll(INVISIBLE)) {
    const cp = match[0].codePointAt(0)!;
    const i = match.index;
    if (JOINERS.has(cp) && SPELLING_NEIGHBOUR.test(value[i - 1] ?? ' ') && SPELLING_NEIGHBOUR.test(value[i + 1] ?? ' ')) continue;
    const name = codePointName(cp);
    return { what: `the invisible character ${name}`, codePoint: name };
  }
  return undefined;
}
