import type { LocalClock } from '../clock/local-clock';
import type { ExecutionContext } from './context-object';
import type { ExecutionActivity } from './execution-activity';
import type { ExecutionHistory } from './history';
import type { TaskTokens } from './task-tokens';
import type { LambdaInvoker } from './types';

/** What the Task and Wait handlers of one execution work with. */
export interface HandlerDeps {
  readonly clock: LocalClock;
  readonly invokeLambda: LambdaInvoker;
  readonly tokens: TaskTokens;
  readonly history: ExecutionHistory;
  readonly activity: ExecutionActivity;
  readonly executionArn: string;
  readonly region: string;
  /** The execution's context object (`$$`), for paths our handlers evaluate. */
  readonly context: ExecutionContext;
  /** Aborted when the execution stops, times out, or the service closes. */
  readonly signal: AbortSignal;
}
