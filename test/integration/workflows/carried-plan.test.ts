import { StepAlreadyCompletedError } from '@shared/errors';
import { complaintDeadlines } from '@shared/sla/policy';
import type { NewTicket } from '@shared/tickets/decide-event';
import { createAwaitAgent } from '../../../functions/await-agent/await-agent';
import { createRecordDeadline } from '../../../functions/record-deadline/record-deadline';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { metricRecorder } from '../../support/metric-recorder';
import { startWorkflowStepFixture, type WorkflowStepFixture } from '../../support/workflow-step-fixture';

/**
 * The workflow goes from a recording step straight to its next wait, on the plan the step
 * answers with; AwaitAgent refuses a wait the plan no longer fits, so the workflow plans again.
 */
describe('the plan a workflow step hands on', () => {
  let fixture: WorkflowStepFixture;
  const opened = '2026-03-01T08:00:00.000Z';
  const clock = new ManualClock(Date.parse(opened));
  const created = { actor: { type: 'system' as const, id: 'test' }, via: 'workflow' as const, action: 'ticket.created' };

  const complaint = (id: string, overrides: Partial<NewTicket> = {}): NewTicket => ({
    id,
    kind: 'complaint',
    marketplace: 'demo',
    externalRef: id,
    orderId: 'O-1',
    customerRef: 'c-1',
    priority: 'normal',
    stage: 'awaiting_first_response',
    escalationTier: 0,
    deadlines: complaintDeadlines(opened),
    breaches: [],
    facts: {},
    ...overrides,
  });

  beforeAll(async () => {
    fixture = await startWorkflowStepFixture(clock);
  }, 90_000);

  afterAll(async () => {
    await fixture?.stop();
  });

  it('answers a warning and a breach with the plan for the ticket as each left it, the same when run again', async () => {
    await fixture.tickets.create(complaint('t-plan'), created);
    const recordDeadline = createRecordDeadline({ tickets: fixture.tickets, sqs: fixture.sqs, notificationsQueueUrl: fixture.notificationsQueueUrl, registry: fixture.registry, fetch: fixture.fetch, clock, metrics: metricRecorder() });
    const step = (phase: 'warning' | 'deadline', until: string) => recordDeadline({ ticketId: 't-plan', deadline: 'firstResponse', phase, until });

    await clock.advanceTo(Date.parse('2026-03-01T08:12:00.000Z'));
    const afterWarning = { ticketId: 't-plan', next: { done: false, step: 'respond', deadline: 'firstResponse', phase: 'deadline', secondsLeft: 180, until: '2026-03-01T08:15:00.000Z' } };
    expect(await step('warning', '2026-03-01T08:12:00.000Z')).toMatchObject({ ...afterWarning, recorded: true });
    expect(await step('warning', '2026-03-01T08:12:00.000Z')).toMatchObject(afterWarning);

    // Missed: the response is still awaited, now against initial handling's warning (80 % of 24 h).
    await clock.advanceTo(Date.parse('2026-03-01T08:15:00.000Z'));
    const afterBreach = {
      ticketId: 't-plan',
      next: { done: false, step: 'respond', deadline: 'initialHandling', phase: 'warning', secondsLeft: 69_120 - 900, until: '2026-03-02T03:12:00.000Z' },
    };
    expect(await step('deadline', '2026-03-01T08:15:00.000Z')).toMatchObject({ ...afterBreach, recorded: true });
    expect(await step('deadline', '2026-03-01T08:15:00.000Z')).toMatchObject(afterBreach);
  });

  it('answers the notice of a breach a late action recorded with the plan after it, no longer owing the notice', async () => {
    const breachedAt = '2026-03-01T08:15:00.000Z';
    await fixture.tickets.create(
      complaint('t-owed', {
        stage: 'awaiting_handling',
        deadlines: { ...complaintDeadlines(opened), firstResponse: { dueAt: breachedAt, breachedAt, metAt: '2026-03-01T08:20:00.000Z' } },
        breaches: [{ metric: 'firstResponse', dueAt: breachedAt, recordedAt: '2026-03-01T08:20:00.000Z', lateBySeconds: 300 }],
        breachesToNotify: ['firstResponse'],
      }),
      created,
    );
    await clock.advanceTo(Date.parse('2026-03-01T08:20:00.000Z'));
    const recordDeadline = createRecordDeadline({ tickets: fixture.tickets, sqs: fixture.sqs, notificationsQueueUrl: fixture.notificationsQueueUrl, registry: fixture.registry, fetch: fixture.fetch, clock, metrics: metricRecorder() });
    const answer = await recordDeadline({ ticketId: 't-owed', deadline: 'firstResponse', phase: 'notify', until: '2026-03-01T08:20:00.000Z' });
    expect(answer).toMatchObject({ ticketId: 't-owed', next: { done: false, step: 'handle', deadline: 'initialHandling', phase: 'warning' } });
    expect((await fixture.tickets.get('t-owed')).breachesToNotify).toBeUndefined();
  });

  it('answers a wait that ended with nothing left to watch (replan) with the plan, writing nothing', async () => {
    const responded = { dueAt: '2026-03-01T08:15:00.000Z', metAt: '2026-03-01T08:05:00.000Z' };
    await fixture.tickets.create(complaint('t-replan', { stage: 'awaiting_handling', deadlines: { ...complaintDeadlines(opened), firstResponse: responded } }), created);
    const before = await fixture.tickets.get('t-replan');
    await clock.advanceTo(Date.parse('2026-03-01T08:30:00.000Z'));
    const recordDeadline = createRecordDeadline({ tickets: fixture.tickets, sqs: fixture.sqs, notificationsQueueUrl: fixture.notificationsQueueUrl, registry: fixture.registry, fetch: fixture.fetch, clock, metrics: metricRecorder() });
    const answer = await recordDeadline({ ticketId: 't-replan', deadline: null, phase: 'replan', until: '2026-03-01T08:30:00.000Z' });
    expect(answer).toEqual({
      ticketId: 't-replan',
      recorded: false,
      // Initial handling's warning: 80 % of the way from the ticket's creation (08:20 on this suite's clock) to its due
      // time (08:00 the next day), so 03:16, 18 h 46 min after 08:30.
      next: { done: false, step: 'handle', deadline: 'initialHandling', phase: 'warning', secondsLeft: 67_560, until: '2026-03-02T03:16:00.000Z' },
    });
    expect((await fixture.tickets.get('t-replan')).version).toBe(before.version);
  });

  it('refuses to wait while a breach notice is owed, and waits once it is not', async () => {
    await fixture.tickets.create(complaint('t-wait', { breachesToNotify: ['firstResponse'] }), created);
    const awaitAgent = createAwaitAgent({ tickets: fixture.tickets, clock });
    const wait = () => awaitAgent({ ticketId: 't-wait', step: 'respond', taskToken: 'token-1' });

    await expect(wait()).rejects.toThrow(StepAlreadyCompletedError);
    expect((await fixture.tickets.get('t-wait')).awaiting).toBeUndefined();

    const owing = await fixture.tickets.get('t-wait');
    await fixture.tickets.update(owing, { breachesToNotify: undefined }, { ...created, action: 'sla.breach_notice_queued' });
    expect(await wait()).toEqual({ ticketId: 't-wait', awaiting: 'respond' });
    expect((await fixture.tickets.get('t-wait')).awaiting).toMatchObject({ step: 'respond', taskToken: 'token-1' });
  });
});
