import { DateTime } from 'luxon';
import type { BusinessCalendar } from '@shared/calendar/business-calendar';
import { applyComplaintAction, recordComplaintBreach, recordWarning } from '@shared/complaints/complaint-flow';
import { nextReplyNumber } from '@shared/complaints/next-reply';
import { DEFAULT_RETURN_POLICY } from '@shared/returns/policy';
import { DEFAULT_SLA_POLICY, resolveSlaPolicy, slaConfigSchema, tierAfterBreach, type SlaConfig } from '@shared/sla/policy';
import { decideEvent, type EventContext } from '@shared/tickets/decide-event';
import type { Ticket } from '@shared/tickets/ticket';
import { planNextStep } from '@shared/workflows/complaint-steps';
import { awaitedStep, endsTheWait } from '@shared/workflows/plan';

const OPENED = '2026-03-02T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(OPENED) + minutes * 60_000).toISOString();
const ms = (minutes: number) => Date.parse(at(minutes));

function contextAt(receivedAt: string, sla: SlaConfig = {}, calendar?: BusinessCalendar): EventContext {
  return {
    marketplace: 'acme',
    ticketId: 'tkt_1',
    receivedAt,
    slaPolicy: (priority) => resolveSlaPolicy(sla, priority, calendar !== undefined),
    ...(calendar ? { calendar } : {}),
    returnPolicy: DEFAULT_RETURN_POLICY,
    recentComplaints: 0,
  };
}

function opened(context: EventContext): Ticket {
  const decision = decideEvent(
    {
      id: 'c1',
      type: 'complaint.created',
      occurredAt: context.receivedAt,
      data: { reference: 'C-1', orderId: 'O-1', customerRef: 'c-1', channel: 'app', subject: 'Broken kettle', description: 'It leaks.' },
    },
    undefined,
    context,
  );
  if (decision.kind !== 'open') throw new Error(`expected an opening, got ${decision.kind}`);
  return { ...decision.ticket, createdAt: context.receivedAt, updatedAt: context.receivedAt, version: 1, auditSeq: 1, auditHead: '' };
}

/** The ticket after the customer's message received at `receivedAt`. */
function customerWrote(ticket: Ticket, receivedAt: string, context: EventContext = contextAt(receivedAt)): Ticket {
  const decision = decideEvent(
    { id: `r-${receivedAt}`, type: 'complaint.customer_replied', occurredAt: receivedAt, data: { reference: 'C-1', message: 'Any news?' } },
    ticket,
    { ...context, receivedAt },
  );
  if (decision.kind !== 'update') throw new Error(`expected an update, got ${decision.kind}`);
  return { ...ticket, ...decision.change };
}

const act = (ticket: Ticket, type: Parameters<typeof applyComplaintAction>[1], now: string) => {
  const move = applyComplaintAction(ticket, type, now);
  return { ticket: { ...ticket, ...move.change }, move };
};

/** Opened at 08:00, first response at 08:05: awaiting handling. */
const responded = () => act(opened(contextAt(OPENED)), 'respond', at(5)).ticket;

