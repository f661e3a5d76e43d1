// Real advisory text for the benchmarks: the RustSec advisories in bench/corpus/rustsec (see its README.md
// for provenance and licence), repeated with shifted ids to reach a target count. Copy k of RUSTSEC-2021-0001
// is RUSTSEC-2021-{1 + 10000 k}: only the `id:` frontmatter line and the file name change, every other byte
// is the original's. Read from this repository only, never from outside it.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const REAL_DIR = new URL('./corpus/rustsec/', import.meta.url).pathname;
export const REAL_CONFIG = {
  product: 'RustSec crates (bench)',
  siteUrl: 'https://rustsec.bench.example/',
  idPrefix: 'RUSTSEC',
  ecosystem: 'crates.io',
  upgradeCommand: 'cargo update -p {package} --precise {version}',
};

interface Source {
  id: string;
  text: string;
}
let sources: Source[] | undefined;
/** The 1,184 originals, sorted by file name, read once. */
export function realSources(): Source[] {
  if (sources) return sources;
  const dir = join(REAL_DIR, 'advisories');
  sources = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const id = f.slice(0, -3);
      const text = readFileSync(join(dir, f), 'utf8');
      if (!text.includes(`\nid: ${id}\n`)) throw new Error(`${f}: no "id: ${id}" line in its frontmatter`);
      return { id, text };
    });
  if (sources.length === 0) throw new Error(`no advisories in ${dir}`);
  return sources;
}

/** RUSTSEC-2021-0001, copy 3 -> RUSTSEC-2021-30001: the numeric part plus 10000 per copy. */
export function shiftedId(id: string, copy: number): string {
  const m = /^(.*-)(\d+)$/.exec(id);
  if (!m) throw new Error(`id without a numeric part: ${id}`);
  return copy === 0 ? id : `${m[1]}${Number(m[2]) + 10000 * copy}`;
}

/**
 * How many advisories a real corpus for a target count holds: whole copies, the nearest number to the target
 * (9,472 = 8 copies for 10,000; 40,256 = 34 for 40,000); below one copy, the first `target` originals.
 */
export function realCount(target: number): number {
  const per = realSources().length;
  return target < per ? Math.max(1, target) : Math.max(1, Math.round(target / per)) * per;
}

/**
 * Writes a project with `realCount(target)` real advisories under `root`; returns their file names, in write order.
 * The copies' bodies are byte-identical to the originals, so at 9,472 there are only 1,184 distinct bodies, and a
 * content-addressed Markdown store (src/accel/markdown.ts) renders each once. `distinctBodies` appends one sentence
 * naming the copy to every body after the first copy's, so that each advisory costs what a new one would.
 */
export function writeRealCorpus(root: string, target: number, { distinctBodies = false } = {}): string[] {
  const all = realSources();
  const count = realCount(target);
  const dir = join(root, 'advisories');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, 'SECURITY.md'), readFileSync(join(REAL_DIR, 'SECURITY.md')));
  writeFileSync(join(root, 'advisories.config.json'), JSON.stringify(REAL_CONFIG, null, 2));
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const copy = Math.floor(i / all.length);
    const { id, text } = all[i % all.length]!;
    const newId = shiftedId(id, copy);
    let out = copy === 0 ? text : text.replace(`\nid: ${id}\n`, `\nid: ${newId}\n`);
    if (distinctBodies && copy > 0) out = `${out.replace(/\n*$/, '\n')}\nCopy ${copy} of ${id}, renumbered ${newId} for the benchmark.\n`;
    writeFileSync(join(dir, `${newId}.md`), out);
    names.push(`${newId}.md`);
  }
  return names;
}

/** A real edit of a real advisory: one paragraph appended to its body (the rebuild scenarios). */
export function editedRealText(original: string, rev: number): string {
  return `${original.replace(/\n*$/, '\n')}\n**Updated (rev ${rev}):** clarified the affected configurations.\n`;
}
