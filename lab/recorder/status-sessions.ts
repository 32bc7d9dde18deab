import { randomUUID } from 'node:crypto';
import type { StatusTracker, TrackedStatus } from './status-tracker.js';

export interface SessionLimits {
  readonly maxSessions: number;
  /** A session not polled for this long is stopped. */
  readonly idleExpiryMs: number;
  /** GetStatus waits at most this long, whatever the client asks. */
  readonly maxWaitMs: number;
  readonly maxDevicesPerSession: number;
}

export const defaultSessionLimits: SessionLimits = { maxSessions: 100, idleExpiryMs: 5 * 60_000, maxWaitMs: 60_000, maxDevicesPerSession: 4096 };

interface Session {
  readonly id: string;
  readonly subscribed: Set<string>;
  /** Version of each device's status last returned to this session. */
  readonly seen: Map<string, number>;
  lastUsedMs: number;
}

export class SessionError extends Error {}

/**
 * Status sessions (StartStatusSession, SubscribeDeviceStatus, GetStatus, StopStatusSession):
 * the first GetStatus returns every subscribed device, later ones only the devices whose
 * status changed since, waiting up to the given timeout for a change.
 */
export class StatusSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly tracker: StatusTracker,
    private readonly limits: SessionLimits = defaultSessionLimits,
  ) {}

  start(nowMs: number): string {
    this.expire(nowMs);
    if (this.sessions.size >= this.limits.maxSessions) throw new SessionError('too many status sessions');
    const id = randomUUID();
    this.sessions.set(id, { id, subscribed: new Set(), seen: new Map(), lastUsedMs: nowMs });
    return id;
  }

  private session(id: string, nowMs: number): Session {
    const session = this.sessions.get(id.toLowerCase());
    if (session === undefined) throw new SessionError('status session not found');
    session.lastUsedMs = nowMs;
    return session;
  }

  subscribe(id: string, deviceIds: readonly string[], nowMs: number): void {
    const session = this.session(id, nowMs);
    for (const deviceId of deviceIds) {
      if (session.subscribed.size >= this.limits.maxDevicesPerSession) throw new SessionError('too many devices in one session');
      session.subscribed.add(deviceId);
    }
  }

  stop(id: string): void {
    if (!this.sessions.delete(id.toLowerCase())) throw new SessionError('status session not found');
  }

  private changes(session: Session): TrackedStatus[] {
    const changed: TrackedStatus[] = [];
    for (const deviceId of session.subscribed) {
      const status = this.tracker.get(deviceId);
      if (status !== undefined && session.seen.get(deviceId) !== status.version) changed.push(status);
    }
    return changed;
  }

  /** Resolves with the changed statuses as soon as there are any, or with none after the timeout. */
  async getStatus(id: string, timeoutMs: number, nowMs: number): Promise<TrackedStatus[]> {
    const session = this.session(id, nowMs);
    const waitMs = Math.max(0, Math.min(Number.isFinite(timeoutMs) ? timeoutMs : 0, this.limits.maxWaitMs));
    let changed = this.changes(session);
    if (changed.length === 0 && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.tracker.off('change', onChange);
          resolve();
        };
        const onChange = (ids: string[]): void => {
          if (ids.some((deviceId) => session.subscribed.has(deviceId))) done();
        };
        const timer = setTimeout(done, waitMs);
        this.tracker.on('change', onChange);
      });
      changed = this.changes(session);
    }
    for (const status of changed) session.seen.set(status.deviceId, status.version);
    session.lastUsedMs = Date.now();
    return changed;
  }

  private expire(nowMs: number): void {
    for (const [id, session] of this.sessions) if (nowMs - session.lastUsedMs > this.limits.idleExpiryMs) this.sessions.delete(id);
  }
}
