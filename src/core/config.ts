// advisories.config.json (or the "advisories" key of package.json). Secrets never live here: see env.ts.
import { z } from 'zod';
import { Ecosystem } from './schema.ts';

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
  ecosystem: Ecosystem.default('npm').describe('Default `ecosystem` (OSV ecosystem name, e.g. npm, PyPI, Go, crates.io, RubyGems, Maven)'),
  upgradeCommand: z
    .string()
    .optional()
    .describe('Template with {package} and {version}; defaults to the ecosystem\'s (npm install, pip install, go get, cargo update, gem install, Maven coordinates)'),
  // Links every page carries, so a reader can reach the project, its package, how to report and how to subscribe.
  repository: z.url({ protocol: /^https?$/ }).optional().describe('The project\'s repository, e.g. "https://github.com/acme/acme-sdk"'),
  packageUrl: z.url({ protocol: /^https?$/ }).optional().describe('The package\'s registry page; by default made from `ecosystem` and `package`'),
  securityPolicyUrl: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('How to report a vulnerability (SECURITY.md\'s reporting section); defaults to REPOSITORY/security/policy on GitHub'),
  subscribeUrl: z.url({ protocol: /^https?$/ }).optional().describe('The mailing list\'s subscription form, when there is one'),
  mail: MailSchema.optional(),
});

export type Config = z.output<typeof ConfigSchema>;
export type MailConfig = z.output<typeof MailSchema>;
