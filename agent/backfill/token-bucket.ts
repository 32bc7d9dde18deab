// The bandwidth budget of block transfers (the cluster policy's backfill.bandwidthMbps): a token
// bucket holding at most one second of the rate. A block larger than the bucket still passes
// once the bucket is full, leaving it in debt, so the average rate holds for any block size.
// Time comes from outside (monotonic ms), so the arithmetic is tested without a clock.

export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private rateBytesPerSecond: number,
    nowMs: number,
  ) {
    if (!(rateBytesPerSecond > 0)) throw new Error(`bad rate ${rateBytesPerSecond}`);
    this.tokens = rateBytesPerSecond;
    this.lastMs = nowMs;
  }

  get capacityBytes(): number {
    return this.rateBytesPerSecond;
  }

  /** A new rate from a new policy; the tokens saved so far are kept up to the new capacity. */
  setRate(rateBytesPerSecond: number, nowMs: number): void {
    if (!(rateBytesPerSecond > 0)) throw new Error(`bad rate ${rateBytesPerSecond}`);
    this.refill(nowMs);
    this.rateBytesPerSecond = rateBytesPerSecond;
    this.tokens = Math.min(this.tokens, rateBytesPerSecond);
  }

  /**
   * Takes `bytes` if the bucket allows it now and returns 0, else returns how long to wait (ms)
   * before asking again. A request larger than the capacity is granted once the bucket is full.
   *
   * @example
   *   const bucket = new TokenBucket(1_000_000, 0);
   *   bucket.take(600_000, 0) // 0
   *   bucket.take(600_000, 0) // 200: 200 ms until 600 kB are there again
   */
  take(bytes: number, nowMs: number): number {
    this.refill(nowMs);
    const needed = Math.min(bytes, this.rateBytesPerSecond);
    if (this.tokens >= needed) {
      this.tokens -= bytes;
      return 0;
    }
    return Math.ceil(((needed - this.tokens) / this.rateBytesPerSecond) * 1000);
  }

  private refill(nowMs: number): void {
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.rateBytesPerSecond, this.tokens + ((nowMs - this.lastMs) / 1000) * this.rateBytesPerSecond);
      this.lastMs = nowMs;
    }
  }
}
