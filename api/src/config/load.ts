// Builds the effective controller configuration from three layers, later ones winning:
// a config file (JSON or YAML) < TWINREC_* environment variables < command-line flags.
// Every value remembers where it came from, so an error names the key, the expected value
// and the source to fix.
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { controllerConfigSchema, secretPaths, type ControllerConfig } from './schema.js';
import { maskUrlSecrets } from './url-mask.js';

/** Largest config file read; a controller config is a few hundred bytes. */
const configFileMaxBytes = 1024 * 1024;

/** `trust`: true or false, a number of proxies, or a comma-separated list of addresses (http.trustProxy). */
type LeafKind = 'string' | 'integer' | 'number' | 'boolean' | 'trust';

/** Every configurable leaf, with the environment variable that sets it. */
export const configKeys: readonly { path: string; kind: LeafKind; env: string }[] = (
  [
    ['http.host', 'string'],
    ['http.port', 'integer'],
    ['http.bodyLimitBytes', 'integer'],
    ['http.requestTimeoutMs', 'integer'],
    ['http.shutdownGraceMs', 'integer'],
    ['http.validateResponses', 'boolean'],
    ['http.trustProxy', 'trust'],
    ['http.publicOrigin', 'string'],
    ['http.tls.mode', 'string'],
    ['http.tls.certFile', 'string'],
    ['http.tls.keyFile', 'string'],
    ['dataDir', 'string'],
    ['db.url', 'string'],
    ['db.password', 'string'],
    ['db.connectTimeoutMs', 'integer'],
    ['db.queryTimeoutMs', 'integer'],
    ['db.healthIntervalMs', 'integer'],
    ['db.migrateOnStart', 'boolean'],
    ['agents.staleAfterMs', 'integer'],
    ['agents.commandTimeoutMs', 'integer'],
    ['agents.trustOnFirstUse', 'boolean'],
    ['webhooks.timeoutMs', 'integer'],
    ['webhooks.attemptsMax', 'integer'],
    ['webhooks.retryDelayMsBase', 'integer'],
    ['webhooks.retryDelayMsMax', 'integer'],
    ['leases.ttlMs', 'integer'],
    ['leases.renewIntervalMs', 'integer'],
    ['auth.adminUsername', 'string'],
    ['auth.adminPassword', 'string'],
    ['auth.sessionTtlMs', 'integer'],
    ['auth.cookieSecure', 'boolean'],
    ['auth.loginFailuresPerAccountMax', 'integer'],
    ['auth.loginFailuresPerAccountTotalMax', 'integer'],
    ['auth.loginFailuresPerAddressMax', 'integer'],
    ['auth.loginFailureWindowMs', 'integer'],
    ['log.level', 'string'],
    ['log.format', 'string'],
    ['log.file.path', 'string'],
    ['log.file.sizeMaxMb', 'number'],
    ['log.file.filesMax', 'integer'],
    ['log.file.ageMaxDays', 'integer'],
    ['encryption.keyFile', 'string'],
    ['vms.bridge', 'string'],
    ['vms.bridgeAssembly', 'string'],
  ] as const
).map(([path, kind]) => ({ path, kind, env: envNameOf(path) }));

/** `http.bodyLimitBytes` → `TWINREC_HTTP_BODY_LIMIT_BYTES`. */
export function envNameOf(path: string): string {
  return 'TWINREC_' + path.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/\./g, '_').toUpperCase();
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigSources {
  /** Path of a JSON or YAML file, from --config or TWINREC_CONFIG. */
  readonly file?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Values from flags, by dotted path (`http.port`), already typed. */
  readonly flags?: Readonly<Record<string, string | number | boolean | undefined>>;
}

export interface LoadedConfig {
  readonly config: ControllerConfig;
  /** Where each explicitly set key came from: a file path, an env name or a flag. */
  readonly origins: ReadonlyMap<string, string>;
  /** Non-fatal findings, such as unknown TWINREC_* variables. */
  readonly warnings: readonly string[];
}

/**
 * Loads and validates the controller configuration.
 *
 * @example
 *   const { config } = loadControllerConfig({ env: process.env, flags: { 'http.port': 0 } });
 *   config.http.port // 0
 * @throws ConfigError naming every bad key, what was expected and where the value came from.
 */
export function loadControllerConfig(sources: ConfigSources): LoadedConfig {
  const env = sources.env ?? {};
  const origins = new Map<string, string>();
  const problems: string[] = [];
  const warnings: string[] = [];
  const raw: Record<string, unknown> = {};

  const file = sources.file ?? env.TWINREC_CONFIG;
  if (file !== undefined && file !== '') {
    const fromFile = readConfigFile(file, problems);
    if (fromFile !== undefined) {
      Object.assign(raw, fromFile);
      for (const path of leafPaths(fromFile)) origins.set(path, file);
    }
  }

  const known = new Set(configKeys.map((k) => k.env));
  for (const name of Object.keys(env)) {
    if (name.startsWith('TWINREC_') && !known.has(name) && name !== 'TWINREC_CONFIG' && !name.startsWith('TWINREC_TEST_')) {
      warnings.push(`unknown environment variable ${name} is ignored`);
    }
  }
  for (const key of configKeys) {
    const text = env[key.env];
    if (text === undefined || text === '') continue;
    const value = parseEnvValue(text, key.kind);
    if (value === undefined) {
      problems.push(`${key.path}: expected ${key.kind === 'integer' ? 'an integer' : key.kind === 'number' ? 'a number' : 'true or false'}, got ${shownValue(key.path, text)} (from ${key.env})`);
      continue;
    }
    setPath(raw, key.path, value);
    origins.set(key.path, key.env);
  }

  for (const [path, value] of Object.entries(sources.flags ?? {})) {
    if (value === undefined) continue;
    setPath(raw, path, value);
    origins.set(path, `flag --${flagNameOf(path)}`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const parsed = controllerConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, raw, origins));
  return { config: parsed.data, origins, warnings };
}

