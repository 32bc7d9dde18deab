import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { cameraCatalogSchema, type CameraCatalog, type CameraDefaults, type CameraSpec } from './camera.js';

/**
 * Builds a catalog of `count` cameras with fresh GUIDs, named "Lab Camera 1" …, all with the
 * same stream settings.
 */
export function buildCatalog(count: number, settings: CameraDefaults, firstNumber = 1): CameraCatalog {
  if (!Number.isInteger(count) || count < 1 || count > 1024) throw new Error(`camera count must be 1..1024, got ${count}`);
  const cameras: CameraSpec[] = [];
  for (let i = 0; i < count; i += 1) {
    cameras.push({ id: randomUUID(), name: `Lab Camera ${firstNumber + i}`, ...settings });
  }
  return { version: 1, cameras };
}

/** Reads and validates a catalog file (the format `buildCatalog` produces, as JSON). */
export async function readCatalog(path: string): Promise<CameraCatalog> {
  const text = await readFile(path, 'utf8');
  return cameraCatalogSchema.parse(JSON.parse(text));
}