describe('the next-reply deadline', () => {
  it('starts 15 minutes from a customer message received after the first response, on the calendar clock without a calendar', () => {
    const ticket = customerWrote(responded(), at(20));
    expect(ticket.deadlines.nextReply).toEqual({ dueAt: at(35), clock: 'calendar', startedAt: at(20) });
  });

  it('starts nothing before the first response (that deadline covers the customer), nor once resolved', () => {
    expect(customerWrote(opened(contextAt(OPENED)), at(3)).deadlines.nextReply).toBeUndefined();
    const resolved = { ...responded(), stage: 'resolved' as const };
    expect(customerWrote(resolved, at(30)).deadlines.nextReply).toBeUndefined();
  });

  it('keeps the earlier due time while a next reply is owed, running or breached', () => {
    const first = customerWrote(responded(), at(20));
    expect(customerWrote(first, at(30)).deadlines.nextReply).toEqual(first.deadlines.nextReply);
    const breached = { ...first, ...recordComplaintBreach(first, 'nextReply', at(35))!.change };
    expect(customerWrote(breached, at(50)).deadlines.nextReply).toEqual(breached.deadlines.nextReply);
  });

  it("starts when the customer's message ends a pause, from the moment it was received", () => {
    const paused = act(responded(), 'await_customer', at(10)).ticket;
    const resumed = customerWrote(paused, at(70));
    expect(resumed).toMatchObject({ stage: 'awaiting_handling', deadlines: { nextReply: { dueAt: at(85), startedAt: at(70) } } });
  });

  it('is met on time by a reply, which leaves the stage and records how long it took', () => {
    const owed = customerWrote(responded(), at(20));
    const { ticket, move } = act(owed, 'reply', at(30));
    expect(move.audit).toBe('ticket.replied');
    expect(move.reason).toBe("next reply met 600 s after the customer's message, on time");
    expect(move.change).not.toHaveProperty('stage');
    expect(ticket.stage).toBe('awaiting_handling');
    expect(ticket.deadlines.nextReply).toEqual({ dueAt: at(35), clock: 'calendar', startedAt: at(20), metAt: at(30) });
    expect(ticket.nextReplies).toEqual([
      { startedAt: at(20), dueAt: at(35), clock: 'calendar', metAt: at(30), repliedAfterSeconds: 600, onTime: true, lateBySeconds: 0 },
    ]);
    // The next message starts the next one; the history grows.
    const again = act(customerWrote(ticket, at(40)), 'reply', at(41)).ticket;
    expect(again.nextReplies!.map((record) => [record.startedAt, record.repliedAfterSeconds])).toEqual([
      [at(20), 600],
      [at(40), 60],
    ]);
  });

  it('is met by every public reply: handle and await_customer too, each naming it in its reason', () => {
    const owed = customerWrote(responded(), at(20));
    const handled = act(owed, 'handle', at(25));
    expect(handled.ticket).toMatchObject({ stage: 'awaiting_resolution', deadlines: { nextReply: { metAt: at(25) }, initialHandling: { metAt: at(25) } } });
    expect(handled.move.reason).toBe("next reply met 300 s after the customer's message, on time");
    const paused = act(owed, 'await_customer', at(26));
    expect(paused.ticket).toMatchObject({ stage: 'awaiting_customer', deadlines: { nextReply: { metAt: at(26) } } });
    expect(paused.move.reason).toBe("waiting on the customer: the resolution clock stands still; next reply met 360 s after the customer's message, on time");
  });

  it('warns and breaches once per next reply, without escalating by default', () => {
    const owed = customerWrote(responded(), at(20));
    const warned = { ...owed, ...recordWarning(owed, 'nextReply', at(32))!.change };
    expect(recordWarning(warned, 'nextReply', at(33))).toBeUndefined();
    const breach = recordComplaintBreach(warned, 'nextReply', at(35))!;
    expect(breach.reason).toBe(`nextReply was due at ${at(35)}; 0 s late`);
    expect(breach.change).toMatchObject({ escalationTier: 0, breaches: [{ metric: 'nextReply', dueAt: at(35), lateBySeconds: 0 }] });
    const breached = { ...warned, ...breach.change };
    expect(recordComplaintBreach(breached, 'nextReply', at(36))).toBeUndefined();
    // A late reply still meets it, recorded as late.
    const late = act(breached, 'reply', at(40));
    expect(late.move.reason).toBe("after its deadline: nextReply; next reply met 1200 s after the customer's message, 300 s late");
    expect(late.ticket.nextReplies).toEqual([
      { startedAt: at(20), dueAt: at(35), clock: 'calendar', metAt: at(40), repliedAfterSeconds: 1200, onTime: false, lateBySeconds: 300, warnedAt: at(32), breachedAt: at(35) },
    ]);
    expect(late.ticket).not.toHaveProperty('breachesToNotify');
  });

  it('records the breach a late reply finds unrecorded, with the on-call notice still owed', () => {
    const owed = customerWrote(responded(), at(20));
    const { ticket, move } = act(owed, 'reply', at(50));
    expect(move.change).toMatchObject({
      breaches: [{ metric: 'nextReply', dueAt: at(35), recordedAt: at(50), lateBySeconds: 900 }],
      breachesToNotify: ['nextReply'],
      escalationTier: 0,
    });
    expect(ticket.nextReplies).toMatchObject([{ onTime: false, lateBySeconds: 900, breachedAt: at(50) }]);
  });

  it('escalates on a breach when the marketplace says so', () => {
    const config = slaConfigSchema.parse({ high: { nextReplySeconds: 300, escalateOnBreach: { nextReply: { raiseBy: 1, toAtLeast: 0 } } } });
    expect(tierAfterBreach(0, 'nextReply', DEFAULT_SLA_POLICY)).toBe(0);
    expect(tierAfterBreach(0, 'nextReply', resolveSlaPolicy(config, 'high'))).toBe(1);
    expect(resolveSlaPolicy(config, 'high').nextReplySeconds).toBe(300);
    expect(resolveSlaPolicy(config, 'normal').nextReplySeconds).toBe(900);
    expect(() => slaConfigSchema.parse({ default: { nextReplySeconds: 0 } })).toThrow();
    expect(() => slaConfigSchema.parse({ default: { nextReplyMinutes: 15 } })).toThrow();
  });

  it('counts from the recorded policy of the ticket, per priority', () => {
    const context = contextAt(OPENED, { default: { nextReplySeconds: 600 } });
    const ticket = act(opened(context), 'respond', at(5)).ticket;
    expect(customerWrote(ticket, at(20), context).deadlines.nextReply!.dueAt).toBe(at(30));
  });

  it('names its notifications by its ordinal: one warning and one breach per next reply', () => {
    const first = customerWrote(responded(), at(20));
    expect(nextReplyNumber(first, first.deadlines.nextReply!)).toBe(1);
    const met = act(first, 'reply', at(25)).ticket;
    expect(nextReplyNumber(met, met.deadlines.nextReply!)).toBe(1);
    const second = customerWrote(met, at(40));
    expect(nextReplyNumber(second, second.deadlines.nextReply!)).toBe(2);
  });
});

