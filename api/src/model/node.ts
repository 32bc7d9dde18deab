// A node: one recording server of a cluster, as configured, as the cluster list shows it, and
// with the storages its agent last reported.
import { z } from 'zod';
import { pingSchema, storageSpansSchema as storageSpansWire } from '../../../contracts/controller-v1.js';
import { nodeStates } from '../../../contracts/peer-v1.js';
import { nodeBackfillSummarySchema } from './backfill.js';
import { component } from './components.js';
import { displayName, haStatus, nullableTimestamp, nullableUuid, timestamp, uuid, version } from './fields.js';
import { addressPattern, hostNamePattern, nodeRoles } from './vocabulary.js';

/** What an operator sets on a node. */
export const nodeFields = {
  name: displayName.describe('Node name, unique in the cluster (often the Windows host name)'),
  role: z.enum(nodeRoles).describe('primary/secondary in a cloned pair; primary/failover in a pool'),
  hostName: z.string().min(1).max(253).regex(new RegExp(hostNamePattern)).describe('DNS host name of the recording server'),
  addresses: z
    .array(z.string().min(1).max(253).regex(new RegExp(addressPattern)).describe('IP address or host name'))
    .max(16)
    .describe('Addresses of the host, most preferred first'),
  // The regex check takes the place of url's format in zod's JSON Schema: meta puts it back.
  // Read-only: the controller sends the cluster secret there, so only the agent sets it, by registering with the secret.
  agentUrl: z
    .url()
    .max(2048)
    .regex(/^https?:\/\//)
    .meta({ format: 'uri' })
    .nullable()
    .meta({ readOnly: true })
    .describe("Base URL of the node's twinrec agent, where the controller relays commands with the cluster secret. Set by the agent when it registers (with the secret); refused in a create or change through the API"),
  recorderId: nullableUuid.describe('RecorderConfig.xml recorder/id; a cloned pair shares one'),
};

/** Set only by the agent's registration, like agentUrl; not in NodeCreate/NodeUpdate. */
const agentCertificateFingerprint = z
  .string()
  .regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/)
  .nullable()
  .meta({ readOnly: true })
  .describe("SHA-256 fingerprint of the agent API's certificate (AB:CD:…), which the controller pins when it relays commands to an https agentUrl. Set by the agent when it registers; null for an agent on plain HTTP (loopback) or one that has not registered since");

export const nodeSchema = component('Node', z.strictObject({ id: uuid, clusterId: uuid, ...nodeFields, agentCertificateFingerprint, createdAt: timestamp, updatedAt: timestamp, version }));
export type Node = z.infer<typeof nodeSchema>;

export const nodeCreateSchema = component('NodeCreate', z.strictObject({ ...nodeFields, addresses: nodeFields.addresses.optional(), agentUrl: nodeFields.agentUrl.optional(), recorderId: nodeFields.recorderId.optional() }));
export type NodeCreate = z.infer<typeof nodeCreateSchema>;

export const nodeUpdateSchema = component('NodeUpdate', z.strictObject(nodeFields).partial().meta({ minProperties: 1 }));
export type NodeUpdate = z.infer<typeof nodeUpdateSchema>;

/** What the cluster list shows of a node besides its configuration: its HA status and what its agent last reported. */
export const nodeLastReportedSchema = z.strictObject({
  haStatus,
  state: z.enum(nodeStates).nullable().describe('SafeKit node state, last reported; null before the first report'),
  uptimeSeconds: z.number().min(0).nullable().describe("The agent's uptime, last reported"),
  ping: pingSchema.pick({ avgMs: true, maxMs: true }).nullable().describe('Heartbeat round trip to its peer, last reported'),
  storageCount: z.int().min(0).nullable().describe('Storages (recording and archive) in the last report'),
  backfill: nodeBackfillSummarySchema.nullable().describe('What it lacks of what its peer holds and how the backfill job stands, last reported; null when its agent reports no backfill status'),
});
export type NodeLastReported = z.infer<typeof nodeLastReportedSchema>;

export const nodeSummarySchema = component('NodeSummary', nodeSchema.extend(nodeLastReportedSchema.shape));
export type NodeSummary = z.infer<typeof nodeSummarySchema>;

const wire = storageSpansWire.shape;
const cameraData = wire.cameraData.shape;
const placeholderData = wire.placeholderData.shape;

/** The agent's spans (contracts/controller-v1.ts), described for the API. */
export const storageSpansSchema = component(
  'StorageSpans',
  storageSpansWire
    .extend({
      scannedAt: wire.scannedAt.describe('When the agent finished the scan (every `storage.refreshIntervalMs` of its config, 15 s by default)'),
      cameraCount: wire.cameraCount.describe('Cameras read'),
      truncated: wire.truncated.describe('A bound left part of the storage out (cameras, index length, intervals kept): the figures are approximate'),
      cameraData: wire.cameraData
        .extend({
          oldestAt: cameraData.oldestAt.describe('Oldest recorded time, over all cameras'),
          newestAt: cameraData.newestAt.describe('Newest recorded time, over all cameras'),
          spanSeconds: cameraData.spanSeconds.describe('newestAt - oldestAt'),
          coveredSeconds: cameraData.coveredSeconds.describe('Seconds of the span in which at least one camera has recordings'),
          coveragePercent: cameraData.coveragePercent.describe('coveredSeconds / spanSeconds: 100 when the storage has no gap in which no camera recorded'),
        })
        .describe('Recorded data (recorded by this node, or backfilled): "Camera data: 0 days, 14:14:34, 100 %"'),
      placeholderData: wire.placeholderData
        .extend({
          spanSeconds: placeholderData.spanSeconds.describe('newestAt - oldestAt'),
          coveredSeconds: placeholderData.coveredSeconds.describe('Seconds in which at least one camera has a pending placeholder'),
          sharePercent: placeholderData.sharePercent.describe("Pending placeholder time as a share of all the storage's data, counted per camera; 0 once backfill is done"),
        })
        .describe('Placeholders waiting for backfill: "Placeholder data: 0 days, 00:00:00, 0 %"'),
    })
    .describe("A span runs from the oldest data to the end of the newest (the newest frame's time plus one frame interval); its times are null when there is no such data"),
);
export type StorageSpans = z.infer<typeof storageSpansSchema>;

/** A storage of a node, from its agent's last report. */
export const storageSchema = component(
  'Storage',
  z.strictObject({
    storageId: z.string(),
    name: z.string(),
    path: z.string().describe('Its location, e.g. `D:\\MediaDatabase`'),
    available: z.boolean(),
    usedSpaceBytes: z.number().min(0).describe('UsedSpaceInBytes as the recorder reports it (GetRecordingStorageStatus)'),
    freeSpaceBytes: z.number().min(0).describe('FreeSpaceInBytes as the recorder reports it'),
    sizeBytes: z.number().min(0).describe('The "Size" of the storage: used plus free bytes as the recorder reports them, not the size of the volume'),
    spans: storageSpansSchema
      .nullable()
      .describe("What the storage holds, as the node's agent read it from disk; null when its agent reads no spans for this storage (no storage adapter configured, an agent that predates them, or no scan yet)"),
  }),
);
export type Storage = z.infer<typeof storageSchema>;

export const nodeDetailSchema = component(
  'NodeDetail',
  nodeSchema.extend({
    storages: z.array(storageSchema).describe("The recorder's storages from its agent's last report (fresh or not); empty before the first"),
    storagesReportedAt: nullableTimestamp.describe('When the controller received that report'),
  }),
);
export type NodeDetail = z.infer<typeof nodeDetailSchema>;
