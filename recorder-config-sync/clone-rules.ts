// The declarative clone rules: which parts of RecorderConfig.xml make the two nodes one
// recording server (shared, copied from the primary) and which make each node itself (local,
// kept on the target). The table in README.md lists the same rules with their reasons; a test
// keeps the two in step.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { RecorderConfigError } from './errors.js';

/** How a difference is treated: copied from the primary (`shared`) or kept on the node (`local`). */
export type ChangeKind = 'shared' | 'local';

/**
 * A rule's treatment. `mapped` is shared through the storage path map: the primary's value is
 * rewritten by the map (e.g. `D:\MediaDatabase` → `E:\Media`); with no matching entry the
 * node keeps its own value.
 */
export type RuleKind = ChangeKind | 'mapped';

/** What an element or attribute that no rule covers gets: never overwrite what we do not understand. */
export const unknownKind: ChangeKind = 'local';

export interface CloneRule {
  /**
   * Path below `<recorderconfig>`: element names separated by '/', `*` for any one name, and
   * an optional `@attribute` (or `@*`). An element rule covers the element, its text, its
   * attributes and everything inside it, unless a more specific rule says otherwise.
   * Examples: `recorder/id`, `pipeline`, `webserver/encryption@certificateHash`.
   */
  readonly path: string;
  readonly kind: RuleKind;
  /** Why, for the README table and for operators reading an override. */
  readonly note?: string;
}

/** One entry of the storage path map. Matching is case-insensitive, on whole path segments, `\` or `/`. */
export interface StoragePathMapping {
  readonly from: string;
  readonly to: string;
}

export interface CloneRules {
  readonly rules: readonly CloneRule[];
  readonly storagePathMap: readonly StoragePathMapping[];
}

const shared = (path: string, note: string): CloneRule => ({ path, kind: 'shared', note });
const local = (path: string, note: string): CloneRule => ({ path, kind: 'local', note });

/**
 * The built-in rules, from the element list in docs/xprotect-integration.md §1.2. Sections whose
 * every child is shared get one rule for the whole section; mixed sections list their children,
 * so that a child we have never seen falls to {@link unknownKind}.
 */
export const defaultCloneRules: CloneRules = {
  rules: [
    local('version', 'product version of this node\'s own installation: reported, never copied'),
    shared('recorder/id', 'the identity: the Management Server sees one recording server'),
    shared('recorder/ClientRegistrationId', 'the identity provider registration of that one recording server'),
    shared('recorder/displayname', 'one recording server, one name'),
    shared('recorder/serverEncryption', 'encryption to the Management Server is on or off for the recording server as a whole'),
    local('recorder/serverEncryption@certificateHash', 'each host has its own certificate'),
    local('recorder/driverspath', 'installation folder on this host'),
    local('recorder/mipdriverspath', 'installation folder on this host'),
    local('recorder/pluginspath', 'installation folder on this host'),
    local('recorder/ruleactionspath', 'installation folder on this host'),
    shared('recorder/storageQuotaLimit', 'tuning'),
    shared('recorder/threadpool', 'tuning'),
    shared('recorder/hardwarestartup', 'tuning'),
    shared('recorder/shutdownProcedure', 'tuning'),
    shared('server', 'the Management Server link: address, webapiport, authorizationserveraddress, intervals'),
    shared('webapi/port', 'the recording server\'s API port as registered with the Management Server'),
    local('webapi/publicUri', 'host:port of this node'),
    local('webserver/host', 'this node\'s host name'),
    shared('webserver/port', 'clients reach whichever node is Serving on the same port'),
    shared('webserver/encryption', 'client stream encryption is on or off for the recording server as a whole'),
    local('webserver/encryption@certificateHash', 'each host has its own certificate'),
    shared('webserver/requestThread', 'tuning'),
    shared('webserver/useRelaxedTokenCheck', 'behaviour'),
    shared('webserver/allowConnectIfPrivacyMaskNotSupported', 'behaviour'),
    shared('pipeline', 'ingest tuning'),
    shared('database@inprocess', 'database tuning'),
    shared('database/database_default/name', 'default storage name'),
    { path: 'database/database_default/path', kind: 'mapped', note: 'default storage folder: the primary\'s folder through the storage path map, else this node\'s own' },
    shared('database/Failover', 'failover database limits'),
    shared('database/BankAvailability', 'storage availability behaviour'),
    shared('database/database_server/thread_pools', 'database tuning'),
    shared('database/database_server/disk_usage_monitor', 'database tuning'),
    shared('database/database_server/disk_utilization', 'database tuning'),
    local('database/database_server/socket_communication', 'the host-internal database port and its passphrase'),
    shared('logmanager', 'logging behaviour'),
    shared('eventlimiter', 'behaviour'),
    shared('traycontroller', 'behaviour'),
    shared('driverservices', 'alert port, SMTP and hosts of the driver services'),
    shared('DriverEventListener', 'driver event listener port'),
    shared('framemediadbconsumer', 'tuning'),
    shared('rules', 'rule engine settings'),
    shared('failoverserver/port', 'behaviour'),
    shared('failoverserver/tokenmaxsize', 'behaviour'),
    local('failoverserver/installedasfailoverserver', 'marks a Milestone failover installation: never copied'),
    shared('SmartSearch', 'behaviour'),
    shared('HardwareCheck', 'behaviour'),
    shared('EdgeStorage', 'edge storage retrieval jobs'),
    shared('Multicast', 'multicast settings of the recording server'),
    shared('PerformanceCounters', 'behaviour'),
  ],
  storagePathMap: [],
};

