// The agent shell's ports: the I/O the decision core needs, each behind a small interface so
// adapters (UDP, SOAP, systemd, the lab, …) plug in without the shell knowing which one runs.
// The core (agent/core) never sees these; the shell turns their results into core inputs.
import type { Heartbeat, HeartbeatBody } from '../../contracts/peer-v1.js';
import type { PeerReport } from '../core/decide.js';

export type { HeartbeatBody };

/** Round-trip statistics over the last `samples` heartbeats that were echoed (SafeKit shows average and maximum ping). */
export interface PingStats {
  readonly avgMs: number | null;
  readonly maxMs: number | null;
  readonly lastMs: number | null;
  readonly samples: number;
  readonly sent: number;
  readonly received: number;
  /** Datagrams dropped as malformed, oversized, from an unexpected address, for another cluster, replayed or not proven fresh. */
  readonly rejected: number;
}

/** Heartbeats to and from the peer agent (UDP in production). */
export interface PeerTransport {
  /** Sends one heartbeat; never throws (a failed send is a lost heartbeat). */
  send(message: HeartbeatBody): void;
  /** Called for every authentic and fresh heartbeat from the peer (never a replay), in arrival order. */
  onHeartbeat(handler: (message: Heartbeat) => void): void;
  stats(): PingStats;
  /** Test-only fault injection: silently drop inbound and/or outbound heartbeats. */
  setDrop(drop: { readonly inbound: boolean; readonly outbound: boolean }): void;
  close(): Promise<void>;
}

/** One camera as the local recorder reports it (SOAP GetCurrentDeviceStatus + GetVideoDeviceStatistics). */
export interface CameraStatus {
  readonly deviceId: string;
  readonly enabled: boolean;
  readonly started: boolean;
  readonly recording: boolean;
  readonly errorNoConnection: boolean;
  readonly errorOverflow: boolean;
  readonly error: boolean;
  /** From GetVideoDeviceStatistics' recording stream, when available. */
  readonly fps: number | null;
  readonly fpsRequested: number | null;
  readonly resolution: string | null;
  readonly videoFormat: string | null;
  readonly usedSpaceBytes: number | null;
  /** The camera's name at the Management Server (health/camera-names.ts); null or absent when not known. */
  readonly name?: string | null;
}

/** One storage as the local recorder reports it (SOAP GetRecordingStorageStatus). */
export interface StorageStatus {
  readonly storageId: string;
  readonly name: string;
  readonly path: string;
  readonly available: boolean;
  readonly usedSpaceBytes: number;
  readonly freeSpaceBytes: number;
}

/** The result of one health probe of the local recording server. */
export type RecorderHealth =
  | { readonly reachable: true; readonly cameras: readonly CameraStatus[]; readonly storages: readonly StorageStatus[] }
  /** The recorder did not answer (refused, timed out, SOAP fault): `reason` says which, without secrets. */
  | { readonly reachable: false; readonly reason: string };

/** Probes the local recorder through its own SOAP RecorderStatusService2. */
export interface RecorderProbe {
  /** Never throws; bounded by the probe timeout. */
  probe(): Promise<RecorderHealth>;
  close(): Promise<void>;
}

/** The answer of a witness: reachable, and whether it still sees the peer (null: cannot tell). */
export interface WitnessAnswer {
  readonly reachable: boolean;
  readonly peerAlive: boolean | null;
  /** The controller's answer: when the report it answers was sent (monotonic ms, the core's time base). A TCP witness leaves it out. */
  readonly sentAtMs?: number;
  /** The controller's answer: what the peer said in its last report (null: an older controller, or no report yet). */
  readonly peerReport?: PeerReport | null;
}

export interface Witness {
  readonly kind: 'controller' | 'tcp';
  /** Never throws; bounded by a timeout. */
  check(): Promise<WitnessAnswer>;
}

/** What the agent keeps across restarts; wall-clock times so they survive a reboot. */
export interface PersistedAgentState {
  readonly epoch: number;
  readonly stopped: boolean;
  /** Recent automatic failovers (ms since the Unix epoch), for the failover cap. */
  readonly failoversWallMs: readonly number[];
  /** The preferred node after a swap (absent: the configured one). */
  readonly preference?: { readonly nodeId: string | null; readonly version: number } | undefined;
}

/** Durable store for the epoch: save() returns only after the data is fsynced. */
export interface EpochStore {
  load(): PersistedAgentState;
  save(state: PersistedAgentState): void;
}

export type ServiceStatus = 'running' | 'stopped' | 'starting' | 'stopping' | 'unknown';

/** The platform's service manager for the local recording server. */
export interface RecorderService {
  readonly kind: 'lab' | 'systemd' | 'windows-service';
  /** Starts the service; resolves once the manager reports it started (or throws, with a bounded wait). */
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<ServiceStatus>;
}
