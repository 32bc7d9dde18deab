import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { cameraSpecSchema } from './cameras/camera.js';

/**
 * The site file: what the lab's management server knows (its users, recording servers,
 * hardware, cameras and storages). `twinrec lab up` writes it; `twinrec lab management --site`
 * reads it. It holds the lab's password, so it is written with mode 0600.
 */
export const storageConfigSchema = z.object({
  id: z.string().uuid(),
  name: z.string().min(1).max(200),
  /** Informational: each recorder stores into its own `--storage` folder. */
  diskPath: z.string().min(1).max(1000),
  retainMinutes: z.number().int().min(1).max(525_600_000),
  /** Maximum size in MB, as the configuration API reports `maxSize`. */
  maxSizeMb: z.number().int().min(1).max(1_000_000_000),
});
export type StorageConfig = z.infer<typeof storageConfigSchema>;

export const recordingServerSiteSchema = z.object({
  id: z.string().uuid(),
  name: z.string().min(1).max(200),
  hostName: z.string().min(1).max(255),
  /** Where clients reach the recording server (the first recorder of the pair in the lab). */
  webServerUri: z.string().url(),
  cameraIds: z.array(z.string()).max(1024),
  storage: storageConfigSchema,
});
export type RecordingServerSite = z.infer<typeof recordingServerSiteSchema>;

export const siteSchema = z.object({
  version: z.literal(1),
  credentials: z.object({ username: z.string().min(1).max(100), password: z.string().min(8).max(200) }),
  tokenLifetimeSeconds: z.number().int().min(1).max(86_400),
  /** Base URL of the camera hub; hardware addresses point here. */
  cameraHubUrl: z.string().url(),
  cameras: z.array(cameraSpecSchema).max(4096),
  recordingServers: z.array(recordingServerSiteSchema).min(1).max(64),
});
export type Site = z.infer<typeof siteSchema>;

export async function readSite(path: string): Promise<Site> {
  return siteSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}
