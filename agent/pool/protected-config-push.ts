// The protected recording server pushes its RecorderConfig.xml to the controller
// (contracts/pool-v1.ts: POST /api/v1/agent/recorder-config): what a standby clones when it takes
// this server over. Pushed once the agent is registered (again after every registration: the
// controller may have lost it), and whenever the file's SHA-256 changes, checked every
// checkIntervalMs; a failed push is retried with exponential backoff and jitter.
import type { Logger } from 'pino';
import type { RecorderConfigPush } from '../../contracts/pool-v1.js';
import type { RegisterResponse } from '../../contracts/controller-v1.js';
import { readConfigFile } from '../../recorder-config-sync/index.js';
import { WakeableSleep } from '../shared/wakeable-sleep.js';

export interface ConfigPushOptions {
  readonly configPath: string;
  /** The ids to push under: null until registered. */
  readonly registered: () => RegisterResponse | null;
  /** POSTs to the controller in use (ControllerLink.send). */
  readonly send: (path: string, body: RecorderConfigPush, timeoutMs: number) => Promise<void>;
  /** Between two looks at the file's SHA-256. */
  readonly checkIntervalMs: number;
  /** Bound on one push (8 MiB of base64 at most). Default 30 s. */
  readonly timeoutMs?: number;
  /** Backoff after a failed push: from this, doubling, up to `retryMsMax`, with jitter. Defaults 1 s and 60 s. */
  readonly retryMsMin?: number;
  readonly retryMsMax?: number;
  readonly log: Logger;
}

export interface ConfigPush {
  /** A registration happened: push at once. */
  wake(): void;
  /** The SHA-256 the controller last took; null before the first push. */
  pushedSha256(): string | null;
  close(): Promise<void>;
}

/**
 * The wait after `failures` failed pushes in a row: exponential from `minMs`, capped at `maxMs`,
 * with full jitter in its upper half (`random` in [0, 1)), so agents restarted together spread out.
 *
 * @example retryDelayMs(3, 1_000, 60_000, 0.5)   // 6000: 8 s base, between 4 and 8 s
 */
export function retryDelayMs(failures: number, minMs: number, maxMs: number, random: number): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(30, Math.max(0, failures - 1)));
  return Math.round(base / 2 + (base / 2) * random);
}

/**
 * @example
 *   const push = startConfigPush({ configPath, registered: () => link.registered(), send: link.send, checkIntervalMs: 10_000, log });
 */
export function startConfigPush(o: ConfigPushOptions): ConfigPush {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const retryMsMin = o.retryMsMin ?? 1_000;
  const retryMsMax = o.retryMsMax ?? 60_000;
  const sleeper = new WakeableSleep();
  let stopped = false;
  /** What the controller took last, under which registration. */
  let pushed: { readonly sha256: string; readonly ids: RegisterResponse } | null = null;
  let failures = 0;

  const turn = async (): Promise<number> => {
    const ids = o.registered();
    if (ids === null) return o.checkIntervalMs;
    let file: { bytes: Buffer; sha256: string };
    try {
      file = await readConfigFile(o.configPath);
    } catch (err) {
      if (failures === 0) o.log.warn({ path: o.configPath, err: (err as Error).message }, 'pool protected server: RecorderConfig.xml cannot be read; nothing pushed');
      failures += 1;
      return retryDelayMs(failures, retryMsMin, retryMsMax, Math.random());
    }
    // The same file under the same registration: the controller has it.
    if (pushed !== null && pushed.sha256 === file.sha256 && pushed.ids === ids) return o.checkIntervalMs;
    try {
      await o.send('/api/v1/agent/recorder-config', { clusterId: ids.clusterId, nodeId: ids.nodeId, recorderConfig: { xml: file.bytes.toString('base64'), sha256: file.sha256 } }, timeoutMs);
    } catch (err) {
      failures += 1;
      const waitMs = retryDelayMs(failures, retryMsMin, retryMsMax, Math.random());
      if (failures === 1) o.log.warn({ err: (err as Error).message, retryMs: waitMs }, 'pool protected server: RecorderConfig.xml push to the controller failed; retrying with backoff');
      return waitMs;
    }
    if (failures > 0) o.log.info('pool protected server: RecorderConfig.xml pushed after failures');
    failures = 0;
    o.log.info({ sha256: file.sha256, bytes: file.bytes.length }, 'pool protected server: RecorderConfig.xml pushed to the controller');
    pushed = { sha256: file.sha256, ids };
    return o.checkIntervalMs;
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      const waitMs = await turn();
      if (stopped) break;
      await sleeper.sleep(waitMs);
    }
  };
  const running = loop();

  return {
    wake: () => sleeper.wakeAll(),
    pushedSha256: () => pushed?.sha256 ?? null,
    close: async () => {
      stopped = true;
      sleeper.wakeAll();
      await running;
    },
  };
}
