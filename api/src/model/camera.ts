// The Device Overview: one row per camera, with the columns XProtect administrators know from
// server-cloning consoles (Connected, Disconnected, Overflow, Mismatched, Pair Name).
import { z } from 'zod';
import { component } from './components.js';
import { haStatus, nodeRef, nullableUuid, uuid } from './fields.js';
import { reachableRule } from './vocabulary.js';

/**
 * The recording settings compared between the nodes of a cloned pair: whether the node has
 * the camera at all, whether it is enabled, whether it records, and the stream it asks for.
 */
export const mismatchSettings = ['present', 'enabled', 'recording', 'fpsRequested', 'resolution', 'videoFormat'] as const;
export type MismatchSetting = (typeof mismatchSettings)[number];

/** What the Device Overview calls a cloned pair's camera (its `Pair Name` column). */
export const clonedPairName = 'Cloned';

export const cameraNodeSchema = component(
  'CameraNode',
  z
    .strictObject({
      nodeId: uuid,
      nodeName: z.string(),
      haStatus,
      fresh: z.boolean().describe(`The node is reachable (${reachableRule}); if not, the values are its last known ones`),
      reported: z.boolean().describe("The node's last report lists the camera"),
      enabled: z.boolean().nullable(),
      recording: z.boolean().nullable(),
      connected: z.boolean().nullable().describe('Started or recording without ErrorNoConnection'),
      overflow: z.boolean().nullable().describe('ErrorOverflow'),
      fps: z.number().min(0).nullable().describe('Frames per second received'),
      fpsRequested: z.number().min(0).nullable().describe('Frames per second configured'),
      resolution: z.string().nullable().describe('e.g. `1920x1080`'),
      videoFormat: z.string().nullable().describe('Codec, e.g. `H.264`'),
      missingSeconds: z
        .number()
        .min(0)
        .nullable()
        .describe("Seconds of this camera's recordings the node lacks of what its peer holds, within its retention, by its agent's last gap audit (`GET …/backfill` has the ranges); null when its agent reports no finished audit"),
    })
    .describe("One node's view of a camera; null values: the node's last report does not list the camera"),
);
export type CameraNode = z.infer<typeof cameraNodeSchema>;

const settingValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type SettingValue = z.infer<typeof settingValue>;

export const cameraMismatchSchema = component(
  'CameraMismatch',
  z.strictObject({
    setting: z
      .enum(mismatchSettings)
      .describe('`present`: one node has the camera, the other not; `enabled`, `recording` (on/off), `fpsRequested`, `resolution`, `videoFormat` (codec): compared between the nodes that have it'),
    values: z.record(z.string(), settingValue).describe('The value on each compared node, by node name'),
  }),
);
export type CameraMismatch = z.infer<typeof cameraMismatchSchema>;

export const cameraSchema = component(
  'Camera',
  z
    .strictObject({
      cameraId: z.string().describe('The device id the recorders report (the camera GUID)'),
      name: z
        .string()
        .describe(
          "The camera's name: from the cluster's camera pairs when set there, else as the agents read it from the Management Server (the Management Client's name; the Serving node's report first), else its id. Sorting by name and `q` use it.",
        ),
      clusterId: uuid,
      clusterName: z.string(),
      pairName: z.string().nullable().describe(`\`${clonedPairName}\` for a camera of a cloned pair; null in a failover pool`),
      servingNodeId: nullableUuid.describe(
        'The node whose view decides `connected` and `recording`: the Serving node (in a pool, the serving node that has the camera); null when none serves, and then every fresh node that has the camera counts',
      ),
      connected: z.boolean().describe('Started or recording without ErrorNoConnection there'),
      disconnected: z.boolean().describe('ErrorNoConnection on some node with a fresh report'),
      disconnectedOn: z.array(nodeRef).describe('The nodes with a fresh report of ErrorNoConnection'),
      overflow: z.boolean().describe('ErrorOverflow (frames dropped before storage) on some node with a fresh report'),
      overflowOn: z.array(nodeRef).describe('The nodes with a fresh report of ErrorOverflow'),
      recording: z.boolean().describe('Recording there'),
      mismatched: z
        .boolean()
        .describe(
          'In a cloned pair, the nodes with a fresh report differ in a recording setting: presence, enabled, and (compared only where the camera is connected, since a disconnect is shown as such) recording on or off, requested frame rate, resolution and codec',
        ),
      mismatches: z.array(cameraMismatchSchema).describe('What differs; empty when nothing does'),
      problem: z.boolean().describe('Disconnected, overflow, mismatched, or not recording where it is served (unless disabled there)'),
      nodes: z.array(cameraNodeSchema).describe('Each node, by name: both nodes of a cloned pair; in a pool, the nodes that have the camera'),
    })
    .describe("One camera of a cluster, from its nodes' last reports"),
);
export type Camera = z.infer<typeof cameraSchema>;

export const cameraPageSchema = component(
  'CameraPage',
  z.strictObject({ items: z.array(cameraSchema), total: z.int().min(0).describe('Cameras matching the filters'), limit: z.int(), offset: z.int() }),
);
export type CameraPage = z.infer<typeof cameraPageSchema>;
