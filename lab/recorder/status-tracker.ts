import { EventEmitter } from 'node:events';
import { sameFlags, type CameraStatusFlags } from './device-status.js';

export interface TrackedStatus {
  readonly deviceId: string;
  readonly flags: CameraStatusFlags;
  /** When the flags last changed (StatusBase.Time). */
  readonly changedAtMs: number;
  /** Increases on every change; status sessions compare it to what they last returned. */
  readonly version: number;
}

/**
 * Keeps each camera's latest status and when it last changed, and emits `change` with the ids
 * whose flags changed, so status sessions can answer GetStatus with changes only.
 */
export class StatusTracker extends EventEmitter<{ change: [string[]] }> {
  private readonly statuses = new Map<string, TrackedStatus>();

  constructor() {
    super();
    this.setMaxListeners(200);
  }

  /** Records the current flags of every camera; cameras not listed are forgotten. */
  update(current: ReadonlyMap<string, CameraStatusFlags>, nowMs: number): void {
    const changed: string[] = [];
    for (const [deviceId, flags] of current) {
      const previous = this.statuses.get(deviceId);
      if (previous !== undefined && sameFlags(previous.flags, flags)) continue;
      this.statuses.set(deviceId, { deviceId, flags, changedAtMs: nowMs, version: (previous?.version ?? 0) + 1 });
      changed.push(deviceId);
    }
    for (const deviceId of [...this.statuses.keys()]) if (!current.has(deviceId)) this.statuses.delete(deviceId);
    if (changed.length > 0) this.emit('change', changed);
  }

  get(deviceId: string): TrackedStatus | undefined {
    return this.statuses.get(deviceId);
  }

  ids(): string[] {
    return [...this.statuses.keys()];
  }
}
