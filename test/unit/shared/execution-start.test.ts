import { executionInput } from '@shared/workflows/start-execution';
import { complaintTicket } from '../../support/complaint-ticket';
import { workflowDefinition } from '../../support/workflow-definition';
import { createHarness, type Harness } from '../local/stepfunctions/harness';

describe('executionInput', () => {
  it('is the ticket id and the plan for the ticket as it stands', () => {
    expect(executionInput(complaintTicket(), Date.parse('2026-03-01T08:00:10.000Z'))).toEqual({
      ticketId: 'tkt_1',
      // Opened at 08:00: the first response's warning at 80 % of 15 minutes, 08:12, 710 s after 08:00:10.
      next: { done: false, step: 'respond', deadline: 'firstResponse', phase: 'warning', secondsLeft: 710, until: '2026-03-01T08:12:00.000Z' },
    });
  });
});

describe.each(['complaint', 'return'] as const)('the %s workflow, as an execution starts', (id) => {
  let h: Harness;
  let machine: string;
  const done = { ticketId: 't-1', next: { done: true } };

  beforeEach(() => {
    h = createHarness();
    h.functions.set('plan-next-step', () => done);
    machine = h.register(workflowDefinition(id));
  });

  afterEach(async () => {
    await h.sfn.close();
  });

  it('routes on the plan it was started with, without planning', async () => {
    const execution = h.start(machine, done);
    await h.advance(0);
    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.statesEntered(execution)).toEqual(['WhichStage', 'Done']);
    expect(h.calls.get('plan-next-step')).toBeUndefined();
  });

  it('plans first when started with the ticket id alone', async () => {
    const execution = h.start(machine, { ticketId: 't-1' });
    await h.advance(0);
    expect(h.status(execution)).toBe('SUCCEEDED');
    expect(h.statesEntered(execution)).toEqual(['WhichStage', 'PlanNextStep', 'WhichStage', 'Done']);
    expect(h.calls.get('plan-next-step')).toEqual([{ ticketId: 't-1' }]);
  });
});