function flagNameOf(path: string): string {
  const names: Record<string, string> = { 'http.host': 'host', 'http.port': 'port', dataDir: 'data-dir', 'db.url': 'db', 'log.level': 'log-level', 'log.format': 'log-format' };
  return names[path] ?? path;
}

function readConfigFile(file: string, problems: string[]): Record<string, unknown> | undefined {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > configFileMaxBytes) {
      problems.push(`config file ${file}: ${size} bytes is larger than the ${configFileMaxBytes}-byte limit`);
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`config file ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    return undefined;
  }
  const ext = extname(file).toLowerCase();
  let value: unknown;
  try {
    if (ext === '.json') value = JSON.parse(text);
    else if (ext === '.yaml' || ext === '.yml') value = parseYaml(text, { maxAliasCount: 100 });
    else {
      problems.push(`config file ${file}: expected a .json, .yaml or .yml file`);
      return undefined;
    }
  } catch (err) {
    problems.push(`config file ${file}: not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${ext === '.json' ? jsonErrorWhere((err as Error).message, text) : (err as Error).message.split('\n')[0]}`);
    return undefined;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`config file ${file}: expected a mapping of keys at the top level`);
    return undefined;
  }
  return value as Record<string, unknown>;
}

function parseEnvValue(text: string, kind: LeafKind): string | number | boolean | string[] | undefined {
  if (kind === 'string') return text;
  if (kind === 'trust') {
    const trimmed = text.trim();
    if (/^\d{1,3}$/.test(trimmed)) return Number(trimmed);
    const flag = parseEnvValue(trimmed, 'boolean');
    if (flag !== undefined) return flag;
    return trimmed.split(',').map((part) => part.trim()).filter((part) => part !== '');
  }
  if (kind === 'integer') return /^-?\d{1,15}$/.test(text.trim()) ? Number(text.trim()) : undefined;
  if (kind === 'number') return /^-?\d{1,15}(\.\d{1,9})?$/.test(text.trim()) ? Number(text.trim()) : undefined;
  const lowered = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lowered)) return true;
  if (['false', '0', 'no', 'off'].includes(lowered)) return false;
  return undefined;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

function getPath(source: unknown, path: readonly PropertyKey[]): unknown {
  let node = source;
  for (const part of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node;
}

function leafPaths(value: Record<string, unknown>, prefix = '', depth = 0): string[] {
  if (depth > 8) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    return typeof child === 'object' && child !== null && !Array.isArray(child)
      ? leafPaths(child as Record<string, unknown>, path, depth + 1)
      : [path];
  });
}

function describeIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, origins: ReadonlyMap<string, string>): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const base = issue.path.map(String).join('.');
      return issue.keys
        .map((key) => {
          const path = base === '' ? key : `${base}.${key}`;
          const from = origins.get(path) ?? [...origins.entries()].find(([p]) => p.startsWith(`${path}.`))?.[1];
          return `${path}: unknown key${from !== undefined ? ` (from ${from})` : ''}`;
        })
        .join('\n  ');
    }
    const path = issue.path.map(String).join('.');
    const value = getPath(raw, issue.path);
    const from = origins.get(path);
    return `${path || '(root)'}: ${issue.message}, got ${shownValue(path, value)}${from !== undefined ? ` (from ${from})` : ''}`;
  });
}

/**
 * A value as an error may show it: never a secret (nor a section or list that holds one), and
 * a database URL with its passwords masked.
 */
function shownValue(path: string, value: unknown): string {
  if (path === '' || secretPaths.some((secret) => secret === path || secret.startsWith(`${path}.`) || path.startsWith(`${secret}.`))) {
    return value === undefined ? 'nothing' : '(a secret value, not shown)';
  }
  if (path === 'db.url') return typeof value === 'string' ? JSON.stringify(maskUrlSecrets(value)) : '(not shown: it may hold a password)';
  return JSON.stringify(value);
}

/**
 * Where a JSON syntax error is, without the snippet of the text that V8 quotes in some
 * messages (it could be a password).
 */
function jsonErrorWhere(message: string, text: string): string {
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return message.includes('"') ? 'a syntax error' : message;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `a syntax error at line ${line}, column ${column}`;
}

/** A copy of the configuration that is safe to print or log: secrets are masked. */
export function maskSecrets(config: ControllerConfig): ControllerConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const path of secretPaths) {
    if (getPath(copy, path.split('.')) !== undefined) setPath(copy, path, '********');
  }
  const masked = copy as unknown as ControllerConfig;
  if (masked.db.url !== undefined) masked.db.url = maskUrlSecrets(masked.db.url);
  return masked;
}

/** `postgres://app:s3cret@db/twinrec?password=x` → `postgres://app:********@db/twinrec?password=********` (url-mask.ts). */
export const maskUrlPassword = maskUrlSecrets;
