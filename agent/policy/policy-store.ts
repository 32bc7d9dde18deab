// The cluster policy the agent last accepted, kept in its state folder (cluster-policy.json),
// so that a node the controller cannot reach keeps acting on it, across restarts too. The file
// holds the policy exactly as the contract has it (contracts/cluster-policy-v1.ts), replaced
// atomically and durably: a reader sees the old policy or the new one, never a torn mix.
import { readFileSync } from 'node:fs';
import { clusterPolicySchema, type ClusterPolicy } from '../../contracts/cluster-policy-v1.js';
import { describeIssues } from '../shared/describe-issues.js';
import { writeFileDurably } from '../store/durable-file.js';

/** The policy file's name in the agent's state folder. */
export const policyFileName = 'cluster-policy.json';

/** A policy larger than this is not one the controller wrote (real ones are under 1 KiB). */
const policyFileMaxBytes = 64 * 1024;

/** What the store found at start: the policy, or none (with why, when a file was there but unusable). */
export type StoredPolicy = { readonly policy: ClusterPolicy; readonly problem: null } | { readonly policy: null; readonly problem: string | null };

export interface ClusterPolicyStore {
  readonly path: string;
  load(): StoredPolicy;
  /** Returns once the policy is on disk (fsynced); throws when it cannot be written, leaving the old file. */
  save(policy: ClusterPolicy): void;
}

/**
 * A ClusterPolicyStore in one JSON file. A missing file is a node that has not received a
 * policy yet; an unreadable or invalid one is reported (the agent then runs its bootstrap
 * default and the next policy from the controller replaces the file).
 *
 * @example
 *   const store = fileClusterPolicyStore(join(stateDir, policyFileName));
 *   store.save({ version: 3, settings });
 *   store.load().policy?.version // 3
 */
export function fileClusterPolicyStore(path: string): ClusterPolicyStore {
  return {
    path,
    load: () => loadPolicyFile(path),
    save: (policy) => {
      // A policy load() would refuse must never reach the disk.
      const checked = clusterPolicySchema.safeParse(policy);
      if (!checked.success) throw new Error(`refusing to store an invalid cluster policy in ${path}: ${describeIssues(checked.error.issues)}`);
      writeFileDurably(path, `${JSON.stringify(checked.data, null, 2)}\n`, 0o600);
    },
  };
}

function loadPolicyFile(path: string): StoredPolicy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { policy: null, problem: null };
    return { policy: null, problem: `${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (text.length > policyFileMaxBytes) return { policy: null, problem: `${path} is larger than ${policyFileMaxBytes} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { policy: null, problem: `${path} is not valid JSON` };
  }
  const file = clusterPolicySchema.safeParse(value);
  if (!file.success) return { policy: null, problem: `${path} is not a valid cluster policy (${describeIssues(file.error.issues)})` };
  return { policy: file.data, problem: null };
}

