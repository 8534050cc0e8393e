import { DateTime } from 'luxon';
import type { BusinessCalendar } from '@shared/calendar/business-calendar';
import { DEFAULT_RETURN_POLICY } from '@shared/returns/policy';
import { clockOf, metricClocks, metricDue } from '@shared/sla/deadline-clock';
import { resolveSlaPolicy, slaConfigSchema } from '@shared/sla/policy';
import { decideEvent, type EventContext } from '@shared/tickets/decide-event';
import type { Ticket } from '@shared/tickets/ticket';
import { planNextStep } from '@shared/workflows/complaint-steps';

const ZONE = 'Asia/Shanghai';
const WORKDAY = ['09:00-12:00', '13:30-18:00'];
const acmeCalendar: BusinessCalendar = {
  timeZone: ZONE,
  week: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY },
  holidays: ['2025-05-01', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09'],
  extraWorkdays: ['2026-10-10'],
  extraWorkdayHours: 'mon',
};
const sh = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toUTC().toISO()!;
const local = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat('ccc yyyy-MM-dd HH:mm');

function contextAt(receivedLocal: string, sla: unknown = {}): EventContext {
  const config = slaConfigSchema.parse(sla);
  return {
    marketplace: 'acme',
    ticketId: 'tkt_1',
    receivedAt: sh(receivedLocal),
    slaPolicy: (priority) => resolveSlaPolicy(config, priority, true),
    calendar: acmeCalendar,
    returnPolicy: DEFAULT_RETURN_POLICY,
    recentComplaints: 0,
  };
}

function openComplaint(context: EventContext): Ticket {
  const decision = decideEvent(
    { id: 'c1', type: 'complaint.created', occurredAt: context.receivedAt, data: { reference: 'C-1', orderId: 'O-1', customerRef: 'c-1', channel: 'app', subject: 'Broken', description: '' } },
    undefined,
    context,
  );
  if (decision.kind !== 'open') throw new Error(`expected an opening, got ${decision.kind}`);
  return { ...decision.ticket, createdAt: context.receivedAt, updatedAt: context.receivedAt, version: 1, auditSeq: 1, auditHead: '' };
}

describe('clocks per metric', () => {
  it('default to business time for first response and next reply with a calendar, calendar time otherwise', () => {
    expect(metricClocks(undefined, true)).toEqual({ firstResponse: 'business', nextReply: 'business', initialHandling: 'calendar', resolution: 'calendar' });
    expect(metricClocks({ firstResponse: 'business', resolution: 'business' }, false)).toEqual({
      firstResponse: 'calendar',
      nextReply: 'calendar',
      initialHandling: 'calendar',
      resolution: 'calendar',
    });
  });

  it('follow the marketplace default, then the priority', () => {
    const config = slaConfigSchema.parse({ default: { clock: { initialHandling: 'business' } }, urgent: { clock: { firstResponse: 'calendar' } } });
    expect(resolveSlaPolicy(config, 'urgent', true).clock).toEqual({ firstResponse: 'calendar', nextReply: 'business', initialHandling: 'business', resolution: 'calendar' });
    expect(resolveSlaPolicy(config, 'normal', true).clock).toEqual({ firstResponse: 'business', nextReply: 'business', initialHandling: 'business', resolution: 'calendar' });
  });

  it('reject an unknown clock or metric, naming it', () => {
    const bad = slaConfigSchema.safeParse({ default: { clock: { firstResponse: 'lunar', nextRely: 'business' } } });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['default.clock.firstResponse', 'default.clock']);
  });

  it('a ticket without a recorded calendar counts every metric in calendar time', () => {
    const policy = resolveSlaPolicy(undefined, 'normal', true);
    expect(clockOf({ slaPolicy: policy }, 'firstResponse')).toBe('calendar');
    expect(metricDue({ slaPolicy: policy }, 'nextReply', '2026-11-13T09:55:00.000Z', 900)).toEqual({ dueAt: '2026-11-13T10:10:00.000Z', clock: 'calendar' });
    expect(metricDue({ slaPolicy: policy, calendar: acmeCalendar }, 'nextReply', sh('2026-11-13T17:55'), 900)).toEqual({ dueAt: sh('2026-11-16T09:10'), clock: 'business' });
  });
});

