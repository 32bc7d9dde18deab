// The health probe with `vms.bridge: edge`: the cameras' status comes through the VMS bridge
// (Twinrec.Bridge's GetCurrentDeviceStatus, RecorderStatusService2 with the bridge's own VMS
// token), for the camera ids the bridge lists for this recording server. Twinrec.Bridge has no
// GetRecordingStorageStatus nor GetVideoDeviceStatistics: the storages come from the recorder's
// own SOAP service through the native probe (asked about no camera), and the cameras carry no
// statistics (fps, resolution, used space: null, as when a recorder's statistics fail).
import type { Logger } from 'pino';
import type { BridgeDeviceStatus, VmsBridge } from '../../shared/vms-bridge/bridge.js';
import type { RecorderHealth, RecorderProbe } from '../shell/ports.js';
import { cameraIdsMax, toCameras, unloadedDeviceId } from './recorder-probe.js';

export interface BridgeRecorderProbeOptions {
  readonly bridge: VmsBridge;
  /** The recorder's web server, e.g. http://127.0.0.1:7563/ (RecorderInfo.WebServerUri). */
  readonly webServerUrl: string;
  /** This recording server's id at the Management Server (agent.yaml recorder.recorderId, or RecorderConfig.xml's). */
  readonly recorderId: () => Promise<string>;
  /** The recorder's storages: the native SOAP probe, asked about no camera. Closed with this probe. */
  readonly storages: RecorderProbe;
  /** Bound on one whole probe. */
  readonly timeoutMs: number;
  /** The camera list is read again this often (agent.yaml cameraNames.refreshIntervalMs). */
  readonly cameraListEveryMs: number;
  readonly log: Logger;
}

const reasonLengthMax = 200;
/** After a failed camera list, the next attempt waits this long (the list is kept once read). */
const cameraListRetryMs = 5_000;

const monotonicMs = (): number => performance.now();

function reasonOf(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim().slice(0, reasonLengthMax);
}

class BridgeRecorderProbe implements RecorderProbe {
  private cameraIds: readonly string[] | null = null;
  private cameraListDueAtMs = Number.NEGATIVE_INFINITY;
  private cameraListing: Promise<void> | null = null;
  /** One status call at a time: edge-js calls cannot be cancelled, so a probe past its deadline leaves its call to the next. */
  private statusCall: Promise<BridgeDeviceStatus[]> | null = null;
  private closed = false;
  private warnedIdsUnknown = false;

  constructor(private readonly o: BridgeRecorderProbeOptions) {
    if (!(o.timeoutMs > 0)) throw new RangeError('timeoutMs must be positive');
  }

  async probe(): Promise<RecorderHealth> {
    if (this.closed) return { reachable: false, reason: 'probe closed' };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<RecorderHealth>((resolve) => {
      timer = setTimeout(() => resolve({ reachable: false, reason: `timed out after ${this.o.timeoutMs} ms (device status through the edge bridge)` }), this.o.timeoutMs);
    });
    try {
      return await Promise.race([this.probeOnce().catch((err: unknown): RecorderHealth => ({ reachable: false, reason: reasonOf(err) })), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A bridge call still running is not waited for: edge-js cannot cancel it, and its answer is dropped. */
  async close(): Promise<void> {
    this.closed = true;
    await this.o.storages.close();
  }

  private async probeOnce(): Promise<RecorderHealth> {
    this.refreshCameraList();
    const ids = this.cameraIds;
    if (ids === null && !this.warnedIdsUnknown) {
      this.warnedIdsUnknown = true;
      this.o.log.info('recorder probe (edge bridge): the camera ids are not listed yet; reporting the storages only until then');
    }
    const [devices, storages] = await Promise.all([ids === null || ids.length === 0 ? Promise.resolve([]) : this.deviceStatus(ids), this.o.storages.probe()]);
    if (!storages.reachable) return { reachable: false, reason: `storage status: ${storages.reason}` };
    if (devices.length > 0 && devices.every((d) => d.deviceId === unloadedDeviceId)) return { reachable: false, reason: 'configuration not loaded' };
    return { reachable: true, cameras: toCameras(devices, new Map()), storages: storages.storages };
  }

  private async deviceStatus(ids: readonly string[]): Promise<BridgeDeviceStatus[]> {
    this.statusCall ??= this.o.bridge.currentDeviceStatus(this.o.webServerUrl, ids.slice(0, cameraIdsMax)).finally(() => {
      this.statusCall = null;
    });
    try {
      return await this.statusCall;
    } catch (err) {
      throw new Error(`device status through the edge bridge: ${reasonOf(err)}`);
    }
  }

  /** Starts reading the camera list when it is due; never waits for it (a probe reports what is known). */
  private refreshCameraList(): void {
    if (this.cameraListing !== null || this.closed || monotonicMs() < this.cameraListDueAtMs) return;
    this.cameraListing = (async () => {
      try {
        const cameras = await this.o.bridge.cameras(await this.o.recorderId());
        this.cameraIds = cameras.slice(0, cameraIdsMax).map((c) => c.id);
        this.cameraListDueAtMs = monotonicMs() + this.o.cameraListEveryMs;
      } catch (err) {
        this.o.log.warn({ reason: reasonOf(err) }, 'recorder probe (edge bridge): cannot list the cameras; keeping the last list');
        this.cameraListDueAtMs = monotonicMs() + cameraListRetryMs;
      } finally {
        this.cameraListing = null;
      }
    })();
  }
}

/**
 * The RecorderProbe behind `vms.bridge: edge`. Never throws; answers by `timeoutMs`.
 *
 * @example
 *   const probe = bridgeRecorderProbe({ bridge, webServerUrl: 'http://127.0.0.1:7563/', recorderId: async () => id, storages: soapRecorderProbe({ …, cameraIds: () => [] }), timeoutMs: 750, cameraListEveryMs: 60_000, log });
 *   await probe.probe(); // { reachable: true, cameras: [{ deviceId, recording, fps: null, … }], storages: [...] }
 */
export function bridgeRecorderProbe(options: BridgeRecorderProbeOptions): RecorderProbe {
  return new BridgeRecorderProbe(options);
}
