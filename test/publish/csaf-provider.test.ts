// The built site read as a CSAF downloader reads it: over HTTP from the site's URL alone, starting at
// /.well-known/csaf/provider-metadata.json, following the ROLIE feed and index.txt to every document,
// checking each SHA-256 and SHA-512 and, with PGP_PRIVATE_KEY set, each detached signature with gpg
// against the key the provider metadata points to.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisory, cli, NOW, tempProject, type TempProject } from '../helpers/project.ts';
import { readTree } from '../helpers/site.ts';

let server: Server;
let base: string;
let work: string;
let site: string;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'csaf-provider-'));
  site = join(work, 'site');
  // A static file server over the built site, the way a web host serves it.
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(/^\/+/, '');
    try {
      res.end(readFileSync(join(site, path)));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const c of cleanups) c();
  rmSync(work, { recursive: true, force: true });
});

function project(): TempProject {
  const p = tempProject(
    {
      'advisories/SBX-2026-0001.md': advisory('SBX-2026-0001', { cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', severity: 'critical' }),
      'advisories/SBX-2026-0002.md': advisory('SBX-2026-0002', { published: '2025-12-30T10:00:00Z', reported: '2025-12-01' }),
      'advisories/SBX-2026-0003.md': advisory('SBX-2026-0003', { withdrawn: '{at: 2026-04-01T00:00:00Z, reason: "Duplicate"}' }),
      // Embargoed at NOW: in no file.
      'advisories/SBX-2026-0004.md': advisory('SBX-2026-0004', { published: '2027-01-01T00:00:00Z' }),
    },
    { config: { package: 'scalebox-sdk', idPrefix: 'SBX', visibility: 'private', siteUrl: base, csaf: { publisher: { name: 'Scalebox', namespace: 'https://scalebox.dev' } } } },
  );
  cleanups.push(p.cleanup);
  return p;
}

async function get(url: string): Promise<Buffer> {
  const r = await fetch(url);
  expect(r.status, url).toBe(200);
  return Buffer.from(await r.arrayBuffer());
}
const getJson = async (url: string) => JSON.parse((await get(url)).toString('utf8'));

/** What a downloader does: every document from the metadata, its hashes checked; returns the documents by URL. */
async function download(verify?: (doc: Buffer, signature: Buffer, url: string) => void) {
  const metadata = await getJson(new URL('.well-known/csaf/provider-metadata.json', base).href);
  expect(metadata.canonical_url).toBe(new URL('.well-known/csaf/provider-metadata.json', base).href);
  const [distribution] = metadata.distributions;
  const fromFeed = new Set<string>();
  for (const feed of distribution.rolie.feeds) {
    const rolie = await getJson(feed.url);
    for (const entry of rolie.feed.entry) fromFeed.add(entry.content.src);
  }
  const index = (await get(new URL('index.txt', distribution.directory_url).href)).toString('utf8');
  const fromIndex = new Set(index.split('\n').filter(Boolean).map((line) => new URL(line, distribution.directory_url).href));
  expect([...fromIndex].sort()).toEqual([...fromFeed].sort());
  const changes = (await get(new URL('changes.csv', distribution.directory_url).href)).toString('utf8');
  expect(new Set(changes.split('\n').filter(Boolean).map((l) => new URL(JSON.parse(`[${l}]`)[0], distribution.directory_url).href))).toEqual(fromIndex);

  const docs = new Map<string, any>();
  for (const url of fromIndex) {
    const bytes = await get(url);
    for (const algorithm of ['sha256', 'sha512'] as const) {
      const [hex, name] = (await get(`${url}.${algorithm}`)).toString('utf8').trim().split(/\s+/);
      expect(hex, `${url}.${algorithm}`).toBe(createHash(algorithm).update(bytes).digest('hex'));
      expect(name).toBe(url.slice(url.lastIndexOf('/') + 1));
    }
    if (verify) verify(bytes, await get(`${url}.asc`), url);
    const doc = JSON.parse(bytes.toString('utf8'));
    // Section 5.1 and 7.1.11: the year of the first release, the lowercased tracking id.
    expect(url).toBe(new URL(`${doc.document.tracking.initial_release_date.slice(0, 4)}/${doc.document.tracking.id.toLowerCase()}.json`, distribution.directory_url).href);
    docs.set(url, doc);
  }
  return { metadata, docs };
}

describe('the CSAF provider layout, read as a downloader reads it', () => {
  it('leads from provider-metadata.json through the ROLIE feed and index.txt to every published document, each hash right', async () => {
    const p = project();
    const r = await cli(['build', '--root', p.root, '--out', site, '--now', NOW], { PGP_PRIVATE_KEY: '' });
    expect(r.code, r.stderr).toBe(0);
    const { metadata, docs } = await download();
    expect(metadata.role).toBe('csaf_provider');
    expect(metadata.publisher).toEqual({ category: 'vendor', name: 'Scalebox', namespace: 'https://scalebox.dev' });
    expect([...docs.values()].map((d) => d.document.tracking.id).sort()).toEqual(['SBX-2026-0001', 'SBX-2026-0002', 'SBX-2026-0003']);
    expect([...docs.keys()].some((u) => u.includes('/2025/sbx-2026-0002.json'))).toBe(true);
    // The embargoed advisory is in no file of the site, CSAF's included.
    for (const [path, bytes] of readTree(site)) expect(bytes.includes('SBX-2026-0004'), path).toBe(false);
  });

  it('with PGP_PRIVATE_KEY, signs every document so that gpg verifies it with the key the metadata names, and signs the same bytes again', async () => {
    const { privateKey, publicKey } = await openpgp.generateKey({
      userIDs: [{ name: 'Scalebox Security', email: 'security@scalebox.dev' }],
      type: 'ecc',
      passphrase: 'correct horse',
      format: 'armored',
      date: new Date('2025-01-01T00:00:00Z'),
    });
    const p = project();
    const env = { PGP_PRIVATE_KEY: privateKey, PGP_PASSPHRASE: 'correct horse' };
    const r = await cli(['build', '--root', p.root, '--out', site, '--now', NOW], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY');
    const first = readTree(site);

    const home = mkdtempSync(join(tmpdir(), 'gnupg-'));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const gpg = (...args: string[]) => spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', ...args], { encoding: 'utf8' });
    const metadata = await getJson(new URL('.well-known/csaf/provider-metadata.json', base).href);
    expect(metadata.role).toBe('csaf_trusted_provider');
    const [key] = metadata.public_openpgp_keys;
    const published = await get(key.url);
    expect((await openpgp.readKey({ armoredKey: published.toString('utf8') })).getFingerprint().toUpperCase()).toBe(key.fingerprint);
    expect((await openpgp.readKey({ armoredKey: publicKey })).getFingerprint().toUpperCase()).toBe(key.fingerprint);
    writeFileSync(join(home, 'key.asc'), published);
    expect(gpg('--import', join(home, 'key.asc')).status).toBe(0);

    let verified = 0;
    const { docs } = await download((doc, signature, url) => {
      writeFileSync(join(home, 'doc.json'), doc);
      writeFileSync(join(home, 'doc.json.asc'), signature);
      const ok = gpg('--verify', join(home, 'doc.json.asc'), join(home, 'doc.json'));
      expect(ok.status, `${url}: ${ok.stderr}`).toBe(0);
      expect(ok.stderr).toContain('Good signature from "Scalebox Security <security@scalebox.dev>"');
      // The signature covers the bytes: one changed byte fails.
      writeFileSync(join(home, 'doc.json'), Buffer.concat([doc, Buffer.from(' ')]));
      expect(gpg('--verify', join(home, 'doc.json.asc'), join(home, 'doc.json')).status).not.toBe(0);
      verified++;
    });
    expect(verified).toBe(docs.size);
    expect(verified).toBe(3);
    const feed = await getJson(metadata.distributions[0].rolie.feeds[0].url);
    for (const entry of feed.feed.entry) expect(entry.link.map((l: any) => l.rel)).toEqual(['self', 'hash', 'hash', 'signature']);

    // An unusable key stops the build with a setup error naming the variable, and the site stays as it was.
    const bad = await cli(['build', '--root', p.root, '--out', site, '--now', NOW], { ...env, PGP_PASSPHRASE: 'battery staple' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PGP_PRIVATE_KEY cannot be used: wrong or missing PGP_PASSPHRASE');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(site)).toEqual(first);

    // Same input, same key: the same bytes, signatures included.
    const again = await cli(['build', '--root', p.root, '--out', site, '--now', NOW], env);
    expect(again.code, again.stderr).toBe(0);
    expect(readTree(site)).toEqual(first);
  });
});
