// Rendering Markdown is the build's dominant cost and several outputs render the same body: a pure
// function memoised by its input, which the build cache (project/render-cache.ts) can also pre-seed.
// Each renderer has a fast path that answers where it can (null elsewhere) and an exact one (remark);
// the memo records which inputs took the exact path, since only those are worth caching.
export interface Memoized {
  (input: string): string;
  seed(input: string, output: string, costly?: boolean): void;
  peek(input: string): string | undefined;
  /** Whether this input's output took the exact path (rendered here, or seeded as such). */
  costly(input: string): boolean;
  /** Drops an output no later stage needs (kept if costly: the build cache saves those at the end). */
  forget(input: string): void;
  clear(): void;
}

export function memoize(fast: (input: string) => string | null, exact: (input: string) => string): Memoized {
  const outputs = new Map<string, string>();
  const costly = new Set<string>();
  const render = (input: string) => {
    const quick = fast(input);
    if (quick !== null) return quick;
    costly.add(input);
    return exact(input);
  };
  const call = (input: string) => {
    let output = outputs.get(input);
    if (output === undefined) outputs.set(input, (output = render(input)));
    return output;
  };
  return Object.assign(call, {
    seed: (input: string, output: string, slow = false) => {
      outputs.set(input, output);
      if (slow) costly.add(input);
    },
    peek: (input: string) => outputs.get(input),
    costly: (input: string) => costly.has(input),
    forget: (input: string) => void (costly.has(input) || outputs.delete(input)),
    clear: () => {
      outputs.clear();
      costly.clear();
    },
  });
}
