// What the controller tells XProtect's Event Server about, and how: the generic-event settings
// an admin sets once (GET/PUT /api/v1/xprotect/generic-events). Pure: the REST model (zod,
// registered as OpenAPI components), the defaults, and the check of the message templates,
// whose placeholders must be ones the kind fills.
//
// XProtect side (DOC-GE, /work/shared/docs/xprotect-integration.md section 4): the Event Server's
// generic-event data sources "Compatible" (TCP port 1234, no separator, echoes all bytes, ANSI
// code page) and "International" (TCP port 1235, separator CR LF, echoes statistics, UTF-8),
// both disabled by default since 2025 R1 and local host only until external addresses are
// allowed. An operator then defines generic events (name + expression) matching our messages
// and builds rules and alarms on them.
import { z } from 'zod';
import { component } from '../model/components.js';
import { nameForbiddenCharacters } from '../model/vocabulary.js';

/** The occurrences twinrec reports to XProtect, each a generic event of its own. */
export const genericEventKinds = ['failover', 'failback', 'node-down', 'data-missing', 'backfill-completed'] as const;
export type GenericEventKind = (typeof genericEventKinds)[number];

/** The Event Server's two default data sources (DOC-GE). */
export const genericEventFormats = ['international', 'compatible'] as const;
export type GenericEventFormat = (typeof genericEventFormats)[number];

/** The default data sources' ports (DOC-GE): International 1235, Compatible 1234. */
export const defaultPortOf: Readonly<Record<GenericEventFormat, number>> = { international: 1235, compatible: 1234 };

/** Placeholders every kind fills. */
const commonPlaceholders = ['cluster', 'time', 'kind'] as const;

/**
 * The placeholders each kind's message may use: `{cluster}` (the cluster's name), `{time}`
 * (UTC, ISO 8601), `{kind}`, and the kind's own. A template naming any other is refused.
 */
export const placeholdersOf: Readonly<Record<GenericEventKind, readonly string[]>> = {
  failover: [...commonPlaceholders, 'from', 'to', 'reason', 'epoch'],
  failback: [...commonPlaceholders, 'from', 'to', 'epoch'],
  'node-down': [...commonPlaceholders, 'node', 'reason'],
  'data-missing': [...commonPlaceholders, 'missingSeconds'],
  'backfill-completed': [...commonPlaceholders, 'node', 'blocks', 'bytes', 'seconds'],
};

/**
 * Default messages: each starts with a fixed phrase (`twinrec failover`, …) an XProtect generic
 * event can match with a Search expression, whatever the names that follow.
 */
export const defaultMessageOf: Readonly<Record<GenericEventKind, string>> = {
  failover: 'twinrec failover {cluster}: {to} serves, {from} failed ({reason})',
  failback: 'twinrec failback {cluster}: {to} serves again, {from} stands by',
  'node-down': 'twinrec node down {cluster}: {node} ({reason})',
  'data-missing': 'twinrec data missing {cluster}: {missingSeconds} camera-seconds',
  'backfill-completed': 'twinrec backfill completed {cluster}: {node} copied {blocks} blocks',
};

/** Longest template, and longest message once filled in (characters). */
export const messageLengthMax = 512;
export const renderedLengthMax = 1_024;
/** The Event Server's host: a DNS name or an IPv4/IPv6 address. */
export const eventServerHostPattern = '^(?:[A-Za-z0-9]([A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?|[0-9A-Fa-f:.]+)$';
/** Bounds of the echo wait; MilestonePSTools' Send-GenericEvent waits 2000 ms by default (ReadTimeout, 1–60000). */
export const readTimeoutMsMin = 100;
export const readTimeoutMsMax = 60_000;
export const readTimeoutMsDefault = 2_000;

const messageText = z
  .string()
  .min(1)
  .max(messageLengthMax)
  // No separators or other controls in the text itself: a CR LF would split one event into two.
  .regex(new RegExp(`^[^${nameForbiddenCharacters}]+$`))
  .describe(`The generic event's text, with placeholders in braces (\`{cluster}\`); \`{{\` and \`}}\` are literal braces. No control or invisible format characters; at most ${messageLengthMax} characters`);

