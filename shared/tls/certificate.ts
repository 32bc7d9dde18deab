// Self-signed TLS certificates made at first start (the controller's console and API, each
// agent's API, the relay's control API), kept in PEM files of mode 0600, and named by their
// SHA-256 fingerprint, which is what the other side pins. Seed 004 (Management Server
// Failover) generates its web console's certificate the same way, valid five years.
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { X509Certificate, createHash, createPrivateKey, webcrypto } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Five years, as seed 004 does for its console certificate. */
export const certificateValidityDaysDefault = 5 * 365;
const validityDaysMax = 20 * 365;
const altNamesMax = 64;

export interface CertificateRequest {
  /** Subject common name: the product part and host (`twinrec-agent rs-01`). */
  readonly commonName: string;
  /** DNS names and IP addresses the certificate is for (subjectAltName). */
  readonly altNames: readonly string[];
  readonly validityDays?: number;
}

export interface CertificatePair {
  readonly certPem: string;
  readonly keyPem: string;
  /** `AB:CD:…` upper-case hex, as Node's X509Certificate.fingerprint256 prints it. */
  readonly fingerprint256: string;
  readonly validTo: Date;
}

/** Makes a self-signed ECDSA P-256 certificate (server and client auth) with its key. */
export async function createSelfSignedCertificate(request: CertificateRequest): Promise<CertificatePair> {
  const validityDays = request.validityDays ?? certificateValidityDaysDefault;
  if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > validityDaysMax) throw new RangeError(`validityDays must be 1..${validityDaysMax}, got ${validityDays}`);
  if (request.altNames.length === 0 || request.altNames.length > altNamesMax) throw new RangeError(`a certificate needs 1..${altNamesMax} alt names, got ${request.altNames.length}`);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = new Date(Date.now() - 5 * 60_000); // a peer whose clock is a little behind still accepts it
  const notAfter = new Date(notBefore.getTime() + validityDays * 86_400_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
    name: [{ CN: [request.commonName] }],
    notBefore,
    notAfter,
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension(request.altNames.map((name) => (isIP(name) !== 0 ? { type: 'ip' as const, value: name } : { type: 'dns' as const, value: name }))),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const certPem = cert.toString('pem');
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(pkcs8).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`;
  return { certPem, keyPem, fingerprint256: fingerprintOf(certPem), validTo: notAfter };
}

/** The SHA-256 fingerprint of a PEM certificate, `AB:CD:…`. */
export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** A fingerprint as given by a person or a file (any case, with or without colons) in canonical form, or null if it is not one. */
export function canonicalFingerprint(text: string): string | null {
  const hex = text.trim().replace(/:/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) return null;
  return hex.match(/../g)!.join(':');
}

/** The fingerprint of DER bytes (what a TLS peer certificate's `raw` holds). */
export function fingerprintOfDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/**
 * The certificate and key at `certPath`/`keyPath`, created (self-signed, mode 0600) when both
 * are missing. One present without the other is an error: a half-made pair is never replaced
 * silently, since peers have pinned the old fingerprint.
 */
export async function loadOrCreateCertificate(certPath: string, keyPath: string, request: CertificateRequest): Promise<CertificatePair & { readonly created: boolean }> {
  const cert = readIfPresent(certPath);
  const key = readIfPresent(keyPath);
  if (cert !== null && key !== null) {
    const parsed = new X509Certificate(cert);
    if (!parsed.checkPrivateKey(createPrivateKey(key))) throw new Error(`${keyPath} is not the private key of ${certPath}`);
    return { certPem: cert, keyPem: key, fingerprint256: parsed.fingerprint256, validTo: new Date(parsed.validTo), created: false };
  }
  if (cert !== null || key !== null) throw new Error(`found ${cert !== null ? certPath : keyPath} without ${cert !== null ? keyPath : certPath}: restore the missing file, or remove both to make a new certificate (peers must then pin its new fingerprint)`);
  const pair = await createSelfSignedCertificate(request);
  writePrivateFile(keyPath, pair.keyPem);
  writePrivateFile(certPath, pair.certPem);
  return { ...pair, created: true };
}

function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Written beside, then renamed: a crash leaves the old file or none, never half a key. */
function writePrivateFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, text, { mode: 0o600, flag: 'w' });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
