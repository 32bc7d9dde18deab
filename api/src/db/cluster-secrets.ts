// Cluster secrets (cluster.agent_secret) encrypted at rest, transparently: a TypeORM column
// transformer seals what is written and opens what is read, so the agent link keeps seeing
// plain text. The transformer is static (entities are), so the key it uses is process-wide:
// installed by the Database once the start check below has passed, removed when it closes.
// A process normally runs one controller; when tests run several, each one's key stays loaded
// for reading while it runs, and the newest one seals.
import type { DataSource, ValueTransformer } from 'typeorm';
import { isSealed, keyIdOf, openSecret, sealedKeyId, sealSecret, SecretsKeyError } from './secret-box.js';

/** Bound as associated data: a sealed cluster secret opens only as one. */
export const agentSecretPurpose = 'cluster.agent_secret';

const loadedKeys = new Map<string, { key: Buffer; installs: number }>();
const sealingKeys: Buffer[] = [];

/**
 * Makes `key` the one new secrets are sealed with, and one that stored secrets may be opened
 * with, until the returned function is called.
 */
export function installSecretsKey(key: Buffer): () => void {
  const keyId = keyIdOf(key);
  const loaded = loadedKeys.get(keyId);
  loadedKeys.set(keyId, { key, installs: (loaded?.installs ?? 0) + 1 });
  sealingKeys.push(key);
  let installed = true;
  return () => {
    if (!installed) return;
    installed = false;
    const index = sealingKeys.lastIndexOf(key);
    if (index >= 0) sealingKeys.splice(index, 1);
    const entry = loadedKeys.get(keyId);
    if (entry !== undefined && entry.installs > 1) entry.installs -= 1;
    else loadedKeys.delete(keyId);
  };
}

/** Sealed values opened per process at most: far more clusters than a site has. */
export const openedSecretsMax = 10_000;

/**
 * Sealed values already opened, by purpose and sealed text. Every agent report reads its
 * cluster's secret (1,000 agents: 1,000 decryptions a second); the same sealed text always opens
 * to the same secret, so each is decrypted once. Only asked once the key that sealed the value is
 * known to be loaded, so that unloading a key still refuses its values. The oldest is dropped
 * beyond openedSecretsMax.
 */
const opened = {
  values: new Map<string, string>(),
  get(purpose: string, sealed: string): string | undefined {
    return this.values.get(`${purpose}\0${sealed}`);
  },
  set(purpose: string, sealed: string, plain: string): string {
    if (this.values.size >= openedSecretsMax) this.values.delete(this.values.keys().next().value as string);
    this.values.set(`${purpose}\0${sealed}`, plain);
    return plain;
  },
};

/**
 * A transformer that seals what is written under `purpose` with the newest installed key and
 * opens what is read with whichever installed key sealed it (`what` names the secret in
 * errors). `to` also receives find operators' values (`IsNull()` gives undefined), which pass
 * through: a secret cannot be looked up by value, because every sealing uses a fresh IV.
 * Plain text read back (stored before encryption) passes through too.
 */
export function sealedColumnTransformer(purpose: string, what: string): ValueTransformer {
  return {
    to(value: unknown): unknown {
      if (typeof value !== 'string') return value;
      const key = sealingKeys.at(-1);
      if (key === undefined) throw new SecretsKeyError(`no secrets key is loaded: ${what} cannot be stored`);
      return sealSecret(value, key, purpose);
    },
    from(value: unknown): unknown {
      if (typeof value !== 'string' || !isSealed(value)) return value;
      const keyId = sealedKeyId(value);
      const loaded = keyId === null ? undefined : loadedKeys.get(keyId);
      if (loaded === undefined) throw new SecretsKeyError(`${what} is sealed with key ${keyId ?? '(malformed)'}, which is not loaded`);
      return opened.get(purpose, value) ?? opened.set(purpose, value, openSecret(value, loaded.key, purpose));
    },
  };
}

/** ClusterEntity.agentSecret's transformer. */
export const agentSecretTransformer: ValueTransformer = sealedColumnTransformer(agentSecretPurpose, 'a cluster secret');

