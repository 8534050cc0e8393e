import { randomBytes } from 'node:crypto';
import { StepFunctionsApiError } from './errors';

export type TokenOutcome =
  | { readonly kind: 'success'; readonly output: unknown }
  | { readonly kind: 'failure'; readonly error: string; readonly cause: string };

interface PendingToken {
  readonly executionArn: string;
  settled: boolean;
  readonly deliver: (outcome: TokenOutcome) => void;
  readonly heartbeat: () => void;
}

/**
 * Task tokens of `.waitForTaskToken` tasks. A token is opaque and random; an unknown or
 * malformed one answers `InvalidToken`, one whose task already succeeded, failed or timed
 * out (or whose execution ended) answers `TaskTimedOut`, as AWS does for a late or
 * repeated callback.
 */
export class TaskTokens {
  private readonly tokens = new Map<string, PendingToken>();

  issue(executionArn: string, deliver: (outcome: TokenOutcome) => void, heartbeat: () => void): string {
    const token = `AQ${randomBytes(96).toString('base64url')}`;
    this.tokens.set(token, { executionArn, settled: false, deliver, heartbeat });
    return token;
  }

  /** Marks a token settled (its task timed out, failed or its execution ended). */
  settle(token: string): void {
    const pending = this.tokens.get(token);
    if (pending) pending.settled = true;
  }

  /** Settles every token of an execution. */
  settleExecution(executionArn: string): void {
    for (const pending of this.tokens.values()) if (pending.executionArn === executionArn) pending.settled = true;
  }

  complete(token: string, outcome: TokenOutcome): void {
    const pending = this.open(token);
    pending.settled = true;
    pending.deliver(outcome);
  }

  heartbeat(token: string): void {
    this.open(token).heartbeat();
  }

  private open(token: string): PendingToken {
    if (typeof token !== 'string' || token.length < 1 || token.length > 2048) {
      throw new StepFunctionsApiError('InvalidToken', 'Invalid Token: the token is malformed');
    }
    const pending = this.tokens.get(token);
    if (!pending) throw new StepFunctionsApiError('InvalidToken', 'Invalid Token: the token was not issued by this service');
    if (pending.settled) throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out: the task does not exist anymore');
    return pending;
  }
}