describe('the workflow and the next reply', () => {
  it('waits on any public reply (step nextReply) while the next reply is due first: warning at 80 % of its span, then its due time', () => {
    const owed = customerWrote(responded(), at(20));
    expect(planNextStep(owed, ms(20))).toMatchObject({ done: false, step: 'nextReply', deadline: 'nextReply', phase: 'warning', secondsLeft: 720, until: at(32) });
    const warned = { ...owed, ...recordWarning(owed, 'nextReply', at(32))!.change };
    expect(planNextStep(warned, ms(32))).toMatchObject({ step: 'nextReply', deadline: 'nextReply', phase: 'deadline', secondsLeft: 180, until: at(35) });
    // Met or breached, the stage's own step is waited on again.
    expect(planNextStep(act(owed, 'reply', at(25)).ticket, ms(25))).toMatchObject({ step: 'handle', deadline: 'initialHandling', phase: 'warning' });
    const breached = { ...warned, ...recordComplaintBreach(warned, 'nextReply', at(35))!.change };
    expect(planNextStep(breached, ms(35))).toMatchObject({ step: 'handle', deadline: 'initialHandling' });
  });

  it('keeps the stage step while another deadline is due before the next reply', () => {
    // Initial handling due at 08:00 + 24 h; a message 23 h 50 min in owes a reply after it.
    const owed = customerWrote(responded(), at(23 * 60 + 50));
    expect(owed.deadlines.nextReply!.dueAt > owed.deadlines.initialHandling!.dueAt).toBe(true);
    expect(awaitedStep(owed)).toBe('handle');
    expect(planNextStep(owed, ms(23 * 60 + 50))).toMatchObject({ step: 'handle', deadline: 'initialHandling' });
  });

  it('ends the wait of the stage step when a message starts a next reply due first, and the nextReply wait when a reply meets it', () => {
    const waiting = { ...responded(), awaiting: { step: 'handle', taskToken: 'token-1', since: at(5) } };
    const message = decideEvent(
      { id: 'r1', type: 'complaint.customer_replied', occurredAt: at(20), data: { reference: 'C-1', message: 'Any news?' } },
      waiting,
      contextAt(at(20)),
    );
    if (message.kind !== 'update') throw new Error('expected an update');
    expect(endsTheWait(waiting, message.change)).toBe(true);

    const owed = { ...waiting, ...message.change, awaiting: { step: 'nextReply', taskToken: 'token-2', since: at(20) } };
    expect(endsTheWait(owed, applyComplaintAction(owed, 'reply', at(25)).change)).toBe(true);
    // A second message keeps the due time: the nextReply wait goes on.
    const second = decideEvent(
      { id: 'r2', type: 'complaint.customer_replied', occurredAt: at(22), data: { reference: 'C-1', message: 'Hello?' } },
      owed,
      contextAt(at(22)),
    );
    expect(endsTheWait(owed, (second as { change: Partial<Ticket> }).change)).toBe(false);
    // A reply at a stage with no next reply owed does not wake the workflow.
    expect(endsTheWait(waiting, applyComplaintAction(waiting, 'reply', at(25)).change)).toBe(false);
    // A late reply that records the breach itself does, so on-call is told at once.
    // (Initial handling was missed first, so the workflow waits on handle again; the next reply's breach went unrecorded.)
    const lateMessage = customerWrote(responded(), at(23 * 60 + 50));
    const handlingMissed = { ...lateMessage, ...recordComplaintBreach(lateMessage, 'initialHandling', at(24 * 60))!.change };
    const lagging = { ...handlingMissed, awaiting: { step: 'handle', taskToken: 'token-3', since: at(24 * 60) } };
    const lateReply = applyComplaintAction(lagging, 'reply', at(24 * 60 + 10)).change;
    expect(lateReply.breachesToNotify).toEqual(['nextReply']);
    expect(awaitedStep({ ...lagging, ...lateReply })).toBe('handle');
    expect(endsTheWait(lagging, lateReply)).toBe(true);
  });
});

