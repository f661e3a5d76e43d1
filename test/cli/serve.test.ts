// `advisories serve` as a process: it starts with one command and, on SIGTERM, lets a request already in
// flight finish (its confirmation mail sent), takes no new one, closes the store and exits 0.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../src/list/index.ts';
import { createDatabase, type TestDatabase } from '../helpers/database.ts';
import { tempProject, type TempProject } from '../helpers/project.ts';
import { freePort } from '../helpers/service.ts';
import { MAIL, SECRET, startSmtp, type TestServer } from '../helpers/smtp.ts';

const BIN = fileURLToPath(new URL('../../bin/advisories.js', import.meta.url));
let project: TempProject | undefined;
let db: TestDatabase | undefined;
let smtp: TestServer | undefined;
afterEach(async () => {
  project?.cleanup();
  await db?.drop();
  await smtp?.close();
});

it('serves until SIGTERM, finishes the request in flight, then closes the store and exits 0', async () => {
  smtp = await startSmtp();
  db = await createDatabase('sqlite');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  project = tempProject({}, { config: { product: 'Scalebox SDK', package: 'scalebox-sdk', mail: { ...MAIL, unsubscribeUrl: `${url}unsubscribe?token={token}` }, service: { url } } });
  const child = spawn(process.execPath, [BIN, 'serve', '--root', project.root, '--state', db.state, '--port', String(port)], {
    env: { PATH: process.env.PATH, UNSUBSCRIBE_SECRET: SECRET, SMTP_URL: smtp.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => void (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const seen = async (text: string) => {
    for (let i = 0; i < 600 && !out.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain(text);
  };
  await seen('listening on');

  // A request whose body has not fully arrived when SIGTERM comes.
  const body = 'email=in-flight%40example.com';
  const socket = connect(port, '127.0.0.1');
  let response = '';
  socket.on('data', (d) => void (response += d.toString()));
  const ended = new Promise<void>((resolve) => socket.on('end', resolve).on('close', resolve));
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(`POST /subscribe HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((r) => setTimeout(r, 200));
  child.kill('SIGTERM');
  await seen('SIGTERM: finishing requests in flight');
  await expect(fetch(url + 'healthz')).rejects.toThrow();
  socket.write(body.slice(10));
  await ended;
  expect(response).toMatch(/^HTTP\/1\.1 202/);
  expect(await exited).toBe(0);
  expect(out).toContain('stopped');
  expect(out).not.toContain('in-flight@example.com');

  // Durable and mailed before the exit; the store was closed cleanly (it opens again at once).
  expect(smtp.raw.length).toBe(1);
  const store = await openStore({ state: db.state });
  expect((await store.get('in-flight@example.com'))?.state).toBe('pending');
  await store.close();
});

it('refuses to start without UNSUBSCRIBE_SECRET or a service section, with the reason', async () => {
  project = tempProject({}, { config: { mail: MAIL } });
  const run = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'serve', '--root', project!.root, '--port', '0'], { env: { PATH: process.env.PATH, ...env } });
      let out = '';
      child.stderr.on('data', (d: Buffer) => void (out += d.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
  const noService = await run({ UNSUBSCRIBE_SECRET: SECRET });
  expect(noService.code).toBe(2);
  expect(noService.out).toMatch(/no "service" section/);
  project.write('advisories.config.json', JSON.stringify({ mail: MAIL, service: { url: 'https://list.example.org/' } }));
  const noSecret = await run({});
  expect(noSecret.code).toBe(2);
  expect(noSecret.out).toMatch(/UNSUBSCRIBE_SECRET is not set/);
});
