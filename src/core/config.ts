// advisories.config.json (or the "advisories" key of package.json). Secrets never live here: see env.ts.
import { z } from 'zod';
import { unsafeText } from './text.ts';

/** A value that goes into mail headers, page titles or feeds: one line of plain, visible text. */
const HeaderText = () =>
  z.string().superRefine((value, ctx) => {
    const bad = unsafeText(value);
    if (bad) {
      ctx.addIssue({
        code: 'custom',
        message: `contains ${bad.what}`,
        params: { fix: bad.codePoint ? `Delete the invisible ${bad.codePoint}: this value reaches mail headers and page titles, where it would make them read differently.` : 'Put the value on one line of plain text: it goes into mail headers, where a line break would start a new header.' },
      });
    }
  });

const MailSchema = z.strictObject({
  from: HeaderText().min(3).describe('Sender, e.g. "Scalebox Security <security@scalebox.dev>"'),
  replyTo: HeaderText().optional().describe('Security contact readers reply to; defaults to `from`'),
  listId: HeaderText().min(3).describe('List-Id, e.g. "Scalebox security announcements <security-announce.scalebox.dev>"'),
  unsubscribeUrl: z
    .url({ protocol: /^https?$/ })
    .refine((u) => u.includes('{token}'), 'must contain the placeholder {token}')
    .describe('One-click unsubscribe URL template with {token}'),
  unsubscribeMailto: HeaderText().optional().describe('Address for mailto: unsubscribe, e.g. "security-announce-unsubscribe@scalebox.dev"'),
  maxConnections: z.number().int().min(1).max(50).default(2),
  rateLimit: z.number().int().min(1).default(200).describe('Messages per rateDelta per connection pool'),
  rateDelta: z.number().int().min(1).default(1000).describe('Milliseconds'),
  retryAttempts: z.number().int().min(1).max(10).default(3).describe('Tries per message within one run when the server says "try later" (4xx)'),
  retryDelay: z.number().int().min(0).default(30_000).describe('Milliseconds before the second try; doubled for each further one'),
});

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  product: HeaderText().min(1).default('the project').describe('Product name used in pages and mail'),
  siteUrl: z.url({ protocol: /^https?$/ }).default('http://localhost:8080/').describe('Where the built site is served'),
  idPrefix: z
    .string()
    .regex(/^[A-Z][A-Z0-9]*$/, 'must be upper-case letters and digits, e.g. SBX')
    .optional()
    .describe('Id prefix; without it any upper-case prefix is accepted'),
  package: z.string().min(1).optional().describe('Default `package` of advisories'),
  ecosystem: z.string().min(1).default('npm').describe('Default `ecosystem` (OSV ecosystem name)'),
  upgradeCommand: z.string().default('npm install {package}@{version}').describe('Template with {package} and {version}'),
  mail: MailSchema.optional(),
});

export type Config = z.output<typeof ConfigSchema>;
export type MailConfig = z.output<typeof MailSchema>;
