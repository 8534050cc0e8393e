import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { completeWorkflowStep, type StepCompletion } from '@shared/workflows/complete-step';
import type { WorkflowNextStep } from '@shared/workflows/plan';
import { workflowDefinition } from '../../support/workflow-definition';
import { createHarness, type Harness } from '../local/stepfunctions/harness';

/**
 * How the real workflow files route the end of a wait, on the local Step Functions service with
 * fake functions: a completion sent by completeWorkflowStep goes on to the next wait in one
 * transition, or ends the execution, or plans again; a timeout goes to RecordDeadline.
 */
const FIRST_STEP = { complaint: 'respond', return: 'decision' } as const;
const SECOND_STEP = { complaint: 'handle', return: 'buyerShipment' } as const;

describe.each(['complaint', 'return'] as const)('the %s workflow, as a wait ends', (id) => {
  let h: Harness;
  let machine: string;
  const wait = (step: string, secondsLeft = 3_600): WorkflowNextStep =>
    ({ done: false, step, deadline: null, phase: 'close', secondsLeft, until: '2026-01-01T01:00:00.000Z' }) as WorkflowNextStep;
  const notify: WorkflowNextStep = { done: false, step: null, deadline: 'firstResponse', phase: 'notify', secondsLeft: 1, until: '2026-01-01T00:00:00.000Z' };

  /** An SFN client for the in-process service: what completeWorkflowStep sends, it does. */
  const client = () =>
    ({
      send: async (command: SendTaskSuccessCommand | SendTaskFailureCommand) =>
        command instanceof SendTaskFailureCommand ? h.sfn.sendTaskFailure({ ...command.input }) : h.sfn.sendTaskSuccess({ ...command.input }),
    }) as unknown as SFNClient;
  const waitedSteps = () => (h.calls.get('await-agent') as { step: string }[] | undefined)?.map((call) => call.step);
  async function complete(next: WorkflowNextStep) {
    const { taskToken } = h.calls.get('await-agent')!.at(-1) as { taskToken: string };
    const completion: StepCompletion = { ticketId: 't-1', step: waitedSteps()!.at(-1)!, at: '2026-01-01T00:01:00.000Z', next };
    expect(await completeWorkflowStep(client(), taskToken, completion)).toBe(true);
    await h.advance(0);
  }

  beforeEach(async () => {
    h = createHarness();
    machine = h.register(workflowDefinition(id));
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  const startWaiting = async () => {
    const execution = h.start(machine, { ticketId: 't-1', next: wait(FIRST_STEP[id]) });
    await h.advance(0);
    return execution;
  };

  it('goes on to the next wait in one transition when the completion plans one', async () => {
    const execution = await startWaiting();
    await complete(wait(SECOND_STEP[id]));
    expect(h.status(execution)).toBe('RUNNING');
    expect(h.statesEntered(execution)).toEqual(['WhichStage', 'AwaitStep', 'AwaitStep']);
    expect(waitedSteps()).toEqual([FIRST_STEP[id], SECOND_STEP[id]]);
  });

  it('ends in Done when the completion finds the ticket needs nothing more', async () => {
    const execution = await startWaiting();
    await complete({ done: true });
    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.statesEntered(execution)).toEqual(['WhichStage', 'AwaitStep', 'Done']);
    expect(h.types(execution)).toContain('TaskFailed');
  });

  it('plans again when a breach notice is owed, tells it in RecordDeadline, then waits', async () => {
    h.functions.set('plan-next-step', () => ({ ticketId: 't-1', next: notify }));
    h.functions.set('record-deadline', () => ({ ticketId: 't-1', next: wait(SECOND_STEP[id]) }));
    const execution = await startWaiting();
    await complete(notify);
    expect(h.statesEntered(execution)).toEqual(['WhichStage', 'AwaitStep', 'PlanNextStep', 'WhichStage', 'RecordDeadline', 'WhichStage', 'AwaitStep']);
    expect(h.calls.get('record-deadline')).toEqual([{ ticketId: 't-1', deadline: 'firstResponse', phase: 'notify', until: '2026-01-01T00:00:00.000Z' }]);
    expect(waitedSteps()).toEqual([FIRST_STEP[id], SECOND_STEP[id]]);
  });

  it('records a timed-out wait by its phase in RecordDeadline, then routes its plan', async () => {
    h.functions.set('record-deadline', () => ({ ticketId: 't-1', next: { done: true } }));
    const execution = h.start(machine, { ticketId: 't-1', next: wait(FIRST_STEP[id], 60) });
    await h.advance(60);
    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.statesEntered(execution)).toEqual(['WhichStage', 'AwaitStep', 'RecordDeadline', 'WhichStage', 'Done']);
    expect(h.calls.get('record-deadline')).toEqual([{ ticketId: 't-1', deadline: null, phase: 'close', until: '2026-01-01T01:00:00.000Z' }]);
  });
});
