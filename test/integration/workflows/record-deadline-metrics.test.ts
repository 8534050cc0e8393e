import { complaintDeadlines } from '@shared/sla/policy';
import { createRecordDeadline } from '../../../functions/record-deadline/record-deadline';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { metricRecorder } from '../../support/metric-recorder';
import { startWorkflowStepFixture, type WorkflowStepFixture } from '../../support/workflow-step-fixture';

/** The workflow's RecordDeadline step counts what they record, once each, however often they run. */
describe('record-deadline metrics', () => {
  let fixture: WorkflowStepFixture;
  const opened = '2026-03-01T08:00:00.000Z';
  const clock = new ManualClock(Date.parse(opened));

  beforeAll(async () => {
    fixture = await startWorkflowStepFixture(clock);
  }, 90_000);

  afterAll(async () => {
    await fixture?.stop();
  });

  it('counts a warning and a breach of the first response, and nothing when a step runs again', async () => {
    await fixture.tickets.create(
      {
        id: 't-metrics',
        kind: 'complaint',
        marketplace: 'demo',
        externalRef: 't-metrics',
        orderId: 'O-1',
        customerRef: 'c-1',
        priority: 'normal',
        stage: 'awaiting_first_response',
        escalationTier: 0,
        deadlines: complaintDeadlines(opened),
        breaches: [],
        facts: {},
      },
      { actor: { type: 'system', id: 'test' }, via: 'workflow', action: 'ticket.created' },
    );
    const metrics = metricRecorder();
    const recordDeadline = createRecordDeadline({ tickets: fixture.tickets, sqs: fixture.sqs, notificationsQueueUrl: fixture.notificationsQueueUrl, registry: fixture.registry, fetch: fixture.fetch, clock, metrics });
    const step = (phase: 'warning' | 'deadline') => recordDeadline({ ticketId: 't-metrics', deadline: 'firstResponse', phase });

    await clock.advanceTo(Date.parse('2026-03-01T08:12:00.000Z'));
    await step('warning');
    await step('warning');
    expect(metrics.counted()).toEqual({ SlaWarnings: 1 });

    await clock.advanceTo(Date.parse('2026-03-01T08:15:00.000Z'));
    await step('deadline');
    await step('deadline');
    expect(metrics.counted()).toEqual({ SlaWarnings: 1, SlaBreaches: 1 });
  });
});