// ---- the rules file -----------------------------------------------------------------------

/** Largest rules file we read. */
export const maxRulesFileBytes = 1024 * 1024;

const segment = String.raw`(?:\*|[^/@\s\[\]*]+)`;
const pathPatternRe = new RegExp(String.raw`^(?:${segment}(?:/${segment})*)?(?:@${segment})?$`);

const ruleSchema = z.strictObject({
  path: z.string().min(1).regex(pathPatternRe, 'expected element names separated by "/", "*" for any name, and an optional "@attribute"'),
  kind: z.enum(['shared', 'local', 'mapped']),
  note: z.string().optional(),
});
const mappingSchema = z.strictObject({ from: z.string().trim().min(1), to: z.string().trim().min(1) });
const rulesFileSchema = z.strictObject({
  rules: z.array(ruleSchema).max(1000).optional(),
  storagePathMap: z.union([
    z.array(mappingSchema).max(100),
    z.record(z.string().trim().min(1), z.string().trim().min(1)).transform((m) => Object.entries(m).map(([from, to]) => ({ from, to }))),
  ]).optional(),
});

/** A per-cluster override, as read from a rules file. */
export interface RulesOverride {
  /** Replace the built-in rule with the same path, or add a rule. */
  readonly rules?: readonly CloneRule[];
  /** Replaces the storage path map. */
  readonly storagePathMap?: readonly StoragePathMapping[];
}

/**
 * Reads a per-cluster rules file (YAML or JSON, which is YAML too) and validates it.
 *
 * @throws RecorderConfigError `rules`, naming the file and the offending field.
 * @example
 *   parseRulesFile(`
 *   rules:
 *     - { path: webserver/port, kind: local, note: both lab nodes share one host }
 *   storagePathMap:
 *     'D:\\MediaDatabase': 'E:\\Media'
 *   `, 'cluster-a.yaml');
 */
