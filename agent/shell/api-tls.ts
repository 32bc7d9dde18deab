// The agent API's certificate: made at first start in the state folder (or where agent.yaml
// names it), kept with mode 0600, and named by its SHA-256 fingerprint, which the controller
// pins at registration and the peer learns from the heartbeats. Null when the API speaks plain
// HTTP (api.tls.mode off, or auto on loopback).
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadOrCreateCertificate, type CertificatePair } from '../../shared/tls/certificate.js';
import { isLoopbackHost } from '../../shared/tls/loopback.js';
import { AgentConfigError, apiTlsEnabled, type AgentConfig } from '../config/agent-config.js';

/**
 * Loads (or makes) the API's certificate; warns when the API is plain HTTP beyond loopback.
 *
 * @example
 *   const tls = await loadApiCertificate(config, log);
 *   tls?.fingerprint256 // 'AB:CD:…', registered with the controller
 */
export async function loadApiCertificate(config: Pick<AgentConfig, 'api' | 'stateDir'> & { readonly node: { readonly id: string; readonly hostName: string } }, log: Logger): Promise<CertificatePair | null> {
  const { api } = config;
  if (!apiTlsEnabled(api)) {
    if (!isLoopbackHost(api.listen.host)) log.warn({ listen: api.listen.host }, 'the agent API speaks plain HTTP beyond loopback (api.tls.insecurePlainHttp): the cluster secret crosses the network in clear, and the controller will not relay commands to it');
    return null;
  }
  const certFile = api.tls.certFile ?? join(config.stateDir, 'tls', 'agent-api.crt');
  const keyFile = api.tls.keyFile ?? join(config.stateDir, 'tls', 'agent-api.key');
  const wildcard = api.listen.host === '0.0.0.0' || api.listen.host === '::';
  const altNames = [...new Set([config.node.hostName, ...(wildcard ? [] : [api.listen.host]), 'localhost'])];
  try {
    const pair = await loadOrCreateCertificate(certFile, keyFile, { commonName: `twinrec-agent ${config.node.id}`, altNames });
    if (pair.created) log.info({ certFile, fingerprint: pair.fingerprint256 }, 'agent API certificate created: the controller pins it at registration, the peer from the heartbeats');
    return pair;
  } catch (err) {
    throw new AgentConfigError(`api.tls: ${(err as Error).message}`);
  }
}