export const genericEventKindSettingsSchema = component(
  'GenericEventKindSettings',
  z.strictObject({
    enabled: z.boolean().describe('Send this kind'),
    message: messageText,
  }),
);
export type GenericEventKindSettings = z.infer<typeof genericEventKindSettingsSchema>;

const kindsShape = Object.fromEntries(genericEventKinds.map((k) => [k, genericEventKindSettingsSchema])) as Record<GenericEventKind, typeof genericEventKindSettingsSchema>;

export const eventServerSchema = component(
  'EventServerTarget',
  z.strictObject({
    host: z.string().min(1).max(253).regex(new RegExp(eventServerHostPattern)).nullable().describe("The Event Server's host name or IP address; null: not set (sending needs it)"),
    port: z.int().min(1).max(65_535).describe('The TCP port of its generic-event data source: 1235 for International, 1234 for Compatible by default'),
    format: z
      .enum(genericEventFormats)
      .describe('The data source\'s settings: `international` (separator CR LF, UTF-8, echo "Statistics") or `compatible` (no separator, the Windows ANSI code page, echo "All bytes"; the Event Server takes the event when the connection closes)'),
    readTimeoutMs: z.int().min(readTimeoutMsMin).max(readTimeoutMsMax).describe('How long to wait for the echo after sending, in ms'),
  }),
);
export type EventServerTarget = z.infer<typeof eventServerSchema>;

