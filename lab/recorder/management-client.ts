import { fetchJson } from '../shared/http.js';
import type { RecorderConfig } from './config-file.js';
import type { CameraConfig, DeviceConfig } from './device-config.js';
import type { TokenLookupAnswer } from './token-check.js';

/** Where a recorder reaches the management server, derived from RecorderConfig.xml. */
export interface ManagementEndpoints {
  readonly tokenUrl: string;
  readonly restBaseUrl: string;
  /** The management server's lab-internal VMS token lookup (lab/management/server.ts). */
  readonly vmsTokenLookupUrl: string;
}

/**
 * server/address may be a host name (as in XProtect) or a URL; server/webapiport is the port.
 * The IDP lives at server/authorizationserveraddress.
 */
export function managementEndpoints(config: RecorderConfig): ManagementEndpoints {
  const base = /^https?:\/\//i.test(config.serverAddress) ? new URL(config.serverAddress) : new URL(`http://${config.serverAddress}`);
  base.port = String(config.serverWebApiPort);
  const idp = config.authorizationServerAddress;
  return {
    tokenUrl: `${idp}/connect/token`,
    restBaseUrl: new URL('/api/rest/v1', base).toString(),
    vmsTokenLookupUrl: new URL('/lab/vms-tokens/lookup', base).toString(),
  };
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

const REQUEST_TIMEOUT_MS = 5_000;
/** A SOAP or ImageServer request waits for this lookup: shorter than a client's timeout. */
const TOKEN_LOOKUP_TIMEOUT_MS = 2_000;
const MAX_CAMERAS = 1024;

class ManagementError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

type Resource = Record<string, unknown> & { id: string };

/**
 * The recorder's client of the management server: logs in at the IDP (password grant, token
 * renewed before it expires) and reads its configuration through the REST API.
 */
export class ManagementClient {
  private token: { value: string; renewAtMs: number } | null = null;

  constructor(
    private readonly endpoints: ManagementEndpoints,
    private readonly credentials: Credentials,
  ) {}

  async accessToken(nowMs = Date.now()): Promise<string> {
    if (this.token !== null && nowMs < this.token.renewAtMs) return this.token.value;
    const res = await fetchJson(this.endpoints.tokenUrl, {
      form: { grant_type: 'password', username: this.credentials.username, password: this.credentials.password, client_id: 'GrantValidatorClient' },
      timeoutMs: REQUEST_TIMEOUT_MS,
    });
    const body = res.body as { access_token?: unknown; expires_in?: unknown; error?: unknown };
    if (res.status !== 200 || typeof body.access_token !== 'string') {
      throw new ManagementError(`login refused (${res.status} ${typeof body.error === 'string' ? body.error : ''})`, res.status);
    }
    const lifetimeSeconds = typeof body.expires_in === 'number' ? body.expires_in : 60;
    this.token = { value: body.access_token, renewAtMs: nowMs + lifetimeSeconds * 800 };
    return body.access_token;
  }

  private async get(path: string): Promise<unknown> {
    const res = await fetchJson(`${this.endpoints.restBaseUrl}${path}`, { bearer: await this.accessToken(), timeoutMs: REQUEST_TIMEOUT_MS });
    if (res.status === 401) this.token = null;
    if (res.status !== 200) throw new ManagementError(`GET ${path} answered ${res.status}`, res.status);
    return res.body;
  }

  private async list(path: string): Promise<Resource[]> {
    const body = (await this.get(path)) as { array?: unknown };
    if (!Array.isArray(body.array)) throw new Error(`GET ${path}: no {array} envelope`);
    return body.array.slice(0, MAX_CAMERAS) as Resource[];
  }

  private async one(path: string): Promise<Resource> {
    const body = (await this.get(path)) as { data?: unknown };
    if (typeof body.data !== 'object' || body.data === null) throw new Error(`GET ${path}: no {data} envelope`);
    return body.data as Resource;
  }

  /**
   * Whether the management server issued `token` and until when it is valid. Throws when it
   * cannot be asked (unreachable, refused our login).
   */
  async lookupVmsToken(token: string): Promise<TokenLookupAnswer> {
    const res = await fetchJson(this.endpoints.vmsTokenLookupUrl, { body: { token }, bearer: await this.accessToken(), timeoutMs: TOKEN_LOOKUP_TIMEOUT_MS });
    if (res.status === 401) this.token = null;
    if (res.status !== 200) throw new ManagementError(`VMS token lookup answered ${res.status}`, res.status);
    const body = res.body as { valid?: unknown; expiresAt?: unknown };
    if (body.valid !== true) return { valid: false };
    const expiresAtMs = Date.parse(String(body.expiresAt));
    if (!Number.isFinite(expiresAtMs)) throw new Error('VMS token lookup: no expiresAt');
    return { valid: true, expiresAtMs };
  }

  /** Everything the recorder needs for its recorder id: cameras, stream settings, storage. */
  async fetchDeviceConfig(recorderId: string): Promise<DeviceConfig> {
    const recordingServer = await this.one(`/recordingServers/${recorderId}`);
    const cameras: CameraConfig[] = [];
    for (const hardware of await this.list(`/recordingServers/${recorderId}/hardware`)) {
      const address = String(hardware.address ?? '');
      for (const camera of await this.list(`/hardware/${hardware.id}/cameras`)) {
        const settings = await this.one(`/cameras/${camera.id}/settings`);
        const stream = (Array.isArray(settings.stream) ? settings.stream[0] : undefined) as Record<string, unknown> | undefined;
        if (stream === undefined) throw new Error(`camera ${camera.id} has no stream settings`);
        const [width = 0, height = 0] = String(stream.Resolution ?? '').split('x').map(Number);
        cameras.push({
          id: camera.id,
          name: String(camera.name ?? camera.id),
          hardwareId: hardware.id,
          enabled: camera.enabled !== false && hardware.enabled !== false,
          streamUrl: new URL(String(stream.streamPath ?? ''), address).toString(),
          streamId: String(stream.streamReferenceId ?? camera.id),
          fps: Number(stream.FPS),
          width,
          height,
          codec: String(stream.Codec ?? 'JPEG'),
          bitrateBps: Number(stream.TargetBitrate ?? 0) * 1000,
        });
        if (cameras.length >= MAX_CAMERAS) break;
      }
    }
    const storages = await this.list(`/recordingServers/${recorderId}/storages`);
    const storage = storages.find((s) => s.isDefault === true) ?? storages[0];
    if (storage === undefined) throw new Error(`recording server ${recorderId} has no storage`);
    return {
      recorderId,
      recorderName: String(recordingServer.name ?? recorderId),
      fetchedAt: new Date().toISOString(),
      cameras,
      storage: { id: storage.id, name: String(storage.name ?? ''), retainMinutes: Number(storage.retainMinutes), maxSizeMb: Number(storage.maxSize) },
    };
  }
}
