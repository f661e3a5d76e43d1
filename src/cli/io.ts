// The CLI's only contact with the process: tests pass their own.
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Whether stdout is an interactive terminal (progress lines only then). */
  isTTY: boolean;
  /** Asks the user a question: only when stdin is an interactive terminal, so scripts and CI never wait. */
  prompt?: (question: string) => Promise<string>;
}

/**
 * A reader that stopped reading (`advisories check | head -1`) is not an error: once stdout's pipe is
 * closed, nothing more can be said, so the process ends quietly instead of with an unhandled EPIPE.
 */
const guarded = new WeakSet<NodeJS.WriteStream>();
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

async function ask(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

export const processIo = (): Io => {
  quietOnClosedPipe(process.stdout);
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    ...(process.stdin.isTTY ? { prompt: ask } : {}),
  };
};
