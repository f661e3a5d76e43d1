// The list's records, as zod schemas: every type of src/list is inferred from here.
import { z } from 'zod';
import { Severity } from '../core/schema.ts';

export const SUBSCRIBER_STATES = ['pending', 'active', 'unsubscribed', 'bounced', 'complained'] as const;
export const SubscriberState = z.enum(SUBSCRIBER_STATES);
export type SubscriberState = z.infer<typeof SubscriberState>;
export type StateCounts = Record<SubscriberState, number>;

export const UNSUBSCRIBE_VIA = ['one-click', 'page', 'preferences', 'import', 'admin'] as const;
export type UnsubscribeVia = (typeof UNSUBSCRIBE_VIA)[number];
export const BOUNCE_KINDS = ['permanent', 'complaint'] as const;
export type BounceKind = (typeof BOUNCE_KINDS)[number];

// Deliberately strict: one address, no display name, no spaces or control characters. UTF-8 is allowed in
// the local part and the domain (RFC 6531), never CR, LF, NUL or other controls.
const EMAIL = /^[\p{L}\p{N}.!#$%&'*+/=?^_`{|}~-]+@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u;
export const Email = z
  .string()
  .max(254)
  .regex(EMAIL, 'is not a valid e-mail address')
  .transform((e) => e.toLowerCase());

export const Consent = z.object({
  /** Which form or path asked: "site", "api", "import", … */
  form: z.string().max(100),
  requestedAt: z.string(),
  confirmedAt: z.string().nullable(),
  /** Masked by the caller before it reaches the store (e.g. "203.0.113.x"). */
  ip: z.string().max(64).optional(),
});

export const Subscriber = z.object({
  email: Email,
  minSeverity: Severity.nullable(),
  /** A semver range, or null for every version. */
  versions: z.string().max(500).nullable(),
  state: SubscriberState,
  createdAt: z.string(),
  confirmedAt: z.string().nullable(),
  consent: Consent,
  /** Permanent failures and complaints counted against the address. */
  bounces: z.number().int().min(0),
  updatedAt: z.string(),
});
export type Subscriber = z.infer<typeof Subscriber>;

export const SubscriptionRequest = z.object({
  email: Email,
  minSeverity: Severity.nullable(),
  versions: z.string().max(500).nullable(),
  form: z.string().max(100),
  ip: z.string().max(64).optional(),
  at: z.date(),
});
export type SubscriptionRequest = z.input<typeof SubscriptionRequest>;

/** The mail ledger's delivery states; see the top of src/mail/ledger.ts for what each one promises. */
export const DELIVERY_STATES = ['pending', 'sent', 'failed-permanent', 'unknown'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export const DeliveryRow = z.object({
  revision: z.string(),
  state: z.enum(DELIVERY_STATES),
  message_id: z.string(),
});
export type DeliveryRow = z.infer<typeof DeliveryRow>;

export const Outcome = z.object({
  advisory: z.string(),
  revision: z.string(),
  subscriber: z.string(),
  state: z.enum(DELIVERY_STATES),
  messageId: z.string(),
  reply: z.string(),
});
export type Outcome = z.infer<typeof Outcome>;
export type DeliveryKey = Omit<Outcome, 'state' | 'reply'>;
