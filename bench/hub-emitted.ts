// The camera hub's record of the frames it wrote to each recorder (GET /lab/emitted, lab/README.md
// "Camera hub"): fetched for the frame accounting, and read to tell whether both recorders of a
// pair receive every camera, which is what makes the pair redundant at a given moment.
import { frameIndexAtOrBefore } from '../lab/cameras/frames.js';

export interface EmittedRun {
  readonly firstMs: number;
  readonly lastMs: number;
  readonly frames: number;
}

export interface EmittedAnswer {
  readonly truncated: boolean;
  readonly cameras: ReadonlyArray<{
    readonly cameraId: string;
    readonly fps: number;
    readonly recorders: ReadonlyArray<{ readonly recorder: string; readonly completeFromMs: number | null; readonly runs: readonly EmittedRun[] }>;
  }>;
}

/** GET /lab/emitted on the hub for [fromMs, toMs]. */
export async function fetchEmitted(hubUrl: string, fromMs: number, toMs: number): Promise<EmittedAnswer> {
  const res = await fetch(`${hubUrl.replace(/\/$/, '')}/lab/emitted?fromMs=${fromMs}&toMs=${toMs}`, { signal: AbortSignal.timeout(30_000) });
  if (res.status !== 200) throw new Error(`camera hub: GET /lab/emitted answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as EmittedAnswer;
}

/**
 * The cameras (of `cameraIds`) some recorder of `recorders` was not sent every frame of within
 * [fromMs, toMs]; empty when all of them received every camera throughout.
 *
 * @example camerasNotReceivedByAll(answer, ['c1'], ['recorder-1a', 'recorder-1b'], t - 1_500, t - 100) // [] when both received c1 throughout
 */
export function camerasNotReceivedByAll(answer: EmittedAnswer, cameraIds: readonly string[], recorders: readonly string[], fromMs: number, toMs: number): string[] {
  return cameraIds.filter((cameraId) => {
    const camera = answer.cameras.find((c) => c.cameraId === cameraId);
    if (camera === undefined) return true;
    const expected = frameIndexAtOrBefore(toMs, camera.fps) - frameIndexAtOrBefore(fromMs - 1, camera.fps);
    // The hub clips runs to the window: every frame sent is one run of all `expected` frames.
    return recorders.some((name) => {
      const runs = (camera.recorders.find((r) => r.recorder === name)?.runs ?? []).filter((run) => run.lastMs >= fromMs && run.firstMs <= toMs);
      return runs.reduce((sum, run) => sum + run.frames, 0) < expected;
    });
  });
}