describe('complaint deadlines on a business calendar', () => {
  it('Friday 17:55 plus 15 minutes of business time is due Monday 09:10; each deadline shows its clock; the calendar is recorded', () => {
    const ticket = openComplaint(contextAt('2026-11-13T17:55'));
    expect(ticket.deadlines).toEqual({
      firstResponse: { dueAt: sh('2026-11-16T09:10'), clock: 'business' },
      initialHandling: { dueAt: sh('2026-11-14T17:55'), clock: 'calendar' },
      resolution: { dueAt: sh('2026-11-15T17:55'), clock: 'calendar' },
    });
    // Recorded like the SLA policy, without the dates already past at receipt.
    expect(ticket.calendar).toEqual({ ...acmeCalendar, holidays: acmeCalendar.holidays.filter((date) => date >= '2026-11-13'), extraWorkdays: [] });
  });

  it('a complaint received out of hours starts counting at the next opening', () => {
    expect(local(openComplaint(contextAt('2026-11-14T03:00')).deadlines.firstResponse!.dueAt)).toBe('Mon 2026-11-16 09:15');
    expect(local(openComplaint(contextAt('2026-11-16T12:20')).deadlines.firstResponse!.dueAt)).toBe('Mon 2026-11-16 13:45');
  });

  it('a complaint on a holiday eve is due on the extra Saturday working day after the holidays', () => {
    const ticket = openComplaint(contextAt('2026-09-30T17:50', { default: { firstResponseSeconds: 3600 } }));
    expect(local(ticket.deadlines.firstResponse!.dueAt)).toBe('Sat 2026-10-10 09:50');
  });

  it('business-time resolution: 48 working hours from Friday 17:00 (one hour on Friday, six days of 7.5 hours, two on the Tuesday)', () => {
    const ticket = openComplaint(contextAt('2026-11-13T17:00', { default: { clock: { resolution: 'business' } } }));
    expect(ticket.deadlines.resolution).toEqual({ dueAt: sh('2026-11-24T11:00'), clock: 'business' });
  });

  it('warns at 80 % of a business-time span that crosses a weekend, in working hours', () => {
    // 4 working hours from Friday 16:00: 2 on Friday, 2 on Monday → due Monday 11:00.
    const sla = { default: { firstResponseSeconds: 4 * 3600, clock: { initialHandling: 'business', resolution: 'business' } } };
    const ticket = openComplaint(contextAt('2026-11-13T16:00', sla));
    expect(local(ticket.deadlines.firstResponse!.dueAt)).toBe('Mon 2026-11-16 11:00');
    // 80 % is 3 h 12 min of working time: 2 h on Friday, 1 h 12 on Monday (80 % of the 67 calendar hours would be Sunday 21:36).
    const plan = planNextStep(ticket, Date.parse(sh('2026-11-13T16:00')));
    expect(plan).toMatchObject({ done: false, deadline: 'firstResponse', phase: 'warning' });
    expect(local((plan as { until: string }).until)).toBe('Mon 2026-11-16 10:12');
  });

  it('a pause across a night moves a business-time resolution by the working time paused only', () => {
    const opened = openComplaint(contextAt('2026-11-16T09:00', { default: { clock: { resolution: 'business' } } }));
    expect(local(opened.deadlines.resolution!.dueAt)).toBe('Tue 2026-11-24 12:00');
    // Paused from Monday 17:00 to Tuesday 10:00: one working hour on Monday and one on Tuesday; due 12:00 (closing for lunch) moves to 15:30.
    const paused: Ticket = {
      ...opened,
      stage: 'awaiting_customer',
      pausedFrom: 'awaiting_resolution',
      pausedIntervals: [{ from: sh('2026-11-16T17:00') }],
    };
    const replied = decideEvent(
      { id: 'r1', type: 'complaint.customer_replied', occurredAt: sh('2026-11-17T10:00'), data: { reference: 'C-1', message: 'photo attached' } },
      paused,
      { ...contextAt('2026-11-17T10:00') },
    );
    expect(replied).toMatchObject({ kind: 'update', change: { stage: 'awaiting_resolution', pausedIntervals: [{ from: sh('2026-11-16T17:00'), to: sh('2026-11-17T10:00') }] } });
    const resolution = (replied as { change: Partial<Ticket> }).change.deadlines!.resolution!;
    expect(resolution).toEqual({ dueAt: sh('2026-11-24T15:30'), clock: 'business' });
  });

  it('a pause across a night moves a calendar-time resolution by every second paused, as before', () => {
    const opened = openComplaint(contextAt('2026-11-16T09:00'));
    const paused: Ticket = { ...opened, stage: 'awaiting_customer', pausedFrom: 'awaiting_resolution', pausedIntervals: [{ from: sh('2026-11-16T17:00') }] };
    const replied = decideEvent(
      { id: 'r1', type: 'complaint.customer_replied', occurredAt: sh('2026-11-17T10:00'), data: { reference: 'C-1', message: 'ok' } },
      paused,
      contextAt('2026-11-17T10:00'),
    );
    expect((replied as { change: Partial<Ticket> }).change.deadlines!.resolution).toEqual({ dueAt: sh('2026-11-19T02:00'), clock: 'calendar' });
  });
});
