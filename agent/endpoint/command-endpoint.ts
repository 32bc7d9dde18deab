// The `command` serving endpoint: runs an operator script to point clients at the new
// Serving host (a DNS update, a VIP move). The script gets the action, the host, the port
// and the epoch as arguments and in the environment; it has a timeout and its exit code is
// checked. Exit code 3 means "a higher epoch is already in place" (fenced).
import { spawn } from 'node:child_process';
import { EndpointError, type ClaimOutcome, type ServingEndpoint, type ServingTarget } from './serving-endpoint.js';

export const fencedExitCode = 3;

export interface CommandEndpointOptions {
  /** Executable path; run without a shell, so arguments are never interpreted. */
  readonly command: string;
  readonly args?: readonly string[];
  readonly timeoutMs?: number;
  readonly clusterId: string;
}

export class CommandEndpoint implements ServingEndpoint {
  constructor(private readonly options: CommandEndpointOptions) {}

  async claim(epoch: number, target: ServingTarget): Promise<ClaimOutcome> {
    const result = await this.run(['claim', target.host, String(target.port), String(epoch)], { TWINREC_ACTION: 'claim', TWINREC_HOST: target.host, TWINREC_PORT: String(target.port), TWINREC_EPOCH: String(epoch), TWINREC_NODE_ID: target.nodeId });
    if (result.code === 0) return { accepted: true };
    if (result.code === fencedExitCode) {
      const current = Number(/epoch\s+(\d+)/.exec(result.stdout)?.[1] ?? epoch);
      return { accepted: false, currentEpoch: Math.max(current, epoch) };
    }
    throw new EndpointError(`serving command failed to claim (exit ${result.code}): ${result.stderr.trim().slice(0, 300)}`);
  }

  async release(epoch: number, nodeId: string): Promise<void> {
    const result = await this.run(['release', nodeId, '0', String(epoch)], { TWINREC_ACTION: 'release', TWINREC_NODE_ID: nodeId, TWINREC_EPOCH: String(epoch) });
    if (result.code !== 0 && result.code !== fencedExitCode) throw new EndpointError(`serving command failed to release (exit ${result.code}): ${result.stderr.trim().slice(0, 300)}`);
  }

  private run(extra: string[], env: Record<string, string>): Promise<{ code: number | string; stdout: string; stderr: string }> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise((resolve) => {
      // Its own process group, so that a timeout also ends whatever the script started.
      const child = spawn(this.options.command, [...(this.options.args ?? []), ...extra], {
        env: { ...process.env, ...env, TWINREC_CLUSTER_ID: this.options.clusterId },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        if (child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL');
          }
        }
      }, timeoutMs);
      let stdout = '';
      let stderr = '';
      // Bounded capture: a chatty script cannot fill memory.
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout = (stdout + d).slice(-8192)));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-8192)));
      child.on('error', (err) => {
        clearTimeout(timer);
        resolve({ code: `spawn failed: ${err.message}`, stdout, stderr });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code: timedOut ? `timed out after ${timeoutMs} ms` : (code ?? String(signal)), stdout, stderr });
      });
    });
  }
}
