// RFC 8058 says the one-click POST SHOULD be multipart/form-data: the unsubscribe URL reads that too.
// Only small bodies of plain text fields are expected (the body limit applies before this runs); a file
// part or anything unreadable is refused.
import { AdvisoriesError } from '../core/errors.ts';

export function parseMultipart(body: string, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const b = boundary?.[1] ?? boundary?.[2];
  if (!b) throw new AdvisoriesError('INPUT', 'A multipart/form-data body needs a boundary parameter in its Content-Type.');
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${b}`).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw new AdvisoriesError('INPUT', 'The multipart/form-data body could not be read.');
    const head = part.slice(0, split);
    const name = /content-disposition:\s*form-data;\s*name="([^"]*)"(.*)$/im.exec(head);
    if (!name || /filename=/i.test(name[2] ?? '')) throw new AdvisoriesError('INPUT', 'The multipart/form-data body may hold only text fields.');
    fields[name[1]!] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}
