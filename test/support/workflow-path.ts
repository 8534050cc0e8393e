import type { HistoryEvent } from '@aws-sdk/client-sfn';

/**
 * The states an execution entered, in order, as the Step Functions console shows them, with
 * what each generic state was about: the waiting state names the step it waited on
 * (`AwaitStep respond`), the recording state the end it recorded (`RecordDeadline warning`).
 * Both read the plan in the state's input.
 */
export function workflowPath(events: readonly HistoryEvent[]): string[] {
  return events
    .filter((event) => event.type?.endsWith('StateEntered'))
    .map((event) => {
      const { name, input } = event.stateEnteredEventDetails!;
      const next = (JSON.parse(input ?? '{}') as { next?: { step?: string; phase?: string } }).next;
      if (name === 'AwaitStep') return `${name} ${next?.step}`;
      if (name === 'RecordDeadline') return `${name} ${next?.phase}`;
      return name!;
    });
}
