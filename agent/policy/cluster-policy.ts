// The agent's side of the cluster policy (ARCHITECTURE.md, "Cluster policy: set once, in the
// controller"). The controller sends the policy in its register and report answers; the agent
// validates it (the contract's schema, then what only the node knows: its name and its peer's),
// refuses anything invalid or not newer than what it runs, stores it durably, and only then
// feeds it to the decision core, which applies it without a restart. At start the stored
// policy is used, else agent.yaml's failover block as version 0 (the bootstrap default).
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { clusterPolicySchema, type BootBehaviour, type ClusterPolicy, type ClusterPolicySettings, type FailoverProfile } from '../../contracts/cluster-policy-v1.js';
import type { CoreConfig } from '../core/config.js';
import type { CoreEvent, Input } from '../core/decide.js';
import { bootstrapPolicy, changedPolicyKeys, corePolicyOf, policyProblem, type CorePolicy, type PolicyInForce } from '../core/policy.js';
import { describeIssues } from '../shared/describe-issues.js';
import type { ClusterPolicyStore } from './policy-store.js';

/** Which controller answer carried a policy. */
export type PolicySource = 'register' | 'report';

/** What became of an offered policy: applied, already the one in force, or refused (the old one stays). */
export type PolicyOutcome = 'applied' | 'current' | 'rejected';

/** agent.yaml's failover block: the core config it gives (identity included), its boot behaviour and profile. */
export interface Bootstrap {
  readonly config: CoreConfig;
  readonly boot: BootBehaviour;
  readonly profile: FailoverProfile;
}

export interface ClusterPolicyOptions {
  readonly store: ClusterPolicyStore;
  readonly bootstrap: Bootstrap;
  /** Feeds the decision core; called only after the policy is stored. */
  readonly feed: (input: Extract<Input, { kind: 'policy' }>) => void;
  readonly emit: (event: CoreEvent) => void;
  readonly log: Logger;
}

/** One setting that agent.yaml and the policy set differently, in the core's terms. */
export type Difference = { readonly agentYaml: unknown; readonly policy: unknown };

/**
 * The settings that agent.yaml's failover block and a policy set differently (maintenance is
 * not an agent.yaml key, so it is left out).
 *
 * @example
 *   yamlDifferences(bootstrap, { ...settings, boot: 'stop' }) // { boot: { agentYaml: 'keep', policy: 'stop' } }
 */
export function yamlDifferences(bootstrap: Bootstrap, settings: ClusterPolicySettings): Record<string, Difference> {
  const yaml = bootstrapPolicy(bootstrap.config);
  const policy = corePolicyOf(settings);
  const differences: Record<string, Difference> = {};
  for (const key of changedPolicyKeys(yaml, { ...policy, maintenance: yaml.maintenance })) differences[key] = { agentYaml: valueAt(yaml, key), policy: valueAt(policy, key) };
  if (bootstrap.boot !== settings.boot) differences.boot = { agentYaml: bootstrap.boot, policy: settings.boot };
  return differences;
}

/**
 * The cluster policy a running agent holds: the one it started with (stored, or the bootstrap
 * default), then each newer one the controller sends.
 */
export class ClusterPolicyKeeper {
  private running: ClusterPolicy | null;
  /** The last refusal reported, so that a policy repeated in every report answer is reported once. */
  private lastRefusal: string | null = null;
  private differencesLogged = false;

  private constructor(
    private readonly o: ClusterPolicyOptions,
    running: ClusterPolicy | null,
  ) {
    this.running = running;
  }

  /**
   * Reads the stored policy and says which policy the agent runs. An unusable file is reported
   * (`policy.rejected`) and the bootstrap default runs until the controller sends a policy.
   *
   * @example
   *   const policy = ClusterPolicyKeeper.open({ store, bootstrap, feed: (input) => driver.feed(input), emit, log });
   *   initialState(persisted, nowMs(), policy.boot, bootstrap.config.preferredNodeId, policy.inForce);
   */
  static open(o: ClusterPolicyOptions): ClusterPolicyKeeper {
    const stored = o.store.load();
    const problem = stored.problem ?? (stored.policy === null ? null : policyProblem(o.bootstrap.config, corePolicyOf(stored.policy.settings)));
    const keeper = new ClusterPolicyKeeper(o, problem === null ? stored.policy : null);
    if (problem !== null) {
      o.log.error({ event: 'policy.rejected', file: o.store.path, reason: problem }, 'policy: the stored cluster policy is unusable; running the bootstrap default of agent.yaml (version 0) until the controller sends one');
      o.emit({ kind: 'policy.rejected', severity: 'error', message: `stored cluster policy not used: ${problem}`, data: { version: null, runningVersion: 0, source: 'stored', reason: problem } });
    } else if (stored.policy === null) {
      o.log.info({ file: o.store.path, profile: o.bootstrap.profile }, 'policy: no cluster policy stored yet; running the bootstrap default of agent.yaml\'s failover block (version 0)');
    } else {
      o.log.info({ version: stored.policy.version, file: o.store.path }, `policy: running stored version ${stored.policy.version}`);
      keeper.logDifferences(stored.policy);
    }
    return keeper;
  }

