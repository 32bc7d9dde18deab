import { streamPath } from '../cameras/mjpeg.js';
import type { CameraSpec } from '../cameras/camera.js';
import { guidFromSeed } from '../shared/guid.js';
import type { RecordingServerSite, Site } from '../site.js';

/**
 * The configuration REST API's resources, built from the site file. Field names follow
 * Milestone's API Gateway models (recordingServers, hardware, cameras, storages); only the
 * fields the lab can fill meaningfully are present.
 */

type Ref = { type: string; id: string };
export type Resource = Record<string, unknown> & { id: string; relations: { self: Ref; parent?: Ref } };

export function hardwareIdFor(cameraId: string): string {
  return guidFromSeed(`hardware/${cameraId}`);
}

export function streamIdFor(cameraId: string): string {
  return guidFromSeed(`stream/${cameraId}`);
}

const LAB_DRIVER_ID = guidFromSeed('hardwareDriver/twinrec-lab-mjpeg');

export class RestModel {
  readonly recordingServers: Resource[];
  readonly hardware: Resource[];
  readonly cameras: Resource[];
  readonly storages: Resource[];
  readonly cameraSettings = new Map<string, Resource>();
  private readonly recorderOfHardware = new Map<string, string>();
  private readonly hardwareOfCamera = new Map<string, string>();

  constructor(site: Site, lastModified: string) {
    const cameraById = new Map(site.cameras.map((camera) => [camera.id, camera]));
    this.recordingServers = site.recordingServers.map((rs) => recordingServerResource(rs, lastModified));
    this.storages = site.recordingServers.map((rs) => storageResource(rs));
    this.hardware = [];
    this.cameras = [];
    for (const rs of site.recordingServers) {
      for (const cameraId of rs.cameraIds) {
        const camera = cameraById.get(cameraId);
        if (camera === undefined) throw new Error(`site: recording server ${rs.id} names unknown camera ${cameraId}`);
        const hardwareId = hardwareIdFor(camera.id);
        this.hardware.push(hardwareResource(camera, hardwareId, rs, site.cameraHubUrl, lastModified));
        this.cameras.push(cameraResource(camera, hardwareId, rs, lastModified));
        this.cameraSettings.set(camera.id, cameraSettingsResource(camera));
        this.recorderOfHardware.set(hardwareId, rs.id);
        this.hardwareOfCamera.set(camera.id, hardwareId);
      }
    }
  }

  hardwareOf(recordingServerId: string): Resource[] {
    return this.hardware.filter((hw) => this.recorderOfHardware.get(hw.id) === recordingServerId);
  }

  camerasOf(hardwareId: string): Resource[] {
    return this.cameras.filter((camera) => this.hardwareOfCamera.get(camera.id) === hardwareId);
  }

  storagesOf(recordingServerId: string): Resource[] {
    return this.storages.filter((storage) => storage.relations.parent?.id === recordingServerId);
  }
}

function recordingServerResource(rs: RecordingServerSite, lastModified: string): Resource {
  const uri = new URL(rs.webServerUri);
  return {
    displayName: rs.name,
    id: rs.id,
    name: rs.name,
    description: 'twinrec lab recording server',
    enabled: true,
    hostName: rs.hostName,
    portNumber: Number(uri.port || 80),
    webServerUri: rs.webServerUri,
    activeWebServerUri: rs.webServerUri,
    timeZoneName: 'UTC',
    lastModified,
    synchronizationTime: -1,
    publicAccessEnabled: false,
    publicWebserverHostName: '',
    publicWebserverPort: 0,
    multicastServerAddress: '0.0.0.0',
    shutdownOnStorageFailure: false,
    relations: { self: { type: 'recordingServers', id: rs.id } },
  };
}

function storageResource(rs: RecordingServerSite): Resource {
  const storage = rs.storage;
  return {
    displayName: storage.name,
    id: storage.id,
    name: storage.name,
    description: '',
    diskPath: storage.diskPath,
    retainMinutes: storage.retainMinutes,
    maxSize: storage.maxSizeMb,
    isDefault: true,
    signing: false,
    encryptionMethod: 'None',
    relations: { self: { type: 'storages', id: storage.id }, parent: { type: 'recordingServers', id: rs.id } },
  };
}

function hardwareResource(camera: CameraSpec, hardwareId: string, rs: RecordingServerSite, hubUrl: string, lastModified: string): Resource {
  return {
    displayName: `${camera.name} (hardware)`,
    id: hardwareId,
    name: `${camera.name} (hardware)`,
    description: 'twinrec lab camera (MJPEG over HTTP)',
    enabled: true,
    address: new URL('/', hubUrl).toString(),
    model: 'twinrec lab camera',
    userName: 'root',
    lastModified,
    hardwareDriverPath: { type: 'hardwareDrivers', id: LAB_DRIVER_ID },
    relations: { self: { type: 'hardware', id: hardwareId }, parent: { type: 'recordingServers', id: rs.id } },
  };
}

function cameraResource(camera: CameraSpec, hardwareId: string, rs: RecordingServerSite, lastModified: string): Resource {
  return {
    displayName: camera.name,
    id: camera.id,
    name: camera.name,
    shortName: camera.name,
    description: '',
    enabled: true,
    channel: 0,
    lastModified,
    recordingEnabled: true,
    recordingFramerate: camera.fps,
    recordingStorage: { type: 'storages', id: rs.storage.id },
    relations: { self: { type: 'cameras', id: camera.id }, parent: { type: 'hardware', id: hardwareId } },
  };
}

/**
 * Stream settings of a camera. In XProtect these are driver settings under
 * `/cameras/{id}/settings`; the lab adds `streamPath`, where the hardware address serves the
 * stream.
 */
function cameraSettingsResource(camera: CameraSpec): Resource {
  return {
    displayName: 'Settings',
    id: camera.id,
    stream: [
      {
        displayName: 'Video stream 1',
        streamReferenceId: streamIdFor(camera.id),
        Codec: camera.codec,
        FPS: String(camera.fps),
        Resolution: `${camera.width}x${camera.height}`,
        TargetBitrate: String(Math.round(camera.bitrateBps / 1000)),
        streamPath: streamPath(camera.id),
      },
    ],
    relations: { self: { type: 'cameras', id: camera.id } },
  };
}
