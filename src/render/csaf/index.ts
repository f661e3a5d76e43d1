// The CSAF provider's files, one document at a time: each document with its SHA-256 and SHA-512
// beside it (sha256sum's format), then the listings that lead to them. Signatures are publish/'s
// (signing needs the private key and is asynchronous); render only says which key, when there is one.
import { hash } from 'node:crypto';
import { codePoints } from '../../core/advisory.ts';
import { markdownRenderer } from '../markdown.ts';
import type { SiteContent, SiteInput } from '../site-input.ts';
import { csafDocument } from './document.ts';
import { csafPath, csafRelative, PROVIDER_METADATA, ROLIE_FEED, CSAF_DIR } from './paths.ts';
import { tracking } from './revisions.ts';
import { changesCsv, indexTxt, keyPath, providerMetadata, rolieFeed, type Listed } from './provider.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const digest = (algorithm: 'sha256' | 'sha512', bytes: Uint8Array, path: string) =>
  `${hash(algorithm, bytes, 'hex')}  ${baseName(path)}\n`;

/** A CSAF document's path inside the site (what publish/ signs): a year folder of the distribution. */
export const isCsafDocument = (path: string) => path.startsWith(`${CSAF_DIR}/`) && /^\d{4}\/[^/]+\.json$/.test(path.slice(CSAF_DIR.length + 1));

export function* csafEntries(input: Pick<SiteInput, 'advisories' | 'config' | 'markdown' | 'history' | 'csafKey'>): Generator<[string, SiteContent]> {
  const { config, markdown = markdownRenderer } = input;
  const listed: Listed[] = [];
  // Everything a document is made from (the plain text follows from the body), and so its digests.
  const shared = { config };
  for (const a of [...input.advisories].sort((x, y) => codePoints(x.id, y.id))) {
    if (a.embargoed) continue;
    const history = input.history?.get(a.file);
    const { initial, current } = tracking(a, history);
    const path = csafPath(a.id, initial);
    let bytes: Uint8Array | undefined;
    const document = () => (bytes ??= Buffer.from(json(csafDocument(a, config, history, markdown.text(a.body)).document)));
    const from = ['csaf', shared, a, history ?? null];
    yield [path, { from, make: document }];
    yield [`${path}.sha256`, { from, make: () => digest('sha256', document(), path) }];
    yield [`${path}.sha512`, { from, make: () => digest('sha512', document(), path) }];
    listed.push({ id: a.id, title: a.title, summary: a.summary, path, relative: csafRelative(a.id, initial), initial, current });
  }
  yield [`${CSAF_DIR}/index.txt`, indexTxt(listed)];
  yield [`${CSAF_DIR}/changes.csv`, changesCsv(listed)];
  yield [ROLIE_FEED, json(rolieFeed(config, listed, input.csafKey !== undefined))];
  if (input.csafKey) yield [keyPath(input.csafKey), input.csafKey.armored];
  yield [PROVIDER_METADATA, json(providerMetadata(config, listed, input.csafKey))];
}
