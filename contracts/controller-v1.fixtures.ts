// Test fixtures for the agent-to-controller link (controller-v1.ts): pure values, no I/O, so
// that unit tests in agent/ and api/ may use them as well as the end-to-end tests under test/
// (whose helpers, test/helpers/agent-reports.ts, build on these). Not part of the build.
import { nodeStatusSchema, type NodeStatus } from './controller-v1.js';

/** One camera of a report, as cameraStatusSchema has it (agent/shell/ports.ts' CameraStatus too). */
export type CameraStatusWire = NodeStatus['cameras'][number];

/** A camera that is enabled, connected and recording 25 fps of 1080p H.264; override what a test is about. */
export function cameraStatus(deviceId: string, overrides: Partial<CameraStatusWire> = {}): CameraStatusWire {
  return {
    deviceId,
    enabled: true,
    started: true,
    recording: true,
    errorNoConnection: false,
    errorOverflow: false,
    error: false,
    fps: 25,
    fpsRequested: 25,
    resolution: '1920x1080',
    videoFormat: 'H.264',
    usedSpaceBytes: 1024,
    ...overrides,
  };
}

/** Overrides of a node's status; `health` is merged into the healthy one. */
export type NodeStatusOverrides = Partial<Omit<NodeStatus, 'health'>> & { health?: Partial<NodeStatus['health']> };

/** The one storage of a healthy node. */
export const defaultStorage: NodeStatus['storages'][number] = { storageId: 'st-1', name: 'Local default', path: 'C:\\MediaDatabase', available: true, usedSpaceBytes: 10, freeSpaceBytes: 1000 };

/**
 * What node `node` of `cluster` reports about itself: a healthy, running SECOND at epoch 2
 * (serving when PRIM or ALONE), hearing its peer, with no cameras and one storage. The camera
 * counts of `health` follow the cameras. Checked against nodeStatusSchema.
 */
export function nodeStatus(cluster: string, node: string, peer: string, overrides: NodeStatusOverrides = {}): NodeStatus {
  return nodeStatusSchema.parse(nodeStatusUnchecked(cluster, node, peer, overrides));
}

/** As nodeStatus, not checked: for tests of what the controller refuses (too many cameras, …). */
export function nodeStatusUnchecked(cluster: string, node: string, peer: string, overrides: NodeStatusOverrides = {}): NodeStatus {
  const { health, ...o } = overrides;
  const state = o.state ?? 'SECOND';
  const cameras = o.cameras ?? [];
  return {
    clusterName: cluster,
    nodeName: node,
    state,
    serving: state === 'PRIM' || state === 'ALONE',
    epoch: 2,
    healthy: true,
    service: 'running',
    peer: { name: peer, state: null, lastHeardAgoMs: 100, reachable: true },
    ping: { avgMs: 0.4, maxMs: 1.2, lastMs: 0.3 },
    maintenance: false,
    witness: { kind: 'controller', reachable: true },
    uptimeSeconds: 42,
    startedAt: '2026-11-22T10:00:00.000Z',
    configSyncPending: false,
    storages: [defaultStorage],
    ...o,
    cameras,
    health: { recorderUp: true, storageOk: true, recordingShare: 1, camerasTotal: cameras.length, camerasRecording: cameras.filter((c) => c.recording).length, problem: null, ...health },
  };
}
