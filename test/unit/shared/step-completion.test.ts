import { complaintDeadlines } from '@shared/sla/policy';
import type { Ticket } from '@shared/tickets/ticket';
import { completionOf } from '@shared/workflows/complete-step';
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
