// advisories.config.json (or the "advisories" key of package.json). Secrets never live here: see env.ts.
import { z } from 'zod';

const MailSchema = z.strictObject({
  from: z.string().min(3).describe('Sender, e.g. "Scalebox Security <security@scalebox.dev>"'),
  replyTo: z.string().optional().describe('Security contact readers reply to; defaults to `from`'),
  listId: z.string().min(3).describe('List-Id, e.g. "Scalebox security announcements <security-announce.scalebox.dev>"'),
  unsubscribeUrl: z
    .url({ protocol: /^https?$/ })
    .refine((u) => u.includes('{token}'), 'must contain the placeholder {token}')
    .describe('One-click unsubscribe URL template with {token}'),
  unsubscribeMailto: z.string().optional().describe('Address for mailto: unsubscribe, e.g. "security-announce-unsubscribe@scalebox.dev"'),
  maxConnections: z.number().int().min(1).max(50).default(2),
  rateLimit: z.number().int().min(1).default(200).describe('Messages per rateDelta per connection pool'),
  rateDelta: z.number().int().min(1).default(1000).describe('Milliseconds'),
  retryAttempts: z.number().int().min(1).max(10).default(3).describe('Tries per message within one run when the server says "try later" (4xx)'),
  retryDelay: z.number().int().min(0).default(30_000).describe('Milliseconds before the second try; doubled for each further one'),
});

// CSAF 2.0 (docs/site.md): the publisher every document names. Without `namespace`, the site's own origin.
const CsafSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Build the CSAF provider layout under .well-known/csaf/; false leaves it out'),
  publisher: z
    .strictObject({
      name: z.string().min(1).optional().describe('Publisher name; defaults to `product`'),
      namespace: z.url({ protocol: /^https?$/ }).optional().describe("Publisher namespace URL; defaults to the origin of `siteUrl`"),
      category: z.enum(['coordinator', 'discoverer', 'other', 'translator', 'user', 'vendor']).default('vendor'),
      contactDetails: z.string().min(1).optional().describe('How to reach the publisher, e.g. "security@scalebox.dev"'),
    })
    .prefault({}),
});

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  product: z.string().min(1).default('the project').describe('Product name used in pages and mail'),
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
  csaf: CsafSchema.prefault({}).describe('CSAF 2.0 provider outputs'),
});

export type Config = z.output<typeof ConfigSchema>;
export type MailConfig = z.output<typeof MailSchema>;
export type CsafConfig = z.output<typeof CsafSchema>;