  /** The settings in force when they came from the controller; null while the bootstrap default runs. */
  get settings(): ClusterPolicy['settings'] | null {
    return this.running?.settings ?? null;
  }

  /** The version in force: 0 for the bootstrap default. */
  get version(): number {
    return this.running?.version ?? 0;
  }

  /** The policy for the core's initial state; null: the bootstrap default (the core config's own values). */
  get inForce(): PolicyInForce | null {
    return this.running === null ? null : { version: this.running.version, policy: corePolicyOf(this.running.settings) };
  }

  /** What the node does with its recorder at start; a policy's `boot` takes effect at the next start. */
  get boot(): BootBehaviour {
    return this.running?.settings.boot ?? this.o.bootstrap.boot;
  }

  /** The failover profile in force, for the shell's own timings (probe, reports). */
  get profile(): FailoverProfile {
    return this.running?.settings.failover.profile ?? this.o.bootstrap.profile;
  }

  /**
   * Takes a policy from a controller answer: validated, refused unless newer than the one in
   * force, stored durably, then fed to the core. Never throws: the answer's other duties (the
   * witness) must not depend on it.
   *
   * @example
   *   keeper.offer(answer.policy, 'report') // 'current' on most answers: the same version again
   */
  offer(raw: unknown, source: PolicySource): PolicyOutcome {
    const parsed = clusterPolicySchema.safeParse(raw);
    if (!parsed.success) {
      const version = typeof raw === 'object' && raw !== null && Number.isInteger((raw as { version?: unknown }).version) ? ((raw as { version: number }).version) : null;
      return this.refuse(version, source, `invalid: ${describeIssues(parsed.error.issues, 3)}`);
    }
    const offered = parsed.data;
    const running = this.version;
    if (offered.version === running && this.running !== null) {
      if (isDeepStrictEqual(offered.settings, this.running.settings)) return 'current';
      return this.refuse(offered.version, source, `version ${offered.version} is the one in force, with other settings`);
    }
    if (offered.version <= running) return this.refuse(offered.version, source, `version ${offered.version} is not newer than the version in force (${running})`);
    const policy = corePolicyOf(offered.settings);
    const problem = policyProblem(this.o.bootstrap.config, policy);
    if (problem !== null) return this.refuse(offered.version, source, problem);
    try {
      this.o.store.save(offered);
    } catch (err) {
      return this.refuse(offered.version, source, `cannot be stored: ${(err as Error).message}`);
    }
    this.running = offered;
    this.lastRefusal = null;
    this.o.log.info({ version: offered.version, previousVersion: running, source }, `policy: running version ${offered.version}`);
    this.o.feed({ kind: 'policy', version: offered.version, policy });
    this.logDifferences(offered);
    return 'applied';
  }

  private refuse(version: number | null, source: PolicySource, reason: string): PolicyOutcome {
    const key = `${version}:${reason}`;
    if (key !== this.lastRefusal) {
      this.lastRefusal = key;
      const runningVersion = this.version;
      this.o.log.warn({ event: 'policy.rejected', version, runningVersion, source, reason }, 'policy: cluster policy refused; keeping the one in force');
      this.o.emit({ kind: 'policy.rejected', severity: 'warning', message: `cluster policy${version === null ? '' : ` version ${version}`} refused, keeping version ${runningVersion}: ${reason}`, data: { version, runningVersion, source, reason } });
    }
    return 'rejected';
  }

  /** Once per run: agent.yaml's failover keys are only a bootstrap default, and the policy wins where they differ. */
  private logDifferences(policy: ClusterPolicy): void {
    if (this.differencesLogged) return;
    const differences = yamlDifferences(this.o.bootstrap, policy.settings);
    if (Object.keys(differences).length === 0) return;
    this.differencesLogged = true;
    this.o.log.warn({ version: policy.version, differences }, `policy: agent.yaml's failover block differs from cluster policy version ${policy.version} in ${Object.keys(differences).join(', ')}; using the cluster policy (agent.yaml's failover keys are only a bootstrap default)`);
  }
}

function valueAt(policy: CorePolicy, key: string): unknown {
  const [head, trigger] = key.split('.') as [keyof CorePolicy, string | undefined];
  const value = policy[head];
  return trigger === undefined ? value : (value as Record<string, unknown>)[trigger];
}
