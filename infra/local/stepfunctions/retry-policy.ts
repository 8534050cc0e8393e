import type { AslRetrier } from './asl';
import { firstMatchingRule, type MatchableFailure } from './error-matching';

const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BACKOFF_RATE = 2;

/**
 * The `Retry` field of one entry into a Task state: counts attempts per retrier and says how
 * long to pause before the next attempt, as AWS computes it (IntervalSeconds × BackoffRate^n,
 * capped by MaxDelaySeconds, FULL jitter drawing from zero to that). The first retrier that
 * matches decides; once its MaxAttempts are used up the failure stands, later retriers are not
 * tried.
 */
export class RetryPolicy {
  private readonly attempts: number[];

  constructor(
    private readonly retriers: readonly AslRetrier[],
    private readonly random: () => number = Math.random,
  ) {
    this.attempts = retriers.map(() => 0);
  }

  /** Retries made so far (what `$$.State.RetryCount` reports). */
  get retryCount(): number {
    return this.attempts.reduce((sum, count) => sum + count, 0);
  }

  /** The pause in milliseconds before retrying after `failure`, or undefined when it is not retried. */
  nextDelayMs(failure: MatchableFailure): number | undefined {
    const index = firstMatchingRule(this.retriers, failure);
    const retrier = this.retriers[index];
    if (!retrier) return undefined;
    const done = this.attempts[index] ?? 0;
    if (done >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) return undefined;
    this.attempts[index] = done + 1;
    const seconds = (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * (retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** done;
    const capped = retrier.MaxDelaySeconds === undefined ? seconds : Math.min(seconds, retrier.MaxDelaySeconds);
    const delayMs = capped * 1000;
    return retrier.JitterStrategy === 'FULL' ? Math.round(this.random() * delayMs) : delayMs;
  }
}
