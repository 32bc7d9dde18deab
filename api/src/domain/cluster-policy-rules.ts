// Pure rules of the cluster policy: how the cluster row stores it, how the REST form (the
// preferred node by id) becomes the wire form agents get (by name), how a change is checked as
// a whole, and what it changed. No I/O: cluster-policy.ts loads, stores and audits.
import { clusterPolicySettingsSchema, defaultPolicySettings, effectiveTiming, profileTimings, type ClusterPolicySettings as WirePolicySettings } from '../../../contracts/cluster-policy-v1.js';
import type { ClusterRow } from '../db/entities/index.js';
import { clusterPolicyPatchSchema, clusterPolicyUpdateSchema, type ClusterPolicyView, type PolicySettings } from '../model/cluster-policy.js';
import { checkPreferredNode, type RuleViolation } from './cluster-rules.js';

/** The columns of the cluster row that hold the policy's settings. */
export type PolicyColumns = Pick<ClusterRow, 'preferredNodeId' | 'failbackPolicy' | 'failbackHoldDownSeconds' | 'policySettings'>;

/** A node as the policy names it. */
export interface PolicyNode {
  readonly id: string;
  readonly name: string;
}

/** What is wrong with a request body, at `/body/<path>`, as the OpenAPI validator says it. */
export interface BodyIssue {
  readonly path: string;
  readonly message: string;
}

/** What a change of the settings comes to: every issue (400), the preferred node refused (409), or the wire form to store and send. */
export type PolicyCheck =
  | { readonly kind: 'invalid'; readonly issues: readonly BodyIssue[] }
  | { readonly kind: 'refused'; readonly violation: RuleViolation }
  | { readonly kind: 'valid'; readonly wire: WirePolicySettings };

type Json = string | number | boolean | null | { readonly [key: string]: Json | undefined };
type JsonObject = { readonly [key: string]: Json | undefined };

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `patch` laid over `base`, object by object; an undefined value keeps the base's. The base's
 * keys come first, so that the result has one order whatever the patch's.
 *
 * @example mergeDeep({ a: { b: 1, c: 2 } }, { a: { c: 3 } }) // { a: { b: 1, c: 3 } }
 */
export function mergeDeep<T>(base: T, patch: unknown): T {
  if (!isObject(base) || !isObject(patch)) return (patch === undefined ? base : patch) as T;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = mergeDeep(base[key], value);
  return merged as T;
}

/**
 * The paths of the leaves that differ between two settings, e.g. `failover.profile`.
 *
 * @example changedPaths({ a: { b: 1, c: 2 } }, { a: { b: 1, c: 3 } }) // ['a.c']
 */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (!isObject(before) || !isObject(after)) return before === after ? [] : [prefix];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.flatMap((key) => changedPaths(before[key], after[key], prefix === '' ? key : `${prefix}.${key}`));
}

/** The settings a cluster row holds: its three columns, and the stored rest over the defaults (a later policy's new settings start at theirs). */
export function settingsOfRow(row: PolicyColumns): PolicySettings {
  const { failover, triggers, boot, maintenance, backfill, pool } = defaultPolicySettings;
  const stored = mergeDeep<Omit<PolicySettings, 'preferredNodeId' | 'failback'>>({ failover, triggers, boot, maintenance, backfill, pool }, row.policySettings ?? undefined);
  return {
    preferredNodeId: row.preferredNodeId,
    failback: { policy: row.failbackPolicy, holdDownSeconds: row.failbackHoldDownSeconds },
    failover: stored.failover,
    triggers: stored.triggers,
    boot: stored.boot,
    maintenance: stored.maintenance,
    backfill: stored.backfill,
    pool: stored.pool,
  };
}

/** The columns that store `settings`. */
export function columnsOf(settings: PolicySettings): PolicyColumns {
  return {
    preferredNodeId: settings.preferredNodeId,
    failbackPolicy: settings.failback.policy,
    failbackHoldDownSeconds: settings.failback.holdDownSeconds,
    policySettings: { failover: settings.failover, triggers: settings.triggers, boot: settings.boot, maintenance: settings.maintenance, backfill: settings.backfill, pool: settings.pool },
  };
}

