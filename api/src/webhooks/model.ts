// The webhooks' REST model (zod, registered as OpenAPI components) and the checks the schema
// cannot make: a URL is http or https without credentials. Pure.
import { z } from 'zod';
import { component } from '../model/components.js';
import { displayName, timestamp, uuid } from '../model/fields.js';
import { eventSeverities } from '../model/vocabulary.js';

/** Kind patterns per webhook, at most. */
export const eventKindPatternsMax = 32;
/** `*` (every kind), an exact kind (`failover.claiming`) or a prefix ending in `.*` (`failover.*`). */
export const eventKindPatternPattern = '^(?:\\*|[a-z][a-z0-9-]{0,31}(?:\\.[a-z0-9-]{1,31}){0,3}(?:\\.\\*)?)$';
/** Longest URL. */
export const webhookUrlLengthMax = 2_048;
/** A secret an admin gives: 16 to 128 printable ASCII characters without spaces. */
export const webhookSecretPattern = '^[\\x21-\\x7e]{16,128}$';
/** Rows the delivery log keeps per webhook, and returns at most. */
export const deliveriesKeptMax = 200;

const eventKindPatterns = z
  .array(z.string().regex(new RegExp(eventKindPatternPattern)))
  .min(1)
  .max(eventKindPatternsMax)
  .describe('Which event kinds are sent: `*` (all), an exact kind (`failover.claiming`), or a prefix ending in `.*` (`failover.*`, `node.*`)');
const severityMin = z.enum(eventSeverities).describe('Only events of this severity and above (`info` < `warning` < `error` < `critical`)');
const url = z.string().min(1).max(webhookUrlLengthMax).describe('Where events are POSTed: an `http` or `https` URL, without user name or password (put a token in the path or query if the receiver needs one)');
const clusterId = uuid.nullable().describe("Only this cluster's events; null: every cluster's");
const webhookName = displayName.describe('Unique name of the webhook');

export const webhookCreateSchema = component(
  'WebhookCreate',
  z.strictObject({
    name: webhookName,
    url,
    secret: z.string().regex(new RegExp(webhookSecretPattern)).optional().describe('The signing secret (16–128 printable ASCII characters); absent: the controller generates one (32 random bytes, base64url). Either way it is shown in this answer only'),
    enabled: z.boolean().optional().describe('Default true'),
    eventKinds: eventKindPatterns.optional().describe('Default `["*"]`: every kind'),
    severityMin: severityMin.optional().describe('Default `info`: every severity'),
    clusterId: clusterId.optional().describe("Default null: every cluster's events"),
  }),
);
export type WebhookCreate = z.infer<typeof webhookCreateSchema>;

export const webhookUpdateSchema = component(
  'WebhookUpdate',
  z
    .strictObject({
      name: webhookName.optional(),
      url: url.optional(),
      enabled: z.boolean().optional(),
      eventKinds: eventKindPatterns.optional(),
      severityMin: severityMin.optional(),
      clusterId: clusterId.optional(),
      version: z.int().min(1).optional().describe('The version this change is based on: a webhook that has moved on is refused (409 `webhook-version-conflict`)'),
    })
    .meta({ minProperties: 1 })
    .describe('Some settings of a webhook; the secret changes with `…/rotate-secret` only'),
);
export type WebhookUpdate = z.infer<typeof webhookUpdateSchema>;

const webhookShape = {
  id: uuid,
  name: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  eventKinds: z.array(z.string()),
  severityMin: z.enum(eventSeverities),
  clusterId: uuid.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  version: z.int().min(1).describe('1 at first, one more with every change; the ETag is `"w<version>"`'),
};

export const webhookSchema = component('Webhook', z.strictObject(webhookShape).describe('An outgoing HTTP notification of stored events, signed with its secret (never shown here)'));
export type WebhookView = z.infer<typeof webhookSchema>;

export const webhookWithSecretSchema = component(
  'WebhookWithSecret',
  z.strictObject({ ...webhookShape, secret: z.string().describe('The signing secret: shown in this answer only, never again') }).describe('A webhook just created or given a new secret'),
);
export type WebhookWithSecret = z.infer<typeof webhookWithSecretSchema>;

export const webhookListSchema = component('WebhookList', z.strictObject({ items: z.array(webhookSchema).max(1_000) }));

export const webhookDeliveryOutcomes = ['delivered', 'failed', 'dropped'] as const;

export const webhookDeliverySchema = component(
  'WebhookDelivery',
  z.strictObject({
    id: uuid,
    eventId: uuid,
    eventKind: z.string(),
    attempt: z.int().min(0).describe('1 for the first attempt; a `dropped` entry repeats the last attempt\'s number (0: never tried, the queue was full)'),
    time: timestamp,
    outcome: z.enum(webhookDeliveryOutcomes).describe('`delivered` (a 2xx answer), `failed` (any other answer or none; retried), `dropped` (given up: every retry failed, the queue was full, or the webhook was disabled)'),
    httpStatus: z.int().nullable().describe("The receiver's status; null without an answer"),
    error: z.string().max(512).nullable(),
    durationMs: z.int().min(0),
  }),
);
export type WebhookDeliveryView = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryListSchema = component('WebhookDeliveryList', z.strictObject({ items: z.array(webhookDeliverySchema).max(deliveriesKeptMax) }).describe('The newest attempts first'));

export const webhookTestResultSchema = component(
  'WebhookTestResult',
  z.strictObject({
    eventId: uuid.describe('The id of the `webhook.test` event sent'),
    outcome: z.enum(['delivered', 'failed']),
    httpStatus: z.int().nullable(),
    error: z.string().max(512).nullable(),
    durationMs: z.int().min(0),
  }),
);
export type WebhookTestResult = z.infer<typeof webhookTestResultSchema>;

/**
 * Why a URL cannot be a webhook's, or null: it must parse, be http or https, and carry no user
 * name or password (they would be stored and shown as plain text; a receiver's token belongs
 * in the path or query, which only admins see).
 *
 * @example
 *   webhookUrlIssue('https://hooks.example.com/twinrec') // null
 *   webhookUrlIssue('ftp://example.com/') // 'the scheme must be http or https, not ftp'
 */
export function webhookUrlIssue(text: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return 'not an absolute URL';
  }
  const scheme = parsed.protocol.slice(0, -1);
  if (scheme !== 'http' && scheme !== 'https') return `the scheme must be http or https, not ${scheme}`;
  if (parsed.username !== '' || parsed.password !== '') return 'a URL with a user name or password is refused: put a token in the path or query instead';
  if (parsed.hostname === '') return 'the URL has no host';
  return null;
}
