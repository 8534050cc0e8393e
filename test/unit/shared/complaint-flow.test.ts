import { allowedComplaintActions, applyComplaintAction, closeAfterSurveyWindow, confirmBySilence, recordComplaintBreach, recordWarning } from '@shared/complaints/complaint-flow';
import { complaintDeadlines } from '@shared/sla/policy';
import type { Ticket } from '@shared/tickets/ticket';
import { planFor } from '@shared/workflows/plan';
import { complaintTicket, RECEIVED } from '../../support/complaint-ticket';

const at = (minutes: number) => new Date(Date.parse(RECEIVED) + minutes * 60_000).toISOString();
const DEADLINES = complaintDeadlines(RECEIVED);

const complaint = complaintTicket;

describe('complaint rules', () => {
  it('allows the awaited agent action, await_customer once responded, and reply at every open stage after the first response', () => {
    expect(allowedComplaintActions(complaint())).toEqual(['respond']);
    expect(allowedComplaintActions(complaint({ stage: 'awaiting_handling' }))).toEqual(['handle', 'await_customer', 'reply']);
    expect(allowedComplaintActions(complaint({ stage: 'awaiting_customer' }))).toEqual(['reply']);
    expect(allowedComplaintActions(complaint({ stage: 'resolved' }))).toEqual(['reply']);
    expect(allowedComplaintActions(complaint({ stage: 'awaiting_survey' }))).toEqual(['reply']);
    expect(allowedComplaintActions(complaint({ stage: 'closed' }))).toEqual([]);
  });

  it('meets the deadline of a response in time, with no breach and no reason', () => {
    const move = applyComplaintAction(complaint(), 'respond', at(10));
    expect(move).toEqual({
      change: { stage: 'awaiting_handling', deadlines: { ...DEADLINES, firstResponse: { ...DEADLINES.firstResponse, metAt: at(10) } } },
      audit: 'ticket.responded',
      reason: undefined,
    });
  });

  it('records the breach, its escalation and the notification owed when the action comes late before the workflow recorded it', () => {
    // Handled 25 h in, first response never given: both deadlines passed unrecorded.
    const move = applyComplaintAction(complaint({ stage: 'awaiting_handling' }), 'handle', at(25 * 60));
    expect(move.reason).toBe('after its deadline: firstResponse, initialHandling');
    expect(move.change).toMatchObject({
      stage: 'awaiting_resolution',
      breaches: [
        { metric: 'firstResponse', dueAt: at(15), recordedAt: at(1500), lateBySeconds: (1500 - 15) * 60 },
        { metric: 'initialHandling', dueAt: at(1440), recordedAt: at(1500), lateBySeconds: 60 * 60 },
      ],
      escalationTier: 1,
      breachesToNotify: ['firstResponse', 'initialHandling'],
    });
    expect(move.change.deadlines!.initialHandling).toEqual({ ...DEADLINES.initialHandling, breachedAt: at(1500), metAt: at(1500) });
  });

  it('records no second breach for a deadline the workflow already recorded, but still names it late', () => {
    const recorded = complaint({
      deadlines: { ...complaintDeadlines(RECEIVED), firstResponse: { dueAt: at(15), breachedAt: at(15) } },
      breaches: [{ metric: 'firstResponse', dueAt: at(15), recordedAt: at(15), lateBySeconds: 0 }],
    });
    const move = applyComplaintAction(recorded, 'respond', at(20));
    expect(move.reason).toBe('after its deadline: firstResponse');
    expect(move.change).not.toHaveProperty('breaches');
    expect(move.change).not.toHaveProperty('breachesToNotify');
  });

  it('plans the owed notification first, at any stage', () => {
    const late = complaint({ stage: 'awaiting_handling', ...applyComplaintAction(complaint(), 'respond', at(20)).change });
    expect(planFor(late, Date.parse(at(20)))).toMatchObject({ done: false, phase: 'notify', deadline: 'firstResponse', secondsLeft: 1 });
  });

  it('pauses for the customer with the stage to come back to', () => {
    expect(applyComplaintAction(complaint({ stage: 'awaiting_handling' }), 'await_customer', at(60)).change).toEqual({
      stage: 'awaiting_customer',
      pausedFrom: 'awaiting_handling',
      pausedIntervals: [{ from: at(60) }],
    });
  });

  it('warns once, breaches once, and does neither for a deadline met', () => {
    expect(recordWarning(complaint(), 'firstResponse', at(12))?.change.deadlines?.firstResponse).toEqual({ ...DEADLINES.firstResponse, warnedAt: at(12) });
    const warned = complaint({ deadlines: { ...complaintDeadlines(RECEIVED), firstResponse: { dueAt: at(15), warnedAt: at(12) } } });
    expect(recordWarning(warned, 'firstResponse', at(13))).toBeUndefined();
    const breach = recordComplaintBreach(warned, 'initialHandling', at(1440));
    expect(breach).toMatchObject({ audit: 'sla.breached', reason: `initialHandling was due at ${at(1440)}; 0 s late`, change: { escalationTier: 1 } });
    const met = complaint({ deadlines: { ...complaintDeadlines(RECEIVED), firstResponse: { dueAt: at(15), metAt: at(5) } } });
    expect(recordComplaintBreach(met, 'firstResponse', at(15))).toBeUndefined();
    expect(recordWarning(met, 'firstResponse', at(12))).toBeUndefined();
  });

  it('confirms by silence only when still resolved, and closes only a ticket awaiting its survey', () => {
    expect(confirmBySilence(complaint({ stage: 'resolved' }), at(100))?.change).toEqual({ stage: 'awaiting_survey', confirmedAt: at(100), surveySentAt: at(100) });
    expect(confirmBySilence(complaint({ stage: 'awaiting_resolution' }), at(100))).toBeUndefined();
    expect(closeAfterSurveyWindow(complaint({ stage: 'awaiting_survey' }), at(100))?.change).toEqual({ stage: 'closed', closedAt: at(100) });
    expect(closeAfterSurveyWindow(complaint({ stage: 'closed' }), at(100))).toBeUndefined();
  });
});
