/**
 * The rest a local event-source poller takes after a poll that found nothing: from `minMs`,
 * doubling while its source stays empty, up to `maxMs`; back to `minMs` once a poll finds
 * work. An idle stack is then no longer polled dozens of times a second (every poll is an HTTP
 * request through the AWS SDK, and a stream's a read of DynamoDB Local), while a busy source,
 * whose polls find work, is polled as before. `wake()` ends a rest at once: a settle probe that
 * found work waiting calls it, so a test's `advance` does not wait out a rest.
 */
export class IdleRest {
  private nextMs: number;
  private readonly resting = new Set<() => void>();

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.nextMs = minMs;
  }

  /** A poll found work: the next empty poll rests the least again. */
  found(): void {
    this.nextMs = this.minMs;
  }

  /** Rests after an empty poll, each time longer up to the most; ends early on {@link wake}. */
  afterEmptyPoll(): Promise<void> {
    const ms = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
    return this.restFor(ms);
  }

  /** Rests `ms` (after an error, say); ends early on {@link wake}. */
  restFor(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.resting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.resting.add(done);
    });
  }

  wake(): void {
    for (const done of [...this.resting]) done();
  }
}

/** The least a poller rests between empty polls (real milliseconds). */
export const IDLE_POLL_MIN_MS = 25;
/**
 * The most: four polls a second, as Lambda polls a stream's shard. (Waking the queues' pollers
 * on every send was tried too: under load it took 53 CPU-seconds per 1,000 webhooks, against
 * 41 to 43 without.)
 */
export const IDLE_POLL_MAX_MS = 250;
