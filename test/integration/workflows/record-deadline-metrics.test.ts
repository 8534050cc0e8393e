import { SQSClient } from '@aws-sdk/client-sqs';
import { queues } from '@infra/resources';
import { complaintDeadlines } from '@shared/sla/policy';
import { TicketRepository } from '@shared/tickets/ticket-repository';
import { createRecordDeadline } from '../../../functions/record-deadline/record-deadline';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/aws/local-aws-environment';
import { startSqsLocal, type SqsLocal } from '../../../infra/local/aws/sqs-local';
import { ManualClock } from '../../../infra/local/clock/manual-clock';
import { startDynamoFixture, type DynamoFixture } from '../../support/dynamodb-fixture';
import { metricRecorder } from '../../support/metric-recorder';

/** The workflow's RecordWarning and RecordBreach steps count what they record, once each, however often they run. */
describe('record-deadline metrics', () => {
  let dynamo: DynamoFixture;
  let sqsLocal: SqsLocal;
  let sqs: SQSClient;
  let tickets: TicketRepository;
  const opened = '2026-03-01T08:00:00.000Z';
  const clock = new ManualClock(Date.parse(opened));

  beforeAll(async () => {
    dynamo = await startDynamoFixture();
    sqsLocal = await startSqsLocal({ notifications: queues.notifications }, { notifications: 'test-notifications' });
    sqs = new SQSClient({ endpoint: sqsLocal.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    tickets = new TicketRepository({ client: dynamo.client, ticketsTable: dynamo.tableNames.tickets, auditTable: dynamo.tableNames.audit, clock });
  }, 90_000);

  afterAll(async () => {
    sqs?.destroy();
    await sqsLocal?.stop();
    await dynamo?.stop();
  });

  it('counts a warning and a breach of the first response, and nothing when a step runs again', async () => {
    await tickets.create(
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
    const recordDeadline = createRecordDeadline({ tickets, clock, sqs, notificationsQueueUrl: sqsLocal.queues.notifications!.url, metrics });
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
