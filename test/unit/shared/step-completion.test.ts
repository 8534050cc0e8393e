import { complaintDeadlines } from '@shared/sla/policy';
import type { Ticket } from '@shared/tickets/ticket';
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { COMPLETION_SIGNALS, completeWorkflowStep, completionOf, type StepCompletion } from '@shared/workflows/complete-step';
import { complaintTicket, RECEIVED } from '../../support/complaint-ticket';

/** Responded at 08:05: the respond step's completion is recorded, to send. */
const respondedComplaint = (overrides: Partial<Ticket> = {}): Ticket =>
  complaintTicket({
    stage: 'awaiting_handling',
    deadlines: { ...complaintDeadlines(RECEIVED), firstResponse: { dueAt: '2026-03-01T08:15:00.000Z', metAt: '2026-03-01T08:05:00.000Z' } },
    updatedAt: '2026-03-01T08:05:00.000Z',
    version: 3,
    auditSeq: 3,
    workflow: { generation: 1, completing: { step: 'respond', taskToken: 'token-respond', at: '2026-03-01T08:05:00.000Z' } },
    ...overrides,
  });

describe('completionOf', () => {
  it('hands the workflow the step done and the plan for the ticket as the change left it', () => {
    expect(completionOf(respondedComplaint(), Date.parse('2026-03-01T08:05:00.250Z'))).toEqual({
      ticketId: 'tkt_1',
      step: 'respond',
      at: '2026-03-01T08:05:00.000Z',
      // Initial handling's warning at 80 % of 24 h after the opening: 19.2 h, less the 5 min gone, rounded down.
      next: { done: false, step: 'handle', deadline: 'initialHandling', phase: 'warning', secondsLeft: 68_819, until: '2026-03-02T03:12:00.000Z' },
    });
  });

  it('plans a breach notice owed before any wait', () => {
    const owing = respondedComplaint({ breachesToNotify: ['firstResponse'] });
    expect(completionOf(owing, Date.parse('2026-03-01T08:20:00.000Z'))?.next).toEqual({
      done: false,
      step: null,
      deadline: 'firstResponse',
      phase: 'notify',
      secondsLeft: 1,
      until: '2026-03-01T08:20:00.000Z',
    });
  });

  it('is nothing when the ticket records no completion', () => {
    expect(completionOf(respondedComplaint({ workflow: { generation: 1 } }), Date.parse(RECEIVED))).toBeUndefined();
  });
});

describe('completeWorkflowStep', () => {
  /** An SFN client that records what it is sent (the waiting state's routing is tested on the local service, in test/e2e). */
  function recordingClient() {
    const sent: unknown[] = [];
    return { sent, client: { send: async (command: unknown) => sent.push(command) } as unknown as SFNClient };
  }
  const completion = (next: StepCompletion['next']): StepCompletion => ({ ticketId: 'tkt_1', step: 'survey', at: '2026-03-10T09:00:00.000Z', next });

  it('succeeds the task with the completion when the plan is another wait', async () => {
    const { sent, client } = recordingClient();
    const waiting = completion({ done: false, step: 'handle', deadline: 'initialHandling', phase: 'warning', secondsLeft: 60, until: '2026-03-10T09:01:00.000Z' });
    expect(await completeWorkflowStep(client, 'token-1', waiting)).toBe(true);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toBeInstanceOf(SendTaskSuccessCommand);
    expect((sent[0] as SendTaskSuccessCommand).input).toEqual({ taskToken: 'token-1', output: JSON.stringify(waiting) });
  });

  it.each([
    ['the ticket needs nothing more', { done: true } as const, COMPLETION_SIGNALS.ticketClosed],
    ['on-call is owed a breach notice', { done: false, step: null, deadline: 'firstResponse', phase: 'notify', secondsLeft: 1, until: '2026-03-10T09:00:00.000Z' } as const, COMPLETION_SIGNALS.breachNoticeOwed],
  ])('fails the task by name when %s, with the completion as the cause', async (_case, next, signal) => {
    const { sent, client } = recordingClient();
    expect(await completeWorkflowStep(client, 'token-2', completion(next))).toBe(true);
    expect(sent[0]).toBeInstanceOf(SendTaskFailureCommand);
    expect((sent[0] as SendTaskFailureCommand).input).toEqual({ taskToken: 'token-2', error: signal, cause: JSON.stringify(completion(next)) });
  });
});
