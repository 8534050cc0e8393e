import { STATES_ALL, STATES_HEARTBEAT_TIMEOUT, STATES_TASK_FAILED, STATES_TIMEOUT, type FailureKind } from './task-failure';

/** What `ErrorEquals` is matched against. */
export interface MatchableFailure {
  readonly name: string;
  readonly kind: FailureKind;
}

/**
 * Whether an `ErrorEquals` list matches a failure of a Task state, as AWS decides it:
 * by name; `States.ALL` for anything but a runtime error; `States.TaskFailed` for anything
 * but a runtime error or a timeout; `States.Timeout` also for a missed heartbeat; and
 * `States.HeartbeatTimeout` for a missed heartbeat only.
 */
export function errorEqualsMatches(errorEquals: readonly string[], failure: MatchableFailure): boolean {
  if (failure.kind === 'runtime') return false;
  const timedOut = failure.kind === 'timeout' || failure.kind === 'heartbeat';
  return errorEquals.some((name) => {
    if (name === failure.name || name === STATES_ALL) return true;
    if (name === STATES_TASK_FAILED) return !timedOut;
    if (name === STATES_TIMEOUT) return timedOut;
    if (name === STATES_HEARTBEAT_TIMEOUT) return failure.kind === 'heartbeat';
    return false;
  });
}

/** Index of the first rule whose `ErrorEquals` matches the failure, or -1. */
export function firstMatchingRule(rules: readonly { readonly ErrorEquals: readonly string[] }[], failure: MatchableFailure): number {
  return rules.findIndex((rule) => errorEqualsMatches(rule.ErrorEquals, failure));
}
