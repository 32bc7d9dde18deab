import { join } from 'node:path';
import type { StreamFrame } from '../cameras/mjpeg.js';
import { backoffMs, sleep } from '../shared/backoff.js';
import type { Logger } from '../shared/log.js';
import { CameraFeed, defaultFeedOptions, type FeedOptions } from './camera-feed.js';
import type { RecorderConfig } from './config-file.js';
import { readDeviceConfigCache, writeDeviceConfigCache, type CameraConfig, type DeviceConfig } from './device-config.js';
import { cameraStatusFlags, type CameraStatusFlags } from './device-status.js';
import { ManagementClient, managementEndpoints, type Credentials } from './management-client.js';
import { RateMeter } from './rate-meter.js';
import { mergeSequences, type Sequence } from './sequences.js';
import { StatusSessions } from './status-sessions.js';
import { StatusTracker } from './status-tracker.js';
import { Storage, type FrameLookup, type StorageFault, type StorageOptions } from './storage/storage.js';
import { TokenChecker, type TokenVerdict } from './token-check.js';

export interface RecorderOptions {
  /** The name this recorder gives cameras (`?recorder=`); unique per process, unlike the recorder id. */
  readonly instanceName: string;
  readonly storageDir: string;
  readonly storage: Omit<StorageOptions, 'retainMs' | 'maxBytes'>;
  readonly feed: FeedOptions;
  readonly statusIntervalMs: number;
  readonly configRetryMaxMs: number;
}

export interface CameraStatistics {
  readonly camera: CameraConfig;
  readonly usedSpaceBytes: number;
  readonly fps: number;
  readonly bps: number;
  readonly imageSizeBytes: number;
}

/**
 * A recording server: loads its device configuration from the management server (or its
 * cache), connects to every camera, records into its storage, and keeps each camera's status
 * for the SOAP and ImageServer interfaces (which read it through this class).
 */
export class Recorder {
  private deviceConfig: DeviceConfig | null = null;
  private readonly feeds = new Map<string, CameraFeed>();
  private readonly meters = new Map<string, RateMeter>();
  private statusTimer: NodeJS.Timeout | null = null;
  private readonly abort = new AbortController();
  readonly tracker = new StatusTracker();
  readonly sessions = new StatusSessions(this.tracker);
  readonly tokens: TokenChecker;
  private readonly management: ManagementClient;
  storage: Storage | null = null;

  constructor(
    readonly config: RecorderConfig,
    credentials: Credentials,
    private readonly options: RecorderOptions,
    private readonly log: Logger,
  ) {
    this.management = new ManagementClient(managementEndpoints(config), credentials);
    // A real recording server validates the tokens clients present with its management server too.
    this.tokens = new TokenChecker((token) => this.management.lookupVmsToken(token));
  }

  private get cachePath(): string {
    return join(this.options.storageDir, 'config-cache.json');
  }

  /** Opens storage and starts loading configuration in the background. */
  async start(): Promise<void> {
    this.statusTimer = setInterval(() => this.refreshStatus(), this.options.statusIntervalMs);
    this.storage = await Storage.open(this.options.storageDir, { ...this.options.storage, retainMs: 24 * 3_600_000, maxBytes: 1024 ** 4 }, this.log);
    this.refreshStatus();
    void this.loadConfiguration();
  }

  /** Fetches the configuration, falling back to the cache while the management server is unreachable; retries with back-off. */
  private async loadConfiguration(): Promise<void> {
    let usedCache = false;
    for (let attempt = 0; !this.abort.signal.aborted; attempt += 1) {
      try {
        const config = await this.management.fetchDeviceConfig(this.config.recorderId);
        await writeDeviceConfigCache(this.cachePath, config);
        this.log.info({ cameras: config.cameras.length, fromCache: false }, 'device configuration loaded');
        await this.apply(config);
        return;
      } catch (err) {
        this.log.warn({ err: (err as Error).message, attempt }, 'could not load device configuration from the management server');
        if (!usedCache) {
          const cached = await readDeviceConfigCache(this.cachePath);
          if (cached !== null && cached.recorderId === this.config.recorderId) {
            usedCache = true;
            this.log.info({ cameras: cached.cameras.length, fromCache: true }, 'device configuration loaded from cache');
            await this.apply(cached);
          }
        }
      }
      await sleep(backoffMs(attempt, 500, this.options.configRetryMaxMs), this.abort.signal);
    }
  }

  private async apply(config: DeviceConfig): Promise<void> {
    const storage = this.storage;
    if (storage === null) throw new Error('storage is not open');
    storage.setRetention(config.storage.retainMinutes * 60_000, config.storage.maxSizeMb * 1024 * 1024);
    if (this.deviceConfig !== null) return; // Cameras already running from the cache; the lab does not reconfigure live.
    for (const camera of config.cameras) {
      await storage.configureCamera(camera.id, camera.fps);
      const feed = new CameraFeed(camera, this.options.instanceName, this.options.feed, this.log);
      const meter = new RateMeter();
      feed.on('frame', (frame) => this.onFrame(camera, meter, frame));
      feed.on('state', () => this.refreshStatus());
      this.feeds.set(camera.id, feed);
      this.meters.set(camera.id, meter);
    }
    this.deviceConfig = config;
    for (const camera of config.cameras) if (camera.enabled) this.feeds.get(camera.id)?.start();
    this.refreshStatus();
  }

