/**
 * Which recorder may connect to which camera: the hub's fault state. Pure data with small
 * operations, so the hub's behaviour under faults is easy to test.
 *
 * A rule names a recorder (the name it sends with `?recorder=`) and a camera id, or `*` for
 * all cameras. `refuse` makes the hub reset new connections from that recorder to that camera
 * (the recorder sees ECONNRESET, as with a camera that refuses it); `allow` lifts the rule.
 */
export type ConnectionAction = 'drop' | 'refuse' | 'allow';

export const ALL_CAMERAS = '*';

export class ConnectionRules {
  private readonly refused = new Set<string>();

  private static key(cameraId: string, recorder: string): string {
    return `${cameraId}\u0000${recorder}`;
  }

  refuse(cameraId: string, recorder: string): void {
    if (this.refused.size >= 100_000) throw new Error('too many connection rules');
    this.refused.add(ConnectionRules.key(cameraId, recorder));
  }

  /** Lifts a refusal. `allow` for `*` lifts every rule for that recorder. */
  allow(cameraId: string, recorder: string): void {
    if (cameraId === ALL_CAMERAS) {
      for (const key of [...this.refused]) if (key.endsWith(`\u0000${recorder}`)) this.refused.delete(key);
      return;
    }
    this.refused.delete(ConnectionRules.key(cameraId, recorder));
  }

  isRefused(cameraId: string, recorder: string): boolean {
    return this.refused.has(ConnectionRules.key(cameraId, recorder)) || this.refused.has(ConnectionRules.key(ALL_CAMERAS, recorder));
  }

  list(): Array<{ cameraId: string; recorder: string }> {
    return [...this.refused].map((key) => {
      const [cameraId = '', recorder = ''] = key.split('\u0000');
      return { cameraId, recorder };
    });
  }
}
