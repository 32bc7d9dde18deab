import { join } from 'node:path';
import { blockFileName } from './format.js';

/**
 * Where things live in a lab-format storage folder (lab/README.md, "Storage (on-disk format)").
 * Path arithmetic only, no I/O:
 *
 *   <root>/LAB-STORAGE.json                     the marker: {"format":"twinrec-lab-storage","version":1}
 *   <root>/cameras/<camera id>/index.log        the camera's append-only index
 *   <root>/cameras/<camera id>/blocks/<startMs, 15 digits>.blk
 */

export const STORAGE_MARKER = 'LAB-STORAGE.json';
export const STORAGE_FORMAT = { format: 'twinrec-lab-storage', version: 1 } as const;
export const CAMERAS_DIR = 'cameras';
export const INDEX_FILE = 'index.log';
export const BLOCKS_DIR = 'blocks';

/** Camera folders are named by the camera's id, a GUID in canonical lower-case form. */
const CAMERA_DIR_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for a name that can be a camera folder; anything else under `cameras/` is ignored. */
export function isCameraDirName(name: string): boolean {
  return CAMERA_DIR_PATTERN.test(name);
}

/**
 * The folder of one camera. Throws on an id that is not a camera folder name, so a crafted id
 * can never point outside the storage.
 *
 * @example cameraDir('/data/storage', '1e100000-0000-4000-8000-000000000001') // '/data/storage/cameras/1e10…0001'
 */
export function cameraDir(root: string, cameraId: string): string {
  if (!isCameraDirName(cameraId)) throw new Error(`bad camera id ${JSON.stringify(cameraId.slice(0, 80))}`);
  return join(root, CAMERAS_DIR, cameraId);
}

export function camerasDir(root: string): string {
  return join(root, CAMERAS_DIR);
}

export function indexPath(root: string, cameraId: string): string {
  return join(cameraDir(root, cameraId), INDEX_FILE);
}

export function blocksDir(root: string, cameraId: string): string {
  return join(cameraDir(root, cameraId), BLOCKS_DIR);
}

export function blockPath(root: string, cameraId: string, startMs: number): string {
  return join(blocksDir(root, cameraId), blockFileName(startMs));
}
