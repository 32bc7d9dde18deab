import { z } from 'zod';

/** One simulated camera, as the hub serves it and the management server configures it. */
export const cameraSpecSchema = z.object({
  /** Camera device id (GUID), the id XProtect uses everywhere. */
  id: z.string().regex(/^[0-9a-f-]{36}$/),
  name: z.string().min(1).max(200),
  /** Frames per second of the stream; frame times lie on this grid (see frames.ts). */
  fps: z.number().int().min(1).max(60),
  width: z.number().int().min(8).max(7680),
  height: z.number().int().min(8).max(4320),
  /** Label reported as VideoFormat; the lab's frames are always JPEG images. */
  codec: z.string().min(1).max(40),
  /** Target bit rate; each frame is padded to bitrateBps / 8 / fps bytes (never below a valid JPEG). */
  bitrateBps: z.number().int().min(1000).max(100_000_000),
});
export type CameraSpec = z.infer<typeof cameraSpecSchema>;

export const cameraCatalogSchema = z.object({
  version: z.literal(1),
  cameras: z.array(cameraSpecSchema).min(1).max(1024),
});
export type CameraCatalog = z.infer<typeof cameraCatalogSchema>;

export interface CameraDefaults {
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  readonly codec: string;
  readonly bitrateBps: number;
}

/** Light defaults for a 2-core machine: small frames, modest rate. */
export const defaultCameraSettings: CameraDefaults = { fps: 10, width: 640, height: 360, codec: 'JPEG', bitrateBps: 256_000 };

/** Parses "640x360". */
export function parseResolution(text: string): { width: number; height: number } {
  const match = /^(\d{1,4})x(\d{1,4})$/.exec(text.trim());
  if (match === null) throw new Error(`resolution must look like 640x360, got ${JSON.stringify(text)}`);
  return { width: Number(match[1]), height: Number(match[2]) };
}
