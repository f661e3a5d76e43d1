// A ZIP archive of files already written, through yazl (maintained; deflates with Node's zlib; ZIP64
// where an archive needs it). Deterministic: entries in the given order, one fixed DOS time stamp, no
// extra time fields, so the same files give the same bytes.
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

export async function writeArchive(target: string, entries: readonly { name: string; file: string }[]): Promise<void> {
  // 1980-01-01 00:00, the DOS format's first moment, in local time as yazl encodes it (made here, since
  // the time zone may change while the process runs).
  const epoch = new Date(1980, 0, 1, 0, 0, 0);
  const zip = new yazl.ZipFile();
  const done = pipeline(zip.outputStream, createWriteStream(target, { flags: 'wx', mode: 0o644 }));
  // The archive is fed one file at a time: yazl compresses as it goes, and memory stays flat.
  for (const { name, file } of entries) {
    zip.addBuffer(await readFile(file), name, { mtime: epoch, mode: 0o100644, compressionLevel: 6, forceDosTimestamp: true });
  }
  zip.end();
  await done;
}
