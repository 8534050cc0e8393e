import type { ExecutionHistory } from './history';
import type { TaskLimits } from './task-deadlines';
import type { TaskFailure } from './task-failure';

/** The events an optimised-integration task writes: TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded/Failed/TimedOut. */
export class TaskEvents {
  private readonly details: { readonly resourceType: 'lambda'; readonly resource: string };

  constructor(
    private readonly history: ExecutionHistory,
    resource: 'invoke' | 'invoke.waitForTaskToken',
  ) {
    this.details = { resourceType: 'lambda', resource };
  }

  scheduled(parameters: unknown, region: string, limits: TaskLimits): void {
    this.history.add('TaskScheduled', {
      taskScheduledEventDetails: {
        ...this.details,
        region,
        parameters: JSON.stringify(parameters),
        ...(limits.timeoutSeconds === undefined ? {} : { timeoutInSeconds: limits.timeoutSeconds }),
        ...(limits.heartbeatSeconds === undefined ? {} : { heartbeatInSeconds: limits.heartbeatSeconds }),
      },
    });
  }

  started(): void {
    this.history.add('TaskStarted', { taskStartedEventDetails: this.details });
  }

  submitted(output: unknown): void {
    this.history.add('TaskSubmitted', { taskSubmittedEventDetails: { ...this.details, output: JSON.stringify(output), outputDetails: { truncated: false } } });
  }

  succeeded(output: unknown): void {
    this.history.add('TaskSucceeded', { taskSucceededEventDetails: { ...this.details, output: JSON.stringify(output), outputDetails: { truncated: false } } });
  }

  failed(failure: TaskFailure): void {
    const timedOut = failure.kind === 'timeout' || failure.kind === 'heartbeat';
    this.history.add(timedOut ? 'TaskTimedOut' : 'TaskFailed', {
      [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: { ...this.details, error: failure.name, cause: failure.message },
    });
  }
}

/** The events of a Task whose Resource is a Lambda function ARN: LambdaFunctionScheduled, …Started, …Succeeded/Failed/TimedOut. */
export class LambdaFunctionEvents {
  constructor(
    private readonly history: ExecutionHistory,
    private readonly functionArn: string,
  ) {}

  scheduled(input: unknown, limits: TaskLimits): void {
    this.history.add('LambdaFunctionScheduled', {
      lambdaFunctionScheduledEventDetails: {
        resource: this.functionArn,
        input: JSON.stringify(input),
        inputDetails: { truncated: false },
        ...(limits.timeoutSeconds === undefined ? {} : { timeoutInSeconds: limits.timeoutSeconds }),
      },
    });
  }

  started(): void {
    this.history.add('LambdaFunctionStarted');
  }

  succeeded(output: unknown): void {
    this.history.add('LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: JSON.stringify(output), outputDetails: { truncated: false } } });
  }

  failed(failure: TaskFailure): void {
    const timedOut = failure.kind === 'timeout' || failure.kind === 'heartbeat';
    this.history.add(timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', {
      [timedOut ? 'lambdaFunctionTimedOutEventDetails' : 'lambdaFunctionFailedEventDetails']: { error: failure.name, cause: failure.message },
    });
  }
}
