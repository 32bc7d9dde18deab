// The operator's vocabulary, shared by the database, the REST API and the console.
// Each union is the complete set of values: anything else is rejected at the edge.

/** `cloning`: a 1:1 pair sharing one recorder identity. `pool`: N:M failover servers. */
export const clusterModes = ['cloning', 'pool'] as const;
export type ClusterMode = (typeof clusterModes)[number];

/** `automatic`: fail back to the preferred node after the hold-down. `manual`: only by command. */
export const failbackPolicies = ['automatic', 'manual'] as const;
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

/** Failback hold-down default: five minutes of a healthy peer (ARCHITECTURE.md, anti-flap). */
export const failbackHoldDownSecondsDefault = 300;

/** DNS host name of a recording server (the REST API's `hostName`). */
export const hostNamePattern = '^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?$';

/** An IP address or host name, optionally with `:port` (the REST API's `sharedAddress` and `addresses`). */
export const addressPattern = '^[A-Za-z0-9.:\\[\\]%-]+$';

/**
 * How the console shows a node: `Serving` (a fresh report says it serves), `Standby` (a fresh
 * report, not serving), `Unknown` (no report within agents.staleAfterMs).
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
