/** Attempts per channel before a notification is parked in the dead-letter queue. */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** The first retry's delay; each later one doubles it. */
const FIRST_RETRY_SECONDS = 30;

/** SQS delays a message by at most 15 minutes. */
const MAX_SQS_DELAY_SECONDS = 900;

/**
 * Seconds to wait after failed attempt `attempt` (1-based): 30, 60, 120, 240, 480, 900, 900.
 * Eight attempts span about 44 minutes: long enough to ride out a receiver's restart or a
 * short outage, short enough that on-call is not told of a breach an hour late without the
 * dead-letter alarm saying so.
 */
export function retryDelaySeconds(attempt: number): number {
  return Math.min(MAX_SQS_DELAY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (attempt - 1));
}
