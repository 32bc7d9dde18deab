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

/**
 * What an element or attribute that no rule covers gets: it is *unclassified*, reported as such
 * by `diff` and at sync time, and kept on the node (never copied): we do not overwrite what we
 * do not understand.
 */
export const unknownKind: ChangeKind = 'local';

/**
 * What a rule covers besides its element's presence and text:
 * - `subtree`: its attributes and everything inside it, unless a more specific rule says
 *   otherwise (the default, and what a cluster's rules file means by a section name);
 * - `element`: nothing else: each attribute and child needs a rule of its own, and one that has
 *   none is unclassified. The built-in rules list the real schema this way, so that an element a
 *   newer XProtect adds is reported, not silently copied or kept.
 */
export type RuleScope = 'subtree' | 'element';

export interface CloneRule {
  /**
   * Path below `<recorderconfig>`: element names separated by '/', `*` for any one name, and
   * an optional `@attribute` (or `@*`). Examples: `recorder/id`, `pipeline`,
   * `webserver/encryption@certificateHash`.
   */
  readonly path: string;
  readonly kind: RuleKind;
  /** For an element rule; default `subtree`. Ignored for an attribute rule. */
  readonly scope?: RuleScope;
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

const rule = (kind: RuleKind, scope: RuleScope) => (path: string, note: string): CloneRule => ({ path, kind, scope, note });
const shared = rule('shared', 'element');
const local = rule('local', 'element');
const mapped = rule('mapped', 'element');

/** Why tuning is shared: seed 000 ("both servers share identical configurations"), and the same cameras make the same load. */
const tuning = 'tuning: both nodes record the same cameras, so they run with the same settings (override to local for unlike hardware)';
/** Why the media database's layout is shared: backfill copies recordings between the nodes' databases. */
const mediaDb = 'media database layout and I/O: alike on both nodes, whose recordings backfill copies between them';
/** Why a container's own rule says little: the children decide. */
const section = (what: string): string => `section (${what}): a node that lacks it gets it, with the shared parts; each child has a rule of its own`;
/** A section holding node-local parts is never created from the primary's: those parts cannot come from there. */
const localSection = (what: string, why: string): string => `section (${what}): not created on a node that lacks it (${why}); each child has a rule of its own`;
const dbClient = 'the recorder\'s connection to the media database server on this host: must match this host\'s database_server/socket_communication';

/**
 * The built-in rules: every element and attribute of the whole `<recorderconfig>` document as
 * mapped by a public C# class set (RCXSD in docs/xprotect-integration.md §0, namespace
 * `InSupport.Drift.Plugins.MilestoneRec.Xml`; element paths corroborated by MilestonePSTools and
 * the RecordingServerConfigV2 parser, RSCFG). Element scope throughout, so that anything else is
 * unclassified; only the two elements the class set types as `object` (any content) cover
 * their subtree. README.md lists the same rules with their reasons; a test keeps the two in step.
 */
export const defaultCloneRules: CloneRules = {
  rules: [
    local('version', 'product version of this node\'s own installation: reported, never copied'),

    shared('recorder', section('the recording server')),
    shared('recorder/id', 'the identity: the Management Server sees one recording server'),
    shared('recorder/displayname', 'one recording server, one name'),
    local('recorder/driverspath', 'installation folder on this host'),
    local('recorder/mipdriverspath', 'installation folder on this host'),
    local('recorder/pluginspath', 'installation folder on this host'),
    local('recorder/ruleactionspath', 'installation folder on this host'),
    shared('recorder/storageQuotaLimit', tuning),
    shared('recorder/garbagecollectinterval', tuning),
    shared('recorder/memoryloginterval', 'diagnostics: the same logging on both nodes'),
    shared('recorder/unmanagedmemorypressure', tuning),
    shared('recorder/threadpool', section('thread pool')),
    shared('recorder/threadpool@minWorkerThreads', tuning),
    shared('recorder/threadpool@minCompletionPortThreads', tuning),
    shared('recorder/hardwarestartup', section('hardware start-up')),
    shared('recorder/hardwarestartup@maxDelay', tuning),
    shared('recorder/shutdownProcedure', section('shutdown')),
    shared('recorder/shutdownProcedure@maxTimeToWait', tuning),
    shared('recorder/ClientRegistrationId', 'the identity provider registration of that one recording server'),
    shared('recorder/serverEncryption', section('encryption to the Management Server')),
    shared('recorder/serverEncryption@enabled', 'encryption to the Management Server is on or off for the recording server as a whole'),
    local('recorder/serverEncryption@certificateHash', 'each host has its own certificate'),
    local('recorder/version', 'written by this node\'s own installation, like version'),

    shared('server', section('the Management Server link')),
    shared('server/address', 'the one Management Server both nodes register with'),
    shared('server/webapiport', 'the one Management Server both nodes register with'),
    shared('server/authorizationserveraddress', 'the one identity provider of that Management Server'),
    shared('server/logenabled', 'logging to the Management Server, as one recording server'),
    shared('server/logbundleinterval', 'logging to the Management Server, as one recording server'),
    shared('server/logbundlemaxcount', 'logging to the Management Server, as one recording server'),
    shared('server/configversioncheckinterval', 'how often the one recording server polls its configuration'),
    shared('server/sendstatustoserverinterval', 'how often the one recording server reports its status'),

    local('webapi', localSection('the recorder\'s API', 'publicUri is this node\'s own')),
    shared('webapi/port', 'the recording server\'s API port as registered with the Management Server'),
    local('webapi/publicUri', 'host:port of this node'),
    shared('webapi/timeoutfraction', tuning),

    shared('pipeline', section('ingest pipeline')),
    shared('pipeline/gopframecountlimit', 'how recordings are cut into GOPs: alike on both nodes, whose recordings backfill copies between them'),
    shared('pipeline/gopbytecountlimit', 'how recordings are cut into GOPs: alike on both nodes, whose recordings backfill copies between them'),
    shared('pipeline/goptimespanlimit', 'how recordings are cut into GOPs: alike on both nodes, whose recordings backfill copies between them'),
    shared('pipeline/audiogoptimespan', 'how recordings are cut into GOPs: alike on both nodes, whose recordings backfill copies between them'),
    shared('pipeline/metadatagoptimespan', 'how recordings are cut into GOPs: alike on both nodes, whose recordings backfill copies between them'),
    shared('pipeline/audioburstdelay', tuning),
    shared('pipeline/liveThread', section('live thread')),
    shared('pipeline/liveThread@maxStackSizeKB', tuning),
    shared('pipeline/processingThread', section('processing thread')),
    shared('pipeline/processingThread@maxStackSizeKB', tuning),
    shared('pipeline/maxframesinqueue', tuning),
    shared('pipeline/maxbytesinqueue', tuning),
    shared('pipeline/maxactivetimepipeline2', tuning),

    local('database', localSection('the media database', 'its database link is this node\'s own')),
    shared('database@inprocess', 'how the media database runs: alike on both nodes'),
    local('database/database_server', localSection('the media database server', 'its port and passphrase are this node\'s own')),
    local('database/database_server/logging', localSection('media database log', 'its folder is this node\'s own')),
    local('database/database_server/logging/path', 'log folder on this host'),
    shared('database/database_server/logging/prefix', 'the same logging on both nodes'),
    shared('database/database_server/logging/days_to_keep', 'the same logging on both nodes'),
    shared('database/database_server/logging/max_size', 'the same logging on both nodes'),
    local('database/database_server/socket_communication', localSection('the database port on this host', 'host-internal')),
    local('database/database_server/socket_communication/port_number', 'the host-internal database port: a port free on this host'),
    local('database/database_server/socket_communication/authentication', localSection('database authentication', 'host-internal')),
    local('database/database_server/socket_communication/authentication/anonymous', localSection('database authentication', 'host-internal')),
    local('database/database_server/socket_communication/authentication/anonymous/enable', 'must match this host\'s database_client'),
    local('database/database_server/socket_communication/authentication/basic', localSection('database authentication', 'host-internal')),
    local('database/database_server/socket_communication/authentication/basic/enable', 'must match this host\'s database_client'),
    local('database/database_server/socket_communication/authentication/basic/passphrase', 'this installation\'s secret between the recorder and its database: never copied'),
    shared('database/database_server/server', section('database server shutdown')),
    shared('database/database_server/server/client_shutdown_grace_period_milliseconds', tuning),
    shared('database/database_server/server/client_shutdown_grace_sleep_milliseconds', tuning),
    shared('database/database_server/table_split', section('table split')),
    shared('database/database_server/table_split/max_minutes', mediaDb),
    shared('database/database_server/table_split/max_size_in_mb', mediaDb),
    shared('database/database_server/table_split/live_split_table_check_interval_seconds', mediaDb),
    { path: 'database/database_server/banks', kind: 'local', scope: 'subtree', note: 'any content (typed object in the schema): this node\'s own storage banks; never copied' },
    shared('database/database_server/thread_pools', section('archive and delete threads')),
    shared('database/database_server/thread_pools/delete_thread_pool_size', tuning),
    shared('database/database_server/thread_pools/low_priority_archive_thread_pool_size', tuning),
    shared('database/database_server/thread_pools/high_priority_archive_thread_pool_size', tuning),
    shared('database/database_server/disk_usage_monitor', section('disk-full handling')),
    shared('database/database_server/disk_usage_monitor/check_interval_in_seconds', tuning),
    shared('database/database_server/disk_usage_monitor/force_archive_limit_in_mb', 'disk-full handling: the same free-space limits on both nodes'),
    shared('database/database_server/disk_usage_monitor/force_delete_limit_in_mb', 'disk-full handling: the same free-space limits on both nodes'),
    shared('database/database_server/eye_candy', section('folder names')),
    shared('database/database_server/eye_candy/use_descriptive_folder_names', mediaDb),
    shared('database/database_server/disk_utilization', section('media database files')),
    shared('database/database_server/disk_utilization/max_bytes_in_block_files', mediaDb),
    shared('database/database_server/disk_utilization/max_records_in_block_files', mediaDb),
    shared('database/database_server/disk_utilization/truncate_block_files', mediaDb),
    shared('database/database_server/disk_utilization/precreate_block_files', mediaDb),
    shared('database/database_server/disk_utilization/precreate_sizes', section('pre-created file sizes')),
    shared('database/database_server/disk_utilization/precreate_sizes/regular', mediaDb),
    shared('database/database_server/disk_utilization/precreate_sizes/sequence', mediaDb),
    shared('database/database_server/disk_utilization/precreate_sizes/signature', mediaDb),
    ...['media_block_files', 'sequence_block_files', 'signature_block_files', 'index_files', 'chunk_files'].flatMap((files) => [
      shared(`database/database_server/disk_utilization/${files}`, section(`${files} buffers`)),
      shared(`database/database_server/disk_utilization/${files}/read_buffer_size`, tuning),
      shared(`database/database_server/disk_utilization/${files}/write_buffer_size`, tuning),
    ]),
    local('database/database_client', dbClient),
    local('database/database_client/address', dbClient),
    local('database/database_client/port', dbClient),
    local('database/database_client/authentication', dbClient),
    local('database/database_client/authentication/anonymous', dbClient),
    local('database/database_client/authentication/anonymous/enable', dbClient),
    local('database/database_client/authentication/basic', dbClient),
    local('database/database_client/authentication/basic/enable', dbClient),
    local('database/database_client/authentication/basic/passphrase', 'this installation\'s secret between the recorder and its database: never copied'),
    shared('database/database_default', section('default storage')),
    shared('database/database_default/name', 'default storage name'),
    mapped('database/database_default/path', 'default storage folder: the primary\'s folder through the storage path map, else this node\'s own'),
    shared('database/encryption', section('media database encryption')),
    shared('database/encryption/light', section('light encryption')),
    shared('database/encryption/light/bytes', 'recordings are encrypted alike on both nodes, whose recordings backfill copies between them'),
    shared('database/event_channel', section('database event channel')),
    shared('database/event_channel/max_queue_size', tuning),
    shared('database/event_channel/event_timeout_ms', tuning),
    shared('database/Failover', section('failover database limits')),
    shared('database/Failover/MaxRetentionMinutes', 'failover database limits: alike on both nodes'),
    shared('database/Failover/MaxSizeMb', 'failover database limits: alike on both nodes'),
    shared('database/Caching', section('disk usage caching')),
    shared('database/Caching/DiskUsageInformationBank', section('disk usage caching')),
    shared('database/Caching/DiskUsageInformationBank@TimeoutSeconds', tuning),
    shared('database/Caching/ListFileSystemDiskUsage', section('disk usage caching')),
    shared('database/Caching/ListFileSystemDiskUsage@TimeoutSeconds', tuning),
    shared('database/BankAvailability', section('storage availability')),
    shared('database/BankAvailability/CheckIntervalSeconds', 'storage availability behaviour: alike on both nodes'),
    shared('database/BankAvailability/KeepFailingRecordingStorageOffline', 'storage availability behaviour: alike on both nodes'),
    shared('database/BankAvailability/AllowStartWithOfflineRecordingStorage', 'storage availability behaviour: alike on both nodes'),

    shared('logmanager', section('log manager')),
    shared('logmanager/timerecurrence', 'the same logging on both nodes'),
    shared('eventlimiter', section('event limiter')),
    shared('eventlimiter/disk_full_event', 'behaviour of the one recording server'),

    local('webserver', localSection('the client-facing web server', 'host is this node\'s own')),
    local('webserver/host', 'this node\'s host name'),
    shared('webserver/port', 'clients reach whichever node is Serving on the same port'),
    shared('webserver/encryption', section('client stream encryption')),
    shared('webserver/encryption@enabled', 'client stream encryption is on or off for the recording server as a whole'),
    local('webserver/encryption@certificateHash', 'each host has its own certificate'),
    shared('webserver/requestThread', section('request threads')),
    shared('webserver/requestThread@maxStackSizeKB', tuning),
    shared('webserver/requestThread@maxRequestSizeKb', 'what clients may send: alike on whichever node serves'),
    shared('webserver/allowConnectIfPrivacyMaskNotSupported', 'what clients get: alike on whichever node serves'),
    shared('webserver/useRelaxedTokenCheck', 'what clients get: alike on whichever node serves'),
    shared('webserver/imageServerLiveThread', section('ImageServer live threads')),
    shared('webserver/imageServerLiveThread@maxStackSizeKB', tuning),

    local('traycontroller', localSection('the tray manager link', 'host-internal')),
    local('traycontroller/port', 'host-internal: the Recording Server Manager on this host talks to its own service'),

    shared('driverservices', section('driver services that cameras send to')),
    shared('driverservices/hosts', section('driver service hosts')),
    { path: 'driverservices/hosts/host', kind: 'shared', scope: 'subtree', note: 'any content (typed object in the schema): the hosts of the driver services, the same cameras for both nodes' },
    shared('driverservices/alert', section('alert server')),
    shared('driverservices/alert/enabled', 'cameras send alerts to whichever node serves, alike'),
    shared('driverservices/alert/port', 'cameras send alerts to whichever node serves, on the same port'),
    shared('driverservices/alert/maxsessions', tuning),
    shared('driverservices/smtp', section('SMTP server for camera events')),
    shared('driverservices/smtp/enabled', 'cameras send mail events to whichever node serves, alike'),
    shared('driverservices/smtp/port', 'cameras send mail events to whichever node serves, on the same port'),
    shared('driverservices/smtp/logcommands', 'the same logging on both nodes'),
    shared('driverservices/smtp/maxsessions', tuning),
    shared('driverservices/smtp/maxmessagesize', tuning),
    shared('DriverEventListener', section('driver event listener')),
    shared('DriverEventListener/Port', 'cameras send events to whichever node serves, on the same port'),
    shared('framemediadbconsumer', section('frame consumer')),
    shared('framemediadbconsumer/framerateconstant', tuning),
    shared('rules', section('rule engine')),
    shared('rules/maxruleactionexecutioncommanddelay', 'rule engine behaviour of the one recording server'),
    shared('failoverserver', section('Milestone failover')),
    shared('failoverserver/port', 'Milestone failover settings of the one recording server'),
    shared('failoverserver/tokenmaxsize', 'Milestone failover settings of the one recording server'),
    local('failoverserver/installedasfailoverserver', 'marks a Milestone failover installation: never copied'),
    shared('SmartSearch', section('smart search')),
    shared('SmartSearch/UseSecondaryColumns', 'how recordings are indexed: alike on both nodes'),
    shared('HardwareCheck', section('hardware check')),
    shared('HardwareCheck/CheckFrequence', 'behaviour of the one recording server'),
    shared('EdgeStorage', section('edge storage retrieval')),
    ...['StartupRetrieveSeconds', 'FailoverSkipRetrieveSeconds', 'MaxStackSizeKB', 'JobMinSeconds', 'MaxSimultaneousJobs', 'MaxJobsAcrossHardware', 'PeriodicUpdateSeconds', 'WriteFinishedJobsXmlMinutes']
      .map((name) => shared(`EdgeStorage@${name}`, 'edge storage retrieval jobs: alike on both nodes')),
    shared('Multicast', section('multicast')),
    shared('Multicast@SessionLingerSeconds', 'multicast settings of the one recording server'),
    shared('PerformanceCounters', section('performance counters')),
    shared('PerformanceCounters/DeviceDiskUsageIncrementIntervalInSeconds', 'the same counters on both nodes'),
    shared('PerformanceCounters/MediaDBDiskUsageIncrementIntervalInSeconds', 'the same counters on both nodes'),
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
  scope: z.enum(['subtree', 'element']).optional(),
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
  /** The rule's path that decided, or null when no rule covers the location: it is unclassified. */
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
  /** An element rule that covers only its element's presence and text (scope `element`). */
  readonly elementOnly: boolean;
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
      path: rule.path, kind: rule.kind, elementOnly: at === -1 && rule.scope === 'element', segments, attribute: at === -1 ? null : rule.path.slice(at + 1),
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
        } else if (rule.elementOnly) {
          if (attribute !== null || rule.segments.length !== segments.length) continue;
        } else if (rule.segments.length > segments.length) continue;
        if (!segmentsMatch(rule.segments, segments)) continue;
        if (best === null || moreSpecific(rule, best)) best = rule;
      }
      return best === null ? { kind: unknownKind, rule: null } : { kind: best.kind, rule: best.path };
    },
    isSubtreeSharedUncached(segments, element) {
      if (element.kind !== 'shared') return false;
      // What no rule inside names falls to the most specific subtree rule at or above the element;
      // with none, it is unclassified, so the subtree is not known to be shared.
      let covering: CompiledRule | null = null;
      for (const rule of compiled) {
        if (rule.attribute !== null || rule.elementOnly || rule.segments.length > segments.length || !segmentsMatch(rule.segments, segments)) continue;
        if (covering === null || moreSpecific(rule, covering)) covering = rule;
      }
      if (covering?.kind !== 'shared') return false;
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
