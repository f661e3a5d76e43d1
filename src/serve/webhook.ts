// Bounce and complaint notices from the mail provider, as zod schemas: the project's own small shape, and
// Postmark's bounce and spam-complaint webhooks mapped onto it.
import { z } from 'zod';

export const Notice = z.strictObject({
  type: z.enum(['bounce', 'complaint']).describe('bounce: a permanent failure (hard bounce); complaint: the reader marked a mail as spam'),
  email: z.string().max(254),
  detail: z.string().max(500).optional(),
});
export type Notice = z.infer<typeof Notice>;

/** POST /webhooks/bounces: one notice, or `{ "notices": [ … ] }` with up to 100. */
export const NoticeBody = z.union([Notice, z.strictObject({ notices: z.array(Notice).min(1).max(100) })]);

export const noticesOf = (body: z.infer<typeof NoticeBody>): Notice[] => ('notices' in body ? body.notices : [body]);

// Postmark's bounce types that mean the address will never take mail (the others are transient or informational).
const PERMANENT = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated', 'Blocked', 'SpamNotification', 'DMARCPolicy']);

/** Postmark's Bounce and SpamComplaint webhooks (other fields are ignored). */
export const PostmarkBody = z.looseObject({
  RecordType: z.string().max(40),
  Type: z.string().max(40).optional(),
  Email: z.string().max(254),
  Description: z.string().max(2000).optional(),
});

/** The notice a Postmark webhook means, or undefined when it means nothing for the list (a soft bounce). */
export function fromPostmark(p: z.infer<typeof PostmarkBody>): Notice | undefined {
  if (p.RecordType === 'SpamComplaint') return { type: 'complaint', email: p.Email, detail: 'Postmark SpamComplaint' };
  if (p.RecordType === 'Bounce' && PERMANENT.has(p.Type ?? '')) return { type: 'bounce', email: p.Email, detail: `Postmark ${p.Type}: ${(p.Description ?? '').slice(0, 200)}` };
  return undefined;
}