export const genericEventSettingsSchema = component(
  'GenericEventSettings',
  z.strictObject({
    enabled: z.boolean().describe('Send generic events at all (each kind also has its own switch)'),
    eventServer: eventServerSchema,
    kinds: z.strictObject(kindsShape).describe(`Per kind: on/off and the message. Placeholders: ${genericEventKinds.map((k) => `\`${k}\` ${placeholdersOf[k].map((p) => `{${p}}`).join(' ')}`).join('; ')}`),
  }),
);
export type GenericEventSettings = z.infer<typeof genericEventSettingsSchema>;

export const genericEventSettingsViewSchema = component(
  'GenericEventSettingsView',
  genericEventSettingsSchema
    .extend({
      version: z.int().min(0).describe('1 higher with every accepted change; 0: the defaults, never changed'),
      updatedAt: z.iso.datetime().nullable(),
      delivery: z
        .strictObject({
          queued: z.int().min(0).describe('Generic events waiting to be sent'),
          sent: z.int().min(0).describe('Delivered since the controller started'),
          dropped: z.int().min(0).describe('Given up since the controller started: the queue was full, or every retry failed'),
          lastError: z.string().nullable().describe('Why the last attempt failed; null once one succeeds'),
          lastSentAt: z.iso.datetime().nullable(),
        })
        .describe('What the controller has done with them since it started'),
    })
    .describe('Generic events for XProtect\'s Event Server: failovers, failbacks, nodes down, missing data and completed backfills, for rules and alarms'),
);
export type GenericEventSettingsView = z.infer<typeof genericEventSettingsViewSchema>;

export const genericEventTestRequestSchema = component(
  'GenericEventTestRequest',
  z
    .strictObject({
      kind: z.enum(genericEventKinds).optional().describe("Send this kind's message, filled with example values, to check that an XProtect generic event matches it"),
      message: messageText.optional().describe('Send this text as it is (no placeholders)'),
    })
    .describe('Neither: the text `twinrec test event`. Sent even while generic events are off, with the stored Event Server settings'),
);
export type GenericEventTestRequest = z.infer<typeof genericEventTestRequestSchema>;

export const genericEventTestResultSchema = component(
  'GenericEventTestResult',
  z.strictObject({
    message: z.string().describe('The text sent'),
    host: z.string(),
    port: z.int(),
    format: z.enum(genericEventFormats),
    elapsedMs: z.int().min(0),
    statistics: z
      .strictObject({ requestNumber: z.int(), characters: z.int(), matches: z.int(), eventName: z.string() })
      .nullable()
      .describe('International: the Event Server\'s echo `[reqNo],[chars],[matches],[event name]`; `matches` 0 means no generic event matched the text. Null for Compatible'),
  }),
);
export type GenericEventTestResult = z.infer<typeof genericEventTestResultSchema>;

/** The settings before an admin changed anything: off, every kind on with its default message. */
export function defaultGenericEventSettings(): GenericEventSettings {
  return {
    enabled: false,
    eventServer: { host: null, port: defaultPortOf.international, format: 'international', readTimeoutMs: readTimeoutMsDefault },
    kinds: Object.fromEntries(genericEventKinds.map((k) => [k, { enabled: true, message: defaultMessageOf[k] }])) as Record<GenericEventKind, GenericEventKindSettings>,
  };
}

export interface SettingsIssue {
  readonly path: string;
  readonly message: string;
}

/** `{name}` placeholders of a template, in order; `{{` and `}}` are literal braces. Null when a brace is unbalanced. */
export function placeholdersIn(template: string): string[] | null {
  const names: string[] = [];
  for (const token of tokenize(template)) {
    if (token.kind === 'error') return null;
    if (token.kind === 'placeholder') names.push(token.name);
  }
  return names;
}

export type TemplateToken = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'placeholder'; readonly name: string } | { readonly kind: 'error' };

/** Splits a template into text and `{name}` placeholders (names: letters and digits, up to 32). */
export function tokenize(template: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  let text = '';
  for (let i = 0; i < template.length; i += 1) {
    const c = template[i];
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i += 1;
    } else if (c === '{') {
      const match = /^\{([A-Za-z][A-Za-z0-9]{0,31})\}/.exec(template.slice(i));
      if (match === null) return [{ kind: 'error' }];
      if (text !== '') tokens.push({ kind: 'text', text });
      text = '';
      tokens.push({ kind: 'placeholder', name: match[1] as string });
      i += (match[0] as string).length - 1;
    } else if (c === '}') {
      return [{ kind: 'error' }];
    } else {
      text += c;
    }
  }
  if (text !== '') tokens.push({ kind: 'text', text });
  return tokens;
}

/**
 * What the schema cannot say: every template's placeholders are ones its kind fills, and
 * enabled settings name an Event Server.
 *
 * @example
 *   settingsIssues({ ...defaults, kinds: { ...defaults.kinds, failover: { enabled: true, message: 'moved to {too}' } } })
 *   // [{ path: '/body/kinds/failover/message', message: 'unknown placeholder {too}: failover fills {cluster} {time} {kind} {from} {to} {reason} {epoch}' }]
 */
export function settingsIssues(settings: GenericEventSettings): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  for (const kind of genericEventKinds) {
    const path = `/body/kinds/${kind}/message`;
    const names = placeholdersIn(settings.kinds[kind].message);
    const known = placeholdersOf[kind];
    if (names === null) {
      issues.push({ path, message: 'a brace without its pair: write {name} for a placeholder, {{ and }} for literal braces' });
      continue;
    }
    for (const name of new Set(names)) if (!known.includes(name)) issues.push({ path, message: `unknown placeholder {${name}}: ${kind} fills ${known.map((p) => `{${p}}`).join(' ')}` });
  }
  if (settings.enabled && settings.eventServer.host === null) issues.push({ path: '/body/eventServer/host', message: 'the Event Server host is required while generic events are enabled' });
  return issues;
}

/** A test request's issues: `kind` and `message` exclude each other, and a test needs a host. */
export function testRequestIssues(request: GenericEventTestRequest, settings: GenericEventSettings): SettingsIssue[] {
  const issues: SettingsIssue[] = [];
  if (request.kind !== undefined && request.message !== undefined) issues.push({ path: '/body', message: 'give kind or message, not both' });
  if (settings.eventServer.host === null) issues.push({ path: '/body', message: 'no Event Server host is set: PUT /api/v1/xprotect/generic-events first' });
  return issues;
}
