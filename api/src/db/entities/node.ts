import { EntitySchema } from 'typeorm';
import type { NodeRole } from '../../model/vocabulary.js';

/** One recording-server host in a cluster, with the agent that runs beside it. */
export interface NodeRow {
  id: string;
  clusterId: string;
  /** Operator-facing name, unique in its cluster (often the Windows host name). */
  name: string;
  role: NodeRole;
  hostName: string;
  /** Addresses the host is reachable on (IPs or names), most preferred first. */
  addresses: string[];
  /** Base URL of the agent's local HTTP API, e.g. `https://rec-a:8741`. */
  agentUrl: string | null;
  /**
   * SHA-256 fingerprint (`AB:CD:…`) of the agent API's certificate, set only by the agent's
   * registration, as agentUrl: commands to an https agentUrl are pinned to it.
   */
  agentCertificateFingerprint: string | null;
  /** RecorderConfig.xml recorder/id; both nodes of a cloned pair share it. */
  recorderId: string | null;
  /** The recorder's web server (ImageServer and SOAP), as its agent registered it. */
  webServerUri: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export const NodeEntity = new EntitySchema<NodeRow>({
  name: 'Node',
  tableName: 'node',
  columns: {
    id: { type: String, length: 36, primary: true },
    clusterId: { type: String, length: 36, name: 'cluster_id' },
    name: { type: String, length: 64 },
    role: { type: String, length: 16 },
    hostName: { type: String, length: 255, name: 'host_name' },
    addresses: { type: 'simple-json' },
    agentUrl: { type: String, length: 2048, nullable: true, name: 'agent_url' },
    agentCertificateFingerprint: { type: String, length: 95, nullable: true, name: 'agent_certificate_fingerprint' },
    recorderId: { type: String, length: 36, nullable: true, name: 'recorder_id' },
    webServerUri: { type: String, length: 2048, nullable: true, name: 'web_server_uri' },
    createdAt: { type: Date, createDate: true, name: 'created_at' },
    updatedAt: { type: Date, updateDate: true, name: 'updated_at' },
    version: { type: 'int', version: true },
  },
  indices: [
    { name: 'UQ_node_cluster_name', columns: ['clusterId', 'name'], unique: true },
    { name: 'IDX_node_recorder', columns: ['recorderId'] },
  ],
});
