import { randomBytes } from 'node:crypto';
import { StepFunctionsApiError } from './api-error';

/** What a callback delivers to the waiting task. */
export type TaskOutcome =
  | { readonly kind: 'success'; readonly output: unknown }
  | { readonly kind: 'failure'; readonly error: string; readonly cause: string };

/** How a waiting task is reached through its token. */
export interface TokenReceiver {
  /** Called (once) with the callback's outcome. */
  readonly deliver: (outcome: TaskOutcome) => void;
  /** Called on each SendTaskHeartbeat. */
  readonly heartbeat: () => void;
}

interface IssuedToken {
  readonly executionArn: string;
  readonly receiver: TokenReceiver;
  open: boolean;
}

const MAX_TOKEN_LENGTH = 2048;

/**
 * The task tokens of `.waitForTaskToken` tasks: opaque random strings. A token that was never
 * issued (or is malformed) answers `InvalidToken`; one whose task already succeeded, failed or
 * timed out, or whose execution ended, answers `TaskTimedOut`, as AWS does for a late or
 * repeated callback. Tokens are kept in memory for the life of the service, so a late
 * callback is always recognised as late.
 */
export class TaskTokens {
  private readonly tokens = new Map<string, IssuedToken>();

  /** Issues a token for a task of the given execution. */
  issue(executionArn: string, receiver: TokenReceiver): string {
    const token = `AQ${randomBytes(192).toString('base64url')}`;
    this.tokens.set(token, { executionArn, receiver, open: true });
    return token;
  }

  /** Closes a token: its task is over, callbacks are late from now on. */
  close(token: string): void {
    const issued = this.tokens.get(token);
    if (issued) issued.open = false;
  }

  /** Closes every token of an execution (it stopped or ended). */
  closeExecution(executionArn: string): void {
    for (const issued of this.tokens.values()) if (issued.executionArn === executionArn) issued.open = false;
  }

  /** Delivers a callback's outcome; the token is closed before the task hears of it. */
  complete(token: unknown, outcome: TaskOutcome): void {
    const issued = this.openToken(token);
    issued.open = false;
    issued.receiver.deliver(outcome);
  }

  /** Passes a heartbeat to the waiting task. */
  heartbeat(token: unknown): void {
    this.openToken(token).receiver.heartbeat();
  }

  private openToken(token: unknown): IssuedToken {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
      throw new StepFunctionsApiError('InvalidToken', `Invalid Token: the task token must be a string of 1 to ${MAX_TOKEN_LENGTH} characters`);
    }
    const issued = this.tokens.get(token);
    if (!issued) throw new StepFunctionsApiError('InvalidToken', 'Invalid Token: this task token was not issued by this service');
    if (!issued.open) throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out: the task of this token has already ended');
    return issued;
  }
}
