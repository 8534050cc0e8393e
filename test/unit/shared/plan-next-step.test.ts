import { complaintDeadlines, DEFAULT_SLA_POLICY } from '@shared/sla/policy';
import type { Ticket } from '@shared/tickets/ticket';
import { planNextStep, REPLAN_AFTER_SECONDS } from '@shared/workflows/complaint-steps';
import { complaintTicket, RECEIVED } from '../../support/complaint-ticket';

const at = (minutes: number) => Date.parse(RECEIVED) + minutes * 60_000;

const complaint = complaintTicket;

describe('planNextStep', () => {
  it('waits for the first response until its warning at 80 % (12 minutes), then until 15 minutes', () => {
    expect(planNextStep(complaint(), at(0))).toMatchObject({ done: false, step: 'respond', deadline: 'firstResponse', phase: 'warning', secondsLeft: 720 });
    expect(planNextStep(complaint(), at(10))).toMatchObject({ phase: 'warning', secondsLeft: 120 });
    const warned = complaint({ deadlines: { ...complaintDeadlines(RECEIVED), firstResponse: { dueAt: '2026-03-01T08:15:00.000Z', warnedAt: '2026-03-01T08:12:00.000Z' } } });
    expect(planNextStep(warned, at(12))).toMatchObject({ done: false, step: 'respond', deadline: 'firstResponse', phase: 'deadline', secondsLeft: 180 });
  });

  it('warns at the share of the span the recorded policy gives', () => {
    const ticket = complaint({ slaPolicy: { ...DEFAULT_SLA_POLICY, warningAtFraction: 0.5 } });
    expect(planNextStep(ticket, at(0))).toMatchObject({ phase: 'warning', secondsLeft: 450 });
  });

  it('after a missed first response, keeps waiting for it until the 24 h deadline (warning at 19.2 h)', () => {
    const ticket = complaint({ deadlines: { ...complaintDeadlines(RECEIVED), firstResponse: { dueAt: '2026-03-01T08:15:00.000Z', breachedAt: '2026-03-01T08:15:00.000Z' } } });
    expect(planNextStep(ticket, at(15))).toMatchObject({ done: false, step: 'respond', deadline: 'initialHandling', phase: 'warning', secondsLeft: 69_120 - 900 });
  });

  it('moves to handling, then resolution, with the deadlines the ticket already had', () => {
    expect(planNextStep(complaint({ stage: 'awaiting_handling' }), at(60))).toMatchObject({
      done: false,
      step: 'handle',
      deadline: 'initialHandling',
      phase: 'warning',
      secondsLeft: 69_120 - 3600,
    });
    expect(planNextStep(complaint({ stage: 'awaiting_resolution' }), at(60))).toMatchObject({
      done: false,
      step: 'resolve',
      deadline: 'resolution',
      phase: 'warning',
      secondsLeft: 138_240 - 3600,
    });
  });

  it('names the exact moment, and ends the whole-second timeout at or just before it', () => {
    expect(planNextStep(complaint(), at(0))).toMatchObject({ phase: 'warning', secondsLeft: 720, until: '2026-03-01T08:12:00.000Z' });
    // 2.6 s after receipt: the timeout ends 0.6 s before the warning time, which RecordDeadline waits out.
    expect(planNextStep(complaint(), at(0) + 2_600)).toMatchObject({ phase: 'warning', secondsLeft: 717, until: '2026-03-01T08:12:00.000Z' });
    // Less than a second left: the shortest timeout Step Functions takes.
    expect(planNextStep(complaint(), at(12) - 400)).toMatchObject({ phase: 'warning', secondsLeft: 1 });
  });

  it('times out at once for a deadline already past (a resumed ticket), skipping the missed warning', () => {
    expect(planNextStep(complaint(), at(20))).toMatchObject({ deadline: 'firstResponse', phase: 'deadline', secondsLeft: 1 });
  });

  it('gives a warning whose time passed unrecorded (the stack was down) at once, while its deadline is ahead', () => {
    expect(planNextStep(complaint(), at(13))).toMatchObject({ deadline: 'firstResponse', phase: 'warning', secondsLeft: 1, until: '2026-03-01T08:13:00.000Z' });
  });

  it('waits without a deadline, re-planning monthly, once every deadline is breached', () => {
    const breached = Object.fromEntries(
      Object.entries(complaintDeadlines(RECEIVED)).map(([name, deadline]) => [name, { ...deadline, breachedAt: deadline.dueAt }]),
    );
    expect(planNextStep(complaint({ deadlines: breached }), at(3000))).toMatchObject({
      done: false,
      step: 'respond',
      deadline: null,
      phase: 'replan',
      secondsLeft: REPLAN_AFTER_SECONDS,
    });
  });

  it('after resolution waits 72 h for the confirmation, then 7 days for the survey, then is done', () => {
    expect(planNextStep(complaint({ stage: 'resolved', deadlines: { ...complaintDeadlines(RECEIVED), resolution: { dueAt: '2026-03-03T08:00:00.000Z', metAt: '2026-03-01T09:00:00.000Z' } } }), at(60))).toMatchObject({
      done: false,
      step: 'customerConfirmation',
      deadline: null,
      phase: 'autoConfirm',
      secondsLeft: 72 * 3600,
    });
    expect(planNextStep(complaint({ stage: 'awaiting_survey', surveySentAt: '2026-03-01T09:00:00.000Z' }), at(60))).toMatchObject({
      done: false,
      step: 'survey',
      deadline: null,
      phase: 'close',
      secondsLeft: 7 * 24 * 3600,
    });
    expect(planNextStep(complaint({ stage: 'closed' }), at(60))).toEqual({ done: true });
    expect(planNextStep(complaint({ kind: 'return', stage: 'requested' }), at(60))).toEqual({ done: true });
  });
});
