import { sleepOnClock, throwIfStopped } from './clock-wait';
import type { HandlerDeps } from './handler-deps';
import type { HandledWait } from './rewrite-definition';
import { unwrapTaskInput } from './task-input';
import { waitDueMs } from './wait-due-time';

/**
 * The handler a Wait state runs as: parks on the stack's clock until the due time (a 30-day
 * wait fires after 30 days of that clock, never at once) and passes its effective input on.
 */
export function createWaitHandler(state: HandledWait, deps: HandlerDeps): (input: unknown) => Promise<unknown> {
  return async (raw) => {
    const task = deps.activity.startTask();
    const enteredAtMs = deps.clock.nowMs();
    try {
      throwIfStopped(deps.signal);
      const { stateInput } = unwrapTaskInput(raw);
      await sleepOnClock(deps.clock, waitDueMs(state.original, stateInput, deps.context, enteredAtMs), task, deps.signal);
      return stateInput;
    } finally {
      task.end();
    }
  };
}
