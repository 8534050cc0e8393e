/**
 * Outages on demand, for fault tests and demos (`POST /_local/faults`): the next calls of an
 * operation fail as an unavailable AWS service answers (HTTP 503, `ServiceUnavailable`),
 * before the service does anything. The SDK retries such an answer (three attempts by
 * default), so failing one SDK call takes as many answers as it makes attempts.
 */
export class InjectedFaults {
  private readonly pending = new Map<string, number>();

  /** The next `times` calls of `operation` fail. */
  failNext(operation: string, times: number): void {
    this.pending.set(operation, (this.pending.get(operation) ?? 0) + times);
  }

  /** Whether this call of `operation` is to fail (and one fewer is left to fail). */
  take(operation: string): boolean {
    const left = this.pending.get(operation) ?? 0;
    if (left <= 0) return false;
    if (left === 1) this.pending.delete(operation);
    else this.pending.set(operation, left - 1);
    return true;
  }
}
