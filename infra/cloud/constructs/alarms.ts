import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { METRIC_NAMES, METRICS_NAMESPACE, type MetricName } from '@shared/observability/metrics';
import { pascalCase } from '../names';
import { POWERTOOLS_SERVICE_NAME } from './aftercare-function';
import type { QueueWithDeadLetters } from './queue-with-dead-letters';

/**
 * Breaches are normal work (each one already reaches on-call by itself); this many in
 * 15 minutes means something larger is wrong, such as a team missing or a stuck queue.
 */
export const BREACH_SURGE_THRESHOLD = 20;

/** Table operations whose throttling is alarmed: every one Aftercare uses. */
const TABLE_OPERATIONS = [Operation.GET_ITEM, Operation.QUERY, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.DELETE_ITEM, Operation.TRANSACT_WRITE_ITEMS];

export interface AlarmTargets {
  readonly dataKey: Key;
  readonly tables: Readonly<Record<string, Table>>;
  readonly queues: Readonly<Record<string, QueueWithDeadLetters>>;
  /** On-failure queues of stream event sources: records the consumer gave up on. */
  readonly streamFailureQueues: Readonly<Record<string, Queue>>;
  readonly stateMachines: Readonly<Record<string, StateMachine>>;
  readonly functions: Readonly<Record<string, IFunction>>;
}

export interface AftercareAlarms {
  /** Where every alarm goes: subscribe the operators' e-mail, chat or paging here. */
  readonly topic: Topic;
  readonly alarms: readonly Alarm[];
}

/**
 * The operational alarms, all sent to one SNS topic (encrypted with the data key, TLS only):
 * a message in any dead-letter queue, a failed or timed-out workflow execution, a throttled
 * function or table, a surge of deadline breaches, any workflow the reconciler had to repair, and
 * any callback given up.
 */
export function createAlarms(scope: Construct, targets: AlarmTargets): AftercareAlarms {
  const topic = new Topic(scope, 'AlarmTopic', { displayName: 'Aftercare alarms', masterKey: targets.dataKey, enforceSSL: true });
  // CloudWatch publishes to the encrypted topic with the data key.
  targets.dataKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const action = new SnsAction(topic);
  const alarms: Alarm[] = [];
  const alarm = (id: string, metric: IMetric, description: string, threshold = 1) => {
    const created = new Alarm(scope, id, {
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    created.addAlarmAction(action);
    alarms.push(created);
  };
  const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
  /** One of Aftercare's own counts (Powertools Metrics puts the service name in every metric's dimensions). */
  const counted = (name: MetricName, period: Duration) =>
    new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: POWERTOOLS_SERVICE_NAME }, period, statistic: 'Sum' });

  for (const [id, { deadLetterQueue }] of Object.entries(targets.queues)) {
    alarm(
      `${pascalCase(id)}DeadLetterAlarm`,
      deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      `A message of the ${id} queue failed every retry and waits in its dead-letter queue: look at it, fix, redrive.`,
    );
  }
  for (const [id, queue] of Object.entries(targets.streamFailureQueues)) {
    alarm(
      `${pascalCase(id)}StreamFailuresAlarm`,
      queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      `The ${id} stream consumer gave up on a record: its message names the shard and sequence range; replay it once fixed.`,
    );
  }
  for (const [id, machine] of Object.entries(targets.stateMachines)) {
    alarm(`${pascalCase(id)}FailedExecutionsAlarm`, machine.metricFailed(fiveMinutes), `A ${id} workflow execution failed: its ticket is no longer being followed.`);
    alarm(`${pascalCase(id)}TimedOutExecutionsAlarm`, machine.metricTimedOut(fiveMinutes), `A ${id} workflow execution timed out.`);
  }
  for (const [id, fn] of Object.entries(targets.functions)) {
    alarm(`${pascalCase(id)}ThrottlesAlarm`, fn.metricThrottles(fiveMinutes), `The ${id} function was throttled (concurrency limit reached).`);
  }
  for (const [id, table] of Object.entries(targets.tables)) {
    alarm(
      `${pascalCase(id)}TableThrottlesAlarm`,
      table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: Duration.minutes(5) }),
      `Requests to the ${id} table were throttled.`,
    );
  }

  alarm(
    'DeadlineBreachSurgeAlarm',
    counted(METRIC_NAMES.slaBreaches, Duration.minutes(15)),
    `${BREACH_SURGE_THRESHOLD} or more SLA deadlines were missed within 15 minutes.`,
    BREACH_SURGE_THRESHOLD,
  );
  alarm(
    'WorkflowRepairsAlarm',
    counted(METRIC_NAMES.workflowRepairs, Duration.minutes(5)),
    'The reconciler repaired a ticket workflow (an execution missing, ended with the ticket open, or a step completion lost): the ticket is followed again, but Step Functions lost something — see the workflow.repaired audit events for why.',
  );
  alarm(
    'CallbacksGivenUpAlarm',
    counted(METRIC_NAMES.callbacksGivenUp, Duration.minutes(5)),
    'A callback to a marketplace failed every attempt and was given up: the marketplace never heard of that decision. The ticket\'s callback.abandoned audit event says which and why; fix the endpoint, then tell the marketplace.',
  );
  return { topic, alarms };
}
