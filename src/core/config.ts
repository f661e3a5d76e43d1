// advisories.config.json (or the "advisories" key of package.json). Secrets never live here: see env.ts.
import { z } from 'zod';
import { isBech32 } from './bech32.ts';
import { Ecosystem, WebUrl } from './schema.ts';
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
  unsubscribeUrl: WebUrl()
    .refine((u) => u.includes('{token}'), 'must contain the placeholder {token}')
    .describe('One-click unsubscribe URL template with {token}'),
  unsubscribeMailto: HeaderText().optional().describe('Address for mailto: unsubscribe, e.g. "security-announce-unsubscribe@scalebox.dev"'),
  maxConnections: z.number().int().min(1).max(50).default(2),
  rateLimit: z.number().int().min(1).default(200).describe('Messages per rateDelta per connection pool'),
  rateDelta: z.number().int().min(1).default(1000).describe('Milliseconds'),
  retryAttempts: z.number().int().min(1).max(10).default(3).describe('Tries per message within one run when the server says "try later" (4xx)'),
  retryDelay: z.number().int().min(0).default(30_000).describe('Milliseconds before the second try; doubled for each further one'),
  bounceLimit: z.number().int().min(1).max(100).default(3).describe('Permanent failures (5xx to RCPT or DATA) after which a subscriber is marked bounced and not mailed again'),
  deferralBudget: z.number().int().min(0).default(300_000).describe('Milliseconds a run may spend paused because the server defers everything; then it stops, the rest pending'),
  probeInterval: z.number().int().min(1).default(30_000).describe('Milliseconds of the first pause before probing a deferring server again; doubled per failed probe, up to 8 times'),
  commandTimeout: z.number().int().min(1).default(60_000).describe('Milliseconds without an answer from the server before a command counts as failed (a hung server)'),
  maxDuration: z.number().int().min(1).optional().describe('Milliseconds a run may take before it stops cleanly (`notify --max-duration` overrides)'),
  quota: z
    .strictObject({
      perSecond: z.number().positive().optional(),
      perHour: z.number().int().min(1).optional(),
      perDay: z.number().int().min(1).optional().describe('Rolling 24 hours'),
    })
    .default({})
    .describe("The provider's sending limits; hour and day are counted across runs from the ledger"),
  plaintextAuthOnLoopback: z
    .boolean()
    .default(false)
    .describe('Allow smtp:// with a password without STARTTLS, only to a relay on this machine (127.0.0.1, ::1, localhost)'),
});

// `advisories serve` (src/serve): where it is reached and the limits that keep it from being abused.
const ServiceSchema = z.strictObject({
  url: WebUrl().describe("Where `advisories serve` is reached, e.g. https://list.scalebox.dev/; the site's subscribe form posts here and confirmation links point here"),
  confirmationsPerDay: z.number().int().min(1).max(20).default(3).describe('Confirmation mails one address can receive per UTC day, whoever asks'),
  confirmationHours: z.number().int().min(1).max(336).default(48).describe('How long a confirmation link stays valid'),
  requestsPerMinute: z.number().int().min(1).default(60).describe('Requests one client IP may make per minute (the bounce webhook excepted)'),
  subscribesPerHour: z.number().int().min(1).default(10).describe('Subscribe requests one client IP may make per hour'),
  bodyLimit: z.number().int().min(1024).max(1_048_576).default(8192).describe('Largest request body accepted, in bytes'),
  trustProxy: z.union([z.boolean(), z.string()]).default(false).describe('Behind a reverse proxy: true, or the proxy addresses to trust (Fastify trustProxy), so the per-IP limits see the client'),
});

// CSAF 2.0 (docs/site.md): the publisher every document names. Without `namespace`, the site's own origin.
const CsafSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('Build the CSAF provider layout under .well-known/csaf/; false leaves it out'),
  publisher: z
    .strictObject({
      name: z.string().min(1).optional().describe('Publisher name; defaults to `product`'),
      namespace: WebUrl().optional().describe("Publisher namespace URL; defaults to the origin of `siteUrl`"),
      category: z.enum(['coordinator', 'discoverer', 'other', 'translator', 'user', 'vendor']).default('vendor'),
      contactDetails: z.string().min(1).optional().describe('How to reach the publisher, e.g. "security@scalebox.dev"'),
    })
    .prefault({}),
});

export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  product: HeaderText().min(1).default('the project').describe('Product name used in pages and mail'),
  siteUrl: WebUrl().default('http://localhost:8080/').describe('Where the built site is served'),
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
  repository: WebUrl().optional().describe('The project\'s repository, e.g. "https://github.com/acme/acme-sdk"'),
  packageUrl: WebUrl().optional().describe('The package\'s registry page; by default made from `ecosystem` and `package`'),
  securityPolicyUrl: WebUrl()
    .optional()
    .describe('How to report a vulnerability (SECURITY.md\'s reporting section); defaults to REPOSITORY/security/policy on GitHub'),
  subscribeUrl: WebUrl().optional().describe('The mailing list\'s subscription form, when there is one'),
  mail: MailSchema.optional(),
  visibility: z
    .enum(['public', 'private'])
    .default('public')
    .describe('Who can read the repository that holds advisories/: in a public one, an embargoed advisory must be sealed'),
  seal: z
    .strictObject({
      recipients: z
        .array(
          z
            .string()
            .regex(/^age1[0-9a-z]+$/, 'must be an age public key (age1…)')
            .refine(isBech32, {
              message: 'is not a whole age public key: its checksum does not match (mistyped, or cut short?)',
              params: { fix: 'Copy the key again from what `advisories keygen` (or `age-keygen -y KEYFILE`) printed.' },
            }),
        )
        .min(1)
        .describe('age public keys (age1…) that can read sealed advisories: maintainers, CI, reporter and vendors'),
    })
    .optional()
    .describe('Sealed (encrypted) embargoed advisories: see docs/publishing.md'),
  service: ServiceSchema.optional(),
  csaf: CsafSchema.prefault({}).describe('CSAF 2.0 provider outputs'),
});

export type Config = z.output<typeof ConfigSchema>;
export type MailConfig = z.output<typeof MailSchema>;
export type ServiceConfig = z.output<typeof ServiceSchema>;
export type CsafConfig = z.output<typeof CsafSchema>;