export function parseRulesFile(text: string, fileName: string): RulesOverride {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 50, uniqueKeys: true });
  } catch (err) {
    throw new RecorderConfigError('rules', `${fileName}: not valid YAML or JSON: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const result = rulesFileSchema.safeParse(data ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '(top level)' : formatIssuePath(issue.path);
    throw new RecorderConfigError('rules', `${fileName}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const map = result.data.storagePathMap;
  if (map !== undefined) {
    const seen = new Set<string>();
    for (const { from } of map) {
      const key = normalizePath(trimSeparators(from));
      if (seen.has(key)) throw new RecorderConfigError('rules', `${fileName}: storagePathMap: "${from}" is mapped twice`);
      seen.add(key);
    }
  }
  return result.data;
}

function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/**
 * Applies a per-cluster override to a rule set: a rule with the same path replaces the
 * built-in one, other rules are added, and a given storage path map replaces the old one.
 *
 * @throws RecorderConfigError `rules` when the result would not copy recorder/id.
 * @example
 *   const rules = withOverrides(defaultCloneRules, { rules: [{ path: 'webapi/port', kind: 'local' }] });
 */
export function withOverrides(base: CloneRules, override: RulesOverride): CloneRules {
  const byPath = new Map(base.rules.map((r) => [r.path, r] as const));
  for (const rule of override.rules ?? []) {
    byPath.delete(rule.path); // re-insert at the end: among equally specific rules the last wins
    byPath.set(rule.path, rule);
  }
  const merged: CloneRules = { rules: [...byPath.values()], storagePathMap: override.storagePathMap ?? base.storagePathMap };
  const id = compileRules(merged).classify(['recorder', 'id'], null);
  if (id.kind !== 'shared') {
    throw new RecorderConfigError('rules', `recorder/id must stay shared (rule "${id.rule ?? '(none)'}" makes it ${id.kind}): it is what makes the two nodes one recording server`);
  }
  return merged;
}

// ---- matching -----------------------------------------------------------------------------

export interface Classification {
  readonly kind: RuleKind;
  /** The rule's path that decided, or null when no rule covers the location (unknown). */
  readonly rule: string | null;
}

export interface CompiledRules {
  /**
   * Classifies an element (attribute null: its presence and its text) or one of its attributes.
   *
   * @example
   *   compileRules(defaultCloneRules).classify(['webserver', 'encryption'], 'certificateHash')
   *   // → { kind: 'local', rule: 'webserver/encryption@certificateHash' }
   */
  classify(segments: readonly string[], attribute: string | null): Classification;
  /** True when the element and everything inside it is shared, with no local or mapped exception. */
  isSubtreeShared(segments: readonly string[]): boolean;
  /** The path of the root element, from which a tree walk descends with {@link RulePath.child}. */
  root(): RulePath;
  readonly storagePathMap: readonly StoragePathMapping[];
}

/**
 * A location in the tree with its classifications computed once and cached: walking a 1 MB
 * file asks for the same few hundred paths tens of thousands of times.
 */
export interface RulePath {
  readonly segments: readonly string[];
  /** The element itself: its presence and its text. */
  readonly element: Classification;
  attribute(name: string): Classification;
  child(name: string): RulePath;
  /** The element and everything inside it is shared, with no local or mapped exception. */
  readonly subtreeShared: boolean;
}

interface CompiledRule {
  readonly path: string;
  readonly kind: RuleKind;
  readonly segments: readonly string[];
  readonly attribute: string | null;
  readonly exactCount: number;
  readonly order: number;
}

/** Bound on cached paths: a RecorderConfig.xml has a few hundred distinct ones. */
const maxCachedPaths = 100_000;

interface Matcher {
  classifyUncached(segments: readonly string[], attribute: string | null): Classification;
  isSubtreeSharedUncached(segments: readonly string[], element: Classification): boolean;
  cachedPaths: number;
}

class CachedRulePath implements RulePath {
  private elementCache: Classification | undefined;
  private subtreeCache: boolean | undefined;
  private attributes: Map<string, Classification> | undefined;
  private children: Map<string, CachedRulePath> | undefined;

  constructor(private readonly matcher: Matcher, readonly segments: readonly string[]) {}

  get element(): Classification {
    return (this.elementCache ??= this.matcher.classifyUncached(this.segments, null));
  }

  get subtreeShared(): boolean {
    return (this.subtreeCache ??= this.matcher.isSubtreeSharedUncached(this.segments, this.element));
  }

  attribute(name: string): Classification {
    let hit = this.attributes?.get(name);
    if (hit === undefined) {
      hit = this.matcher.classifyUncached(this.segments, name);
      (this.attributes ??= new Map()).set(name, hit);
    }
    return hit;
  }

  child(name: string): RulePath {
    let hit = this.children?.get(name);
    if (hit === undefined) {
      hit = new CachedRulePath(this.matcher, [...this.segments, name]);
      if (this.matcher.cachedPaths < maxCachedPaths) {
        this.matcher.cachedPaths++;
        (this.children ??= new Map()).set(name, hit);
      }
    }
    return hit;
  }
}

/**
 * Prepares a rule set for matching. The most specific rule wins: more path segments first,
 * then an attribute rule over an element rule, then fewer wildcards, then the later rule.
 *
 * @example
 *   const rules = compileRules(defaultCloneRules);
 *   rules.classify(['server', 'address'], null)   // { kind: 'shared', rule: 'server' }
 *   rules.root().child('webserver').child('host').element.kind   // 'local'
 */
export function compileRules(rules: CloneRules): CompiledRules {
  const compiled: CompiledRule[] = rules.rules.map((rule, order) => {
    if (!pathPatternRe.test(rule.path) || rule.path === '') throw new RecorderConfigError('rules', `invalid rule path "${rule.path}"`);
    const at = rule.path.indexOf('@');
    const elementPart = at === -1 ? rule.path : rule.path.slice(0, at);
    const segments = elementPart === '' ? [] : elementPart.split('/');
    return {
      path: rule.path, kind: rule.kind, segments, attribute: at === -1 ? null : rule.path.slice(at + 1),
      exactCount: segments.filter((s) => s !== '*').length, order,
    };
  });
  const storagePathMap = [...rules.storagePathMap].sort((a, b) => trimSeparators(b.from).length - trimSeparators(a.from).length);

  const matcher: Matcher = {
    cachedPaths: 0,
    classifyUncached(segments, attribute) {
      let best: CompiledRule | null = null;
      for (const rule of compiled) {
        if (rule.attribute !== null) {
          if (attribute === null || rule.segments.length !== segments.length) continue;
          if (rule.attribute !== '*' && rule.attribute !== attribute) continue;
        } else if (rule.segments.length > segments.length) continue;
        if (!segmentsMatch(rule.segments, segments)) continue;
        if (best === null || moreSpecific(rule, best)) best = rule;
      }
      return best === null ? { kind: unknownKind, rule: null } : { kind: best.kind, rule: best.path };
    },
    isSubtreeSharedUncached(segments, element) {
      if (element.kind !== 'shared') return false;
      return !compiled.some((rule) => rule.kind !== 'shared' &&
        (rule.segments.length > segments.length || (rule.segments.length === segments.length && rule.attribute !== null)) &&
        segmentsMatch(rule.segments.slice(0, segments.length), segments));
    },
  };
  const rootPath = new CachedRulePath(matcher, []);
  const at = (segments: readonly string[]): RulePath => segments.reduce<RulePath>((path, name) => path.child(name), rootPath);

  return {
    storagePathMap,
    root: () => rootPath,
    classify: (segments, attribute) => (attribute === null ? at(segments).element : at(segments).attribute(attribute)),
    isSubtreeShared: (segments) => at(segments).subtreeShared,
  };
}

function segmentsMatch(pattern: readonly string[], segments: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p !== '*' && p !== segments[i]) return false;
  }
  return true;
}

