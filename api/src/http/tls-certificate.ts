// The controller's HTTPS certificate: the one configured (http.tls.certFile/keyFile, PEM, e.g.
// issued by the site's CA), or one generated at first start in `<dataDir>/tls/` and kept
// (mode 0600, five years), as Milestone's Management Server Failover does for its web console
// (seed 004: "the wizard generates a server certificate", downloadable to the clients). Agents
// trust it by its SHA-256 fingerprint (agent.yaml controller.fingerprint) or by the CA file.
// Read once at start: a renewed certificate takes a restart.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { CliError } from '../../../shared/exit-codes.js';
import { loadOrCreateCertificate } from '../../../shared/tls/certificate.js';
import { isLoopbackHost } from '../../../shared/tls/loopback.js';
import type { ControllerConfig } from '../config/schema.js';

/** What the console shows and `GET /api/v1/tls` answers: all of it public. */
export interface ControllerCertificateInfo {
  /** The leaf certificate, PEM (with the chain after it when the file has one). */
  readonly certPem: string;
  /** `AB:CD:…`, SHA-256 of the leaf certificate: what agents pin. */
  readonly fingerprint256: string;
  readonly subject: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  /** `configured`: http.tls.certFile; `generated`: made at first start in the data folder. */
  readonly source: 'configured' | 'generated';
}

export interface ControllerCertificate extends ControllerCertificateInfo {
  readonly keyPem: string;
  /** Generated at this start (a new fingerprint for agents to pin). */
  readonly created: boolean;
}

/** Where a generated certificate is kept. */
export function generatedCertificatePaths(dataDir: string): { certFile: string; keyFile: string } {
  const folder = join(resolve(dataDir), 'tls');
  return { certFile: join(folder, 'controller.crt'), keyFile: join(folder, 'controller.key') };
}

/** Whether the controller serves HTTPS: `on`, certificate files given, or `auto` on a host beyond loopback. */
export function servesHttps(http: ControllerConfig['http']): boolean {
  if (http.tls.mode === 'off') return false;
  if (http.tls.mode === 'on' || http.tls.certFile !== undefined) return true;
  return !isLoopbackHost(http.host);
}

/**
 * The certificate to serve HTTPS with, or null for plain HTTP.
 *
 * @throws CliError (exit 2) naming the key and file when a configured file is missing,
 *   unreadable, not PEM, or the key does not belong to the certificate; or when a generated
 *   pair is half there.
 */
export async function controllerCertificate(config: ControllerConfig): Promise<ControllerCertificate | null> {
  if (!servesHttps(config.http)) return null;
  const { certFile, keyFile } = config.http.tls;
  if (certFile !== undefined && keyFile !== undefined) return configuredCertificate(certFile, keyFile);
  const paths = generatedCertificatePaths(config.dataDir);
  const host = config.http.host;
  // Agents pin the fingerprint, so names are informative; still, a browser shows them.
  const altNames = [...new Set(['localhost', '127.0.0.1', '::1', hostname(), ...(host === '0.0.0.0' || host === '::' ? [] : [host])])].filter((name) => name !== '');
  try {
    const pair = await loadOrCreateCertificate(paths.certFile, paths.keyFile, { commonName: `twinrec-controller ${hostname()}`.slice(0, 64), altNames });
    const parsed = new X509Certificate(pair.certPem);
    return { ...describe(parsed, pair.certPem), keyPem: pair.keyPem, source: 'generated', created: pair.created };
  } catch (err) {
    throw new CliError(`http.tls: the generated certificate in ${join(resolve(config.dataDir), 'tls')} cannot be used: ${(err as Error).message}`);
  }
}

function configuredCertificate(certFile: string, keyFile: string): ControllerCertificate {
  const certPem = readPem(certFile, 'http.tls.certFile');
  const keyPem = readPem(keyFile, 'http.tls.keyFile');
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(certPem);
  } catch {
    throw new CliError(`http.tls.certFile: ${certFile} is not a PEM certificate (expected -----BEGIN CERTIFICATE-----)`);
  }
  let matches: boolean;
  try {
    matches = parsed.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    // The key's text is never echoed: it is a secret.
    throw new CliError(`http.tls.keyFile: ${keyFile} is not a PEM private key (encrypted keys are not supported)`);
  }
  if (!matches) throw new CliError(`http.tls.keyFile: ${keyFile} is not the private key of the certificate in ${certFile}`);
  return { ...describe(parsed, certPem), keyPem, source: 'configured', created: false };
}

function describe(parsed: X509Certificate, certPem: string): Omit<ControllerCertificateInfo, 'source'> {
  return { certPem, fingerprint256: parsed.fingerprint256, subject: parsed.subject.replace(/\n/g, ', '), validFrom: new Date(parsed.validFrom), validTo: new Date(parsed.validTo) };
}

const pemFileMaxBytes = 1024 * 1024;

function readPem(path: string, key: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError(`${key}: ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`);
  }
  if (text.length > pemFileMaxBytes) throw new CliError(`${key}: ${path} is larger than ${pemFileMaxBytes} bytes`);
  return text;
}
