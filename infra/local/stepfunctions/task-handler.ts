import { setImmediate as nextTurn } from 'node:timers/promises';
import { runWithin } from '../activity';
import { sleepOnClock, throwIfStopped } from './clock-wait';
import type { TaskContext } from './context-object';
import type { HandlerDeps } from './handler-deps';
import { RetryPolicy } from './retry-policy';
import type { HandledTask } from './rewrite-definition';
import { runAttempt } from './task-attempts';
import { ExecutionStoppedError, STATES_RUNTIME, TaskFailure } from './task-failure';
import { unwrapTaskInput } from './task-input';

/**
 * The handler a Task state runs as (`taskResourceLocalHandlers`): makes the attempts, pausing
 * between them on the stack's clock as the state's Retry says (the library's own retry is
 * left unused, its pause being real time), and throws the last failure for the library's
 * Catch to route.
 */
export function createTaskHandler(state: HandledTask, deps: HandlerDeps): (input: unknown) => Promise<unknown> {
  return async (raw) => {
    const task = deps.activity.startTask();
    const enteredAtMs = deps.clock.nowMs();
    try {
      // The library called us right after queuing its StateEntered event; one turn lets the
      // history take it in first, so this task's events come after it.
      await nextTurn();
      throwIfStopped(deps.signal);
      const { parameters, stateInput } = unwrapTaskInput(raw);
      const retry = new RetryPolicy(state.original.Retry ?? []);
      for (;;) {
        const context: TaskContext = {
          ...deps.context,
          State: { Name: state.name, EnteredTime: new Date(enteredAtMs).toISOString(), RetryCount: retry.retryCount },
        };
        try {
          // A function this task invokes may wait on the clock (RecordDeadline, for the rest of a second): the task parks with it.
          return await runWithin(task, () => runAttempt({ state, parameters, stateInput, context, task }, deps));
        } catch (error) {
          const failure = asTaskFailure(error);
          const pauseMs = retry.nextDelayMs(failure);
          if (pauseMs === undefined) throw failure;
          await sleepOnClock(deps.clock, deps.clock.nowMs() + pauseMs, task, deps.signal);
        }
      }
    } finally {
      task.end();
    }
  };
}

/** Our failures pass as they are; a stop ends the task; anything else is a bug, reported as States.Runtime. */
function asTaskFailure(error: unknown): TaskFailure {
  if (error instanceof TaskFailure) return error;
  if (error instanceof ExecutionStoppedError) throw error;
  return new TaskFailure(STATES_RUNTIME, error instanceof Error ? error.message : String(error), 'runtime');
}