describe('the next reply on a business calendar', () => {
  const ZONE = 'Asia/Shanghai';
  const WORKDAY = ['09:00-12:00', '13:30-18:00'];
  const calendar: BusinessCalendar = { timeZone: ZONE, week: { mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY }, holidays: [], extraWorkdays: [], extraWorkdayHours: 'mon' };
  const sh = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toUTC().toISO()!;

  it('counts working hours: a message at 17:55 on a Friday is due 10 working minutes into Monday, warned at 80 % of that span', () => {
    // Handling and resolution on the business clock too, so the next reply is the deadline due first.
    const context = contextAt(sh('2026-11-20T10:00'), { default: { clock: { initialHandling: 'business', resolution: 'business' } } }, calendar);
    const ticket = act(opened(context), 'respond', sh('2026-11-20T10:05')).ticket;
    const owed = customerWrote(ticket, sh('2026-11-20T17:55'), context);
    expect(owed.deadlines.nextReply).toEqual({ dueAt: sh('2026-11-23T09:10'), clock: 'business', startedAt: sh('2026-11-20T17:55') });
    // 12 of the 15 working minutes: 5 on Friday, 7 on Monday.
    expect(planNextStep(owed, Date.parse(sh('2026-11-20T17:55')))).toMatchObject({ step: 'nextReply', phase: 'warning', until: sh('2026-11-23T09:07') });
    // Answered on Monday at 09:04: 9 working minutes, though 63 hours passed.
    const { ticket: answered } = act(owed, 'reply', sh('2026-11-23T09:04'));
    expect(answered.nextReplies).toEqual([
      {
        startedAt: sh('2026-11-20T17:55'),
        dueAt: sh('2026-11-23T09:10'),
        clock: 'business',
        metAt: sh('2026-11-23T09:04'),
        repliedAfterSeconds: (63 * 60 + 9) * 60,
        repliedAfterBusinessSeconds: 9 * 60,
        onTime: true,
        lateBySeconds: 0,
      },
    ]);
  });
});
