import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The configuration a recorder gets from the management server for its recorder id: its
 * cameras (with where to reach them and their stream settings) and its storage. Cached on
 * disk so a recorder that starts while the management server is down still records, as an
 * XProtect recording server does with its cached configuration.
 */
export const deviceConfigSchema = z.object({
  recorderId: z.string(),
  recorderName: z.string(),
  fetchedAt: z.string(),
  cameras: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        hardwareId: z.string(),
        enabled: z.boolean(),
        streamUrl: z.string().url(),
        streamId: z.string(),
        fps: z.number().int().min(1).max(60),
        width: z.number().int(),
        height: z.number().int(),
        codec: z.string(),
        bitrateBps: z.number().int(),
      }),
    )
    .max(1024),
  storage: z.object({ id: z.string(), name: z.string(), retainMinutes: z.number().int().min(1), maxSizeMb: z.number().int().min(1) }),
});
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;
export type CameraConfig = DeviceConfig['cameras'][number];

export async function readDeviceConfigCache(path: string): Promise<DeviceConfig | null> {
  try {
    return deviceConfigSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return null;
  }
}

export async function writeDeviceConfigCache(path: string, config: DeviceConfig): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}
