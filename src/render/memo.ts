// Rendering Markdown is the build's dominant cost and several outputs render the same body: a pure
// function memoised by its input, which the build cache (project/render-cache.ts) can also pre-seed.
export interface Memoized {
  (input: string): string;
  seed(input: string, output: string): void;
  peek(input: string): string | undefined;
  clear(): void;
}

export function memoize(fn: (input: string) => string): Memoized {
  const outputs = new Map<string, string>();
  const call = (input: string) => {
    let output = outputs.get(input);
    if (output === undefined) outputs.set(input, (output = fn(input)));
    return output;
  };
  return Object.assign(call, {
    seed: (input: string, output: string) => void outputs.set(input, output),
    peek: (input: string) => outputs.get(input),
    clear: () => outputs.clear(),
  });
}
