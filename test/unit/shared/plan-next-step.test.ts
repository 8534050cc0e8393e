import { complaintDeadlines } from '@shared/sla/policy';
import type { Ticket } from '@shared/tickets/ticket';
import { planNextStep, REPLAN_AFTER_SECONDS } from '@shared/workflows/complaint-steps';

const RECEIVED = '2026-03-01T08:00:00.000Z';
const at = (minutes: number) => Date.parse(RECEIVED) + minutes * 60_000;

function complaint(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 'tkt_1',
    kind: 'complaint',
    marketplace: 'demo',
    externalRef: 'C-1',
    orderId: 'O-1',
    customerRef: 'c-1',
    priority: 'normal',
    stage: 'awaiting_first_response',
    escalationTier: 0,
    deadlines: complaintDeadlines(RECEIVED),
    breaches: [],
    facts: {},
    createdAt: RECEIVED,
    updatedAt: RECEIVED,
    version: 1,
    auditSeq: 1,
    auditHead: '',
    ...overrides,
  };
}

describe('planNextStep', () => {
  it('waits for the first response until 15 minutes after receipt', () => {
    expect(planNextStep(complaint(), at(0))).toEqual({ done: false, step: 'respond', deadline: 'firstResponse', secondsLeft: 900 });
    expect(planNextStep(complaint(), at(10))).toMatchObject({ secondsLeft: 300 });
  });

  it('after a missed first response, keeps waiting for it until the 24 h deadline', () => {
    const ticket = complaint({ deadlines: { ...complaintDeadlines(RECEIVED), firstResponse: { dueAt: '2026-03-01T08:15:00.000Z', breachedAt: '2026-03-01T08:15:00.000Z' } } });
    expect(planNextStep(ticket, at(15))).toEqual({ done: false, step: 'respond', deadline: 'initialHandling', secondsLeft: 24 * 3600 - 900 });
  });

  it('moves to handling, then resolution, with the deadlines the ticket already had', () => {
    expect(planNextStep(complaint({ stage: 'awaiting_handling' }), at(60))).toEqual({
      done: false,
      step: 'handle',
      deadline: 'initialHandling',
      secondsLeft: 23 * 3600,
    });
    expect(planNextStep(complaint({ stage: 'awaiting_resolution' }), at(60))).toEqual({
      done: false,
      step: 'resolve',
      deadline: 'resolution',
      secondsLeft: 47 * 3600,
    });
  });

  it('times out at once for a deadline already past (a resumed ticket)', () => {
    expect(planNextStep(complaint(), at(20))).toMatchObject({ deadline: 'firstResponse', secondsLeft: 1 });
  });

  it('waits without a deadline, re-planning monthly, once every deadline is breached', () => {
    const breached = Object.fromEntries(
      Object.entries(complaintDeadlines(RECEIVED)).map(([name, deadline]) => [name, { ...deadline, breachedAt: deadline.dueAt }]),
    );
    expect(planNextStep(complaint({ deadlines: breached }), at(3000))).toEqual({
      done: false,
      step: 'respond',
      deadline: null,
      secondsLeft: REPLAN_AFTER_SECONDS,
    });
  });

  it('is done once resolved, and for tickets that are not complaints', () => {
    expect(planNextStep(complaint({ stage: 'resolved' }), at(60))).toEqual({ done: true });
    expect(planNextStep(complaint({ kind: 'return', stage: 'requested' }), at(60))).toEqual({ done: true });
  });
});
