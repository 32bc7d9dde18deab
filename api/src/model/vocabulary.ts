// The operator's vocabulary, shared by the database, the REST API and the console.
// Each union is the complete set of values: anything else is rejected at the edge.
import { clusterPolicySettingsSchema, defaultPolicySettings } from '../../../contracts/cluster-policy-v1.js';

/** `cloning`: a 1:1 pair sharing one recorder identity. `pool`: N:M failover servers. */
export const clusterModes = ['cloning', 'pool'] as const;
export type ClusterMode = (typeof clusterModes)[number];

/** `automatic`: fail back to the preferred node after the hold-down. `manual`: only by command. The cluster policy's. */
export const failbackPolicies = clusterPolicySettingsSchema.shape.failback.shape.policy.options;
export type FailbackPolicy = (typeof failbackPolicies)[number];

/** primary/secondary make a cloned pair; failover nodes are a pool's standby servers. */
export const nodeRoles = ['primary', 'secondary', 'failover'] as const;
export type NodeRole = (typeof nodeRoles)[number];

/** Which roles a cluster of each mode accepts, and how many of each at most. */
export const roleLimits: Readonly<Record<ClusterMode, Readonly<Partial<Record<NodeRole, number>>>>> = {
  cloning: { primary: 1, secondary: 1 },
  pool: { primary: 64, failover: 64 },
};

/** What happens to a camera when its recording server fails over. */
export const failoverLevels = ['full', 'live-only', 'none'] as const;
export type FailoverLevel = (typeof failoverLevels)[number];

export const eventSeverities = ['info', 'warning', 'error', 'critical'] as const;
export type EventSeverity = (typeof eventSeverities)[number];

export const auditOutcomes = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

/** Failback hold-down default: five minutes of a healthy peer (ARCHITECTURE.md, anti-flap), as the cluster policy's default. */
export const failbackHoldDownSecondsDefault = defaultPolicySettings.failback.holdDownSeconds;

/** DNS host name of a recording server (the REST API's `hostName`). */
export const hostNamePattern = '^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?$';

/** An IP address or host name, optionally with `:port` (the REST API's `sharedAddress` and `addresses`). */
export const addressPattern = '^[A-Za-z0-9.:\\[\\]%-]+$';

/**
 * When the controller stops counting a node as reachable: once it has been silent for this many
 * of its own report intervals (as the controller sees its reports arrive, about a second for an
 * agent), but never before reportSilenceMsMin, and at the latest after agents.staleAfterMs.
 * Agents report every second, so a dead host shows as such within about 3 s, not 10.
 */
export const reportIntervalsSilentMax = 3;
/** The shortest silence that makes a node unreachable: covers bursts of reports and a busy controller. */
export const reportSilenceMsMin = 2_500;

/** A node is reachable (its report is fresh) while its silence stays within this rule; the API's descriptions quote it. */
export const reachableRule = `its agent reported within ${reportIntervalsSilentMax} of its report intervals (at least ${reportSilenceMsMin / 1000} s) and within agents.staleAfterMs`;

/**
 * How the console shows a node: `Serving` (reachable, and the Serving node of the Serving
 * view), `Standby` (reachable, not serving, or stepping down under a lower epoch), `Unknown`
 * (not reachable).
 */
export const haStatuses = ['Serving', 'Standby', 'Unknown'] as const;
export type HaStatus = (typeof haStatuses)[number];

/**
 * Account roles, least to most: a viewer reads everything, an operator also switches, sets
 * maintenance and focuses, an admin also changes clusters and nodes, accounts, and reads the audit log.
 */
export const roles = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Account names: lower case, so that they are unique alike on every database's collation. */
export const usernamePattern = '^[a-z0-9][a-z0-9._@-]{0,63}$';

/**
 * Characters no name may hold, as a regex character class body: C0 and C1 controls (NUL, tab,
 * line breaks, escape), and the invisible format characters that make a name look like another
 * or reorder the text around it where it is shown (the console, logs, the audit log): the soft
 * hyphen, the Arabic letter mark, the Mongolian vowel separator, zero-width spaces and joiners,
 * the left-to-right and right-to-left marks, the line and paragraph separators, the bidi
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), the word joiner and the
 * invisible operators, the byte order mark and the interlinear annotation characters.
 */
export const nameForbiddenCharacters = '\\u0000-\\u001F\\u007F-\\u009F\\u00AD\\u061C\\u180E\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u206F\\uFEFF\\uFFF9-\\uFFFB';

/**
 * A free-text name (cluster, node, API token…): no leading or trailing white space, and none of
 * nameForbiddenCharacters; the length is bounded where it is used. The same text works as a
 * JavaScript regex and as an OpenAPI (ECMA-262, `u`) pattern.
 */
export const namePattern = `^[^\\s${nameForbiddenCharacters}](?:[^${nameForbiddenCharacters}]*[^\\s${nameForbiddenCharacters}])?$`;
