/**
 * Frames per second and bits per second over a sliding window, from frame arrival times.
 * Bounded: keeps at most `maxSamples` samples.
 */
export class RateMeter {
  private readonly times: number[] = [];
  private readonly sizes: number[] = [];
  private bytesInWindow = 0;
  lastSizeBytes = 0;

  constructor(
    private readonly windowMs = 5_000,
    private readonly maxSamples = 10_000,
  ) {}

  add(nowMs: number, bytes: number): void {
    this.times.push(nowMs);
    this.sizes.push(bytes);
    this.bytesInWindow += bytes;
    this.lastSizeBytes = bytes;
    this.trim(nowMs);
  }

  private trim(nowMs: number): void {
    while (this.times.length > 0 && ((this.times[0] as number) < nowMs - this.windowMs || this.times.length > this.maxSamples)) {
      this.times.shift();
      this.bytesInWindow -= this.sizes.shift() as number;
    }
  }

  rates(nowMs: number): { fps: number; bps: number } {
    this.trim(nowMs);
    const seconds = this.windowMs / 1000;
    return { fps: this.times.length / seconds, bps: Math.round((this.bytesInWindow * 8) / seconds) };
  }
}