  private onFrame(camera: CameraConfig, meter: RateMeter, frame: StreamFrame): void {
    meter.add(Date.now(), frame.bytes.length);
    this.storage?.offer(camera.id, frame);
  }

  private refreshStatus(): void {
    const nowMs = Date.now();
    const current = new Map<string, CameraStatusFlags>();
    for (const camera of this.deviceConfig?.cameras ?? []) current.set(camera.id, this.flagsOf(camera, nowMs));
    this.tracker.update(current, nowMs);
  }

  private flagsOf(camera: CameraConfig, nowMs: number): CameraStatusFlags {
    const feed = this.feeds.get(camera.id);
    const health = this.storage?.health(camera.id, nowMs) ?? { overflow: false, writeError: false };
    return cameraStatusFlags({
      enabled: camera.enabled,
      started: feed !== undefined,
      connected: feed?.connected ?? false,
      connectionFailed: feed?.failed ?? false,
      overflow: health.overflow,
      writeError: health.writeError,
      repairing: this.storage?.repairing ?? true,
    });
  }

  /** Only a VMS token the management server issued and that has not expired (token-check.ts). */
  checkToken(token: string | undefined): Promise<TokenVerdict> {
    return this.tokens.check(token, Date.now);
  }

  /** Null until the device configuration is loaded (status then reports the all-zero id). */
  cameras(): readonly CameraConfig[] | null {
    return this.deviceConfig?.cameras ?? null;
  }

  camera(cameraId: string): CameraConfig | undefined {
    return this.deviceConfig?.cameras.find((camera) => camera.id === cameraId);
  }

  statistics(cameraId: string): CameraStatistics | undefined {
    const camera = this.camera(cameraId);
    if (camera === undefined) return undefined;
    const meter = this.meters.get(cameraId);
    const rates = meter?.rates(Date.now()) ?? { fps: 0, bps: 0 };
    return { camera, usedSpaceBytes: this.storage?.usedBytes(cameraId) ?? 0, fps: rates.fps, bps: rates.bps, imageSizeBytes: meter?.lastSizeBytes ?? 0 };
  }

  storageStatus(): { id: string; name: string; path: string; available: boolean; usedBytes: number; freeBytes: number } | null {
    const config = this.deviceConfig;
    const storage = this.storage;
    if (config === null || storage === null) return null;
    const usedBytes = config.cameras.reduce((sum, camera) => sum + storage.usedBytes(camera.id), 0);
    const { maxBytes } = storage.retention;
    const fault = storage.fault.mode;
    return { id: config.storage.id, name: config.storage.name, path: storage.root, available: fault !== 'offline', usedBytes, freeBytes: fault === 'full' ? 0 : Math.max(0, maxBytes - usedBytes) };
  }

  sequences(cameraId: string): Sequence[] {
    return mergeSequences(this.storage?.ranges(cameraId) ?? []);
  }

  async frameAt(cameraId: string, timeMs: number): Promise<FrameLookup | null> {
    return (await this.storage?.frameAt(cameraId, timeMs)) ?? null;
  }

  liveFeed(cameraId: string): CameraFeed | undefined {
    return this.feeds.get(cameraId);
  }

  async setStorageFault(fault: StorageFault): Promise<void> {
    if (this.storage === null) throw new Error('storage is not open');
    await this.storage.setFault(fault);
    this.refreshStatus();
  }

  /** Lab diagnostics: per-camera counters and flags. */
  snapshot(): Record<string, unknown> {
    const nowMs = Date.now();
    return {
      recorderId: this.config.recorderId,
      instanceName: this.options.instanceName,
      configLoaded: this.deviceConfig !== null,
      storageFault: this.storage?.fault ?? null,
      framesWrittenTotal: this.storage?.framesWrittenTotal ?? 0,
      cameras: (this.deviceConfig?.cameras ?? []).map((camera) => ({
        id: camera.id,
        name: camera.name,
        flags: this.flagsOf(camera, nowMs),
        ...(this.storage?.counters(camera.id) ?? {}),
        usedBytes: this.storage?.usedBytes(camera.id) ?? 0,
      })),
    };
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.statusTimer !== null) clearInterval(this.statusTimer);
    for (const feed of this.feeds.values()) feed.stop();
    await this.storage?.close();
  }
}

export const defaultRecorderOptions = {
  feed: defaultFeedOptions,
  statusIntervalMs: 200,
  configRetryMaxMs: 5_000,
};