export interface StoredSecretsCheck {
  /** Secrets already sealed with this key. */
  readonly sealed: number;
  /** Secrets stored in plain text (from before encryption), to seal. */
  readonly plainIds: readonly string[];
  /** Secrets that do not open with this key, each with why. */
  readonly unreadable: readonly { readonly clusterId: string; readonly reason: string }[];
}

/** Rows read per query while checking: the check reads every cluster, a page at a time. */
const pageRows = 500;
/** Bound on the pages: ten million clusters is far beyond any site. */
const pagesMax = 20_000;

/** Reads every stored secret (raw, past the transformer) and sorts them by what they need. */
export async function checkStoredSecrets(source: DataSource, key: Buffer): Promise<StoredSecretsCheck> {
  let sealed = 0;
  const plainIds: string[] = [];
  const unreadable: { clusterId: string; reason: string }[] = [];
  let after = '';
  for (let page = 0; page < pagesMax; page++) {
    const rows = await source
      .createQueryBuilder()
      .select('c.id', 'id')
      .addSelect('c.agent_secret', 'secret')
      .from('cluster', 'c')
      .where('c.agent_secret IS NOT NULL')
      .andWhere('c.id > :after', { after })
      .orderBy('c.id', 'ASC')
      .limit(pageRows)
      .getRawMany<{ id: string; secret: string }>();
    for (const row of rows) {
      if (!isSealed(row.secret)) {
        plainIds.push(row.id);
        continue;
      }
      try {
        openSecret(row.secret, key, agentSecretPurpose);
        sealed += 1;
      } catch (err) {
        unreadable.push({ clusterId: row.id, reason: (err as Error).message });
      }
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < pageRows) break;
    after = last.id;
  }
  return { sealed, plainIds, unreadable };
}

/**
 * Seals the plain-text secrets found by checkStoredSecrets, each with a conditional update (a
 * secret changed meanwhile is left to its writer, who sealed it). In SQL, past the entity:
 * through it the transformer would seal the sealed text again. Returns how many it sealed.
 */
export async function sealPlainSecrets(source: DataSource, key: Buffer, clusterIds: readonly string[]): Promise<number> {
  const driver = source.driver;
  const [table, id, secret] = [driver.escape('cluster'), driver.escape('id'), driver.escape('agent_secret')];
  const storedOf = async (clusterId: string): Promise<string | null> => {
    const [sql, parameters] = driver.escapeQueryWithParameters(`SELECT ${secret} AS secret FROM ${table} WHERE ${id} = :clusterId`, { clusterId });
    const rows = (await source.query(sql, parameters)) as { secret: string | null }[];
    return rows[0]?.secret ?? null;
  };
  let sealedCount = 0;
  for (const clusterId of clusterIds) {
    const plain = await storedOf(clusterId);
    if (plain === null || isSealed(plain)) continue;
    const sealed = sealSecret(plain, key, agentSecretPurpose);
    const [sql, parameters] = driver.escapeQueryWithParameters(`UPDATE ${table} SET ${secret} = :sealed WHERE ${id} = :clusterId AND ${secret} = :plain`, { sealed, clusterId, plain });
    await source.query(sql, parameters);
    if ((await storedOf(clusterId)) === sealed) sealedCount += 1;
  }
  return sealedCount;
}

/** The message that stops a controller whose key does not open the stored secrets. */
export function unreadableSecretsMessage(check: StoredSecretsCheck, keyFile: { path: string; key: Buffer; onDisk: boolean }): string {
  const first = check.unreadable[0];
  const cause = keyFile.onDisk
    ? `the key file ${keyFile.path} holds key ${keyIdOf(keyFile.key)}, which does not open them (${first?.reason ?? 'unknown'})`
    : `the key file ${keyFile.path} does not exist`;
  return (
    `the database holds ${check.unreadable.length} encrypted cluster secret(s) (first: cluster ${first?.clusterId ?? '?'}) and ${cause}. ` +
    'Restore the key file that was backed up with the database, or point encryption.keyFile at it. ' +
    'Nothing was changed. Without that key the agents of those clusters must be enrolled again (README: Secrets at rest).'
  );
}