function moreSpecific(a: CompiledRule, b: CompiledRule): boolean {
  if (a.segments.length !== b.segments.length) return a.segments.length > b.segments.length;
  if ((a.attribute !== null) !== (b.attribute !== null)) return a.attribute !== null;
  if (a.exactCount !== b.exactCount) return a.exactCount > b.exactCount;
  return a.order > b.order;
}

// ---- the storage path map -----------------------------------------------------------------

function trimSeparators(path: string): string {
  return path.replace(/[\\/]+$/, '');
}

function normalizePath(path: string): string {
  return path.replace(/\//g, '\\').toLowerCase();
}

/**
 * Rewrites a Windows storage path through the map: the longest `from` that is a whole-segment
 * prefix (case-insensitive, `\` or `/`) is replaced by its `to`.
 *
 * @returns the rewritten path, or undefined when no entry matches.
 * @example
 *   mapStoragePath('D:\\MediaDatabase\\Cam 1', [{ from: 'D:\\MediaDatabase', to: 'E:\\Media' }])
 *   // → 'E:\\Media\\Cam 1'
 *   mapStoragePath('D:\\MediaDatabase2', [{ from: 'D:\\MediaDatabase', to: 'E:\\Media' }])  // → undefined
 */
export function mapStoragePath(value: string, map: readonly StoragePathMapping[]): string | undefined {
  const normalized = normalizePath(value);
  let best: StoragePathMapping | undefined;
  let bestLength = -1;
  for (const mapping of map) {
    const from = trimSeparators(mapping.from);
    if (from.length <= bestLength || !normalized.startsWith(normalizePath(from))) continue;
    const next = value[from.length];
    if (next !== undefined && next !== '\\' && next !== '/') continue;
    best = mapping;
    bestLength = from.length;
  }
  return best === undefined ? undefined : trimSeparators(best.to) + value.slice(bestLength);
}
