// notify on the list store, on SQLite and on PostgreSQL: who is mailed, bounces, and taking over an old ledger.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/list/index.ts';
import { BACKENDS, createDatabase, type TestDatabase } from '../helpers/database.ts';
import { advisory, cli, tempProject, type TempProject } from '../helpers/project.ts';
import { csv, mailConfig, SECRET, smtpError, startSmtp, type TestServer } from '../helpers/smtp.ts';

const NOW = '2026-11-25T12:00:00Z';
let project: TempProject | undefined;
let servers: TestServer[] = [];
let db: TestDatabase | undefined;
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  project?.cleanup();
  project = undefined;
  await db?.drop();
  db = undefined;
});

describe.each(BACKENDS)('notify on the %s list store', (kind) => {
  it('mails the active subscribers only, and stops mailing an address once its permanent failures reach mail.bounceLimit', async () => {
    db = await createDatabase(kind);
    // x is refused at RCPT, y at the end of DATA: both are permanent failures (5xx).
    let s: TestServer;
    s = await startSmtp({
      rcpt: (a) => (a === 'x@example.com' ? smtpError(550, 'No such user x@example.com') : undefined),
      data: (n) => (s.envelopes[n - 1]?.to.includes('y@example.com') ? smtpError(554, 'Rejected for policy reasons') : 'accept'),
    });
    servers.push(s);
    project = tempProject(
      { 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'list.csv': csv(['a@example.com,,', 'b@example.com,,', 'c@example.com,high,', 'x@example.com,,', 'y@example.com,,']) },
      { config: mailConfig({ maxConnections: 1, bounceLimit: 2 }) },
    );
    const state = join(project.root, '.advisories-state');
    const env = { SMTP_URL: s.url, UNSUBSCRIBE_SECRET: SECRET, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) };
    const imported = await cli(['subscribers', 'import', join(project.root, 'list.csv'), '--root', project.root], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('5 added');
    const store = await openStore({ state, databaseUrl: db.databaseUrl });
    try {
      await store.unsubscribe('b@example.com', new Date(NOW), 'one-click');
      await store.requestSubscription({ email: 'p@example.com', minSeverity: null, versions: null, form: 'site', at: new Date(NOW) });
    } finally {
      await store.close();
    }
    const notify = () => cli(['notify', '--root', project!.root, '--now', NOW], env);
    const recipients = () => s.envelopes.flatMap((e) => e.to);

    const first = await notify();
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(first.stdout).toMatch(/total\s+2\s+0\s+2\s+0\s+0/);
    expect(first.stdout).toMatch(/failed-permanent\s+SBX-2026-0001\s+x\*\*\*@example\.com: 550/);
    expect(first.stdout).not.toContain('x@example.com');
    // x never got as far as DATA; y's message arrived and was refused.
    expect(recipients().sort()).toEqual(['a@example.com', 'c@example.com', 'y@example.com']);

    project.write('advisories/SBX-2026-0002.md', advisory('SBX-2026-0002'));
    const second = await notify();
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/SBX-2026-0002 \w+\s+2\s+0\s+2\s+0\s+0/);

    // Two permanent failures each: both are now bounced and are not even tried.
    project.write('advisories/SBX-2026-0003.md', advisory('SBX-2026-0003'));
    const before = s.envelopes.length;
    const third = await notify();
    expect(third.code, third.stdout).toBe(0);
    expect(s.envelopes.slice(before).flatMap((e) => e.to).sort()).toEqual(['a@example.com', 'c@example.com']);

    const counts = await cli(['subscribers', '--root', project.root], env);
    expect(counts.stdout).toMatch(/pending\s+1\n\s+active\s+2\n\s+unsubscribed\s+1\n\s+bounced\s+2\n\s+complained\s+0\n/);
    // Nobody who left, or never confirmed, got anything.
    expect(recipients()).not.toContain('b@example.com');
    expect(recipients()).not.toContain('p@example.com');
  });

  it('takes over the ledger file of earlier versions, so upgrading mails nobody twice', async () => {
    db = await createDatabase(kind);
    const s = await startSmtp();
    servers.push(s);
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'list.csv': csv(['a@example.com,,', 'b@example.com,,']) }, { config: mailConfig() });
    const list = join(project.root, 'list.csv');
    // The rows an earlier version would have written: sent once through a throwaway SQLite store.
    const earlier = join(project.root, 'earlier');
    const sent = await cli(['notify', '--root', project.root, '--state', earlier, '--now', NOW], { SMTP_URL: s.url, UNSUBSCRIBE_SECRET: SECRET, SUBSCRIBERS: list });
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    expect(s.raw.length).toBe(2);
    const state = join(project.root, '.advisories-state');
    mkdirSync(state, { recursive: true });
    const old = new Database(join(state, 'mail-ledger.sqlite'));
    old.exec(`CREATE TABLE deliveries (advisory TEXT NOT NULL, revision TEXT NOT NULL, subscriber TEXT NOT NULL, state TEXT NOT NULL, message_id TEXT NOT NULL, reply TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (revision, subscriber)) WITHOUT ROWID;
      CREATE TABLE revisions (revision TEXT PRIMARY KEY, advisory TEXT NOT NULL, material TEXT NOT NULL, first_seen TEXT NOT NULL);
      ATTACH DATABASE '${join(earlier, 'list.sqlite')}' AS store;
      INSERT INTO deliveries SELECT advisory, revision, subscriber, state, message_id, reply, created_at, updated_at FROM store.deliveries;
      INSERT INTO revisions SELECT * FROM store.revisions;
      DETACH DATABASE store;`);
    old.close();

    const env = { SMTP_URL: s.url, UNSUBSCRIBE_SECRET: SECRET, SUBSCRIBERS: list, ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) };
    const upgraded = await cli(['notify', '--root', project.root, '--require-ledger', '--now', NOW], env);
    expect(upgraded.code, upgraded.stdout + upgraded.stderr).toBe(0);
    expect(upgraded.stdout).toContain('Took over the 2 rows of the old ledger');
    expect(upgraded.stdout).toMatch(/total\s+0\s+2\s+0\s+0\s+0/);
    expect(s.raw.length).toBe(2);
  });

  it('with a CSV list (SUBSCRIBERS), does not mail an address that unsubscribed through the store', async () => {
    db = await createDatabase(kind);
    const s = await startSmtp();
    servers.push(s);
    project = tempProject({ 'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001'), 'list.csv': csv(['a@example.com,,', 'b@example.com,,']) }, { config: mailConfig() });
    const store = await openStore({ state: join(project.root, '.advisories-state'), databaseUrl: db.databaseUrl });
    try {
      // b is only on the CSV; the one-click unsubscribe from an earlier mail still reached the store.
      expect(await store.unsubscribe('B@example.com', new Date(NOW), 'one-click')).toBe(false);
    } finally {
      await store.close();
    }
    const env = { SMTP_URL: s.url, UNSUBSCRIBE_SECRET: SECRET, SUBSCRIBERS: join(project.root, 'list.csv'), ...(db.databaseUrl ? { DATABASE_URL: db.databaseUrl } : {}) };
    const r = await cli(['notify', '--root', project.root, '--now', NOW], env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(s.envelopes.flatMap((e) => e.to)).toEqual(['a@example.com']);
  });
});