/** The wire form of the settings (preferredNode by name); null for a preferred node the cluster no longer has. */
export function wireSettingsOf(settings: PolicySettings, nodes: readonly PolicyNode[]): WirePolicySettings {
  const { preferredNodeId, ...rest } = settings;
  const preferred = preferredNodeId === null ? undefined : nodes.find((n) => n.id === preferredNodeId);
  return { preferredNode: preferred?.name ?? null, ...rest };
}

/** A name the contract accepts, to check the rest of the settings while the preferred node is judged apart. */
const standInName = 'preferred-node';

/**
 * Checks a complete set of settings of a cluster with these nodes, as agents will (the
 * contract's schema, with its rule that the peer timeout covers three heartbeats), then the
 * preferred node: a node of the cluster whose name its agent can have.
 *
 * @example
 *   checkPolicy({ ...settings, failover: { ...settings.failover, heartbeatIntervalMs: 1000, peerTimeoutMs: 2000 } }, nodes)
 *   // { kind: 'invalid', issues: [{ path: '/body/failover/peerTimeoutMs', message: 'the peer timeout (2000 ms) must cover at least 3 heartbeats (3 × 1000 ms)' }] }
 */
export function checkPolicy(settings: PolicySettings, nodes: readonly PolicyNode[]): PolicyCheck {
  const wire = wireSettingsOf(settings, nodes);
  const parsed = clusterPolicySettingsSchema.safeParse({ ...wire, preferredNode: wire.preferredNode === null ? null : standInName });
  if (!parsed.success) return { kind: 'invalid', issues: parsed.error.issues.map(bodyIssue) };
  const outside = checkPreferredNode(settings.preferredNodeId, nodes);
  if (outside !== null) return { kind: 'refused', violation: outside };
  if (!clusterPolicySettingsSchema.shape.preferredNode.safeParse(wire.preferredNode).success) {
    return { kind: 'refused', violation: { type: 'preferred-node-invalid', detail: `node ${JSON.stringify(wire.preferredNode)} cannot be the preferred node: its agent could not have that name (letters, digits, '.', '_' and '-', up to 64)` } };
  }
  return { kind: 'valid', wire: { ...parsed.data, preferredNode: wire.preferredNode } };
}

/**
 * Every issue of a policy request body that can be told without the cluster: the schema's
 * (bounds, unknown and missing fields) and, for every setting at once (PUT), whether they fit
 * together. The OpenAPI validator stops at its first issue; this lists them all, so that one
 * answer says everything that is wrong. A PATCH's fit is told once merged (checkPolicy).
 *
 * @example policyBodyIssues({ boot: 'never' }, 'patch') // [{ path: '/body/boot', message: 'Invalid option: expected one of "keep"|"start"|"stop"' }]
 */
export function policyBodyIssues(body: unknown, kind: 'whole' | 'patch'): BodyIssue[] {
  const schema = kind === 'whole' ? clusterPolicyUpdateSchema : clusterPolicyPatchSchema;
  const issues = schema.safeParse(body).error?.issues ?? [];
  if (kind === 'whole' && isObject(body)) {
    // The contract's own rules (custom issues) on the wire form; the rest it reports the schema above has.
    const { preferredNodeId: _, ...settings } = body;
    const rules = clusterPolicySettingsSchema.safeParse({ ...settings, preferredNode: null }).error?.issues ?? [];
    issues.push(...rules.filter((issue) => issue.code === 'custom'));
  }
  // A rule of one setting (the backfill window's) is the schema's and the contract's alike: named once.
  const named = new Set<string>();
  return issues.map(bodyIssue).filter((issue) => {
    const key = `${issue.path} ${issue.message}`;
    if (named.has(key)) return false;
    named.add(key);
    return true;
  });
}

function bodyIssue(issue: { readonly path: readonly PropertyKey[]; readonly message: string }): BodyIssue {
  return { path: `/body${issue.path.map((p) => `/${String(p)}`).join('')}`, message: issue.message };
}

/** What the null overrides of the settings resolve to. */
export function effectiveOf(settings: Pick<PolicySettings, 'failover' | 'triggers'>): ClusterPolicyView['effective'] {
  const graceMs = profileTimings[settings.failover.profile].unhealthyGraceMs;
  const { recordingShare, storageUnavailable, serviceDown } = settings.triggers;
  return { ...effectiveTiming(settings), graceMs: { recordingShare: recordingShare.graceMs ?? graceMs, storageUnavailable: storageUnavailable.graceMs ?? graceMs, serviceDown: serviceDown.graceMs ?? graceMs } };
}
