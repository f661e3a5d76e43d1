// `advisories preview`: the built site over HTTP on this machine. Opened from disk, a browser blocks the
// pages' fetch of index.json (file:// has no origin), which hides the version box and the search.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, relative, resolve, sep } from 'node:path';
import { EXIT, AdvisoriesError } from '../../core/errors.ts';
import type { Io } from '../io.ts';
import { common, parse } from '../options.ts';

export const usage = 'advisories preview [--out DIR] [--port N] [--root DIR]';

export const help = `Usage: ${usage}

Serves the site \`advisories build\` wrote on http://127.0.0.1:PORT/ (this machine only) until Ctrl-C, so
the version box and the search work as they will online. Build first; rebuild and reload to see changes.

  --out DIR   the built site (default ROOT/dist)
  --port N    the port (default 8080; 0 picks a free one)
`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.zip': 'application/zip',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir` read-only on 127.0.0.1; only files inside it, folders by their index.html. */
export function servePreview(dir: string, port: number): Promise<Server> {
  const server = createServer((request, response) => {
    void (async () => {
      let path: string;
      try {
        path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      } catch {
        path = '\0';
      }
      let file = resolve(dir, `.${path}`);
      const inside = !path.includes('\0') && (file === dir || !relative(dir, file).split(sep).includes('..'));
      let info = inside ? await stat(file).catch(() => undefined) : undefined;
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => undefined);
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
      } else if (!info?.isFile()) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      } else {
        response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': info.size, 'cache-control': 'no-store' });
        if (request.method === 'HEAD') response.end();
        else createReadStream(file).pipe(response);
      }
    })();
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

export async function preview(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' }, port: { type: 'string', default: '8080' } });
  const { root } = common(values, io);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new AdvisoriesError('USAGE', `--port must be a port number (0 to 65535), not "${values.port}"`);
  const dir = values.out ? resolve(io.cwd, values.out) : resolve(root, 'dist');
  if (!(await stat(join(dir, 'index.html')).catch(() => undefined))?.isFile()) {
    throw new AdvisoriesError('USAGE', `no built site in ${relative(io.cwd, dir) || '.'}: run \`advisories build${values.out ? ` --out ${values.out}` : ''}\` first`);
  }
  let server: Server;
  try {
    server = await servePreview(dir, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new AdvisoriesError('USAGE', `cannot listen on 127.0.0.1:${port} (${code}): choose another with --port`);
    throw error;
  }
  const address = server.address() as AddressInfo;
  io.stdout(`Serving ${relative(io.cwd, dir) || '.'} on http://127.0.0.1:${address.port}/ (Ctrl-C stops)\n`);
  await new Promise<void>((done) => {
    const stop = () => server.close(() => done());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return EXIT.ok;
}
